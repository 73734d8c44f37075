// vSphere Namespaces through govc: namespace.create / update / ls / info / rm with govc's own flags
// (-cluster, -storage, -vmclass, -library), the limits and permissions in the same style where govc has
// none (-cpu-limit, -memory-limit, -storage-limit POLICY=GIB, -object-limit KIND=N; namespace.access.*),
// and the VM class catalogue (namespace.vmclass.*). vCenter's checks are the simulation's admission;
// its refusals come back as the vAPI's `400 Bad Request: {…}`, a missing namespace as `404 Not Found`.
import { ApiError } from '../../../api/errors';
import type { KubeObject } from '../../../api/types';
import { GROUP, OBJECT_LIMITS, type NamespaceRole } from '../../../sim/vcenter/kinds';
import type { NamespaceSpec, NamespaceStatus } from '../../../sim/supervisor/namespaces';
import {
  clientFlags,
  datacenterFlags,
  GovcError,
  outputFlags,
  type GovcCommand,
  type GovcContext,
} from './command';
import { HelpRequest, type FlagSet } from './flags';
import { tabwrite } from './output';
import { causeText } from './namespace';

function vapiError(
  status: string,
  errorType: string,
  messages: { id: string; text: string; args?: string[] }[],
): GovcError {
  const body = JSON.stringify({
    error_type: errorType,
    messages: messages.map((m) => ({ args: m.args ?? [], default_message: m.text, id: m.id })),
  });
  return new GovcError(`${status}: ${body}`);
}

const notFound = (name: string) =>
  vapiError('404 Not Found', 'NOT_FOUND', [
    { id: 'vcenter.wcp.namespace.notfound', text: `Namespace ${name} not found.`, args: [name] },
  ]);

/** An admission refusal as the vAPI answers it. */
function refused(e: unknown): never {
  if (!(e instanceof ApiError)) throw e;
  const causes = e.status.details?.causes ?? [{ message: e.message }];
  throw vapiError(
    '400 Bad Request',
    'INVALID_ARGUMENT',
    causes.map((c) => ({
      id: 'vcenter.wcp.namespace.invalid.argument',
      text: causeText(c).replace(/^(Unsupported value|Required value|Forbidden): /, ''),
    })),
  );
}

/** The one NAME argument a namespace command takes; govc prints its usage otherwise. */
function nameArg(fs: FlagSet): string {
  if (fs.args.length !== 1) throw new HelpRequest();
  return fs.args[0]!;
}

function getNamespace(ctx: GovcContext, name: string): KubeObject {
  const ns = ctx.vc.tryGet('vspherenamespaces', '', name);
  if (!ns || ns.metadata.deletionTimestamp) throw notFound(name);
  return ns;
}

function write(ctx: GovcContext, ns: KubeObject | undefined, name: string, spec: NamespaceSpec): void {
  try {
    if (ns) ctx.vc.update({ ...ns, spec: JSON.parse(JSON.stringify(spec)) as object });
    else
      ctx.vc.create({
        apiVersion: `${GROUP}/v1`,
        kind: 'VSphereNamespace',
        metadata: { name },
        spec: JSON.parse(JSON.stringify(spec)) as object,
      });
  } catch (e) {
    refused(e);
  }
  ctx.refresh();
  ctx.lab.settle();
}

const namespaceFlags = (fs: FlagSet) =>
  fs
    .add({
      name: 'library',
      kind: 'multi',
      usage: 'Content library IDs to associate with the vSphere Namespace.',
    })
    .add({ name: 'storage', kind: 'multi', usage: 'Storage profile name or ID' })
    .add({
      name: 'vmclass',
      kind: 'multi',
      usage: 'Virtual machine class IDs to associate with the vSphere Namespace.',
    });

const limitFlags = (fs: FlagSet) =>
  fs
    .int('cpu-limit', 'CPU limit of the namespace in MHz (0 for no limit)', -1)
    .int('memory-limit', 'Memory limit of the namespace in MiB (0 for no limit)', -1)
    .add({
      name: 'storage-limit',
      kind: 'multi',
      usage: 'POLICY=GIB: storage limit for a storage policy (0 for no limit)',
    })
    .add({
      name: 'object-limit',
      kind: 'multi',
      usage: `KIND=N: number of objects of a kind (${OBJECT_LIMITS.join(', ')}); 0 for no limit`,
    });

