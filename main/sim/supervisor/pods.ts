// vSphere Pods on an NSX-T Supervisor, end to end:
//   1. the Supervisor's scheduler filters the Spherelet nodes a pod may go to (ready, schedulable, room,
//      nodeSelector, required node affinity, taints) and ranks them as kube-scheduler does;
//   2. DRS makes the final choice among them, seeing every VM on the hosts (which the scheduler does not),
//      and the pod is bound there — events and an annotation say what each one picked and why;
//   3. the Spherelet on that host creates the pod's CRX, a VM in the vCenter inventory that boots in
//      about a second of lab time; the image is pulled from the simulated registry (or fails to be, into
//      ErrImagePull and ImagePullBackOff); the containers start and the pod runs with an IP from its
//      namespace's NSX segment, or — a tool image with nothing to do — exits and is restarted, backing off.
// Pods whose host failed go NotReady and are evicted after the default toleration; pods on a host
// entering maintenance are evicted at once. Deleting a pod removes its CRX. Only pods in vSphere
// Namespaces are vSphere Pods: the Supervisor's own namespaces (default, kube-system …) are left alone.
import type { AdmissionPlugin } from '../../api/admission';
import type { ApiClient } from '../../api/client';
import { rfc3339 } from '../../api/environment';
import { statusFailure } from '../../api/errors';
import { parseQuantity, milliValue, quantityValue } from '../../api/quantity';
import type { LogSource } from '../../api/subresources';
import type { KubeObject } from '../../api/types';
import { book, placeVm, type HostModel, type VmDemand } from '../drs/placement';
import { lifecycle } from '../lifecycle';
import { keyFor, splitKey, type Controller } from '../runtime/controllers';
import { formatIp, parseCidr } from '../vcenter/ipv4';
import { GROUP, VCENTER } from '../vcenter/kinds';
import { capacityModel, demand, hostSpec, vmSpec, vmStatus } from '../vcenter/model';
import type { World } from '../world';
import type { SupervisorSpec } from './admission';
import { SUPERVISOR_SPACE } from './controller';
import { pullFor, registryNamespaces, registryNetwork } from './harbor';
import { pullTimeMs } from './images';
import {
  conditions,
  containersExited,
  pulledEvents,
  pullFailed,
  startContainers,
  STATE_ANNOTATION,
  stateOf,
  waiting,
  type PodRuntime,
  type PodSpec,
  type PodState,
} from './containers';
export { STATE_ANNOTATION, stateOf, type PodState, type PodSpec, type Container } from './containers';
import type { NamespaceStatus } from './namespaces';
import { freeSegment, heldSegments } from './segments';

const SCHEDULER = '~scheduler';
/** the annotation that records both decisions: the scheduler's ranking and DRS's final placement */
export const PLACEMENT_ANNOTATION = 'vmware-system-placement';

/** A vSphere Pod's CRX VM is named after the pod and its namespace, within vCenter's 80 characters. */
export function crxName(namespace: string, pod: string): string {
  const n = `${pod} (${namespace})`;
  if (n.length <= 80) return n;
  let h = 2166136261;
  for (const c of n) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return `${n.slice(0, 71)}~${h.toString(16).padStart(8, '0')}`;
}

const podSpec = (p: KubeObject) => (p.spec ?? {}) as unknown as PodSpec;

/** CPU (millicores) and memory (MiB) a pod asks for, and what its CRX is sized to. */
export function podSize(p: KubeObject): {
  cpuMilli: number;
  memMiB: number;
  vcpus: number;
  crxMemMiB: number;
} {
  let cpuMilli = 0;
  let memMiB = 0;
  let limitMilli = 0;
  let limitMiB = 0;
  for (const c of podSpec(p).containers ?? []) {
    const q = (v?: string) => (v === undefined ? undefined : parseQuantity(v));
    const rc = q(c.resources?.requests?.cpu);
    const rm = q(c.resources?.requests?.memory);
    const lc = q(c.resources?.limits?.cpu);
    const lm = q(c.resources?.limits?.memory);
    cpuMilli += rc ? milliValue(rc) : lc ? milliValue(lc) : 0;
    memMiB += rm ? quantityValue(rm) / 2 ** 20 : lm ? quantityValue(lm) / 2 ** 20 : 0;
    limitMilli += lc ? milliValue(lc) : rc ? milliValue(rc) : 1000;
    limitMiB += lm ? quantityValue(lm) / 2 ** 20 : rm ? quantityValue(rm) / 2 ** 20 : 512;
  }
  // a CRX has whole vCPUs and at least 512 MiB, as the Spherelet sizes it
  return {
    cpuMilli: Math.ceil(cpuMilli),
    memMiB: Math.ceil(memMiB),
    vcpus: Math.max(1, Math.ceil(limitMilli / 1000)),
    crxMemMiB: Math.max(512, Math.ceil(limitMiB)),
  };
}

