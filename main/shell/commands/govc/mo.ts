// Managed objects as vCenter would describe them, from the lab's model: the facts govc prints about a
// host or a VM, and the JSON shapes of govmomi's mo.* types (field names and order as govc -json writes
// them; the lab fills the fields it models and leaves the rest null).
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../../api/types';
import { hostSpec, hostStatus, vmSpec, vmStatus } from '../../../sim/vcenter/model';
import { goJsonTime } from './output';
import type { InvNode, MoRef } from './tree';

/** A UUID derived from a seed (stable ids for objects the model has no UUID for). */
export function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The ManagedEntity fields every inventory object carries, then the type's own. */
export function entityJson(n: InvNode, own: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    self: n.ref,
    value: null,
    availableField: null,
    parent: n.parent ? n.parent.ref : null,
    customValue: null,
    overallStatus: 'green',
    configStatus: 'green',
    configIssue: null,
    effectiveRole: [-1],
    permission: null,
    name: n.name,
    disabledMethod: null,
    recentTask: null,
    declaredAlarmState: null,
    triggeredAlarmState: null,
    alarmActionsEnabled: null,
    tag: null,
    ...own,
  };
}

export interface HostFacts {
  vendor: string;
  model: string;
  uuid: string;
  cpuModel: string;
  cpuMhz: number;
  numCpuPkgs: number;
  numCpuCores: number;
  numCpuThreads: number;
  memoryBytes: number;
  cpuUsageMHz: number;
  memoryUsageMB: number;
  bootTime?: number;
  connectionState: 'connected' | 'notResponding';
  powerState: 'poweredOn' | 'unknown';
  inMaintenanceMode: boolean;
  version: string;
  build: string;
  managementIP: string;
}

export function hostFacts(h: KubeObject): HostFacts {
  const s = hostSpec(h) as ReturnType<typeof hostSpec> & { version?: string; build?: string };
  const st = hostStatus(h);
  const cpu = s.cpu ?? { sockets: 1, coresPerSocket: 1, mhzPerCore: 2000 };
  const failed = st.state === 'failed' || s.powerState === 'poweredOff';
  return {
    vendor: 'Dell Inc.',
    model: 'PowerEdge R650',
    uuid: uuidFrom(`host:${h.metadata.uid}`),
    cpuModel: `Intel(R) Xeon(R) Gold CPU @ ${(cpu.mhzPerCore / 1000).toFixed(2)}GHz`,
    cpuMhz: cpu.mhzPerCore,
    numCpuPkgs: cpu.sockets,
    numCpuCores: cpu.sockets * cpu.coresPerSocket,
    numCpuThreads: cpu.sockets * cpu.coresPerSocket * 2,
    memoryBytes: (s.memoryMB ?? 0) * 1024 * 1024,
    cpuUsageMHz: failed ? 0 : (st.cpuMHz?.used ?? 0),
    memoryUsageMB: failed ? 0 : (st.memoryMB?.used ?? 0),
    bootTime: failed ? undefined : Date.parse(h.metadata.creationTimestamp ?? ''),
    connectionState: failed ? 'notResponding' : 'connected',
    powerState: failed ? 'unknown' : 'poweredOn',
    inMaintenanceMode: st.state === 'maintenance',
    version: s.version ?? '7.0.3',
    build: s.build ?? '',
    managementIP: s.managementIP ?? '',
  };
}

export function hostJson(n: InvNode, now: number): Record<string, unknown> {
  const f = hostFacts(n.obj!);
  const runtime = {
    connectionState: f.connectionState,
    powerState: f.powerState,
    inMaintenanceMode: f.inMaintenanceMode,
    inQuarantineMode: false,
    ...(f.bootTime !== undefined ? { bootTime: goJsonTime(f.bootTime) } : {}),
  };
  const product = {
    name: 'VMware ESXi',
    fullName: `VMware ESXi ${f.version} build-${f.build}`,
    vendor: 'VMware, Inc.',
    version: f.version,
    build: f.build,
    osType: 'vmnix-x86',
    productLineId: 'embeddedEsx',
    apiType: 'HostAgent',
    apiVersion: `${f.version}.0`,
  };
  return entityJson(n, {
    runtime,
    summary: {
      host: n.ref,
      hardware: {
        vendor: f.vendor,
        model: f.model,
        uuid: f.uuid,
        memorySize: f.memoryBytes,
        cpuModel: f.cpuModel,
        cpuMhz: f.cpuMhz,
        numCpuPkgs: f.numCpuPkgs,
        numCpuCores: f.numCpuCores,
        numCpuThreads: f.numCpuThreads,
        numNics: 4,
        numHBAs: 2,
      },
      runtime,
      config: { name: n.name, port: 443, product, vmotionEnabled: true, faultToleranceEnabled: false },
      quickStats: {
        ...(f.cpuUsageMHz ? { overallCpuUsage: f.cpuUsageMHz } : {}),
        ...(f.memoryUsageMB ? { overallMemoryUsage: f.memoryUsageMB } : {}),
        ...(f.bootTime !== undefined ? { uptime: Math.max(0, Math.floor((now - f.bootTime) / 1000)) } : {}),
      },
      overallStatus: f.connectionState === 'connected' ? 'green' : 'red',
      rebootRequired: false,
      managementServerIp: '',
    },
    vm: n.contents().map((v) => v.ref),
  });
}

