// `lab explain`: why the simulation did what it did — a VM's DRS placement with every host's score,
// a host's state, the Supervisor's conditions, a vSphere Pod's scheduling and DRS placement — as plain lines.
import type { KubeObject } from '../api/types';
import { SUPERVISOR_SPACE, type SupervisorStatus } from './supervisor/controller';
import { PLACEMENT_ANNOTATION } from './supervisor/pods';
import type { World } from './world';
import { hostStatus, vmStatus } from './vcenter/model';
import type { HostScore } from './drs/placement';

/** A vSphere Pod's placement: the scheduler's ranking of the feasible nodes, then DRS's final choice. */
function explainPod(w: World, ref: string): string[] {
  const [ns, pod] = ref.includes('/') ? ref.split('/', 2) : ['default', ref];
  const p = w.k8s(SUPERVISOR_SPACE).tryGet('pods', ns!, pod!);
  if (!p) return [`error: pod "${pod}" not found in namespace "${ns}"`];
  const node = (p.spec as { nodeName?: string } | undefined)?.nodeName;
  const phase = (p.status as { phase?: string } | undefined)?.phase ?? 'Pending';
  const lines = [`${ns}/${pod}: ${phase}${node ? ` on ${node}` : ''}`];
  const raw = p.metadata.annotations?.[PLACEMENT_ANNOTATION];
  if (!raw) {
    const cond = (
      (p.status as { conditions?: { type: string; message?: string }[] } | undefined)?.conditions ?? []
    ).find((c) => c.type === 'PodScheduled');
    return [...lines, `  not scheduled${cond?.message ? `: ${cond.message}` : ''}`];
  }
  const d = JSON.parse(raw) as {
    schedulerRanking: { node: string; score: number }[];
    schedulerFirstChoice: string;
    drsChoice: string;
    drsReason: string;
    drsScores: HostScore[];
    decidedAt: string;
  };
  lines.push(`Scheduler (feasible nodes, least allocated first) at ${d.decidedAt}:`);
  for (const r of d.schedulerRanking) lines.push(`  ${r.node.padEnd(24)} ${String(r.score).padStart(6)}`);
  lines.push(
    `DRS final placement: ${d.drsChoice} — ${d.drsReason}${d.drsChoice !== d.schedulerFirstChoice ? ` (the scheduler's first choice was ${d.schedulerFirstChoice})` : ''}`,
  );
  for (const s of [...d.drsScores].sort(
    (a, b) => (b.score ?? -1) - (a.score ?? -1) || a.host.localeCompare(b.host),
  ))
    lines.push(
      `  ${s.host.padEnd(24)} ${s.score === null ? '   -  ' : String(s.score).padStart(6)}  ${s.reason}`,
    );
  return lines;
}

export function explain(w: World, kind: 'vm' | 'host' | 'supervisor' | 'pod', name: string): string[] {
  if (kind === 'pod') return explainPod(w, name);
  if (kind === 'vm') {
    const vm = w.vc.tryGet('virtualmachines', '', name);
    if (!vm) return [`error: virtual machine "${name}" not found`];
    const st = vmStatus(vm);
    const p = st.placement as
      { decidedAt?: string; host?: string | null; reason?: string; scores?: HostScore[] } | undefined;
    const lines = [`${name}: ${st.phase ?? 'Pending'} on ${st.host ?? '(no host)'}`];
    if (st.migration) lines.push(`  migrating to ${st.migration.to}: ${st.migration.reason ?? ''}`);
    if (!p) return [...lines, '  DRS has not placed this VM yet'];
    lines.push(`DRS placement at ${p.decidedAt}: ${p.host ?? 'none'} — ${p.reason}`);
    for (const s of [...(p.scores ?? [])].sort(
      (a, b) => (b.score ?? -1) - (a.score ?? -1) || a.host.localeCompare(b.host),
    )) {
      lines.push(
        `  ${s.host.padEnd(24)} ${s.score === null ? '   -  ' : String(s.score).padStart(6)}  ${s.reason}`,
      );
    }
    return lines;
  }
  if (kind === 'host') {
    const h = w.vc.tryGet('hostsystems', '', name);
    if (!h) return [`error: host "${name}" not found`];
    const hs = hostStatus(h);
    const vms = w.vc.list('virtualmachines').items.filter((vm: KubeObject) => vmStatus(vm).host === name);
    return [
      `${name}: ${hs.state ?? 'unknown'}${hs.spherelet?.installed ? ', Spherelet installed' : ''}`,
      `  CPU ${hs.cpuMHz?.used ?? 0} / ${hs.cpuMHz?.capacity ?? 0} MHz reserved, memory ${hs.memoryMB?.used ?? 0} / ${hs.memoryMB?.capacity ?? 0} MB`,
      ...vms.map((vm) => `  ${vm.metadata.name} (${vmStatus(vm).phase})`),
    ];
  }
  const sup =
    w.vc.list('supervisors').items.find((s) => s.metadata.name === name) ?? w.vc.list('supervisors').items[0];
  if (!sup) return ['Workload Management is not enabled on any cluster'];
  const st = (sup.status ?? {}) as SupervisorStatus;
  return [
    `Supervisor on ${sup.metadata.name}: ${st.configStatus ?? 'CONFIGURING'}${st.kubernetesStatus ? ` / ${st.kubernetesStatus}` : ''}`,
    `  API endpoint ${st.apiEndpoint ?? '(pending)'}, floating IP ${st.floatingIP ?? '(pending)'} on ${st.floatingIPVM ?? '(none)'}`,
    ...(st.conditions ?? []).map((c) => `  ${c.type}=${c.status}: ${c.message}`),
  ];
}
