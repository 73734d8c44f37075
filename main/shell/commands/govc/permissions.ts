// permissions.ls / set / remove: roles granted to SSO users and groups on inventory objects, kept as
// Permission objects in the `vcenter` space (entity = the object's inventory path, `/` for the root).
import type { KubeObject } from '../../../api/types';
import { GROUP } from '../../../sim/vcenter/kinds';
import { principalName } from '../../../sim/vcenter/sso';
import { datacenterFlags, GovcError, type GovcCommand, type GovcContext } from './command';
import type { FlagSet } from './flags';
import { goQuote, tabwrite } from './output';
import type { InvNode } from './tree';

/** vCenter's system and sample roles, with their ids. */
const ROLES: [number, string][] = [
  [-8, 'NoTrustedAdmin'],
  [-7, 'TrustedAdmin'],
  [-6, 'NoCryptoAdmin'],
  [-5, 'NoAccess'],
  [-4, 'Anonymous'],
  [-3, 'View'],
  [-2, 'ReadOnly'],
  [-1, 'Admin'],
  [1, 'VirtualMachinePowerUser'],
  [2, 'VirtualMachineUser'],
  [3, 'ResourcePoolAdministrator'],
  [4, 'VMwareConsolidatedBackupUser'],
  [5, 'DatastoreConsumer'],
  [6, 'NetworkConsumer'],
];

interface PermissionSpec {
  entity: string;
  principal: string;
  group?: boolean;
  role: string;
  propagate?: boolean;
}

const spec = (p: KubeObject) => p.spec as PermissionSpec;

/** `administrator@vsphere.local` → `VSPHERE.LOCAL\administrator`, as vCenter shows principals. */
export function displayPrincipal(p: string): string {
  const at = p.lastIndexOf('@');
  return at < 0 ? p : `${p.slice(at + 1).toUpperCase()}\\${p.slice(0, at)}`;
}

function roles(ctx: GovcContext): [number, string][] {
  const custom = [...new Set(ctx.vc.list('permissions').items.map((p) => spec(p).role))].filter(
    (r) => !ROLES.some(([, n]) => n === r),
  );
  return [...ROLES, ...custom.map((r, i): [number, string] => [100 + i, r])];
}

const permissionFlags = (fs: FlagSet) => datacenterFlags(fs).bool('i', 'Use moref instead of inventory path');

/** DatacenterFlag.ManagedObjects: the root folder, or each argument's one object. */
function entities(ctx: GovcContext, fs: FlagSet): InvNode[] {
  const inv = ctx.inventory();
  if (!fs.args.length) return [inv.root];
  if (fs.flag('i'))
    return fs.args.map((a) => {
      const m = /^([A-Za-z]+):(.+)$/.exec(a);
      const n = m ? inv.byReference(m[1]!, m[2]!) : undefined;
      if (!m) throw new GovcError(`invalid moref: ${a}`);
      if (!n)
        throw new GovcError(
          `ServerFaultCode: The object '${a}' has already been deleted or has not been completely created`,
        );
      return n;
    });
  const f = ctx.finder(fs);
  return fs.args.flatMap((a) => {
    const es = f.managedObjectList(a, false);
    if (!es.length) throw new GovcError(`object '${a}' not found`);
    if (es.length > 1 && !a.includes('/')) throw new GovcError(`${goQuote(a)} must be qualified with a path`);
    return es.map((e) => e.node);
  });
}

export const permissionsLs: GovcCommand = {
  name: 'permissions.ls',
  usage: '[PATH]...',
  description: 'List the permissions defined on or effective on managed entities.',
  flags: (fs) =>
    permissionFlags(fs).bool('a', 'Include inherited permissions defined by parent entities', true),
  run(ctx, fs) {
    const inv = ctx.inventory();
    const all = ctx.vc.list('permissions').items;
    const list: KubeObject[] = [];
    for (const n of entities(ctx, fs)) {
      const line = inv.lineage(n).reverse();
      line.forEach((x, i) => {
        if (i > 0 && !fs.flag('a')) return;
        list.push(
          ...all.filter((p) => spec(p).entity === x.path && (i === 0 || spec(p).propagate !== false)),
        );
      });
    }
    const known = roles(ctx);
    const roleId = (name: string) => known.find(([, n]) => n === name)?.[0] ?? 0;
    const entityRef = (path: string) => inv.byPath(path)?.ref;
    ctx.write(
      fs,
      () => ({
        Roles: known.map(([id, name]) => ({
          roleId: id,
          system: id < 0,
          name,
          info: { label: name, summary: name },
        })),
        ...(list.length
          ? {
              Permissions: list.map((p) => ({
                ...(entityRef(spec(p).entity) ? { entity: entityRef(spec(p).entity) } : {}),
                principal: displayPrincipal(spec(p).principal),
                group: Boolean(spec(p).group),
                roleId: roleId(spec(p).role),
                propagate: spec(p).propagate !== false,
              })),
            }
          : {}),
      }),
      () =>
        tabwrite(
          `Role\tEntity\tPrincipal\tPropagate\n${list
            .map((p) => {
              const s = spec(p);
              const ref = entityRef(s.entity);
              const where = fs.flag('i')
                ? ref
                  ? `${ref.type}:${ref.value}`
                  : ''
                : inv.byPath(s.entity)
                  ? s.entity
                  : '';
              return `${s.role}\t${where}\t${displayPrincipal(s.principal)}\t${s.propagate !== false ? 'Yes' : 'No'}\n`;
            })
            .join('')}`,
        ),
    );
  },
};