const guestNames: Record<string, string> = {
  vmwarePhoton64Guest: 'VMware Photon OS (64-bit)',
  ubuntu64Guest: 'Ubuntu Linux (64-bit)',
  otherLinux64Guest: 'Other Linux (64-bit)',
  other3xLinux64Guest: 'Other 3.x or later Linux (64-bit)',
  crxPod1Guest: 'VMware CRX Pod 1',
};

/** 42abcdef0123… (the model keeps BIOS UUIDs without dashes) → 42abcdef-0123-…. */
export function dashedUuid(u: string | undefined, seed: string): string {
  const hex = (u ?? '').replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) return uuidFrom(seed);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface VmFacts {
  uuid: string;
  guestId: string;
  guestFullName: string;
  memoryMB: number;
  numCpu: number;
  powerState: 'poweredOn' | 'poweredOff';
  bootTime?: number;
  ipAddress: string;
  host?: string;
  cpuUsageMHz: number;
  hostMemoryUsageMB: number;
  guestMemoryUsageMB: number;
}

export function vmFacts(vm: KubeObject, mhzPerCore: number): VmFacts {
  const s = vmSpec(vm) as ReturnType<typeof vmSpec> & { uuid?: string; guestId?: string };
  const st = vmStatus(vm);
  const running = st.phase === 'Running';
  const on = st.powerState === 'poweredOn';
  const guestId = s.guestId ?? 'otherLinux64Guest';
  return {
    uuid: dashedUuid(s.uuid, `vm:${vm.metadata.uid}`),
    guestId,
    guestFullName: guestNames[guestId] ?? guestId,
    memoryMB: s.memoryMB ?? 0,
    numCpu: s.numCPUs ?? 1,
    powerState: on ? 'poweredOn' : 'poweredOff',
    bootTime: on && st.poweredOnAt ? Date.parse(st.poweredOnAt) : undefined,
    ipAddress: running ? (st.ips?.[0] ?? '') : '',
    host: st.host,
    cpuUsageMHz: running ? (s.cpuReservationMHz ?? (s.numCPUs ?? 1) * mhzPerCore) : 0,
    hostMemoryUsageMB: running ? (s.memoryMB ?? 0) : 0,
    guestMemoryUsageMB: running ? (s.memoryReservationMB ?? s.memoryMB ?? 0) : 0,
  };
}

export function vmJson(
  n: InvNode,
  f: VmFacts,
  refs: { host?: MoRef; pool?: MoRef; datastores: MoRef[]; networks: MoRef[] },
): Record<string, unknown> {
  const runtime = {
    device: null,
    ...(refs.host ? { host: refs.host } : {}),
    connectionState: 'connected',
    powerState: f.powerState,
    faultToleranceState: 'notConfigured',
    toolsInstallerMounted: false,
    ...(f.bootTime !== undefined ? { bootTime: goJsonTime(f.bootTime) } : {}),
    suspendInterval: 0,
    consolidationNeeded: false,
  };
  const guest = {
    guestId: f.guestId,
    guestFullName: f.guestFullName,
    toolsRunningStatus: f.ipAddress ? 'guestToolsRunning' : 'guestToolsNotRunning',
    ...(f.ipAddress ? { ipAddress: f.ipAddress } : {}),
    guestState: f.powerState === 'poweredOn' ? 'running' : 'notRunning',
  };
  return entityJson(n, {
    config: {
      name: n.name,
      guestFullName: f.guestFullName,
      uuid: f.uuid,
      guestId: f.guestId,
      hardware: { numCPU: f.numCpu, memoryMB: f.memoryMB },
    },
    resourcePool: refs.pool ?? null,
    runtime,
    guest,
    summary: {
      vm: n.ref,
      runtime,
      guest,
      config: {
        name: n.name,
        template: false,
        vmPathName: `[vsanDatastore] ${n.name}/${n.name}.vmx`,
        memorySizeMB: f.memoryMB,
        numCpu: f.numCpu,
        uuid: f.uuid,
        guestId: f.guestId,
        guestFullName: f.guestFullName,
      },
      quickStats: {
        overallCpuUsage: f.cpuUsageMHz,
        guestMemoryUsage: f.guestMemoryUsageMB,
        hostMemoryUsage: f.hostMemoryUsageMB,
      },
      overallStatus: 'green',
    },
    datastore: refs.datastores,
    network: refs.networks,
  });
}
