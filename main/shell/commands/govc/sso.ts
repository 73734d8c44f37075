// sso.user.* and sso.group.*: the vsphere.local users and groups of vCenter Single Sign-On, kept as
// SsoUser and SsoGroup objects in the `vcenter` space. Faults read as govc prints the SSO admin
// service's (vcsim's): `ServerFaultCode: NotFound`, `ServerFaultCode: DuplicateName`.
import type { KubeObject } from '../../../api/types';
import { GROUP } from '../../../sim/vcenter/kinds';
import { passwordDigest } from '../../../sim/vcenter/scenario';
import { DEFAULT_DOMAIN, groupsOf } from '../../../sim/vcenter/sso';
import {
  clientFlags,
  GOVC_USER,
  GovcError,
  outputFlags,
  type GovcCommand,
  type GovcContext,
} from './command';
import { HelpRequest } from './flags';
import { goQuote } from './output';

const NOT_FOUND = 'ServerFaultCode: NotFound';
const DUPLICATE = 'ServerFaultCode: DuplicateName';

/** ssoadmin's parseID: `name@domain`, or the system domain. */
function parseId(name: string): { Name: string; Domain: string } {
  const at = name.indexOf('@');
  return at < 0
    ? { Name: name, Domain: DEFAULT_DOMAIN }
    : { Name: name.slice(0, at), Domain: name.slice(at + 1) };
}

const idOf = (o: KubeObject) => parseId(o.metadata.name!);
const principal = (id: { Name: string; Domain: string }) => `${id.Name}@${id.Domain}`.toLowerCase();

function findUser(ctx: GovcContext, name: string): KubeObject | undefined {
  const want = principal(parseId(name));
  return ctx.vc.list('ssousers').items.find((u) => u.metadata.name!.toLowerCase() === want);
}

function findGroup(ctx: GovcContext, name: string): KubeObject | undefined {
  const want = principal(parseId(name));
  return ctx.vc.list('ssogroups').items.find((g) => g.metadata.name!.toLowerCase() === want);
}

const members = (g: KubeObject) => [...((g.spec as { members?: string[] }).members ?? [])];
const matches = (search: string, name: string) =>
  !search || name.toLowerCase().includes(search.toLowerCase());
const byName = (a: KubeObject, b: KubeObject) => (a.metadata.name! < b.metadata.name! ? -1 : 1);

function userJson(u: KubeObject) {
  const s = u.spec as { firstName?: string; lastName?: string; email?: string };
  return {
    Id: idOf(u),
    Alias: null,
    Details: {
      Description: '',
      EmailAddress: s.email ?? '',
      FirstName: s.firstName ?? '',
      LastName: s.lastName ?? '',
    },
    Disabled: false,
    Locked: false,
  };
}

const adminUser = (u: KubeObject) => ({ Id: idOf(u), Alias: null, Kind: 'person', Description: '' });
const groupJson = (g: KubeObject) => ({
  Id: idOf(g),
  Alias: null,
  Details: { Description: (g.spec as { description?: string }).description ?? '' },
});

export const ssoUserLs: GovcCommand = {
  name: 'sso.user.ls',
  description: 'List SSO users.',
  flags: (fs) =>
    outputFlags(clientFlags(fs))
      .bool('s', 'List solution users')
      .bool('group', 'List users in group')
      .string('search', 'Search users in group'),
  run(ctx, fs) {
    if (fs.flag('s')) {
      if (fs.args.length) throw new HelpRequest();
      ctx.write(
        fs,
        () => null,
        () => '',
      );
      return;
    }
    if (fs.flag('group')) {
      if (!fs.args.length) throw new HelpRequest();
      const g = findGroup(ctx, fs.args[0]!);
      const users = g
        ? ctx.vc
            .list('ssousers')
            .items.filter(
              (u) => members(g).includes(u.metadata.name!) && matches(fs.str('search'), idOf(u).Name),
            )
            .sort(byName)
        : [];
      ctx.write(
        fs,
        () => (users.length ? users.map(adminUser) : null),
        () => users.map((u) => `${idOf(u).Name}\t\n`).join(''),
        true,
      );
      return;
    }
    const users = ctx.vc
      .list('ssousers')
      .items.filter((u) => idOf(u).Domain === DEFAULT_DOMAIN && matches(fs.args[0] ?? '', idOf(u).Name))
      .sort(byName);
    ctx.write(
      fs,
      () => (users.length ? users.map(userJson) : null),
      () => users.map((u) => `${idOf(u).Name}\t\n`).join(''),
      true,
    );
  },
};

export const ssoUserId: GovcCommand = {
  name: 'sso.user.id',
  usage: 'NAME',
  description: 'Print SSO user and group IDs.',
  flags: (fs) => outputFlags(clientFlags(fs)),
  run(ctx, fs) {
    const arg = fs.args[0] || GOVC_USER;
    const u = findUser(ctx, arg);
    if (!u) throw new GovcError(`${goQuote(arg)}: no such user`);
    const groups = groupsOf(ctx.lab.world, u.metadata.name!).map((g) => parseId(g));
    ctx.write(
      fs,
      () => ({ User: adminUser(u), Group: groups.length ? groups : null }),
      () => `person=${idOf(u).Name}@${idOf(u).Domain} groups=${groups.map((g) => g.Name).join(',')}\n`,
    );
  },
};