/** The principal as stored (`devops@vsphere.local`), or a fault when SSO does not know it. */
function knownPrincipal(ctx: GovcContext, input: string, group: boolean): string {
  const name = input ? principalName(input) : '';
  const found =
    name &&
    (group
      ? ctx.vc.list('ssogroups').items.find((g) => g.metadata.name!.toLowerCase() === name.toLowerCase())
      : ctx.vc.list('ssousers').items.find((u) => u.metadata.name!.toLowerCase() === name.toLowerCase()));
  if (!found) throw new GovcError(`ServerFaultCode: The user or group named '${input}' does not exist.`);
  return found.metadata.name!;
}

/** vCenter keeps these objects' permissions the same as their parent's. */
function settable(n: InvNode): boolean {
  if (n.type === 'Folder' && n.parent?.type === 'Datacenter') return false;
  if (n.type === 'ResourcePool' && n.parent?.type === 'ClusterComputeResource') return false;
  return true;
}

export const permissionsSet: GovcCommand = {
  name: 'permissions.set',
  usage: '[PATH]...',
  description: 'Set the permissions managed entities.',
  flags: (fs) =>
    permissionFlags(fs)
      .string('principal', 'User or group for which the permission is defined')
      .bool('group', 'True, if principal refers to a group name; false, for a user name')
      .bool('propagate', 'Whether or not this permission propagates down the hierarchy to sub-entities', true)
      .string('role', 'Permission role name', 'Admin'),
  run(ctx, fs) {
    const targets = entities(ctx, fs);
    const role = fs.str('role');
    if (!roles(ctx).some(([, n]) => n === role)) throw new GovcError(`role ${goQuote(role)} not found`);
    const group = fs.flag('group');
    const principal = knownPrincipal(ctx, fs.str('principal'), group);
    if (targets.some((t) => !settable(t)))
      throw new GovcError('ServerFaultCode: A specified parameter was not correct: entity');
    for (const t of targets) {
      const all = ctx.vc.list('permissions').items;
      const existing = all.find(
        (p) =>
          spec(p).entity === t.path && spec(p).principal === principal && Boolean(spec(p).group) === group,
      );
      const body = { entity: t.path, principal, group, role, propagate: fs.flag('propagate') };
      if (existing) ctx.vc.patch('permissions', '', existing.metadata.name!, 'merge', { spec: body });
      else {
        const next =
          Math.max(0, ...all.map((p) => Number(/^permission-(\d+)$/.exec(p.metadata.name!)?.[1] ?? 0))) + 1;
        ctx.vc.create({
          apiVersion: `${GROUP}/v1`,
          kind: 'Permission',
          metadata: { name: `permission-${next}` },
          spec: body,
        });
      }
    }
  },
};

export const permissionsRemove: GovcCommand = {
  name: 'permissions.remove',
  usage: '[PATH]...',
  description: 'Removes a permission rule from managed entities.',
  flags: (fs) =>
    permissionFlags(fs)
      .string('principal', 'User or group for which the permission is defined')
      .bool('group', 'True, if principal refers to a group name; false, for a user name')
      .bool('f', 'Ignore NotFound fault if permission for this entity and user or group does not exist'),
  run(ctx, fs) {
    const targets = entities(ctx, fs);
    const input = fs.str('principal');
    const name = input ? principalName(input).toLowerCase() : '';
    const group = fs.flag('group');
    const all = ctx.vc.list('permissions').items;
    const hits = targets.map((t) =>
      all.find(
        (p) =>
          spec(p).entity === t.path &&
          spec(p).principal.toLowerCase() === name &&
          Boolean(spec(p).group) === group,
      ),
    );
    if (hits.some((h) => !h) && !fs.flag('f'))
      throw new GovcError('ServerFaultCode: The object or item referred to could not be found.');
    for (const h of hits) if (h) ctx.vc.delete('permissions', '', h.metadata.name!);
  },
};
