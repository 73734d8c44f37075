// kubectl label, annotate, patch and scale in the lab shell: PATCH requests (and the scale subresource)
// with kubectl's own messages and checks (--overwrite, "not labeled", "patched (no change)").
import { parse as parseYaml } from 'yaml';
import type { ApiServer } from '../../../api/server';
import type { ResolvedKind } from '../../../api/registry';
import type { KubeObject, Status } from '../../../api/types';
import type { CommandContext } from '../../session';
import { typeName } from './common';
import { parseFlags } from './flags';
import type { KubectlContext } from './index';

interface Target {
  kind: ResolvedKind;
  name: string;
  req: {
    user: KubectlContext['user'];
    cluster: string;
    group: string;
    version: string;
    resource: string;
    namespace?: string;
  };
}

/** TYPE NAME or TYPE/NAME from the arguments; prints kubectl's error and returns undefined if wrong. */
function targetOf(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  args: string[],
  namespace: string | undefined,
): { t: Target; rest: string[] } | undefined {
  let type: string | undefined;
  let name: string | undefined;
  let rest: string[];
  if (args[0]?.includes('/')) {
    [type, name] = args[0].split('/', 2);
    rest = args.slice(1);
  } else {
    [type, name] = args;
    rest = args.slice(2);
  }
  if (!type) {
    ctx.err('error: You must provide one or more resources by argument or filename.\n');
    return undefined;
  }
  const kind = api.registry.resolve(type, api.flavorOf(k.space));
  if (!kind) {
    ctx.err(`error: the server doesn't have a resource type "${type}"\n`);
    return undefined;
  }
  if (!name) {
    ctx.err('error: resource(s) were provided, but no name was specified\n');
    return undefined;
  }
  const ns = kind.namespaced ? (namespace ?? k.namespace) : undefined;
  return {
    t: {
      kind,
      name,
      req: {
        user: k.user,
        cluster: k.space,
        group: kind.group,
        version: kind.version,
        resource: kind.plural,
        namespace: ns,
      },
    },
    rest,
  };
}

const serverError = (ctx: CommandContext, body: unknown) => {
  const s = body as Status;
  ctx.err(`Error from server (${s.reason}): ${s.message}\n`);
  return 1;
};

export function labelOrAnnotate(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  argv: string[],
  what: 'label' | 'annotation',
): number {
  const { values, args } = parseFlags(argv, [
    { long: 'namespace', short: 'n', kind: 'string' },
    { long: 'overwrite', kind: 'bool' },
  ]);
  const found = targetOf(api, k, ctx, args, values.get('namespace') as string | undefined);
  if (!found) return 1;
  const { t, rest } = found;
  if (rest.length === 0) {
    ctx.err(`error: at least one ${what} update is required\n`);
    return 1;
  }
  const cur = api.request({ ...t.req, verb: 'get', name: t.name });
  if (cur.status >= 400) return serverError(ctx, cur.body);
  const obj = cur.body as KubeObject;
  const field = what === 'label' ? 'labels' : 'annotations';
  const existing: Record<string, string> = { ...(obj.metadata[field] ?? {}) };
  const next = { ...existing };
  const changes: Record<string, string | null> = {};
  let removedOnly = true;
  for (const r of rest) {
    if (r.endsWith('-') && !r.includes('=')) {
      const key = r.slice(0, -1);
      if (key in next) {
        delete next[key];
        changes[key] = null;
      } else ctx.out(`${what} "${key}" not found.\n`);
      continue;
    }
    const eq = r.indexOf('=');
    if (eq <= 0) {
      ctx.err(`error: invalid ${what} format: ${r}\n`);
      return 1;
    }
    removedOnly = false;
    const key = r.slice(0, eq);
    const value = r.slice(eq + 1);
    if (key in existing && existing[key] !== value && values.get('overwrite') !== true) {
      ctx.err(
        what === 'label'
          ? `error: '${key}' already has a value (${existing[key]}), and --overwrite is false\n`
          : `error: --overwrite is false but found the following declared annotation(s): '${key}' already has a value (${existing[key]})\n`,
      );
      return 1;
    }
    if (next[key] !== value) changes[key] = value;
    next[key] = value;
  }
  const label = typeName(t.kind);
  const verb = what === 'label' ? (removedOnly ? 'unlabeled' : 'labeled') : 'annotated';
  if (Object.keys(changes).length === 0) {
    ctx.out(`${label}/${t.name} not ${what === 'label' ? 'labeled' : 'annotated'}\n`);
    return 0;
  }
  const r = api.request({
    ...t.req,
    verb: 'patch',
    name: t.name,
    patchType: 'merge',
    body: { metadata: { [field]: changes } },
  });
  if (r.status >= 400) return serverError(ctx, r.body);
  ctx.out(`${label}/${t.name} ${verb}\n`);
  return 0;
}