/** `KEY=N` pairs; govc-style error for a malformed one. */
function pairs(flag: string, values: string[]): [string, number][] {
  return values.map((v) => {
    const m = /^(.+)=(\d+)$/.exec(v);
    if (!m) throw new GovcError(`invalid -${flag} value ${JSON.stringify(v)}: expected NAME=NUMBER`);
    return [m[1]!, Number(m[2])];
  });
}

export const namespaceCreate: GovcCommand = {
  name: 'namespace.create',
  usage: 'NAME',
  description: `Creates a new vSphere Namespace on a Supervisor.

The '-library', '-vmclass' and '-storage' flags can each be specified multiple times.

Examples:
  govc namespace.create -cluster C1 test-namespace
  govc namespace.create -cluster C1 -library vmsvc test-namespace
  govc namespace.create -cluster C1 -vmclass best-effort-2xlarge test-namespace`,
  flags: (fs) => namespaceFlags(datacenterFlags(fs).string('cluster', 'Cluster [GOVC_CLUSTER]')),
  run(ctx, fs) {
    const name = nameArg(fs);
    const cluster = ctx.finder(fs).cluster(fs.str('cluster')).node.name;
    if (ctx.vc.tryGet('vspherenamespaces', '', name))
      throw vapiError('400 Bad Request', 'ALREADY_EXISTS', [
        {
          id: 'vcenter.wcp.namespace.already.exists',
          text: `Namespace ${name} already exists.`,
          args: [name],
        },
      ]);
    write(ctx, undefined, name, {
      cluster,
      storagePolicies: fs.multi('storage'),
      vmClasses: fs.multi('vmclass'),
      contentLibraries: fs.multi('library'),
      access: [],
    });
  },
};

export const namespaceUpdate: GovcCommand = {
  name: 'namespace.update',
  usage: 'NAME',
  description: `Modifies an existing vSphere Namespace on a Supervisor.

Given lists (-storage, -vmclass, -library) replace the namespace's; limits of 0 remove the limit.

Examples:
  govc namespace.update -vmclass best-effort-2xlarge test-namespace
  govc namespace.update -cpu-limit 10000 -memory-limit 16384 test-namespace
  govc namespace.update -storage-limit 'k8s-gold=100' -object-limit pods=20 test-namespace`,
  flags: (fs) => limitFlags(namespaceFlags(clientFlags(fs))),
  run(ctx, fs) {
    const name = nameArg(fs);
    const ns = getNamespace(ctx, name);
    const spec = JSON.parse(JSON.stringify(ns.spec)) as NamespaceSpec;
    if (fs.isSet('storage')) spec.storagePolicies = fs.multi('storage');
    if (fs.isSet('vmclass')) spec.vmClasses = fs.multi('vmclass');
    if (fs.isSet('library')) spec.contentLibraries = fs.multi('library');
    const lim = (spec.limits ??= {});
    const setOrClear = (key: 'cpuMHz' | 'memoryMiB', flag: string) => {
      if (!fs.isSet(flag)) return;
      const v = fs.num(flag);
      if (v < 0) throw new GovcError(`invalid -${flag} value ${v}: must be 0 or more`);
      if (v === 0) delete lim[key];
      else lim[key] = v;
    };
    setOrClear('cpuMHz', 'cpu-limit');
    setOrClear('memoryMiB', 'memory-limit');
    for (const [policy, gib] of pairs('storage-limit', fs.multi('storage-limit'))) {
      lim.storageGiB ??= {};
      if (gib === 0) delete lim.storageGiB[policy];
      else lim.storageGiB[policy] = gib;
    }
    for (const [kind, n] of pairs('object-limit', fs.multi('object-limit'))) {
      lim.objects ??= {};
      if (n === 0) delete lim.objects[kind];
      else lim.objects[kind] = n;
    }
    write(ctx, ns, name, spec);
  },
};

