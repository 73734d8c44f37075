// Reading the vCenter objects into the shapes decisions work on: VM phases, host capacity, demand.
import type { KubeObject } from '../../api/types';
import type { HostModel, VmDemand } from '../drs/placement';

export interface VmSpec {
  cluster?: string;
  /** the resource pool it runs in (a vSphere Namespace's, for its VMs and vSphere Pods) */
  resourcePool?: string;
  role?: string;
  namespace?: string;
  numCPUs?: number;
  memoryMB?: number;
  cpuReservationMHz?: number;
  memoryReservationMB?: number;
  antiAffinityGroup?: string;
  powerState?: 'poweredOn' | 'poweredOff';
  ips?: string[];
}

export interface VmStatus {
  phase?: 'Pending' | 'Deploying' | 'PoweringOn' | 'Running' | 'PoweredOff' | 'Crashed';
  host?: string;
  previousHost?: string;
  powerState?: 'poweredOn' | 'poweredOff';
  ips?: string[];
  phaseUntil?: string;
  restartAt?: string;
  migration?: { to: string; until: string; task?: string; reason?: string };
  restarts?: number;
  poweredOnAt?: string;
  placement?: unknown;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

export interface HostSpec {
  cluster?: string;
  cpu?: { sockets: number; coresPerSocket: number; mhzPerCore: number };
  memoryMB?: number;
  managementIP?: string;
  powerState?: 'poweredOn' | 'poweredOff';
  maintenanceMode?: boolean;
}

export interface HostStatus {
  state?: HostModel['state'];
  cpuMHz?: { capacity: number; used: number };
  memoryMB?: { capacity: number; used: number };
  spherelet?: { installed: boolean; version?: string };
}

export const vmSpec = (vm: KubeObject) => (vm.spec ?? {}) as VmSpec;
export const vmStatus = (vm: KubeObject) => (vm.status ?? {}) as VmStatus;
export const hostSpec = (h: KubeObject) => (h.spec ?? {}) as HostSpec;
export const hostStatus = (h: KubeObject) => (h.status ?? {}) as HostStatus;

/** Phases in which a VM holds resources on its host. */
const consuming = new Set(['Deploying', 'PoweringOn', 'Running']);
export const isBooked = (vm: KubeObject): boolean =>
  Boolean(vmStatus(vm).host) && consuming.has(vmStatus(vm).phase ?? '');

export const cpuCapacity = (h: KubeObject): number => {
  const c = hostSpec(h).cpu;
  return c ? c.sockets * c.coresPerSocket * c.mhzPerCore : 0;
};

/** What a VM reserves on its host: its reservations, or its full allocation when none are set. */
export function demand(vm: KubeObject, mhzPerCore: number): VmDemand {
  const s = vmSpec(vm);
  return {
    name: vm.metadata.name!,
    cpuMHz: s.cpuReservationMHz ?? (s.numCPUs ?? 1) * mhzPerCore,
    memMB: s.memoryReservationMB ?? s.memoryMB ?? 0,
    antiAffinityGroup: s.antiAffinityGroup,
  };
}

/** Host state from desired state and what is still on the host. */
export function hostState(h: KubeObject, vmsOnHost: number): HostModel['state'] {
  const s = hostSpec(h);
  if (s.powerState === 'poweredOff') return 'failed';
  if (s.maintenanceMode) return vmsOnHost > 0 ? 'entering-maintenance' : 'maintenance';
  return 'connected';
}

/** The capacity model DRS decides on: hosts of a cluster with the VMs booked on them. */
export function capacityModel(
  hosts: KubeObject[],
  vms: KubeObject[],
): { models: HostModel[]; byHost: Map<string, VmDemand[]>; mhzPerCore: number } {
  const mhzPerCore = hostSpec(hosts[0] ?? { apiVersion: '', kind: '', metadata: {} }).cpu?.mhzPerCore ?? 2000;
  const models = hosts.map<HostModel>((h) => ({
    name: h.metadata.name!,
    state: hostStatus(h).state ?? hostState(h, 0),
    cpuCapacityMHz: cpuCapacity(h),
    memCapacityMB: hostSpec(h).memoryMB ?? 0,
    cpuUsedMHz: 0,
    memUsedMB: 0,
    groups: new Map(),
  }));
  const index = new Map(models.map((m) => [m.name, m]));
  const byHost = new Map<string, VmDemand[]>();
  const charge = (h: HostModel, d: VmDemand) => {
    h.cpuUsedMHz += d.cpuMHz;
    h.memUsedMB += d.memMB;
    if (d.antiAffinityGroup) h.groups.set(d.antiAffinityGroup, (h.groups.get(d.antiAffinityGroup) ?? 0) + 1);
  };
  for (const vm of vms) {
    if (!isBooked(vm)) continue;
    const d = demand(vm, mhzPerCore);
    const source = index.get(vmStatus(vm).host!);
    if (source) {
      charge(source, d);
      byHost.set(source.name, [...(byHost.get(source.name) ?? []), d]);
    }
    // a vMotion in flight holds room on its destination too
    const to = vmStatus(vm).migration?.to;
    const target = to ? index.get(to) : undefined;
    if (target) charge(target, d);
  }
  return { models, byHost, mhzPerCore };
}
