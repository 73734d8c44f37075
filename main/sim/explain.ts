// `lab explain`: why the simulation did what it did — a VM's DRS placement with every host's score,
// a host's state, the Supervisor's conditions — as plain lines.
import type { KubeObject } from '../api/types';
import type { SupervisorStatus } from './supervisor/controller';
import type { World } from './world';
import { hostStatus, vmStatus } from './vcenter/model';
import type { HostScore } from './drs/placement';

export function explain(w: World, kind: 'vm' | 'host' | 'supervisor', name: string): string[] {
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