export const namespaceLs: GovcCommand = {
  name: 'namespace.ls',
  description: 'Displays the list of vSphere Namespaces.\n\nExamples:\n  govc namespace.ls',
  flags: (fs) => outputFlags(clientFlags(fs)),
  run(ctx, fs) {
    const items = ctx.vc.list('vspherenamespaces').items.filter((n) => !n.metadata.deletionTimestamp);
    const inv = ctx.inventory();
    ctx.write(
      fs,
      () =>
        items.map((n) => ({
          cluster: inv.clusters.find((c) => c.name === (n.spec as NamespaceSpec).cluster)?.ref.value ?? '',
          namespace: n.metadata.name,
          config_status: (n.status as NamespaceStatus | undefined)?.configStatus ?? 'CONFIGURING',
          description: (n.spec as NamespaceSpec).description ?? '',
        })),
      () => items.map((n) => `${n.metadata.name}\n`).join(''),
    );
  },
};

export const namespaceInfo: GovcCommand = {
  name: 'namespace.info',
  usage: 'NAME',
  description:
    'Displays the details of a vSphere Namespace.\n\nExamples:\n  govc namespace.info test-namespace',
  flags: (fs) => outputFlags(clientFlags(fs)),
  run(ctx, fs) {
    const ns = getNamespace(ctx, nameArg(fs));
    const spec = ns.spec as NamespaceSpec;
    const st = (ns.status ?? {}) as NamespaceStatus;
    const cluster = ctx.inventory().clusters.find((c) => c.name === spec.cluster);
    const lim = spec.limits ?? {};
    ctx.write(
      fs,
      () => ({
        cluster: cluster?.ref.value ?? '',
        config_status: st.configStatus ?? 'CONFIGURING',
        description: spec.description ?? '',
        storage_specs: (spec.storagePolicies ?? []).map((p) => ({
          policy: p,
          ...(lim.storageGiB?.[p] ? { limit: lim.storageGiB[p]! * 1024 } : {}),
        })),
        vm_service_spec: { vm_classes: spec.vmClasses ?? [], content_libraries: spec.contentLibraries ?? [] },
        ...(lim.cpuMHz || lim.memoryMiB
          ? { resource_spec: { cpu_limit: lim.cpuMHz, memory_limit: lim.memoryMiB } }
          : {}),
        access_list: (spec.access ?? []).map((a) => ({
          subject: a.principal.split('@')[0],
          domain: a.principal.split('@')[1] ?? '',
          subject_type: a.group ? 'GROUP' : 'USER',
          role: a.role.toUpperCase(),
        })),
      }),
      () => {
        const lines = [
          `Cluster:\t${cluster?.path ?? spec.cluster}\n`,
          `Status:\t${st.configStatus ?? 'CONFIGURING'}\n`,
          `VM Classes:\t${(spec.vmClasses ?? []).join(',')}\n`,
          ...(spec.contentLibraries ?? []).map((l) => `Content Library:\t${l}\n`),
          ...(spec.storagePolicies ?? []).map((p) => `Storage Policy:\t${p}\n`),
          // beyond govc: what the lab's namespace also has
          ...(lim.cpuMHz ? [`CPU Limit:\t${lim.cpuMHz} MHz\n`] : []),
          ...(lim.memoryMiB ? [`Memory Limit:\t${lim.memoryMiB} MiB\n`] : []),
          ...Object.entries(lim.storageGiB ?? {}).map(([p, g]) => `Storage Limit:\t${p}=${g} GiB\n`),
          ...Object.entries(lim.objects ?? {}).map(([k, n]) => `Object Limit:\t${k}=${n}\n`),
        ];
        return tabwrite(lines.join(''));
      },
    );
  },
};

export const namespaceRm: GovcCommand = {
  name: 'namespace.rm',
  usage: 'NAME',
  description: 'Deletes a vSphere Namespace.\n\nExamples:\n  govc namespace.rm test-namespace',
  flags: (fs) => clientFlags(fs),
  run(ctx, fs) {
    const name = nameArg(fs);
    getNamespace(ctx, name);
    ctx.vc.delete('vspherenamespaces', '', name);
    ctx.refresh();
    ctx.lab.settle();
  },
};

const ROLES: NamespaceRole[] = ['view', 'edit', 'owner'];