export const ssoUserCreate: GovcCommand = {
  name: 'sso.user.create',
  usage: 'NAME',
  description: 'Create SSO users.',
  flags: (fs) =>
    clientFlags(fs)
      .string('d', 'User description')
      .string('m', 'Email address')
      .string('f', 'First name')
      .string('l', 'Last name')
      .string('p', 'Password'),
  run(ctx, fs) {
    if (fs.args.length !== 1 || !fs.str('p')) throw new HelpRequest();
    const name = `${parseId(fs.args[0]!).Name}@${DEFAULT_DOMAIN}`;
    if (findUser(ctx, name) || findGroup(ctx, name)) throw new GovcError(DUPLICATE);
    ctx.vc.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'SsoUser',
      metadata: { name },
      spec: {
        domain: DEFAULT_DOMAIN,
        passwordSha256: passwordDigest(name, fs.str('p')),
        ...(fs.str('f') ? { firstName: fs.str('f') } : {}),
        ...(fs.str('l') ? { lastName: fs.str('l') } : {}),
        ...(fs.str('m') ? { email: fs.str('m') } : {}),
      },
    });
  },
};

/** DeleteLocalPrincipal: a user or a group, taken out of every group it belonged to. */
function deletePrincipal(ctx: GovcContext, kind: 'ssousers' | 'ssogroups', name: string): void {
  const o = kind === 'ssousers' ? findUser(ctx, name) : findGroup(ctx, name);
  if (!name || !o) throw new GovcError(NOT_FOUND);
  ctx.vc.delete(kind, '', o.metadata.name!);
  for (const g of ctx.vc.list('ssogroups').items) {
    if (members(g).includes(o.metadata.name!))
      ctx.vc.patch('ssogroups', '', g.metadata.name!, 'merge', {
        spec: { members: members(g).filter((m) => m !== o.metadata.name) },
      });
  }
}

export const ssoUserRm: GovcCommand = {
  name: 'sso.user.rm',
  usage: 'NAME',
  description: 'Remove SSO users.',
  flags: (fs) => clientFlags(fs),
  run: (ctx, fs) => deletePrincipal(ctx, 'ssousers', fs.args[0] ?? ''),
};

export const ssoGroupLs: GovcCommand = {
  name: 'sso.group.ls',
  usage: '[NAME]',
  description: 'List SSO groups.',
  flags: (fs) => outputFlags(clientFlags(fs)).string('search', 'Search'),
  run(ctx, fs) {
    const all = ctx.vc.list('ssogroups').items;
    const parent = fs.args.length ? findGroup(ctx, fs.args[0]!) : undefined;
    const groups = (
      fs.args.length ? all.filter((g) => parent && members(parent).includes(g.metadata.name!)) : all
    )
      .filter((g) => matches(fs.str('search'), idOf(g).Name))
      .sort(byName);
    ctx.write(
      fs,
      () => (groups.length ? groups.map(groupJson) : null),
      () =>
        groups
          .map((g) => `${idOf(g).Name}\t${(g.spec as { description?: string }).description ?? ''}\n`)
          .join(''),
      true,
    );
  },
};

export const ssoGroupCreate: GovcCommand = {
  name: 'sso.group.create',
  usage: 'NAME',
  description: 'Create SSO group.',
  flags: (fs) => clientFlags(fs).string('d', 'Group description'),
  run(ctx, fs) {
    if (fs.args.length !== 1) throw new HelpRequest();
    const name = `${parseId(fs.args[0]!).Name}@${DEFAULT_DOMAIN}`;
    if (findGroup(ctx, name) || findUser(ctx, name)) throw new GovcError(DUPLICATE);
    ctx.vc.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'SsoGroup',
      metadata: { name },
      spec: { domain: DEFAULT_DOMAIN, description: fs.str('d'), members: [] },
    });
  },
};

export const ssoGroupUpdate: GovcCommand = {
  name: 'sso.group.update',
  description: 'Update SSO group.',
  flags: (fs) =>
    clientFlags(fs)
      .string('d', 'Group description')
      .string('a', 'Add user/group to group')
      .string('r', 'Remove user/group from group')
      .bool('g', 'Add/Remove group from group'),
  run(ctx, fs) {
    if (fs.args.length !== 1) throw new HelpRequest();
    const group = findGroup(ctx, fs.args[0]!);
    const lookup = (name: string) => {
      const p = fs.flag('g') ? findGroup(ctx, name) : findUser(ctx, name);
      if (!p) throw new GovcError(`${fs.flag('g') ? 'group' : 'user'} ${goQuote(name)} not found`);
      return p.metadata.name!;
    };
    // every check first, so a refused update changes nothing
    if ((fs.str('d') || fs.str('a') || fs.str('r')) && !group) throw new GovcError(NOT_FOUND);
    const add = fs.str('a') ? lookup(fs.str('a')) : undefined;
    const remove = fs.str('r') ? lookup(fs.str('r')) : undefined;
    if (!group) return;
    let list = members(group);
    if (add && !list.includes(add)) list.push(add);
    if (remove) {
      if (!list.includes(remove)) throw new GovcError(NOT_FOUND);
      list = list.filter((m) => m !== remove);
    }
    ctx.vc.patch('ssogroups', '', group.metadata.name!, 'merge', {
      spec: { members: list, ...(fs.str('d') ? { description: fs.str('d') } : {}) },
    });
  },
};

export const ssoGroupRm: GovcCommand = {
  name: 'sso.group.rm',
  usage: 'NAME',
  description: 'Remove SSO group.',
  flags: (fs) => clientFlags(fs),
  run: (ctx, fs) => deletePrincipal(ctx, 'ssogroups', fs.args[0] ?? ''),
};