/** Refuses vSphere Pods where the Supervisor cannot run them: on the vSphere networking stack. */
export function vspherePodAdmission(w: World): AdmissionPlugin {
  // the Supervisor's network stack, read again only when a Supervisor changes (this runs on every pod create)
  let vds: boolean | undefined;
  w.api.hub.inform(GROUP, 'Supervisor', () => (vds = undefined));
  const onVds = () => {
    if (vds === undefined) {
      const kind = w.api.registry.byKind(GROUP, 'Supervisor');
      const sup = kind ? w.api.objects.list(kind, VCENTER)[0] : undefined;
      vds = (sup?.spec as SupervisorSpec | undefined)?.networkProvider === 'VSPHERE_NETWORK';
    }
    return vds;
  };
  return {
    name: 'VSpherePods',
    validate(a) {
      if (a.operation !== 'CREATE' || a.kind.group !== '' || a.kind.kind !== 'Pod' || a.subresource) return;
      if (w.api.flavorOf(a.cluster) !== 'supervisor') return;
      if (!onVds()) return;
      throw statusFailure(
        403,
        'Forbidden',
        `pods "${a.name}" is forbidden: vSphere Pods are not supported on this Supervisor: it runs on the vSphere networking stack, which has no Spherelet; vSphere Pods need NSX-T (run the workload in a Tanzu Kubernetes cluster instead)`,
        { name: a.name, kind: 'pods' },
      );
    },
  };
}

