// `lab …`: driving the simulation — status, the topology model, the clock, host faults, explanations.
//   lab status | lab topology [-o json] | lab clock [show | advance DURATION | speed stepped|N]
//   lab host fail|recover NAME | lab explain vm|host|supervisor NAME
import { ApiError } from '../../api/errors';
import { MAX_STEP, MAX_STEP_MS, parseDuration } from '../../sim/runtime/clock';
import { explain } from '../../sim/explain';
import type { Lab } from '../../sim/lab';
import { topology } from '../../sim/topology';
import { failHost, recoverHost } from '../../sim/vcenter/operations';
import type { CommandFn } from '../session';

const usage = `Usage: lab COMMAND
  status                         the Supervisor and the hosts at a glance
  topology [-o json]             hosts, VMs and pods (the model the topology view draws)
  clock                          lab time and clock mode
  clock advance DURATION         step lab time (90s, 5m, 1h30m) with the clock stepped
  host fail NAME                 the host stops answering (its VMs go down; HA restarts them)
  host recover NAME              the host is back
  explain vm|host|supervisor NAME   why the simulation did what it did
`;

export function labCommand(lab: Lab): CommandFn {
  return ({ argv, out, err }) => {
    const [, sub, ...rest] = argv;
    const w = lab.world;
    try {
      switch (sub) {
        case 'status': {
          const t = topology(w);
          out(
            t.supervisor
              ? `Supervisor on ${t.supervisor.cluster}: ${t.supervisor.phase}, API ${t.supervisor.apiEndpoint || 'pending'}, network ${t.supervisor.networkStack === 'nsx' ? 'NSX-T' : 'vSphere networking'}\n`
              : 'Workload Management is not enabled\n',
          );
          for (const h of t.hosts)
            out(
              `${h.name.padEnd(22)} ${h.state.padEnd(12)} ${String(h.vms.length).padStart(3)} VMs  CPU ${Math.round((h.cpuMHz.used / Math.max(1, h.cpuMHz.capacity)) * 100)}%  memory ${Math.round((h.memoryMB.used / Math.max(1, h.memoryMB.capacity)) * 100)}%\n`,
            );
          return 0;
        }
        case 'topology': {
          const t = topology(w);
          if (rest[0] === '-o' && rest[1] === 'json') out(`${JSON.stringify(t, null, 2)}\n`);
          else if (rest.length) {
            err(`lab topology: unknown option ${rest.join(' ')}; use -o json\n`);
            return 1;
          } else {
            for (const h of t.hosts) {
              out(`${h.name} (${h.state}${h.spherelet ? ', spherelet' : ''})\n`);
              for (const vm of h.vms)
                out(
                  `  ${vm.name}${vm.floatingIP ? ' [floating IP]' : ''} ${vm.powerState} ${vm.ips.join(',')}\n`,
                );
            }
          }
          return 0;
        }
        case 'clock': {
          if (!rest.length || rest[0] === 'show') {
            const mode = lab.clock.getMode();
            out(
              `${lab.clock.now().toISOString()} (${mode.kind === 'stepped' ? 'stepped' : `${mode.speed}× real time`}${lab.clock.isPaused() ? ', paused' : ''})\n`,
            );
            return 0;
          }
          if (rest[0] === 'advance') {
            const ms = rest[1] === undefined ? undefined : parseDuration(rest[1]);
            if (ms === undefined) {
              err(`lab clock advance: invalid duration "${rest[1] ?? ''}" (examples: 90s, 5m, 1h30m)\n`);
              return 1;
            }
            if (ms > MAX_STEP_MS) {
              err(`lab clock advance: ${rest[1]} is more than the ${MAX_STEP} the lab clock steps at once\n`);
              return 1;
            }
            lab.advance(ms);
            out(`${lab.clock.now().toISOString()}\n`);
            return 0;
          }
          err(usage);
          return 1;
        }
        case 'host': {
          const [action, name] = rest;
          if ((action !== 'fail' && action !== 'recover') || !name) {
            err(usage);
            return 1;
          }
          (action === 'fail' ? failHost : recoverHost)(w.vc, name);
          lab.settle();
          out(`host ${name} ${action === 'fail' ? 'failed' : 'recovered'}\n`);
          return 0;
        }
        case 'explain': {
          const [kind, ...name] = rest;
          if (kind !== 'vm' && kind !== 'host' && kind !== 'supervisor') {
            err(usage);
            return 1;
          }
          const lines = explain(w, kind, name.join(' '));
          const failed = lines[0]?.startsWith('error:');
          (failed ? err : out)(`${lines.join('\n')}\n`);
          return failed ? 1 : 0;
        }
        case undefined:
        case 'help':
          out(usage);
          return sub ? 0 : 1;
        default:
          err(`lab: unknown command "${sub}"\n${usage}`);
          return 1;
      }
    } catch (e) {
      if (e instanceof ApiError) {
        err(`Error: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  };
}