export const namespaceAccessSet: GovcCommand = {
  name: 'namespace.access.set',
  usage: 'NAME',
  description: `Grants an SSO user or group a role on a vSphere Namespace (view, edit or owner).

Examples:
  govc namespace.access.set -principal devops@vsphere.local -role edit test-namespace
  govc namespace.access.set -principal DevOps@vsphere.local -group -role view test-namespace`,
  flags: (fs) =>
    clientFlags(fs)
      .string('principal', 'User or group, as devops@vsphere.local')
      .bool('group', 'The principal is a group')
      .string('role', 'view, edit or owner'),
  run(ctx, fs) {
    const name = nameArg(fs);
    const ns = getNamespace(ctx, name);
    const principal = fs.str('principal');
    const role = fs.str('role').toLowerCase() as NamespaceRole;
    if (!principal) throw new GovcError('-principal is required');
    if (!ROLES.includes(role))
      throw new GovcError(`-role must be one of view, edit, owner (got ${JSON.stringify(fs.str('role'))})`);
    const spec = JSON.parse(JSON.stringify(ns.spec)) as NamespaceSpec;
    const group = fs.flag('group');
    spec.access = [
      ...(spec.access ?? []).filter((a) => !(a.principal === principal && Boolean(a.group) === group)),
      { principal, group, role },
    ];
    write(ctx, ns, name, spec);
  },
};

export const namespaceAccessRm: GovcCommand = {
  name: 'namespace.access.rm',
  usage: 'NAME',
  description:
    'Removes the role an SSO user or group holds on a vSphere Namespace.\n\nExamples:\n  govc namespace.access.rm -principal devops@vsphere.local test-namespace',
  flags: (fs) =>
    clientFlags(fs).string('principal', 'User or group').bool('group', 'The principal is a group'),
  run(ctx, fs) {
    const name = nameArg(fs);
    const ns = getNamespace(ctx, name);
    const principal = fs.str('principal');
    const spec = JSON.parse(JSON.stringify(ns.spec)) as NamespaceSpec;
    const before = spec.access ?? [];
    spec.access = before.filter((a) => !(a.principal === principal && Boolean(a.group) === fs.flag('group')));
    if (spec.access.length === before.length)
      throw vapiError('404 Not Found', 'NOT_FOUND', [
        {
          id: 'vcenter.wcp.namespace.access.notfound',
          text: `${principal} has no access to namespace ${name}.`,
          args: [principal, name],
        },
      ]);
    write(ctx, ns, name, spec);
  },
};

export const namespaceAccessLs: GovcCommand = {
  name: 'namespace.access.ls',
  usage: 'NAME',
  description:
    'Lists who holds which role on a vSphere Namespace.\n\nExamples:\n  govc namespace.access.ls test-namespace',
  flags: (fs) => outputFlags(clientFlags(fs)),
  run(ctx, fs) {
    const ns = getNamespace(ctx, nameArg(fs));
    const access = (ns.spec as NamespaceSpec).access ?? [];
    ctx.write(
      fs,
      () =>
        access.map((a) => ({
          principal: a.principal,
          type: a.group ? 'GROUP' : 'USER',
          role: a.role.toUpperCase(),
        })),
      () =>
        tabwrite(access.map((a) => `${a.principal}\t${a.group ? 'group' : 'user'}\t${a.role}\n`).join('')),
    );
  },
};

interface VmClassSpec {
  cpuCount: number;
  memoryMiB: number;
  cpuReservation?: number;
  memoryReservation?: number;
  description?: string;
}

export const vmclassLs: GovcCommand = {
  name: 'namespace.vmclass.ls',
  description: 'Displays the list of virtual machine classes.\n\nExamples:\n  govc namespace.vmclass.ls',
  flags: (fs) => outputFlags(clientFlags(fs)),
  run(ctx, fs) {
    const items = ctx.vc.list('vmclasses').items;
    ctx.write(
      fs,
      () => items.map((c) => ({ id: c.metadata.name })),
      () => items.map((c) => `${c.metadata.name}\n`).join(''),
    );
  },
};