/** A pod's log: the image's startup lines, then what its command writes, up to lab time now. */
export function vspherePodLogs(w: World, fallback: LogSource): LogSource {
  return (r) => {
    // vSphere Pods, and pods in guest clusters (whose kubelets keep the same bookkeeping)
    if (r.cluster === VCENTER) return fallback(r);
    const st = stateOf(r.pod);
    if (!st.startedAt) return fallback(r);
    const c = podSpec(r.pod).containers.find((x) => x.name === r.container);
    const result = c ? pullFor(w, r.pod.metadata.namespace ?? '', c.image) : undefined;
    const start = Date.parse(st.startedAt);
    const now = w.now();
    const lines: { at: number; text: string }[] = (result?.ok ? result.startup : []).map((text) => ({
      at: start,
      text,
    }));
    const cmd = [...(c?.command ?? []), ...(c?.args ?? [])].join(' ');
    const echo = /\becho\s+(?:"([^"]*)"|'([^']*)'|([^\s;&|]+))/.exec(cmd);
    const loop = /while\s+true/.test(cmd);
    const every = Number(/sleep\s+(\d+)/.exec(cmd)?.[1] ?? 0);
    if (echo && loop && every > 0) {
      for (let t = start, i = 0; t <= now && i < 10_000; t += every * 1000, i++)
        lines.push({
          at: t,
          text: (echo[1] ?? echo[2] ?? echo[3] ?? '').replace(/\$\(date\)/, new Date(t).toUTCString()),
        });
    } else if (echo) lines.push({ at: start, text: echo[1] ?? echo[2] ?? echo[3] ?? '' });
    else if (/nginx|httpd/.test(c?.image ?? '')) {
      // the Supervisor's load balancer health checks every 10 s, as NSX does
      for (let t = start + 10_000, i = 0; t <= now && i < 10_000; t += 10_000, i++)
        lines.push({
          at: t,
          text: `${segmentGateway(r.pod)} - - [${nginxTime(t)}] "GET / HTTP/1.1" 200 615 "-" "NSX-LB-health-check" "-"`,
        });
    }
    let out = lines.map(
      (l) => (r.timestamps ? `${new Date(l.at).toISOString().replace('Z', '000000Z')} ` : '') + l.text,
    );
    if (r.tailLines !== undefined) out = r.tailLines <= 0 ? [] : out.slice(-r.tailLines);
    return out.map((l) => `${l}\n`).join('');
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');
function nginxTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
function segmentGateway(p: KubeObject): string {
  const ip = stateOf(p).ip ?? '10.244.0.2';
  const parts = ip.split('.').map(Number);
  parts[3] = (parts[3]! & ~15) + 1;
  return parts.join('.');
}

export function vspherePodController(w: World): Controller {
  const k = w.k8s(SUPERVISOR_SPACE);
  const scheduler = keyFor(SUPERVISOR_SPACE, '', SCHEDULER);
  // derived caches (rebuilt from the API after a restart): each host's last state, whether any pod may be
  // waiting for a node, and each namespace's pod addresses
  const hostStates = new Map<string, string | undefined>();
  let maybePending = true;
  const ips = new IpPools(w);
  return {
    name: 'vsphere-pods',
    watches: [
      {
        group: '',
        kind: 'Pod',
        map: (o, cluster) =>
          cluster !== SUPERVISOR_SPACE
            ? []
            : podSpec(o).nodeName
              ? [keyFor(cluster, o.metadata.namespace, o.metadata.name!)]
              : ((maybePending = true), [scheduler, keyFor(cluster, o.metadata.namespace, o.metadata.name!)]),
      },
      {
        group: GROUP,
        kind: 'VirtualMachine',
        map: (o) => {
          const s = vmSpec(o) as { role?: string; labels?: Record<string, string> };
          const ns = s.labels?.['pod-namespace'];
          const name = s.labels?.['pod-name'];
          return s.role === 'crx' && ns && name ? [keyFor(SUPERVISOR_SPACE, ns, name)] : [];
        },
      },
      {
        group: '',
        kind: 'Node',
        map: (_o, cluster) => (cluster === SUPERVISOR_SPACE && maybePending ? [scheduler] : []),
      },
      {
        // a claim bound (or made) may let a pending pod be scheduled
        group: '',
        kind: 'PersistentVolumeClaim',
        map: (_o, cluster) => (cluster === SUPERVISOR_SPACE && maybePending ? [scheduler] : []),
      },
      {
        group: GROUP,
        kind: 'HostSystem',
        // when a host's state changes: the scheduler, and every pod on the host (failed, or entering
        // maintenance); its usage changing (which it does with every VM) concerns only pending pods
        map: (o) => {
          if (!w.api.hasApiSpace(SUPERVISOR_SPACE)) return [];
          const state = (o.status as { state?: string } | undefined)?.state;
          const known = hostStates.has(o.metadata.name!);
          const changed = known && hostStates.get(o.metadata.name!) !== state;
          hostStates.set(o.metadata.name!, state);
          if (!changed) return maybePending ? [scheduler] : [];
          return [
            scheduler,
            ...k
              .list('pods', { fieldSelector: `spec.nodeName=${o.metadata.name}` })
              .items.map((p) => keyFor(SUPERVISOR_SPACE, p.metadata.namespace, p.metadata.name!)),
          ];
        },
      },
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      if (cluster !== SUPERVISOR_SPACE || !w.api.hasApiSpace(SUPERVISOR_SPACE)) return;
      if (name === SCHEDULER) {
        maybePending = scheduleAll(w) > 0;
        return undefined;
      }
      const pod = k.tryGet('pods', namespace, name);
      if (!pod) {
        ips.release(namespace, name);
        // gone: so is its CRX
        const vm = w.vc.tryGet('virtualmachines', '', crxName(namespace, name));
        if (vm && (vmSpec(vm) as { labels?: Record<string, string> }).labels?.['pod-name'] === name)
          w.vc.delete('virtualmachines', '', vm.metadata.name!);
        return;
      }
      if (!podSpec(pod).nodeName) return;
      return runPod(w, pod, ips);
    },
  };
}

export interface Candidate {
  node: KubeObject;
  allocatedMilli: number;
  allocatedMiB: number;
  capacityMilli: number;
  capacityMiB: number;
}

/** kube-scheduler's filters, in its words for what fails. */
export function filter(
  pod: KubeObject,
  c: Candidate,
  size: { cpuMilli: number; memMiB: number },
): string | undefined {
  const spec = podSpec(pod);
  const n = c.node;
  const ready = (
    (n.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []
  ).find((x) => x.type === 'Ready');
  if (ready?.status !== 'True') return 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }';
  if ((n.spec as { unschedulable?: boolean } | undefined)?.unschedulable) return 'node(s) were unschedulable';
  const taints = (
    (n.spec as { taints?: { key: string; value?: string; effect: string }[] } | undefined)?.taints ?? []
  ).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  for (const t of taints) {
    const tolerated = (spec.tolerations ?? []).some(
      (tol) =>
        (tol.operator === 'Exists' && (!tol.key || tol.key === t.key)) ||
        (tol.key === t.key &&
          (tol.value ?? '') === (t.value ?? '') &&
          (!tol.effect || tol.effect === t.effect)),
    );
    if (!tolerated) return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
  }
  const labels = n.metadata.labels ?? {};
  for (const [key, value] of Object.entries(spec.nodeSelector ?? {}))
    if (labels[key] !== value) return "node(s) didn't match Pod's node affinity/selector";
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms?.length) {
    const matches = terms.some((t) =>
      (t.matchExpressions ?? []).every((e) => {
        const v = labels[e.key];
        switch (e.operator) {
          case 'In':
            return v !== undefined && (e.values ?? []).includes(v);
          case 'NotIn':
            return v === undefined || !(e.values ?? []).includes(v);
          case 'Exists':
            return v !== undefined;
          case 'DoesNotExist':
            return v === undefined;
          default:
            return false;
        }
      }),
    );
    if (!matches) return "node(s) didn't match Pod's node affinity/selector";
  }
  if (c.allocatedMilli + size.cpuMilli > c.capacityMilli) return 'Insufficient cpu';
  if (c.allocatedMiB + size.memMiB > c.capacityMiB) return 'Insufficient memory';
  return undefined;
}

