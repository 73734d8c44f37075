// The topology model: hosts, the VMs on them and the pods, as the UI draws them and `lab topology -o json`
// prints them (a contract shared by the UI and the tests).
import type { KubeObject } from '../api/types';
import { SUPERVISOR_SPACE, type SupervisorStatus } from './supervisor/controller';
import type { World } from './world';
import { hostSpec, hostStatus, vmSpec, vmStatus } from './vcenter/model';

export interface TopologyPod {
  namespace: string;
  name: string;
  phase: string;
}

export interface TopologyVm {
  name: string;
  role: 'supervisor-control-plane' | 'tkc-control-plane' | 'tkc-worker' | 'vm';
  namespace: string;
  powerState: string;
  ips: string[];
  floatingIP: boolean;
  pods: TopologyPod[];
}

export interface TopologyHost {
  name: string;
  state: 'connected' | 'maintenance' | 'failed';
  spherelet: boolean;
  cpuMHz: { capacity: number; used: number };
  memoryMB: { capacity: number; used: number };
  vms: TopologyVm[];
  pods: TopologyPod[];
}

export interface Topology {
  clock: string;
  supervisor: null | {
    cluster: string;
    networkStack: 'nsx' | 'vds';
    phase: string;
    apiEndpoint: string;
    floatingIP: string;
    controlPlaneVMs: string[];
  };
  hosts: TopologyHost[];
}

const roles = new Set(['supervisor-control-plane', 'tkc-control-plane', 'tkc-worker']);

export function topology(w: World): Topology {
  const sup = w.vc.list('supervisors').items[0] as KubeObject | undefined;
  const ss = (sup?.status ?? {}) as SupervisorStatus;
  const hosts = w.vc.list('hostsystems').items;
  const all = w.vc.list('virtualmachines').items;
  const vms = all.filter((vm) => vmSpec(vm).role !== 'crx');
  // vSphere Pods, as their CRXs run on the hosts (the pod's phase from the Supervisor)
  const podsByHost = new Map<string, TopologyPod[]>();
  const k = w.api.hasApiSpace(SUPERVISOR_SPACE) ? w.k8s(SUPERVISOR_SPACE) : undefined;
  for (const vm of all) {
    const s = vmSpec(vm) as { role?: string; labels?: Record<string, string> };
    const host = vmStatus(vm).host;
    const ns = s.labels?.['pod-namespace'];
    const name = s.labels?.['pod-name'];
    if (s.role !== 'crx' || !host || !ns || !name) continue;
    const pod = k?.tryGet('pods', ns, name);
    const list = podsByHost.get(host) ?? [];
    list.push({
      namespace: ns,
      name,
      phase: (pod?.status as { phase?: string } | undefined)?.phase ?? 'Pending',
    });
    podsByHost.set(host, list);
  }
  const byHost = new Map<string, TopologyVm[]>();
  for (const vm of vms) {
    const st = vmStatus(vm);
    if (!st.host) continue;
    const role = vmSpec(vm).role ?? 'vm';
    const list = byHost.get(st.host) ?? [];
    list.push({
      name: vm.metadata.name!,
      role: (roles.has(role) ? role : 'vm') as TopologyVm['role'],
      namespace: vmSpec(vm).namespace ?? '',
      powerState: st.powerState ?? 'poweredOff',
      ips: st.ips ?? [],
      floatingIP: Boolean(sup) && ss.floatingIPVM === vm.metadata.name && st.phase === 'Running',
      pods: [],
    });
    byHost.set(st.host, list);
  }
  return {
    clock: w.clock.now().toISOString(),
    supervisor: sup
      ? {
          cluster: (sup.spec as { cluster: string }).cluster,
          networkStack:
            (sup.spec as { networkProvider?: string }).networkProvider === 'VSPHERE_NETWORK' ? 'vds' : 'nsx',
          phase: ss.configStatus ?? 'CONFIGURING',
          apiEndpoint: ss.apiEndpoint ?? '',
          floatingIP: ss.floatingIP ?? '',
          controlPlaneVMs: ss.controlPlaneVMs ?? [],
        }
      : null,
    hosts: hosts.map((h) => {
      const hs = hostStatus(h);
      const state =
        hs.state === 'failed'
          ? 'failed'
          : hs.state === 'maintenance' || hs.state === 'entering-maintenance'
            ? 'maintenance'
            : 'connected';
      return {
        name: h.metadata.name!,
        state,
        spherelet: Boolean(hs.spherelet?.installed),
        cpuMHz: hs.cpuMHz ?? { capacity: 0, used: 0 },
        memoryMB: hs.memoryMB ?? { capacity: hostSpec(h).memoryMB ?? 0, used: 0 },
        vms: (byHost.get(h.metadata.name!) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
        pods: (podsByHost.get(h.metadata.name!) ?? []).sort(
          (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
        ),
      };
    }),
  };
}