export const vmclassInfo: GovcCommand = {
  name: 'namespace.vmclass.info',
  usage: 'NAME',
  description:
    'Displays the details of a virtual machine class.\n\nExamples:\n  govc namespace.vmclass.info test-class',
  flags: (fs) => outputFlags(clientFlags(fs)),
  run(ctx, fs) {
    const name = nameArg(fs);
    const c = ctx.vc.tryGet('vmclasses', '', name);
    if (!c)
      throw vapiError('404 Not Found', 'NOT_FOUND', [
        {
          id: 'vcenter.wcp.vmclass.notfound',
          text: `Virtual machine class ${name} not found.`,
          args: [name],
        },
      ]);
    const s = c.spec as VmClassSpec;
    ctx.write(
      fs,
      () => ({
        id: name,
        cpu_count: s.cpuCount,
        memory_mb: s.memoryMiB,
        cpu_reservation: s.cpuReservation ?? 0,
        memory_reservation: s.memoryReservation ?? 0,
        description: s.description ?? '',
      }),
      () =>
        tabwrite(
          `Name:\t${name}\nCPU:\t${s.cpuCount}\nMemory (MB):\t${s.memoryMiB}\nCPU reservation:\t${s.cpuReservation ?? 0}%\nMemory reservation:\t${s.memoryReservation ?? 0}%\n`,
        ),
    );
  },
};

export const vmclassCreate: GovcCommand = {
  name: 'namespace.vmclass.create',
  usage: 'NAME',
  description: `Creates a new virtual machine class.

The name of the virtual machine class has DNS_LABEL restrictions
as specified in "https://tools.ietf.org/html/rfc1123".

Examples:
  govc namespace.vmclass.create -cpus=8 -memory=8192 test-class-01`,
  flags: (fs) =>
    clientFlags(fs).int('cpus', 'The number of CPUs.').int('memory', 'The amount of memory (in MB).'),
  run(ctx, fs) {
    const name = nameArg(fs);
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name))
      throw vapiError('400 Bad Request', 'INVALID_ARGUMENT', [
        {
          id: 'vcenter.wcp.vmclass.name.invalid',
          text: `Invalid virtual machine class name ${name}.`,
          args: [name],
        },
      ]);
    if (fs.num('cpus') <= 0 || fs.num('memory') <= 0)
      throw vapiError('400 Bad Request', 'INVALID_ARGUMENT', [
        {
          id: 'vcenter.wcp.vmclass.size.invalid',
          text: 'The number of CPUs and the memory must be greater than 0.',
        },
      ]);
    if (ctx.vc.tryGet('vmclasses', '', name))
      throw vapiError('400 Bad Request', 'ALREADY_EXISTS', [
        {
          id: 'vcenter.wcp.vmclass.already.exists',
          text: `Virtual machine class ${name} already exists.`,
          args: [name],
        },
      ]);
    ctx.vc.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'VmClass',
      metadata: { name },
      spec: {
        cpuCount: fs.num('cpus'),
        memoryMiB: fs.num('memory'),
        cpuReservation: 0,
        memoryReservation: 0,
      },
    });
    ctx.lab.settle();
  },
};

export const vmclassRm: GovcCommand = {
  name: 'namespace.vmclass.rm',
  usage: 'NAME',
  description: 'Deletes a virtual machine class.\n\nExamples:\n  govc namespace.vmclass.rm test-class',
  flags: (fs) => clientFlags(fs),
  run(ctx, fs) {
    const name = nameArg(fs);
    if (!ctx.vc.tryGet('vmclasses', '', name))
      throw vapiError('404 Not Found', 'NOT_FOUND', [
        {
          id: 'vcenter.wcp.vmclass.notfound',
          text: `Virtual machine class ${name} not found.`,
          args: [name],
        },
      ]);
    const using = ctx.vc
      .list('vspherenamespaces')
      .items.filter((n) => ((n.spec as NamespaceSpec).vmClasses ?? []).includes(name));
    if (using.length)
      throw vapiError('400 Bad Request', 'RESOURCE_IN_USE', [
        {
          id: 'vcenter.wcp.vmclass.in.use',
          text: `Virtual machine class ${name} is in use by namespaces ${using.map((n) => n.metadata.name).join(', ')}.`,
          args: [name],
        },
      ]);
    ctx.vc.delete('vmclasses', '', name);
    ctx.lab.settle();
  },
};

export const vsphereNamespaceCommands = [
  namespaceCreate,
  namespaceUpdate,
  namespaceLs,
  namespaceInfo,
  namespaceRm,
  namespaceAccessSet,
  namespaceAccessRm,
  namespaceAccessLs,
  vmclassLs,
  vmclassInfo,
  vmclassCreate,
  vmclassRm,
];