/** Why a pod's PersistentVolumeClaims keep it from being scheduled, in kube-scheduler's words, if they do. */
export function claimsBlock(k: ApiClient, pod: KubeObject): string | undefined {
  const volumes = (podSpec(pod) as { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] })
    .volumes;
  let unbound = false;
  for (const v of volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName;
    if (!claim) continue;
    const pvc = k.tryGet('persistentvolumeclaims', pod.metadata.namespace!, claim);
    if (!pvc) return `persistentvolumeclaim "${claim}" not found`;
    if (pvc.metadata.deletionTimestamp) return `persistentvolumeclaim "${claim}" is being deleted`;
    if ((pvc.status as { phase?: string } | undefined)?.phase !== 'Bound') unbound = true;
  }
  return unbound ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
}

/** kube-scheduler's "0/4 nodes are available: 1 node(s) were unschedulable, 3 Insufficient cpu." */
export function unschedulableMessage(total: number, reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  // sortReasonsHistogram: "<count> <reason>" strings in Go's sort.Strings order
  const parts = [...counts.entries()]
    .map(([r, n]) => `${n} ${r}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}

/**
 * Schedules every pending pod in one pass: one model of nodes and hosts, booked as pods are placed.
 * Returns how many pods are still waiting for a node.
 */
function scheduleAll(w: World): number {
  const k = w.k8s(SUPERVISOR_SPACE);
  const sup = w.vc.list('supervisors').items[0];
  if (!sup || (sup.status as { configStatus?: string } | undefined)?.configStatus !== 'RUNNING') return 1;
  const cluster = (sup.spec as SupervisorSpec).cluster;
  const pods = k.list('pods').items;
  // vSphere Pods run in vSphere Namespaces; pods elsewhere (the Supervisor's own namespaces) are not ours
  // (and the embedded Harbor registry's system namespace: its pods are vSphere Pods too)
  const vsphereNamespaces = new Set([
    ...w.vc
      .list('vspherenamespaces')
      .items.filter((n) => !n.metadata.deletionTimestamp)
      .map((n) => n.metadata.name!),
    ...registryNamespaces(w),
  ]);
  const pending = pods.filter(
    (p) =>
      !podSpec(p).nodeName && !p.metadata.deletionTimestamp && vsphereNamespaces.has(p.metadata.namespace!),
  );
  if (!pending.length) return 0;
  let waiting = 0;
  const nodes = k
    .list('nodes')
    .items.filter((n) => n.metadata.labels?.['node-role.kubernetes.io/agent'] !== undefined);
  const candidates = candidatesOf(nodes);
  for (const p of pods) {
    const c = candidates.get(podSpec(p).nodeName ?? '');
    if (!c || ['Succeeded', 'Failed'].includes((p.status as { phase?: string } | undefined)?.phase ?? ''))
      continue;
    const s = podSize(p);
    c.allocatedMilli += s.cpuMilli;
    c.allocatedMiB += s.memMiB;
  }
  // DRS's view: every VM on the cluster's hosts, vSphere Pods' CRXs included
  const hosts = w.vc.list('hostsystems').items.filter((h) => hostSpec(h).cluster === cluster);
  const vms = w.vc.list('virtualmachines').items.filter((vm) => vmSpec(vm).cluster === cluster);
  const { models, mhzPerCore } = capacityModel(hosts, vms);
  const byName = new Map(models.map((m) => [m.name, m]));
  // namespace resource pools: what their vSphere Pods hold against the pool's limits
  const poolUse = new Map<string, { mhz: number; mib: number }>();
  for (const vm of vms) {
    const s = vmSpec(vm);
    if (s.role !== 'crx' || !s.namespace) continue;
    const u = poolUse.get(s.namespace) ?? { mhz: 0, mib: 0 };
    const d = demand(vm, mhzPerCore);
    u.mhz += d.cpuMHz;
    u.mib += d.memMB;
    poolUse.set(s.namespace, u);
  }
  const now = rfc3339(new Date(w.now()));
  for (const pod of pending.sort((a, b) =>
    a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : 0,
  )) {
    const ns = pod.metadata.namespace!;
    const size = podSize(pod);
    // what the CRX will hold on its host: its reservation, or its whole size for a best-effort pod
    const mhz = size.cpuMilli > 0 ? Math.round((size.cpuMilli * mhzPerCore) / 1000) : size.vcpus * mhzPerCore;
    const mib = size.memMiB > 0 ? size.memMiB : size.crxMemMiB;
    // the namespace's resource pool: its limits hold for its vSphere Pods
    // the volume binding plugin's pre-filter: every claim there, not going, and bound
    const claimProblem = claimsBlock(k, pod);
    if (claimProblem) {
      const n = candidates.size;
      unschedulable(
        w,
        k,
        pod,
        `0/${n} nodes are available: ${claimProblem}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`,
        now,
      );
      waiting++;
      continue;
    }
    const pool = w.vc.tryGet('resourcepools', '', ns);
    const lim =
      (pool?.spec as { cpu?: { limitMHz?: number }; memory?: { limitMB?: number } } | undefined) ?? {};
    const used = poolUse.get(ns) ?? { mhz: 0, mib: 0 };
    const cpuLimit = lim.cpu?.limitMHz ?? -1;
    const memLimit = lim.memory?.limitMB ?? -1;
    if ((cpuLimit >= 0 && used.mhz + mhz > cpuLimit) || (memLimit >= 0 && used.mib + mib > memLimit)) {
      const what =
        cpuLimit >= 0 && used.mhz + mhz > cpuLimit
          ? `CPU: the pod needs ${mhz} MHz, ${Math.max(0, cpuLimit - used.mhz)} MHz of the ${cpuLimit} MHz limit are left`
          : `memory: the pod needs ${mib} MiB, ${Math.max(0, memLimit - used.mib)} MiB of the ${memLimit} MiB limit are left`;
      unschedulable(
        w,
        k,
        pod,
        `0/${candidates.size} nodes are available: the resource pool of namespace ${ns} is at its limit for ${what}.`,
        now,
      );
      waiting++;
      continue;
    }
    const reasons: string[] = [];
    const feasible: Candidate[] = [];
    for (const c of candidates.values()) {
      const why = filter(pod, c, size);
      if (why) reasons.push(why);
      else feasible.push(c);
    }
    if (!feasible.length) {
      unschedulable(w, k, pod, unschedulableMessage(candidates.size, reasons), now);
      waiting++;
      continue;
    }
    // kube-scheduler's ranking (least allocated), of which it would take the first
    const ranked = feasible
      .map((c) => ({
        c,
        score: Math.round(
          (((c.capacityMilli - c.allocatedMilli - size.cpuMilli) / Math.max(1, c.capacityMilli) +
            (c.capacityMiB - c.allocatedMiB - size.memMiB) / Math.max(1, c.capacityMiB)) /
            2) *
            100,
        ),
      }))
      .sort((a, b) => b.score - a.score || (a.c.node.metadata.name! < b.c.node.metadata.name! ? -1 : 1));
    // DRS: the final choice among the feasible hosts, from the whole host's load
    const crx: VmDemand = { name: crxName(ns, pod.metadata.name!), cpuMHz: mhz, memMB: mib };
    const feasibleModels = ranked
      .map((r) => byName.get(r.c.node.metadata.name!))
      .filter((m): m is HostModel => Boolean(m));
    const drs = placeVm(crx, feasibleModels);
    if (!drs.host) {
      unschedulable(w, k, pod, `0/${candidates.size} nodes are available: DRS: ${drs.reason}.`, now);
      waiting++;
      continue;
    }
    const chosen = candidates.get(drs.host)!;
    chosen.allocatedMilli += size.cpuMilli;
    chosen.allocatedMiB += size.memMiB;
    book(byName.get(drs.host)!, crx, 1);
    used.mhz += mhz;
    used.mib += mib;
    poolUse.set(ns, used);
    const first = ranked[0]!.c.node.metadata.name!;
    const placement = {
      // the best eight of each: enough to explain the choice, small enough to keep on every pod
      schedulerRanking: ranked.slice(0, 8).map((r) => ({ node: r.c.node.metadata.name, score: r.score })),
      schedulerFirstChoice: first,
      drsChoice: drs.host,
      drsReason: drs.reason,
      drsScores: [...drs.scores]
        .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || (a.host < b.host ? -1 : 1))
        .slice(0, 8),
      decidedAt: now,
    };
    bind(w, pod, drs.host, placement);
  }
  return waiting;
}

/** The scheduler could not place the pod: PodScheduled False with its reasons, and the event (once per message). */
export function unschedulable(w: World, k: ApiClient, pod: KubeObject, message: string, now: string): void {
  const cond = (
    (pod.status as { conditions?: { type: string; message?: string }[] } | undefined)?.conditions ?? []
  ).find((c) => c.type === 'PodScheduled');
  if (cond?.message === message) return;
  k.updateStatus({
    ...pod,
    status: {
      ...(pod.status as object),
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: now,
          reason: 'Unschedulable',
          message,
        },
      ],
    },
  });
  w.recorder.event(k, pod, 'Warning', 'FailedScheduling', message, 'default-scheduler');
}

/**
 * The scheduler's decision: one write through pods/binding (the node, PodScheduled, and any annotations
 * that go with it), and the Scheduled event.
 */
export function bindPod(
  w: World,
  k: ApiClient,
  pod: KubeObject,
  node: string,
  annotations?: Record<string, string>,
): void {
  k.bind(pod.metadata.namespace!, pod.metadata.name!, node, annotations);
  w.recorder.event(
    k,
    pod,
    'Normal',
    'Scheduled',
    `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`,
    'default-scheduler',
  );
}

/** The scheduler's view of nodes: each one's allocatable CPU and memory, nothing booked yet. */
export function candidatesOf(nodes: KubeObject[]): Map<string, Candidate> {
  return new Map(
    nodes.map((n) => {
      const alloc =
        (n.status as { allocatable?: { cpu?: string; memory?: string } } | undefined)?.allocatable ?? {};
      const cpu = parseQuantity(alloc.cpu ?? '0');
      const mem = parseQuantity(alloc.memory ?? '0');
      return [
        n.metadata.name!,
        {
          node: n,
          allocatedMilli: 0,
          allocatedMiB: 0,
          capacityMilli: cpu ? milliValue(cpu) : 0,
          capacityMiB: mem ? quantityValue(mem) / 2 ** 20 : 0,
        },
      ];
    }),
  );
}

function bind(w: World, pod: KubeObject, node: string, placement: Record<string, unknown>): void {
  const k = w.k8s(SUPERVISOR_SPACE);
  // DRS's reasons go with the binding
  bindPod(w, k, pod, node, { [PLACEMENT_ANNOTATION]: JSON.stringify(placement) });
  const first = placement.schedulerFirstChoice as string;
  w.recorder.event(
    k,
    pod,
    'Normal',
    'DRSPlacement',
    first === node
      ? `DRS placed the vSphere Pod on ${node}, the scheduler's first choice: ${String(placement.drsReason)}`
      : `DRS placed the vSphere Pod on ${node} rather than the scheduler's first choice ${first}: ${String(placement.drsReason)}`,
    'vmware-drs',
  );
}

