// The VM controller: a placed VM deploys, powers on and runs, each step taking its time from the
// lifecycle table; a vMotion completes on its target host; a crashed VM waits for HA.
import { rfc3339 } from '../../api/environment';
import { splitKey, type Controller } from '../runtime/controllers';
import { lifecycle } from '../lifecycle';
import type { World } from '../world';
import { GROUP, VCENTER } from './kinds';
import { vmSpec, vmStatus, type VmStatus } from './model';

export function vmController(w: World): Controller {
  return {
    name: 'virtualmachine',
    watches: [{ group: GROUP, kind: 'VirtualMachine' }],
    reconcile(key) {
      const { cluster, name } = splitKey(key);
      if (cluster !== VCENTER) return;
      const vm = w.vc.tryGet('virtualmachines', '', name);
      if (!vm) {
        // deleted while migrating: its vMotion task ends with an error
        for (const t of w.vc.list('tasks').items) {
          const ts = t.spec as { entity?: string };
          if (ts.entity === name && (t.status as { state?: string } | undefined)?.state === 'running') {
            w.recorder.finishTask(w.vc, t.metadata.name!, 'The virtual machine was deleted');
          }
        }
        return;
      }
      const now = w.now();
      const st = vmStatus(vm);
      const spec = vmSpec(vm);
      const due = (t?: string) => (t ? Date.parse(t) : Number.POSITIVE_INFINITY);
      let next: VmStatus | undefined;
      let wakeAt: number | undefined;
      const stamp = (ms: number) => rfc3339(new Date(ms));

      if (st.phase === 'Deploying' || st.phase === 'PoweringOn') {
        if (due(st.phaseUntil) <= now) {
          if (st.phase === 'Deploying' && spec.powerState !== 'poweredOff') {
            // a CRX boots in a second: its deadline needs milliseconds
            const boot = spec.role === 'crx' ? lifecycle.crxBoot : lifecycle.vmPowerOn;
            next = { ...st, phase: 'PoweringOn', phaseUntil: new Date(now + boot).toISOString() };
          } else if (st.phase === 'Deploying') {
            next = { ...st, phase: 'PoweredOff', powerState: 'poweredOff', phaseUntil: undefined };
          } else {
            next = {
              ...st,
              phase: 'Running',
              powerState: 'poweredOn',
              ips: spec.ips ?? [],
              poweredOnAt: stamp(now),
              phaseUntil: undefined,
            };
          }
        } else wakeAt = due(st.phaseUntil);
      } else if (st.phase === 'Running' && st.migration) {
        if (due(st.migration.until) <= now) {
          const { migration, ...rest } = st;
          next = { ...rest, host: migration.to, previousHost: st.host };
          if (migration.task) w.recorder.finishTask(w.vc, migration.task);
          w.recorder.event(
            w.vc,
            vm,
            'Normal',
            'VmMigrated',
            `Migration of ${name} from ${st.host} to ${migration.to} completed`,
            'vpxd',
          );
        } else wakeAt = due(st.migration.until);
      } else if (st.phase === 'Running' && spec.powerState === 'poweredOff') {
        next = { ...st, phase: 'PoweredOff', powerState: 'poweredOff', ips: [] };
      } else if (st.phase === 'PoweredOff' && spec.powerState !== 'poweredOff' && st.host) {
        // powering on where it is registered, if that host can run it; otherwise DRS picks a host
        const state = (w.vc.tryGet('hostsystems', '', st.host)?.status as { state?: string } | undefined)
          ?.state;
        next =
          state === 'connected'
            ? { ...st, phase: 'PoweringOn', phaseUntil: stamp(now + lifecycle.vmPowerOn) }
            : { ...st, phase: 'Pending', host: undefined, previousHost: st.host };
      } else if (st.phase === 'Crashed' && st.restartAt) {
        if (due(st.restartAt) <= now) {
          // HA: back to DRS for a new host; the VM keeps its disks, so it only powers on there.
          next = {
            ...st,
            phase: 'Pending',
            host: undefined,
            previousHost: st.host,
            restartAt: undefined,
            restarts: (st.restarts ?? 0) + 1,
          };
        } else wakeAt = due(st.restartAt);
      }
      if (next) w.vc.updateStatus({ ...vm, status: JSON.parse(JSON.stringify(next)) as object });
      return wakeAt === undefined ? undefined : { requeueAfterMs: wakeAt - now };
    },
  };
}
