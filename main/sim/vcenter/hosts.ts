// The host controller: a host's state (connected, entering maintenance, in maintenance, failed) and its
// CPU and memory usage, from what was asked of it and what runs on it.
import type { KubeObject } from '../../api/types';
import { keyFor, type Controller } from '../runtime/controllers';
import type { World } from '../world';
import { GROUP, VCENTER } from './kinds';
import { capacityModel, cpuCapacity, hostSpec, hostState, hostStatus, vmStatus } from './model';

/** Which hosts a VM change concerns: where it runs and where it is migrating to. */
export function hostsOfVm(vm: KubeObject): string[] {
  const st = vmStatus(vm);
  return [st.host, st.migration?.to, st.previousHost]
    .filter((h): h is string => Boolean(h))
    .map((h) => keyFor(VCENTER, '', h));
}

/** One key for all hosts: their usage is worked out in one pass over the VMs, however many changed. */
const ALL_HOSTS = keyFor(VCENTER, '', '~hosts');

export function hostController(w: World): Controller {
  return {
    name: 'host',
    watches: [
      { group: GROUP, kind: 'HostSystem', map: () => [ALL_HOSTS] },
      { group: GROUP, kind: 'VirtualMachine', map: (vm) => (hostsOfVm(vm).length ? [ALL_HOSTS] : []) },
    ],
    reconcile(key) {
      if (key !== ALL_HOSTS) return;
      const hosts = w.vc.list('hostsystems').items;
      const onHost = new Map<string, KubeObject[]>();
      const add = (h: string | undefined, vm: KubeObject) => {
        if (!h) return;
        const l = onHost.get(h);
        if (l) l.push(vm);
        else onHost.set(h, [vm]);
      };
      const running = new Map<string, number>();
      for (const vm of w.vc.list('virtualmachines').items) {
        const st = vmStatus(vm);
        add(st.host, vm);
        if (st.migration?.to && st.migration.to !== st.host) add(st.migration.to, vm);
        if (st.host && ['Deploying', 'PoweringOn', 'Running'].includes(st.phase ?? ''))
          running.set(st.host, (running.get(st.host) ?? 0) + 1);
      }
      for (const host of hosts)
        reconcileHost(w, host, onHost.get(host.metadata.name!) ?? [], running.get(host.metadata.name!) ?? 0);
    },
  };
}

function reconcileHost(w: World, host: KubeObject, vms: KubeObject[], active: number): void {
  const name = host.metadata.name!;
  const { models } = capacityModel([host], vms);
  const m = models[0]!;
  const before = hostStatus(host);
  const state = hostState(host, active);
  const next = {
    ...before,
    state,
    cpuMHz: { capacity: cpuCapacity(host), used: m.cpuUsedMHz },
    memoryMB: { capacity: hostSpec(host).memoryMB ?? 0, used: m.memUsedMB },
  };
  if (JSON.stringify(next) === JSON.stringify(before)) return;
  w.vc.updateStatus({ ...host, status: next });
  if (before.state && before.state !== state) {
    const warn = state === 'failed';
    const text: Record<string, string> = {
      failed: `Host ${name} in ${hostSpec(host).cluster} is not responding`,
      connected:
        before.state === 'failed'
          ? `Host ${name} is connected again`
          : `Host ${name} has exited maintenance mode`,
      'entering-maintenance': `Host ${name} is entering maintenance mode`,
      maintenance: `Host ${name} has entered maintenance mode`,
    };
    w.recorder.event(
      w.vc,
      host,
      warn ? 'Warning' : 'Normal',
      warn ? 'HostNotResponding' : 'HostStateChanged',
      text[state]!,
      'vpxd',
    );
  }
}