export function patch(api: ApiServer, k: KubectlContext, ctx: CommandContext, argv: string[]): number {
  const { values, args } = parseFlags(argv, [
    { long: 'namespace', short: 'n', kind: 'string' },
    { long: 'patch', short: 'p', kind: 'string' },
    { long: 'type', kind: 'string' },
  ]);
  const found = targetOf(api, k, ctx, args, values.get('namespace') as string | undefined);
  if (!found) return 1;
  const { t } = found;
  const text = values.get('patch') as string | undefined;
  if (text === undefined) {
    ctx.err('error: must specify -p to patch\n');
    return 1;
  }
  const type = (values.get('type') as string | undefined) ?? 'strategic';
  if (!['strategic', 'merge', 'json'].includes(type)) {
    ctx.err(`error: --type must be one of [json merge strategic], not "${type}"\n`);
    return 1;
  }
  let body: unknown;
  try {
    body = parseYaml(text);
  } catch (e) {
    ctx.err(`error: unable to parse "${text}": ${(e as Error).message.split('\n')[0]}\n`);
    return 1;
  }
  const before = api.request({ ...t.req, verb: 'get', name: t.name });
  if (before.status >= 400) return serverError(ctx, before.body);
  const r = api.request({
    ...t.req,
    verb: 'patch',
    name: t.name,
    patchType: type as 'strategic' | 'merge' | 'json',
    body,
  });
  if (r.status >= 400) return serverError(ctx, r.body);
  const unchanged =
    (r.body as KubeObject).metadata.resourceVersion === (before.body as KubeObject).metadata.resourceVersion;
  ctx.out(`${typeName(t.kind)}/${t.name} patched${unchanged ? ' (no change)' : ''}\n`);
  return 0;
}

export function scale(api: ApiServer, k: KubectlContext, ctx: CommandContext, argv: string[]): number {
  const { values, args } = parseFlags(argv, [
    { long: 'namespace', short: 'n', kind: 'string' },
    { long: 'replicas', kind: 'string' },
  ]);
  if (values.get('replicas') === undefined) {
    ctx.err('error: required flag(s) "replicas" not set\n');
    return 1;
  }
  const replicas = Number(values.get('replicas'));
  if (!Number.isInteger(replicas) || replicas < 0) {
    ctx.err('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n');
    return 1;
  }
  const found = targetOf(api, k, ctx, args, values.get('namespace') as string | undefined);
  if (!found) return 1;
  const { t } = found;
  const current = api.request({ ...t.req, verb: 'get', name: t.name });
  if (current.status === 404 && (current.body as Status).details?.name) {
    ctx.err(
      `error: no objects passed to scale ${t.kind.plural}${t.kind.group ? `.${t.kind.group}` : ''} "${t.name}" not found\n`,
    );
    return 1;
  }
  const r = api.request({
    ...t.req,
    verb: 'patch',
    name: t.name,
    subresource: 'scale',
    patchType: 'merge',
    body: { spec: { replicas } },
  });
  if (r.status >= 400) return serverError(ctx, r.body);
  ctx.out(`${typeName(t.kind)}/${t.name} scaled\n`);
  return 0;
}
