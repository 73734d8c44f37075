// vSphere HA: when a host fails, the VMs it ran go down with it and, on a cluster with HA on, are
// restarted on surviving hosts after the restart delay (DRS picks the hosts).
import { rfc3339 } from '../../api/environment';
import { splitKey, type Controller } from '../runtime/controllers';
import { lifecycle } from '../lifecycle';
import type { World } from '../world';
import { GROUP, VCENTER } from '../vcenter/kinds';
import { hostSpec, hostStatus, vmStatus } from '../vcenter/model';

export function haController(w: World): Controller {
  return {
    name: 'ha',
    watches: [{ group: GROUP, kind: 'HostSystem' }],
    reconcile(key) {
      const { cluster, name } = splitKey(key);
      if (cluster !== VCENTER) return;
      const host = w.vc.tryGet('hostsystems', '', name);
      if (!host || hostStatus(host).state !== 'failed') return;
      const cl = w.vc.tryGet('computeclusters', '', hostSpec(host).cluster ?? '');
      const haOn = Boolean((cl?.spec as { ha?: { enabled?: boolean } } | undefined)?.ha?.enabled);
      const restartAt = rfc3339(new Date(w.now() + lifecycle.haRestartDelay));
      for (const vm of w.vc.list('virtualmachines').items) {
        const st = vmStatus(vm);
        const { migration, ...rest } = st;
        if (migration?.to === name && st.host !== name) {
          // a vMotion towards the failed host fails; the VM keeps running where it was
          if (migration.task)
            w.recorder.finishTask(w.vc, migration.task, `Host ${name} failed during the migration`);
          w.vc.updateStatus({ ...vm, status: JSON.parse(JSON.stringify(rest)) as object });
          continue;
        }
        if (st.host !== name || st.phase === 'Crashed' || st.phase === 'Pending') continue;
        if (migration?.task)
          w.recorder.finishTask(w.vc, migration.task, `Host ${name} failed during the migration`);
        w.vc.updateStatus({
          ...vm,
          status: JSON.parse(
            JSON.stringify({
              ...rest,
              phase: 'Crashed',
              powerState: 'poweredOff',
              ips: [],
              restartAt: haOn ? restartAt : undefined,
            }),
          ) as object,
        });
        w.recorder.event(
          w.vc,
          vm,
          'Warning',
          haOn ? 'VmRestartScheduled' : 'VmDown',
          haOn
            ? `vSphere HA will restart ${vm.metadata.name} on a surviving host (its host ${name} failed)`
            : `${vm.metadata.name} is down: its host ${name} failed and vSphere HA is off`,
          'fdm',
        );
      }
    },
  };
}
