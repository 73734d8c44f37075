// about, ls and find: looking around the vCenter inventory.
import {
  clientFlags,
  datacenterFlags,
  GovcError,
  outputFlags,
  type GovcCommand,
  type GovcContext,
} from './command';
import type { Element } from './finder';
import { HelpRequest } from './flags';
import { entityJson, hostJson } from './mo';
import { goMatch, goQuote } from './output';
import type { InvNode } from './tree';
import { vmStatus } from '../../../sim/vcenter/model';

/** The lab's vCenter Server (the default scenario's vcenter: 7.0 U3, build 20150588). */
const ABOUT = {
  name: 'VMware vCenter Server',
  fullName: 'VMware vCenter Server 7.0.3 build-20150588',
  vendor: 'VMware, Inc.',
  version: '7.0.3',
  build: '20150588',
  localeVersion: 'INTL',
  localeBuild: '000',
  osType: 'linux-x64',
  productLineId: 'vpx',
  apiType: 'VirtualCenter',
  apiVersion: '7.0.3.0',
  instanceUuid: 'f4a3c1d2-6b7e-4e59-9a0c-5d8e2b1f7c34',
  licenseProductName: 'VMware VirtualCenter Server',
  licenseProductVersion: '7.0',
};

export const about: GovcCommand = {
  name: 'about',
  description:
    'Display About info for HOST.\n\nSystem information including the name, type, version, and build number.',
  flags: (fs) => outputFlags(clientFlags(fs)).bool('l', 'Include service content'),
  run(ctx, fs) {
    ctx.write(
      fs,
      () =>
        fs.flag('l')
          ? {
              content: {
                rootFolder: { type: 'Folder', value: 'group-d1' },
                propertyCollector: { type: 'PropertyCollector', value: 'propertyCollector' },
                viewManager: { type: 'ViewManager', value: 'ViewManager' },
                about: ABOUT,
                setting: { type: 'OptionManager', value: 'VpxSettings' },
                userDirectory: { type: 'UserDirectory', value: 'UserDirectory' },
                sessionManager: { type: 'SessionManager', value: 'SessionManager' },
                authorizationManager: { type: 'AuthorizationManager', value: 'AuthorizationManager' },
                searchIndex: { type: 'SearchIndex', value: 'SearchIndex' },
                taskManager: { type: 'TaskManager', value: 'TaskManager' },
                eventManager: { type: 'EventManager', value: 'EventManager' },
              },
            }
          : { about: ABOUT },
      () =>
        [
          `FullName:\t${ABOUT.fullName}`,
          `Name:\t${ABOUT.name}`,
          `Vendor:\t${ABOUT.vendor}`,
          `Version:\t${ABOUT.version}`,
          `Build:\t${ABOUT.build}`,
          `OS type:\t${ABOUT.osType}`,
          `API type:\t${ABOUT.apiType}`,
          `API version:\t${ABOUT.apiVersion}`,
          `Product ID:\t${ABOUT.productLineId}`,
          `UUID:\t${ABOUT.instanceUuid}`,
        ]
          .map((l) => `${l}\n`)
          .join(''),
      true,
    );
  },
};

