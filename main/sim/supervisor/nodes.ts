// The Supervisor's Kubernetes nodes: one per control-plane VM (named by its BIOS UUID, roles
// control-plane,master) and, on NSX-T, one per Spherelet-enabled ESXi host (its host name, role agent).
// Readiness follows the VM or host; a host in maintenance mode is cordoned.
import { rfc3339 } from '../../api/environment';
import type { KubeObject } from '../../api/types';
import type { World } from '../world';
import { hostSpec, hostStatus, vmSpec, vmStatus } from '../vcenter/model';
import { CONTROL_PLANE_KUBELET_VERSION, CONTROL_PLANE_OS, SPHERELET_VERSION } from './sizes';

const SUPERVISOR_SPACE = 'supervisor';

interface DesiredNode {
  name: string;
  labels: Record<string, string>;
  taints: { key: string; effect: string }[];
  unschedulable: boolean;
  ready: 'True' | 'False' | 'Unknown';
  readyMessage: string;
  address: string;
  kubelet: string;
  osImage: string;
  kernel: string;
  runtime: string;
  cpu: number;
  memoryMB: number;
}

function controlPlaneNode(vm: KubeObject): DesiredNode {
  const s = vmSpec(vm) as ReturnType<typeof vmSpec> & { uuid?: string };
  const running = vmStatus(vm).phase === 'Running';
  const name = (s.uuid ?? vm.metadata.name!).replace(/-/g, '');
  return {
    name,
    labels: {
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'node-role.kubernetes.io/control-plane': '',
      'node-role.kubernetes.io/master': '',
    },
    taints: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }],
    unschedulable: false,
    ready: running ? 'True' : 'Unknown',
    readyMessage: running ? 'kubelet is posting ready status' : 'Kubelet stopped posting node status.',
    address: s.ips?.[0] ?? '',
    kubelet: CONTROL_PLANE_KUBELET_VERSION,
    osImage: CONTROL_PLANE_OS,
    kernel: '4.19.225-3.ph3-esx',
    runtime: 'containerd://1.5.9',
    cpu: s.numCPUs ?? 2,
    memoryMB: s.memoryMB ?? 8192,
  };
}

function sphereletNode(h: KubeObject): DesiredNode {
  const st = hostStatus(h).state;
  const spec = hostSpec(h);
  return {
    name: h.metadata.name!,
    labels: {
      'kubernetes.io/hostname': h.metadata.name!,
      'kubernetes.io/os': 'CRX',
      'kubernetes.io/arch': 'amd64',
      'node-role.kubernetes.io/agent': '',
    },
    taints: [],
    unschedulable: st === 'maintenance' || st === 'entering-maintenance',
    ready: st === 'failed' ? 'Unknown' : 'True',
    readyMessage:
      st === 'failed' ? 'Kubelet stopped posting node status.' : 'spherelet is posting ready status',
    address: spec.managementIP ?? '',
    kubelet: SPHERELET_VERSION,
    osImage: 'VMware ESXi 7.0.3',
    kernel: '7.0.3',
    runtime: 'crx://7.0.3',
    cpu: (spec.cpu?.sockets ?? 1) * (spec.cpu?.coresPerSocket ?? 1),
    memoryMB: spec.memoryMB ?? 0,
  };
}

/** Set on a node the controller cordoned because its host is entering or in maintenance mode. */
export const MAINTENANCE_CORDON = 'vcenter.lab/maintenance-cordon';

export function syncNodes(
  w: World,
  controlPlaneVms: KubeObject[],
  sphereletHosts: KubeObject[],
  _floatingIPVM: string | undefined,
): void {
  const c = w.k8s(SUPERVISOR_SPACE);
  const desired = [
    // a control-plane VM waiting for an HA restart keeps its node, NotReady, as Kubernetes would
    ...controlPlaneVms.map(controlPlaneNode),
    ...sphereletHosts.filter((h) => hostStatus(h).spherelet?.installed).map(sphereletNode),
  ];
  const existing = new Map(c.list('nodes').items.map((n) => [n.metadata.name!, n]));
  const now = rfc3339(w.clock.now());
  for (const d of desired) {
    const cur = existing.get(d.name);
    existing.delete(d.name);
    // a node the controller cordoned for maintenance carries MAINTENANCE_CORDON and is uncordoned after;
    // one a person cordoned (kubectl cordon) stays cordoned
    const cordonedByHand =
      (cur?.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true &&
      cur?.metadata.annotations?.[MAINTENANCE_CORDON] === undefined;
    const spec = {
      taints: d.taints.length ? d.taints : undefined,
      unschedulable: d.unschedulable || cordonedByHand || undefined,
    };
    const annotations = d.unschedulable
      ? { ...cur?.metadata.annotations, [MAINTENANCE_CORDON]: 'true' }
      : Object.fromEntries(
          Object.entries(cur?.metadata.annotations ?? {}).filter(([k]) => k !== MAINTENANCE_CORDON),
        );
    const oldReady = (
      cur?.status as
        { conditions?: { type: string; status: string; lastTransitionTime?: string }[] } | undefined
    )?.conditions?.find((x) => x.type === 'Ready');
    const status = {
      capacity: { cpu: String(d.cpu), memory: `${d.memoryMB}Mi`, pods: '110' },
      allocatable: { cpu: String(d.cpu), memory: `${d.memoryMB}Mi`, pods: '110' },
      conditions: [
        {
          type: 'Ready',
          status: d.ready,
          reason: d.ready === 'True' ? 'KubeletReady' : 'NodeStatusUnknown',
          message: d.readyMessage,
          // the heartbeat is the last status the Spherelet or kubelet posted that changed something
          lastHeartbeatTime: now,
          lastTransitionTime: oldReady && oldReady.status === d.ready ? oldReady.lastTransitionTime : now,
        },
      ],
      addresses: [
        { type: 'InternalIP', address: d.address },
        { type: 'Hostname', address: d.name },
      ],
      nodeInfo: {
        kubeletVersion: d.kubelet,
        kubeProxyVersion: d.kubelet,
        osImage: d.osImage,
        kernelVersion: d.kernel,
        containerRuntimeVersion: d.runtime,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    };
    const meta = {
      name: d.name,
      labels: d.labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
    };
    const body = JSON.parse(
      JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: meta, spec }),
    ) as KubeObject;
    if (!cur) {
      const created = c.create(body);
      c.updateStatus({ ...created, status });
      continue;
    }
    const sameSpec =
      JSON.stringify(cur.spec ?? {}) === JSON.stringify(body.spec ?? {}) &&
      JSON.stringify(cur.metadata.labels) === JSON.stringify(d.labels) &&
      JSON.stringify(cur.metadata.annotations ?? {}) === JSON.stringify(body.metadata.annotations ?? {});
    const updated = sameSpec
      ? cur
      : c.update({
          ...cur,
          metadata: { ...cur.metadata, labels: d.labels, annotations: body.metadata.annotations },
          spec: body.spec,
        });
    // the heartbeat alone does not make a new status (it would write every reconcile)
    const heartbeatOf = (st: unknown) =>
      JSON.stringify(st, (k, v: unknown) => (k === 'lastHeartbeatTime' ? undefined : v));
    if (heartbeatOf(updated.status) !== heartbeatOf(status)) c.updateStatus({ ...updated, status });
  }
  for (const n of existing.values()) c.delete('nodes', '', n.metadata.name!);
}
