// cluster.change (DRS and HA settings of the lab's clusters) and cluster.usage (capacity and use).
import { GovcError, datacenterFlags, type GovcCommand } from './command';
import { HelpRequest } from './flags';
import { hostFacts } from './mo';
import { byteSize, goFixed1, tabwrite } from './output';
import type { InvNode } from './tree';

const DRS_MODES = ['fullyAutomated', 'manual', 'partiallyAutomated'];
const invalidArgument = (property: string) =>
  new GovcError(`ServerFaultCode: A specified parameter was not correct: ${property}`);

export const clusterChange: GovcCommand = {
  name: 'cluster.change',
  usage: 'CLUSTER...',
  description: 'Change configuration of the given clusters.',
  flags: (fs) =>
    datacenterFlags(fs)
      .add({ name: 'drs-enabled', kind: 'optbool', usage: 'Enable DRS' })
      .string('drs-mode', `DRS behavior for virtual machines: ${DRS_MODES.join(', ')}`)
      .int('drs-vmotion-rate', 'Aggressiveness of vMotions (1-5)', 0, 'int32')
      .add({ name: 'ha-enabled', kind: 'optbool', usage: 'Enable HA' })
      .add({ name: 'ha-admission-control-enabled', kind: 'optbool', usage: 'Enable HA admission control' })
      .add({ name: 'vsan-enabled', kind: 'optbool', usage: 'Enable vSAN' })
      .add({ name: 'vsan-autoclaim', kind: 'optbool', usage: 'Autoclaim storage on cluster hosts' }),
  run(ctx, fs) {
    if (!fs.args.length) throw new HelpRequest();
    const f = ctx.finder(fs);
    const clusters = fs.args.flatMap((a) => f.clusterList(a));
    const mode = fs.str('drs-mode');
    const rate = fs.num('drs-vmotion-rate');
    // vCenter checks the spec before it starts the reconfigure task
    if (mode && !DRS_MODES.includes(mode)) throw invalidArgument('drsConfig.defaultVmBehavior');
    if (rate && (rate < 1 || rate > 5)) throw invalidArgument('drsConfig.vmotionRate');
    const drs: Record<string, unknown> = {};
    if (fs.optBool('drs-enabled') !== undefined) drs.enabled = fs.optBool('drs-enabled');
    if (mode) drs.automationLevel = mode;
    // the API's vmotionRate runs the other way from the client's migration threshold: 1 is aggressive
    if (rate) drs.migrationThreshold = 6 - rate;
    const ha: Record<string, unknown> = {};
    if (fs.optBool('ha-enabled') !== undefined) ha.enabled = fs.optBool('ha-enabled');
    const patch: Record<string, unknown> = {};
    if (Object.keys(drs).length) patch.drs = drs;
    if (Object.keys(ha).length) patch.ha = ha;
    for (const c of clusters) {
      if (Object.keys(patch).length)
        ctx.vc.patch('computeclusters', '', c.node.name, 'merge', { spec: patch });
    }
    ctx.refresh();
    ctx.lab.settle();
  },
};

interface Usage {
  used: number;
  free: number;
  capacity: number;
  usage: number;
  summary: { used: string; free: string; capacity: string; usage: string };
}

function usage(used: number, capacity: number, free: number, unit: (n: number) => string): Usage {
  const u = (100 * used) / capacity;
  return {
    used,
    free,
    capacity,
    usage: u,
    summary: { used: unit(used), free: unit(free), capacity: unit(capacity), usage: goFixed1(u) },
  };
}

const ghz = (mhz: number) => `${goFixed1(mhz / 1000)}GHz`;

export const clusterUsage: GovcCommand = {
  name: 'cluster.usage',
  usage: 'CLUSTER',
  description: 'Cluster resource usage summary.',
  flags: (fs) => datacenterFlags(fs).bool('S', 'Exclude host local storage'),
  run(ctx, fs) {
    const f = ctx.finder(fs);
    const arg = fs.args[0] ?? '';
    const found = f.clusterList(arg);
    if (found.length > 1) throw new GovcError(`path '${arg}' resolves to multiple clusters`);
    const cluster = found[0]!.node;
    const hosts = cluster.contents().filter((c) => c.type === 'HostSystem');
    let cpuCap = 0;
    let cpuUsed = 0;
    let memCap = 0;
    let memUsed = 0;
    for (const h of hosts) {
      const facts = hostFacts(h.obj!);
      cpuCap += facts.numCpuCores * facts.cpuMhz;
      cpuUsed += facts.cpuUsageMHz;
      memCap += facts.memoryBytes;
      memUsed += facts.memoryUsageMB * 2 ** 20;
    }
    const datastores: InvNode[] = ctx
      .inventory()
      .datastores.filter((d) => d.parent?.parent === cluster.parent?.parent);
    let dsCap = 0;
    let dsFree = 0;
    for (const d of datastores) {
      const s = d.obj!.spec as { capacityGB?: number };
      dsCap += (s.capacityGB ?? 0) * 2 ** 30;
      dsFree += ((d.obj!.status as { freeGB?: number } | undefined)?.freeGB ?? s.capacityGB ?? 0) * 2 ** 30;
    }
    const res = {
      memory: usage(memUsed, memCap, memCap - memUsed, byteSize),
      cpu: usage(cpuUsed, cpuCap, cpuCap - cpuUsed, ghz),
      storage: usage(dsCap - dsFree, dsCap, dsFree, byteSize),
    };
    const block = (label: string, r: Usage) =>
      `${label} usage:\t${r.summary.usage}%\n${label} capacity:\t${r.summary.capacity}\n${label} used:\t${r.summary.used}\n${label} free:\t${r.summary.free}\n`;
    ctx.write(
      fs,
      () => res,
      () =>
        tabwrite(
          `${block('CPU', res.cpu)}\t\n${block('Memory', res.memory)}\t\n${block('Storage', res.storage)}`,
        ),
    );
  },
};