/** An object as govc -json writes mo.* values: ManagedEntity fields, then the type's own. */
export function objectJson(ctx: GovcContext, n: InvNode): Record<string, unknown> {
  const inv = ctx.inventory();
  switch (n.type) {
    case 'HostSystem':
      return hostJson(n, ctx.lab.clock.nowMs());
    case 'Folder': {
      const kinds: Record<string, string[]> = {
        vm: ['Folder', 'VirtualMachine', 'VirtualApp'],
        host: ['Folder', 'ComputeResource'],
        datastore: ['Folder', 'Datastore', 'StoragePod'],
        network: ['Folder', 'Network', 'DistributedVirtualSwitch'],
      };
      const top = n.parent?.type === 'Datacenter' ? n.name : n.parent ? 'vm' : '';
      return entityJson(n, {
        childType: n.parent ? (kinds[top] ?? kinds.vm) : ['Folder', 'Datacenter'],
        childEntity: n.contents().map((c) => c.ref),
        namespace: null,
      });
    }
    case 'Datacenter':
      return entityJson(n, {
        vmFolder: inv.folderOf(n, 'vm').ref,
        hostFolder: inv.folderOf(n, 'host').ref,
        datastoreFolder: inv.folderOf(n, 'datastore').ref,
        networkFolder: inv.folderOf(n, 'network').ref,
        datastore: inv.datastores.filter((d) => d.parent?.parent === n).map((d) => d.ref),
        network: inv.networks.filter((d) => d.parent?.parent === n).map((d) => d.ref),
      });
    case 'ClusterComputeResource':
      return entityJson(n, {
        resourcePool: n.contents().find((c) => c.type === 'ResourcePool')?.ref ?? null,
        host: n
          .contents()
          .filter((c) => c.type === 'HostSystem')
          .map((c) => c.ref),
        datastore: inv.datastores.filter((d) => d.parent?.parent === n.parent?.parent).map((d) => d.ref),
      });
    case 'Datastore': {
      const s = n.obj!.spec as { type?: string; capacityGB?: number };
      const free = (n.obj!.status as { freeGB?: number } | undefined)?.freeGB ?? s.capacityGB ?? 0;
      return entityJson(n, {
        summary: {
          datastore: n.ref,
          name: n.name,
          url: `ds:///vmfs/volumes/${n.name}/`,
          capacity: (s.capacityGB ?? 0) * 2 ** 30,
          freeSpace: free * 2 ** 30,
          accessible: true,
          multipleHostAccess: true,
          type: s.type ?? 'vsan',
        },
      });
    }
    case 'VirtualMachine':
      return entityJson(n, { runtime: { powerState: vmStatus(n.obj!).powerState ?? 'poweredOff' } });
    default:
      return entityJson(n);
  }
}

export const ls: GovcCommand = {
  name: 'ls',
  usage: '[PATH]...',
  description: 'List inventory items.',
  flags: (fs) =>
    datacenterFlags(fs)
      .bool('l', 'Long listing format')
      .bool('i', 'Print the managed object reference')
      .bool('I', 'Print the managed object ID')
      .string('t', 'Object type'),
  run(ctx, fs) {
    const f = ctx.finder(fs);
    const type = fs.str('t');
    const found: Element[] = [];
    for (const arg of fs.args.length ? fs.args : ['.']) {
      for (const e of f.managedObjectList(arg, true, type ? [type] : []))
        if (!type || type.toLowerCase() === e.node.ref.type.toLowerCase()) found.push(e);
    }
    ctx.write(
      fs,
      () => ({
        elements: found.length ? found.map((e) => ({ Path: e.path, Object: objectJson(ctx, e.node) })) : null,
      }),
      () =>
        found
          .map((e) => {
            if (fs.flag('i') || fs.flag('I')) {
              const id = fs.flag('I') ? e.node.ref.value : `${e.node.ref.type}:${e.node.ref.value}`;
              return `${id}${fs.flag('l') ? ` ${e.path}` : ''}\n`;
            }
            if (!fs.flag('l')) return `${e.path}\n`;
            return e.node.type === 'Folder' ? `${e.path}/\n` : `${e.path} (${e.node.ref.type})\n`;
          })
          .join(''),
    );
  },
};

const ALIASES: [string, string][] = [
  ['a', 'VirtualApp'],
  ['c', 'ClusterComputeResource'],
  ['d', 'Datacenter'],
  ['f', 'Folder'],
  ['g', 'DistributedVirtualPortgroup'],
  ['h', 'HostSystem'],
  ['m', 'VirtualMachine'],
  ['n', 'Network'],
  ['o', 'OpaqueNetwork'],
  ['p', 'ResourcePool'],
  ['r', 'ComputeResource'],
  ['s', 'Datastore'],
  ['w', 'DistributedVirtualSwitch'],
];

/** The vSphere type hierarchy a container view filters by. */
const SUPERTYPES: Record<string, string[]> = {
  ClusterComputeResource: ['ComputeResource'],
  DistributedVirtualPortgroup: ['Network'],
  OpaqueNetwork: ['Network'],
  VmwareDistributedVirtualSwitch: ['DistributedVirtualSwitch'],
};
const isA = (type: string, kind: string) =>
  type === kind || (SUPERTYPES[type] ?? []).includes(kind) || ['ManagedEntity'].includes(kind);

/** Property filters govc find takes as `-key value` after ROOT; unknown properties match nothing. */
function property(n: InvNode, key: string): string | undefined {
  const o = n.obj;
  switch (key) {
    case 'name':
      return n.name;
    case 'runtime.powerState':
      if (n.type === 'VirtualMachine') return vmStatus(o!).powerState ?? 'poweredOff';
      if (n.type === 'HostSystem')
        return (o!.status as { state?: string })?.state === 'failed' ? 'unknown' : 'poweredOn';
      return undefined;
    case 'summary.type':
      return n.type === 'Datastore' ? ((o!.spec as { type?: string }).type ?? '') : undefined;
    default:
      return undefined;
  }
}

