// `lab …`: driving the simulation — status, the topology model, the clock, host faults, explanations.
//   lab status | lab topology [-o json] | lab clock [show | advance DURATION | speed stepped|N]
//   lab host fail|recover NAME | lab explain vm|host|supervisor NAME
//   lab snapshot save|restore|rm NAME | lab snapshot ls | lab reset | lab scenario ls | lab scenario load NAME
//   lab registry enable|disable|status | lab image push|ls (labRegistry.ts)
import { ApiError } from '../../api/errors';
import { MAX_STEP, MAX_STEP_MS, parseDuration } from '../../sim/runtime/clock';
import { explain } from '../../sim/explain';
import type { Lab } from '../../sim/lab';
import { topology } from '../../sim/topology';
import { failHost, recoverHost } from '../../sim/vcenter/operations';
import type { CommandFn } from '../session';
import type { Scenario } from '../../sim/vcenter/scenario';
import { labRegistry, registryUsage } from './labRegistry';

const usage = `Usage: lab COMMAND
  status                         the Supervisor and the hosts at a glance
  topology [-o json]             hosts, VMs and pods (the model the topology view draws)
  clock                          lab time and clock mode
  clock advance DURATION         step lab time (90s, 5m, 1h30m) with the clock stepped
  clock speed stepped|realtime|N lab time stands still until stepped, or runs at N× real time
  host fail NAME                 the host stops answering (its VMs go down; HA restarts them)
  host recover NAME              the host is back
  explain vm|host|supervisor NAME   why the simulation did what it did
  explain pod [NAMESPACE/]NAME   a vSphere Pod's scheduling and DRS's final placement
  snapshot save NAME             keep the state of the whole environment under a name
  snapshot restore NAME          put the environment back as it was (lab time and your files carry on)
  snapshot ls | snapshot rm NAME the snapshots of this lab
  reset                          start the environment over from its scenario
  scenario ls                    the scenarios a lab can start from
  scenario load NAME             start the environment over from another scenario
${registryUsage}`;

/** The scenarios the host ships (resources/scenarios), for `lab scenario` and `lab reset`. */
export interface ScenarioSource {
  list(): { name: string; title: string }[];
  load(name: string): Scenario | undefined;
}

const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const labTime = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export function labCommand(lab: Lab, scenarios?: ScenarioSource): CommandFn {
  const changes = (c: { created: number; updated: number; deleted: number }) =>
    `${c.created} objects created, ${c.updated} changed, ${c.deleted} deleted`;
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
              `${h.name.padEnd(22)} ${h.state.padEnd(12)} ${String(h.vms.length).padStart(3)} VMs ${String(h.pods.length).padStart(4)} pods  CPU ${Math.round((h.cpuMHz.used / Math.max(1, h.cpuMHz.capacity)) * 100)}%  memory ${Math.round((h.memoryMB.used / Math.max(1, h.memoryMB.capacity)) * 100)}%\n`,
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
              for (const p of h.pods) out(`  pod ${p.namespace}/${p.name} ${p.phase}\n`);
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
          if (rest[0] === 'speed' && rest.length === 2) {
            const v = rest[1]!;
            const speed = v === 'realtime' ? 1 : Number(v);
            if (v !== 'stepped' && !(speed > 0 && speed <= 1000)) {
              err(`lab clock speed: ${v} is not stepped, realtime or a factor from 0.1 to 1000\n`);
              return 1;
            }
            try {
              lab.clock.setMode(v === 'stepped' ? { kind: 'stepped' } : { kind: 'realtime', speed });
            } catch {
              err('lab clock speed: this lab has no wall clock to follow; it runs stepped only\n');
              return 1;
            }
            out(
              v === 'stepped'
                ? 'lab time now moves only when stepped (lab clock advance, sleep)\n'
                : `lab time now runs at ${speed}× real time\n`,
            );
            return 0;
          }
          err(usage);
          return 1;
        }
        case 'snapshot': {
          const [action, name, ...extra] = rest;
          if (action === 'ls' && name === undefined) {
            const list = lab.store.snapshots.list();
            if (!list.length) {
              out('No snapshots. Save one with: lab snapshot save NAME\n');
              return 0;
            }
            const width = Math.max(4, ...list.map((x) => x.name.length));
            out(`${'NAME'.padEnd(width)}   LAB TIME               OBJECTS\n`);
            for (const x of list)
              out(`${x.name.padEnd(width)}   ${labTime(x.labTime).padEnd(20)}   ${x.objects}\n`);
            return 0;
          }
          if (!['save', 'restore', 'rm'].includes(action ?? '') || name === undefined || extra.length) {
            err(usage);
            return 1;
          }
          if (!SNAPSHOT_NAME.test(name)) {
            err(`lab snapshot: "${name}" is not a snapshot name (letters, digits, . _ -; at most 63)\n`);
            return 1;
          }
          if (action === 'save') {
            const n = lab.snapshot(name);
            out(`snapshot ${name} saved: ${n} objects at lab time ${labTime(lab.clock.nowMs())}\n`);
            return 0;
          }
          if (action === 'rm') {
            if (!lab.store.snapshots.delete(name)) {
              err(`lab snapshot: no snapshot named "${name}" (see lab snapshot ls)\n`);
              return 1;
            }
            out(`snapshot ${name} removed\n`);
            return 0;
          }
          const r = lab.restore(name);
          if (!r) {
            err(`lab snapshot: no snapshot named "${name}" (see lab snapshot ls)\n`);
            return 1;
          }
          out(`restored snapshot ${name} (saved at lab time ${labTime(r.labTime)}): ${changes(r)}\n`);
          return 0;
        }
        case 'reset':
        case 'scenario': {
          if (!scenarios) {
            err(`lab ${sub}: this session has no scenarios to start from\n`);
            return 1;
          }
          const current = lab.store.getMeta('scenario');
          if (sub === 'scenario' && rest[0] === 'ls' && rest.length === 1) {
            const list = scenarios.list();
            const width = Math.max(4, ...list.map((x) => x.name.length));
            out(`  ${'NAME'.padEnd(width)}   TITLE\n`);
            for (const x of list)
              out(`${x.name === current ? '*' : ' '} ${x.name.padEnd(width)}   ${x.title}\n`);
            return 0;
          }
          const name = sub === 'reset' ? current : rest[1];
          if (
            (sub === 'reset' && rest.length) ||
            (sub === 'scenario' && (rest[0] !== 'load' || rest.length !== 2))
          ) {
            err(usage);
            return 1;
          }
          const scenario = name === undefined ? undefined : scenarios.load(name);
          if (!scenario) {
            err(
              name === undefined
                ? 'lab reset: this lab did not start from a scenario; load one with lab scenario load NAME\n'
                : `lab scenario: no scenario named "${name}" (see lab scenario ls)\n`,
            );
            return 1;
          }
          const r = lab.reset(scenario);
          out(`${sub === 'reset' ? 'reset to' : 'loaded'} scenario ${scenario.name}: ${changes(r)}\n`);
          return 0;
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
          if (kind !== 'vm' && kind !== 'host' && kind !== 'supervisor' && kind !== 'pod') {
            err(usage);
            return 1;
          }
          const lines = explain(w, kind, name.join(' '));
          const failed = lines[0]?.startsWith('error:');
          (failed ? err : out)(`${lines.join('\n')}\n`);
          return failed ? 1 : 0;
        }
        case 'registry':
        case 'image':
          return labRegistry(lab, sub, rest, { out, err });
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
