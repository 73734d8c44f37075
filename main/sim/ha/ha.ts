// vSphere HA: when a host fails, the VMs it ran go down with it and, on a cluster with HA on, are
// restarted on surviving hosts after the restart delay (DRS picks the hosts). Powered-off VMs are not
// HA's business. With HA off, crashed VMs wait for their host, which brings them back powered off;
// turning HA on later schedules the restarts it would have made.
import { rfc3339 } from '../../api/environment';
import type { KubeObject } from '../../api/types';
import { keyFor, splitKey, type Controller } from '../runtime/controllers';
import { lifecycle } from '../lifecycle';
import type { World } from '../world';
import { GROUP, VCENTER } from '../vcenter/kinds';
import { hostSpec, hostStatus, vmSpec, vmStatus } from '../vcenter/model';

const clean = (o: object): object => JSON.parse(JSON.stringify(o)) as object;

export function haController(w: World): Controller {
  const hostsOfCluster = (cl: KubeObject) =>
    w.vc
      .list('hostsystems')
      .items.filter((h) => hostSpec(h).cluster === cl.metadata.name)
      .map((h) => keyFor(VCENTER, '', h.metadata.name!));
  // the state each host was last seen in: a connected host that has not been away has nothing for HA
  const seen = new Map<string, string>();
  return {
    name: 'ha',
    watches: [
      { group: GROUP, kind: 'HostSystem' },
      { group: GROUP, kind: 'ComputeCluster', map: hostsOfCluster },
    ],
    reconcile(key) {
      const { cluster, name } = splitKey(key);
      if (cluster !== VCENTER) return;
      const host = w.vc.tryGet('hostsystems', '', name);
      if (!host) return;
      const state = hostStatus(host).state;
      if (state === 'connected' && seen.get(name) === 'connected') return;
      // remembered once handled, so a reconcile that fails part-way is tried again in full
      seen.delete(name);
      const vms = w.vc.list('virtualmachines').items;
      if (state === 'connected') {
        // back from a failure with HA off: its crashed VMs are registered here again, powered off
        for (const vm of vms) {
          const st = vmStatus(vm);
          if (st.host === name && st.phase === 'Crashed' && !st.restartAt) {
            // as in vSphere, the VM stays off until someone powers it on
            const off = w.vc.patch('virtualmachines', '', vm.metadata.name!, 'merge', {
              spec: { powerState: 'poweredOff' },
            });
            w.vc.updateStatus({
              ...off,
              status: clean({ ...st, phase: 'PoweredOff', powerState: 'poweredOff' }),
            });
          }
        }
        seen.set(name, state);
        return;
      }
      seen.set(name, state ?? '');
      if (state !== 'failed') return;
      const cl = w.vc.tryGet('computeclusters', '', hostSpec(host).cluster ?? '');
      const ha = (cl?.spec as { ha?: { enabled?: boolean; restartDelaySeconds?: number } } | undefined)?.ha;
      const delay =
        ha?.restartDelaySeconds !== undefined ? ha.restartDelaySeconds * 1000 : lifecycle.haRestartDelay;
      const haRestartAt = ha?.enabled ? rfc3339(new Date(w.now() + delay)) : undefined;
      for (const vm of vms) {
        const st = vmStatus(vm);
        const { migration, ...rest } = st;
        if (migration?.to === name && st.host !== name) {
          // a vMotion towards the failed host fails; the VM keeps running where it was
          if (migration.task)
            w.recorder.finishTask(w.vc, migration.task, `Host ${name} failed during the migration`);
          w.vc.updateStatus({ ...vm, status: clean(rest) });
          continue;
        }
        if (st.host !== name || st.phase === 'PoweredOff' || st.phase === 'Pending') continue;
        // a vSphere Pod's CRX is not restarted by HA: its controller makes a new pod elsewhere
        const restartAt = vmSpec(vm).role === 'crx' ? undefined : haRestartAt;
        if (st.phase === 'Crashed') {
          // HA turned on after the failure: schedule the restart it would have made
          if (!st.restartAt && restartAt) w.vc.updateStatus({ ...vm, status: clean({ ...st, restartAt }) });
          continue;
        }
        if (migration?.task)
          w.recorder.finishTask(w.vc, migration.task, `Host ${name} failed during the migration`);
        w.vc.updateStatus({
          ...vm,
          status: clean({ ...rest, phase: 'Crashed', powerState: 'poweredOff', ips: [], restartAt }),
        });
        w.recorder.event(
          w.vc,
          vm,
          'Warning',
          restartAt ? 'VmRestartScheduled' : 'VmDown',
          restartAt
            ? `vSphere HA will restart ${vm.metadata.name} on a surviving host (its host ${name} failed)`
            : `${vm.metadata.name} is down: its host ${name} failed and vSphere HA is off`,
          'fdm',
        );
      }
    },
  };
}