export const find: GovcCommand = {
  name: 'find',
  usage: '[ROOT] [KEY VAL]...',
  description: `Find managed objects.

ROOT can be an inventory path or ManagedObjectReference.
ROOT defaults to '.', an alias for the root folder or DC if set.

The '-type' flag value can be a managed entity type or one of the following aliases:

${ALIASES.map(([a, k]) => `  ${a}    ${k}`).join('\n')}`,
  flags: (fs) =>
    datacenterFlags(fs)
      .add({ name: 'type', kind: 'multi', usage: 'Resource type' })
      .string('name', 'Resource name', '*')
      .int('maxdepth', 'Max depth', -1)
      .bool('i', 'Print the managed object reference')
      .bool('I', 'Print the managed object ID')
      .bool('l', 'Long listing format')
      .bool('p', 'Find parent objects'),
  run(ctx, fs) {
    const inv = ctx.inventory();
    let arg = fs.args[0] ?? '';
    let props = [...fs.args];
    if (props.length) {
      if (arg.startsWith('-')) arg = '.';
      else props = props.slice(1);
    }
    if (props.length % 2) throw new HelpRequest();
    const dc = fs.str('dc') ? ctx.finder(fs).dc : undefined;
    let root: InvNode = inv.root;
    let rootPath = '/';
    if (arg === '' || arg === '.') {
      if (dc) {
        arg = '.';
        root = dc;
        rootPath = dc.path;
      } else arg = '/';
    } else if (arg !== '/') {
      const path = arg.includes('/') ? arg : `${dc ? dc.path : '.'}/${arg}`;
      const l = ctx.finder(fs).managedObjectList(path, false);
      if (!l.length) throw new GovcError(`${arg} not found`);
      if (l.length > 1) throw new GovcError(`${goQuote(arg)} matches ${l.length} objects`);
      root = l[0]!.node;
      rootPath = l[0]!.path;
    }
    const filter = new Map<string, string>();
    for (let i = 0; i < props.length; i += 2) {
      const key = props[i]!;
      if (!key.startsWith('-')) throw new HelpRequest();
      if (fs.has(key.slice(1))) fs.set(key.slice(1), props[i + 1]!);
      else filter.set(key.slice(1), props[i + 1]!);
    }
    filter.set('name', fs.str('name'));
    const kinds = fs
      .multi('type')
      .map((t) => (t.length === 1 ? (ALIASES.find(([a]) => a === t)?.[1] ?? t) : t));
    const matches = (n: InvNode) =>
      [...filter].every(([k, v]) => {
        const value = property(n, k);
        if (value === undefined) return false;
        try {
          return goMatch(v, value);
        } catch {
          return false;
        }
      });
    const paths: string[] = [];
    const id = (n: InvNode) => (fs.flag('I') ? n.ref.value : `${n.ref.type}:${n.ref.value}`);
    const ref = fs.flag('i') || fs.flag('I');
    const print = (n: InvNode, p: string) => {
      if (ref && !fs.flag('l')) return void paths.push(id(n));
      let out = p.replace(rootPath, arg);
      if (fs.flag('l')) out = `${ref ? id(n) : n.ref.type.replace(/^Vmware/, '')}\t${out}`;
      paths.push(out);
    };
    const rootWanted = (n: InvNode) =>
      (!kinds.length || kinds.includes(n.ref.type)) &&
      (filter.size === 1 && fs.str('name') === '*' ? true : matches(n));
    const depth = fs.num('maxdepth');
    if (![-1, 0, 1].includes(depth)) throw new HelpRequest();
    if (fs.flag('p')) {
      const line = inv.lineage(root);
      for (let i = line.length - 1; i >= 0; i--) if (rootWanted(line[i]!)) print(line[i]!, line[i]!.path);
    } else {
      if (rootWanted(root)) print(root, arg);
      if (depth !== 0) {
        const objs = depth === -1 ? inv.descendants(root) : root.contents();
        for (const o of objs)
          if ((!kinds.length || kinds.some((k) => isA(o.ref.type, k))) && matches(o)) print(o, o.path);
      }
    }
    ctx.write(
      fs,
      () => (paths.length ? paths : null),
      () => paths.map((p) => `${p}\n`).join(''),
      fs.flag('l'),
    );
  },
};