/**
 * Pod addresses per namespace, as NCP hands them out: from the namespace's segment (a /28, whose first
 * address is the gateway), and when that is full from a further /28 of the Supervisor's pod CIDRs, which
 * NCP adds to the namespace (noted on the namespace as it is on the real one, ncp/subnet-1 …).
 */
class IpPools {
  private readonly used = new Map<
    string,
    { byPod: Map<string, string>; taken: Set<string>; full: Set<string> }
  >();

  constructor(private readonly w: World) {}

  /** The namespace's segments, the first from the namespace controller. */
  private segments(ns: string): string[] {
    const st = (this.w.vc.tryGet('vspherenamespaces', '', ns)?.status ??
      registryNetwork(this.w, ns) ??
      {}) as NamespaceStatus;
    return [...(st.segment ? [st.segment] : []), ...(st.extraSegments ?? [])];
  }

  /** The namespace's addresses by pod, the addresses taken, and the segments known to be full. */
  private pool(ns: string) {
    let m = this.used.get(ns);
    if (!m) {
      m = { byPod: new Map(), taken: new Set(), full: new Set() };
      for (const p of this.w.k8s(SUPERVISOR_SPACE).list('pods', { namespace: ns }).items) {
        const ip = stateOf(p).ip;
        if (ip) {
          m.byPod.set(p.metadata.name!, ip);
          m.taken.add(ip);
        }
      }
      this.used.set(ns, m);
    }
    return m;
  }

