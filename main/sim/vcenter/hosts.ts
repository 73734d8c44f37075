// The host controller: a host's state (connected, entering maintenance, in maintenance, failed) and its
// CPU and memory usage, from what was asked of it and what runs on it.
import type { KubeObject } from '../../api/types';
import { keyFor, splitKey, type Controller } from '../runtime/controllers';
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

export function hostController(w: World): Controller {
  return {
    name: 'host',
    watches: [
      { group: GROUP, kind: 'HostSystem' },
      { group: GROUP, kind: 'VirtualMachine', map: hostsOfVm },
    ],
    reconcile(key) {
      const { cluster, name } = splitKey(key);
      if (cluster !== VCENTER) return;
      const host = w.vc.tryGet('hostsystems', '', name);
      if (!host) return;
      const all = w.vc.list('virtualmachines').items;
      const vms = all.filter((vm) => vmStatus(vm).host === name);
      const incoming = all.filter((vm) => vmStatus(vm).migration?.to === name);
      const { models } = capacityModel([host], [...vms, ...incoming]);
      const m = models[0]!;
      const before = hostStatus(host);
      const state = hostState(
        host,
        vms.filter((vm) => ['Deploying', 'PoweringOn', 'Running'].includes(vmStatus(vm).phase ?? '')).length,
      );
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
    },
  };
}
