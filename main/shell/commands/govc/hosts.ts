// host.info and host.maintenance.enter / exit. Entering maintenance mode is the simulation's own
// operation (setMaintenanceMode): DRS evacuates the host by vMotion and the task completes when the host
// is empty, so govc waits — on a stepped clock by stepping lab time, as a script would with sleep.
import { ApiError } from '../../../api/errors';
import type { KubeObject } from '../../../api/types';
import { setMaintenanceMode } from '../../../sim/vcenter/operations';
import { hostSpec, hostStatus } from '../../../sim/vcenter/model';
import { datacenterFlags, GovcError, type GovcCommand, type GovcContext } from './command';
import type { Element } from './finder';
import type { FlagSet } from './flags';
import { hostFacts, hostJson } from './mo';
import { goFixed1, goTime, logStamp } from './output';

/** How long govc waits on a stepped clock for a task without -timeout before giving up (lab time). */
const STEPPED_WAIT_LIMIT_MS = 60 * 60 * 1000;
const INVALID_STATE = 'The operation is not allowed in the current state.';
const TIMED_OUT = 'Operation timed out.';

const hostFlags = (fs: FlagSet) => datacenterFlags(fs).string('host', 'Host system [GOVC_HOST]');

/** HostSystems(args), or with no argument the -host flag or the default host. */
function targets(ctx: GovcContext, fs: FlagSet): Element[] {
  const f = ctx.finder(fs);
  if (fs.str('host')) return [f.hostSystem(fs.str('host'))];
  if (!fs.args.length) {
    let all: Element[];
    try {
      all = f.hostSystemList('*');
    } catch {
      throw new GovcError('no default host found');
    }
    if (all.length > 1) throw new GovcError('default host resolves to multiple instances, please specify');
    return all;
  }
  return fs.args.flatMap((a) => f.hostSystemList(a));
}

export const hostInfo: GovcCommand = {
  name: 'host.info',
  description: 'Display info for HOST.',
  flags: hostFlags,
  run(ctx, fs) {
    const hosts = targets(ctx, fs);
    const now = ctx.lab.clock.nowMs();
    ctx.write(
      fs,
      () => ({ hostSystems: hosts.map((e) => hostJson(e.node, now)) }),
      () =>
        hosts
          .map((e) => {
            const f = hostFacts(e.node.obj!);
            const cpuUsage = (100 * f.cpuUsageMHz) / (f.numCpuCores * f.cpuMhz);
            const memUsage = (100 * f.memoryUsageMB) / (f.memoryBytes / 2 ** 20);
            return [
              `Name:\t${e.node.name}`,
              `  Path:\t${e.path}`,
              `  Manufacturer:\t${f.vendor}`,
              `  Logical CPUs:\t${f.numCpuCores} CPUs @ ${f.cpuMhz}MHz`,
              `  Processor type:\t${f.cpuModel}`,
              `  CPU usage:\t${f.cpuUsageMHz} MHz (${goFixed1(cpuUsage)}%)`,
              `  Memory:\t${f.memoryBytes / 2 ** 20}MB`,
              `  Memory usage:\t${f.memoryUsageMB} MB (${goFixed1(memUsage)}%)`,
              `  Boot time:\t${goTime(f.bootTime)}`,
              `  State:\t${f.inMaintenanceMode ? 'Maintenance Mode' : f.connectionState}`,
            ]
              .map((l) => `${l}\n`)
              .join('');
          })
          .join(''),
      true,
    );
  },
};

/**
 * Lets lab time pass until done() holds: steps a stepped clock timer by timer, waits in real time
 * otherwise. False when the limit passes first.
 */
async function waitFor(ctx: GovcContext, done: () => boolean, limitMs: number): Promise<boolean> {
  const { lab } = ctx;
  const start = lab.clock.nowMs();
  lab.settle();
  for (;;) {
    if (done()) return true;
    const now = lab.clock.nowMs();
    if (now - start >= limitMs) return false;
    if (lab.clock.getMode().kind === 'stepped') {
      const due = lab.clock.nextDue() ?? now + 1000;
      lab.advance(Math.max(1, Math.min(due, start + limitMs) - now));
    } else {
      if (ctx.signal.aborted) return false;
      await new Promise((r) => setTimeout(r, 100));
      lab.settle();
    }
  }
}

function maintenance(enter: boolean): GovcCommand {
  return {
    name: enter ? 'host.maintenance.enter' : 'host.maintenance.exit',
    usage: 'HOST...',
    description: enter
      ? 'Put HOST in maintenance mode.\n\nWhile this task is running and when the host is in maintenance mode,\nno VMs can be powered on and no provisioning operations can be performed on the host.'
      : 'Take HOST out of maintenance mode.\n\nThere are some operations that cannot be performed when the host is in maintenance mode.\nThis command can be used to exit maintenance mode on a host.',
    flags(fs) {
      hostFlags(fs).int('timeout', 'Timeout', 0, 'int32');
      if (enter) fs.bool('evacuate', 'Evacuate powered off VMs');
    },
    async run(ctx, fs) {
      if (!fs.args.length) throw new GovcError('no argument');
      const hosts = fs.args.flatMap((a) => ctx.finder(fs).hostSystemList(a));
      for (const e of hosts) {
        const name = e.node.name;
        const prefix = `${e.path} ${enter ? 'entering' : 'exiting'} maintenance mode... `;
        const fail = (message: string): never => {
          ctx.out(`${logStamp(ctx.lab.clock.nowMs())}${prefix}Error: ${message}\n`);
          throw new GovcError(message);
        };
        const current = ctx.vc.tryGet('hostsystems', '', name);
        if (!current)
          fail(
            `The object 'vim.HostSystem:${e.node.ref.value}' has already been deleted or has not been completely created`,
          );
        const inMaintenance = Boolean(hostSpec(current as KubeObject).maintenanceMode);
        if (enter === inMaintenance) fail(INVALID_STATE);
        try {
          setMaintenanceMode(ctx.vc, name, enter);
        } catch (err) {
          if (err instanceof ApiError) fail(err.message);
          throw err;
        }
        ctx.refresh();
        const state = () => hostStatus(ctx.vc.get('hostsystems', '', name)).state;
        const timeout = fs.num('timeout') > 0 ? fs.num('timeout') * 1000 : STEPPED_WAIT_LIMIT_MS;
        const ok = await waitFor(
          ctx,
          () =>
            enter
              ? state() === 'maintenance'
              : state() !== 'maintenance' && state() !== 'entering-maintenance',
          timeout,
        );
        if (!ok) {
          // the task is cancelled on timeout: the host stays out of maintenance mode
          setMaintenanceMode(ctx.vc, name, !enter);
          ctx.lab.settle();
          fail(TIMED_OUT);
        }
        ctx.out(`${logStamp(ctx.lab.clock.nowMs())}${prefix}OK\n`);
      }
    },
  };
}

export const hostMaintenanceEnter = maintenance(true);
export const hostMaintenanceExit = maintenance(false);