  allocate(ns: string, pod: string): string | undefined {
    const m = this.pool(ns);
    const had = m.byPod.get(pod);
    if (had) return had;
    const free = (cidr: string) => {
      if (m.full.has(cidr)) return undefined;
      const r = parseCidr(cidr);
      if (!r) return undefined;
      for (let ip = r.first + 2; ip < r.last; ip++) if (!m.taken.has(formatIp(ip))) return formatIp(ip);
      m.full.add(cidr);
      return undefined;
    };
    let ip: string | undefined;
    for (const seg of this.segments(ns)) if ((ip = free(seg))) break;
    if (!ip) {
      const seg = this.grow(ns);
      ip = seg ? free(seg) : undefined;
    }
    if (ip) {
      m.byPod.set(pod, ip);
      m.taken.add(ip);
    }
    return ip;
  }

  release(ns: string, pod: string): void {
    const m = this.used.get(ns);
    const ip = m?.byPod.get(pod);
    if (!m || !ip) return;
    m.byPod.delete(pod);
    m.taken.delete(ip);
    m.full.clear();
  }

  /** A further /28 for the namespace from the pod CIDRs, not held by any namespace or by Harbor. */
  private grow(ns: string): string | undefined {
    const vc = this.w.vc;
    const n = vc.tryGet('vspherenamespaces', '', ns);
    if (!n) return undefined;
    const seg = freeSegment(vc.list('supervisors').items[0], heldSegments(this.w));
    if (!seg) return undefined;
    const st = (n.status ?? {}) as NamespaceStatus;
    const extraSegments = [...(st.extraSegments ?? []), seg];
    // the namespace controller notes it on the Kubernetes namespace (ncp/subnet-N)
    vc.updateStatus({ ...n, status: { ...(n.status as object), extraSegments } });
    return seg;
  }
}

