// vm.info: the summary of VMs (Supervisor control-plane VMs and every other VM of the lab), with -r the
// resource summary. A VM that is not found is skipped silently, as govc does.
import type { KubeObject } from '../../../api/types';
import { hostSpec, vmSpec } from '../../../sim/vcenter/model';
import { clientFlags, GovcError, outputFlags, type GovcCommand, type GovcContext } from './command';
import type { Element } from './finder';
import type { FlagSet } from './flags';
import { vmFacts, vmJson } from './mo';
import { byteSize, goTime } from './output';
import type { InvNode } from './tree';

const SEARCH_FLAGS = ['vm.dns', 'vm.ip', 'vm.ipath', 'vm.path', 'vm.uuid'] as const;

/** SearchFlag: one of -vm.ip, -vm.uuid, -vm.ipath, -vm.dns, -vm.path names the VM. */
function searched(ctx: GovcContext, fs: FlagSet): Element | undefined {
  const set = SEARCH_FLAGS.filter((f) => fs.str(f));
  if (!set.length) return undefined;
  if (set.length > 1) throw new GovcError('cannot use more than one search flag');
  const value = fs.str(set[0]!);
  const inv = ctx.inventory();
  let n: InvNode | undefined;
  if (set[0] === 'vm.ipath') n = inv.byPath(value);
  else {
    ctx.finder(fs); // the other searches need a datacenter
    if (set[0] === 'vm.ip')
      n = inv.vms.find((v) => vmFacts(v.obj!, 0).ipAddress === value && vmFacts(v.obj!, 0).ipAddress !== '');
    else if (set[0] === 'vm.uuid') n = inv.vms.find((v) => vmFacts(v.obj!, 0).uuid === value.toLowerCase());
  }
  if (!n) throw new GovcError('no such VM');
  if (n.type !== 'VirtualMachine') throw new GovcError(`expected VirtualMachine entity, got ${n.type}`);
  return { node: n, path: n.path };
}

function resources(ctx: GovcContext, vm: KubeObject): { datastores: InvNode[]; networks: InvNode[] } {
  const inv = ctx.inventory();
  const s = vmSpec(vm);
  const sup =
    s.role === 'supervisor-control-plane' && s.cluster
      ? ctx.vc.tryGet('supervisors', '', s.cluster)
      : undefined;
  const spec = (sup?.spec ?? {}) as {
    controlPlaneStoragePolicy?: string;
    managementNetwork?: { network?: string };
  };
  const policy = spec.controlPlaneStoragePolicy
    ? ctx.vc.tryGet('storagepolicies', '', spec.controlPlaneStoragePolicy)
    : undefined;
  const dsName = (policy?.spec as { datastores?: string[] } | undefined)?.datastores?.[0];
  const ds = inv.datastores.find((d) => d.name === dsName) ?? inv.datastores[0];
  const net = inv.networks.find((n) => n.name === spec.managementNetwork?.network);
  return { datastores: ds ? [ds] : [], networks: net ? [net] : [] };
}

export const vmInfo: GovcCommand = {
  name: 'vm.info',
  usage: 'VM...',
  description:
    "Display info for VM.\n\nThe '-r' flag displays additional info for CPU, memory and storage usage,\nalong with the VM's Datastores, Networks and PortGroups.",
  flags(fs) {
    outputFlags(clientFlags(fs)).string('dc', 'Datacenter [GOVC_DATACENTER]');
    fs.string('vm.path', 'Find VM by path to .vmx file')
      .string('vm.dns', 'Find VM by FQDN')
      .string('vm.ip', 'Find VM by IP address')
      .string('vm.uuid', 'Find VM by UUID')
      .string('vm.ipath', 'Find VM by inventory path')
      .bool('g', 'Show general summary', true)
      .bool('e', 'Show ExtraConfig')
      .bool('r', 'Show resource summary');
  },
  run(ctx, fs) {
    const one = searched(ctx, fs);
    if (!one && !fs.args.length) throw new GovcError('no argument');
    const vms = one ? [one] : fs.args.flatMap((a) => ctx.finder(fs).virtualMachineList(a) ?? []);
    const inv = ctx.inventory();
    const mhz = (vm: KubeObject) => {
      const host = inv.hosts.find((h) => h.name === vmFacts(vm, 0).host) ?? inv.hosts[0];
      return hostSpec(host?.obj ?? vm).cpu?.mhzPerCore ?? 2000;
    };
    ctx.write(
      fs,
      () => ({
        virtualMachines: vms.map((e) => {
          const vm = e.node.obj!;
          const f = vmFacts(vm, mhz(vm));
          const r = resources(ctx, vm);
          const host = inv.hosts.find((h) => h.name === f.host);
          const pool = inv.pools.find(
            (p) => p.obj?.metadata.name === (vm.spec as { resourcePool?: string }).resourcePool,
          );
          return vmJson(e.node, f, {
            host: host?.ref,
            pool: pool?.ref,
            datastores: r.datastores.map((d) => d.ref),
            networks: r.networks.map((n) => n.ref),
          });
        }),
      }),
      () =>
        vms
          .map((e) => {
            const vm = e.node.obj!;
            const f = vmFacts(vm, mhz(vm));
            const lines = [`Name:\t${e.node.name}`];
            if (fs.flag('g'))
              lines.push(
                `  Path:\t${e.path}`,
                `  UUID:\t${f.uuid}`,
                `  Guest name:\t${f.guestFullName}`,
                `  Memory:\t${f.memoryMB}MB`,
                `  CPU:\t${f.numCpu} vCPU(s)`,
                `  Power state:\t${f.powerState}`,
                `  Boot time:\t${goTime(f.bootTime)}`,
                `  IP address:\t${f.ipAddress}`,
                `  Host:\t${f.host ?? '<unavailable>'}`,
              );
            if (fs.flag('r')) {
              const r = resources(ctx, vm);
              lines.push(
                `  CPU usage:\t${f.cpuUsageMHz}MHz`,
                `  Host memory usage:\t${f.hostMemoryUsageMB}MB`,
                `  Guest memory usage:\t${f.guestMemoryUsageMB}MB`,
                `  Storage uncommitted:\t${byteSize(0)}`,
                `  Storage committed:\t${byteSize(0)}`,
                `  Storage unshared:\t${byteSize(0)}`,
                `  Storage:\t${r.datastores.map((d) => d.name).join(', ')}`,
                `  Network:\t${r.networks.map((n) => n.name).join(', ')}`,
              );
            }
            if (fs.flag('e')) lines.push('  ExtraConfig:');
            return lines.map((l) => `${l}\n`).join('');
          })
          .join(''),
      true,
    );
  },
};