/** A bound pod: its CRX, the image pull, the containers, their exits and restarts. */
function runPod(w: World, pod: KubeObject, ips: IpPools): { requeueAfterMs: number } | undefined {
  const k = w.k8s(SUPERVISOR_SPACE);
  const ns = pod.metadata.namespace!;
  const name = pod.metadata.name!;
  const spec = podSpec(pod);
  const host = spec.nodeName!;
  const now = w.now();
  // lab-time deadlines to the millisecond (a CRX boots in a second); times shown to learners stay RFC 3339
  const stamp = (ms: number) => new Date(ms).toISOString();
  const shown = (ms: number) => rfc3339(new Date(ms));
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const vmName = crxName(ns, name);
  let vm = w.vc.tryGet('virtualmachines', '', vmName);
  const hostObj = w.vc.tryGet('hostsystems', '', host);
  const hostState = (hostObj?.status as { state?: string } | undefined)?.state;

  // the host is going into maintenance: the Supervisor evicts its vSphere Pods at once
  if (hostState === 'entering-maintenance' || hostState === 'maintenance') {
    evict(w, pod, `Evicting the vSphere Pod: host ${host} is entering maintenance mode`);
    return undefined;
  }
  // the host failed: the node goes NotReady, and its pods are evicted after the toleration
  if (hostState === 'failed' || (vm && vmStatus(vm).phase === 'Crashed')) {
    const st = stateOf(pod);
    if (st.lostAt === undefined) {
      setState(
        w,
        pod,
        { ...st, lostAt: stamp(now) },
        { ...(pod.status as object), conditions: conditions(pod, false, shown(now)) },
      );
      return { requeueAfterMs: lifecycle.nodeMonitorGrace + lifecycle.podEvictionTimeout };
    }
    const evictAt = Date.parse(st.lostAt) + lifecycle.nodeMonitorGrace + lifecycle.podEvictionTimeout;
    if (now >= evictAt) {
      evict(w, pod, `Marking for deletion Pod ${ns}/${name}`, 'node-controller', 'TaintManagerEviction');
      return undefined;
    }
    return { requeueAfterMs: evictAt - now };
  }

  const st = stateOf(pod);
  // 1. the Spherelet creates the CRX on the chosen host
  if (!vm) {
    const size = podSize(pod);
    const mhzPerCore = hostSpec(hostObj ?? pod).cpu?.mhzPerCore ?? 2000;
    const sup = w.vc.list('supervisors').items[0];
    vm = w.vc.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'VirtualMachine',
      metadata: { name: vmName },
      spec: {
        cluster: (sup?.spec as SupervisorSpec | undefined)?.cluster ?? hostSpec(hostObj ?? pod).cluster,
        resourcePool: ns,
        folder: `Namespaces/${ns}`,
        role: 'crx',
        namespace: ns,
        numCPUs: size.vcpus,
        memoryMB: size.crxMemMiB,
        // reservations only for what the pod requests; DRS counts a best-effort pod at its full size
        ...(size.cpuMilli > 0 ? { cpuReservationMHz: Math.round((size.cpuMilli * mhzPerCore) / 1000) } : {}),
        ...(size.memMiB > 0 ? { memoryReservationMB: size.memMiB } : {}),
        powerState: 'poweredOn',
        guestId: 'crxPod1Guest',
        labels: { 'pod-namespace': ns, 'pod-name': name, 'pod-uid': pod.metadata.uid! },
      },
    });
    // created and powered on in one go: its disks are the image's layers, there is nothing to clone
    w.vc.updateStatus({
      ...vm,
      status: {
        phase: 'PoweringOn',
        host,
        phaseUntil: stamp(now + lifecycle.crxCreate + lifecycle.crxBoot),
        powerState: 'poweredOff',
      },
    });
    setState(
      w,
      pod,
      { ...st, step: 'creating' },
      {
        phase: 'Pending',
        hostIP: hostSpec(hostObj ?? pod).managementIP,
        conditions: conditions(pod, false, shown(now)),
        containerStatuses: waiting(pod, 'ContainerCreating'),
      },
    );
    return undefined;
  }
  if (vmStatus(vm).phase !== 'Running') return undefined; // the CRX wakes this pod when it runs

  const results = spec.containers.map((c) => ({ c, r: pullFor(w, ns, c.image) }));
  const failed = results.find((x) => !x.r.ok);
  const until = st.until ? Date.parse(st.until) : 0;
  const rt: PodRuntime = {
    pod,
    st,
    now,
    event: (type, reason, message) => w.recorder.event(k, pod, type, reason, message, `spherelet, ${host}`),
    write: (next, status) => setState(w, pod, next, status),
  };
  switch (st.step ?? 'creating') {
    case 'creating': {
      const size = results.reduce((s, x) => s + (x.r.ok ? x.r.sizeMB : 10), 0);
      for (const x of results)
        w.recorder.event(k, pod, 'Normal', 'Pulling', `Pulling image "${x.c.image}"`, `spherelet, ${host}`);
      setState(w, pod, { ...st, step: 'pulling', until: stamp(now + pullTimeMs(size)) }, undefined);
      return { requeueAfterMs: pullTimeMs(size) };
    }
    case 'pulling':
    case 'backoff': {
      if (now < until) return { requeueAfterMs: until - now };
      if (failed && !failed.r.ok) return pullFailed(rt, { c: failed.c, r: failed.r });
      // pulled: the containers start a moment later (one write for both, the events tell the steps)
      if (st.step === 'pulling' && now < until + lifecycle.containerStart)
        return { requeueAfterMs: until + lifecycle.containerStart - now };
      pulledEvents(rt, results);
      return startContainers(
        { ...rt, st: { ...st, pullError: undefined } },
        results,
        st.ip ?? ips.allocate(ns, name),
        'crx',
      );
    }
    case 'starting':
    case 'exited': {
      if (now < until) return { requeueAfterMs: until - now };
      return startContainers(rt, results, st.ip ?? ips.allocate(ns, name), 'crx');
    }
    case 'running': {
      if (st.runsForMs === undefined) return undefined;
      if (now < until) return { requeueAfterMs: until - now };
      // the CRX goes when the pod is done
      return containersExited(rt, () => w.vc.delete('virtualmachines', '', vmName));
    }
  }
  return undefined;
}

function setState(
  w: World,
  pod: KubeObject,
  st: PodState,
  status: Record<string, unknown> | undefined,
): void {
  const k = w.k8s(SUPERVISOR_SPACE);
  const clean = JSON.parse(JSON.stringify(st)) as PodState;
  const next = {
    ...pod,
    metadata: {
      ...pod.metadata,
      annotations: { ...pod.metadata.annotations, [STATE_ANNOTATION]: JSON.stringify(clean) },
    },
  };
  // the Spherelet's bookkeeping and the status it reports go in one write
  if (status) k.updateWithStatus({ ...next, status: JSON.parse(JSON.stringify(status)) as object });
  else k.update(next);
}

function evict(w: World, pod: KubeObject, message: string, source = 'spherelet', reason = 'Evicted'): void {
  const k = w.k8s(SUPERVISOR_SPACE);
  w.recorder.event(k, pod, 'Normal', reason, message, source);
  k.delete('pods', pod.metadata.namespace!, pod.metadata.name!);
  const vm = w.vc.tryGet('virtualmachines', '', crxName(pod.metadata.namespace!, pod.metadata.name!));
  if (vm) w.vc.delete('virtualmachines', '', vm.metadata.name!);
}
