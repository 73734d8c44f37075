// kubectl auth can-i in the lab shell: a SelfSubjectAccessReview through the API, answered by the same
// authorizer every request meets; "yes" exits 0, "no" exits 1, as kubectl does.
import type { ApiServer } from '../../../api/server';
import type { Status } from '../../../api/types';
import type { CommandContext } from '../../session';
import type { KubectlContext } from './index';
import { parse, withFlags } from './kflags';
import { statusError } from './out';

const RESOURCE_VERBS = new Set([
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'use',
  'bind',
  'impersonate',
  '*',
  'approve',
  'sign',
  'escalate',
  'attest',
]);
const NON_RESOURCE_VERBS = new Set(['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*']);
const warning = (text: string) => `Warning: ${text}\n\n`;

export function auth(api: ApiServer, k: KubectlContext, ctx: CommandContext, argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub !== 'can-i') {
    if (sub === undefined || sub.startsWith('-')) {
      ctx.err(
        'Inspect authorization.\n\nAvailable Commands:\n  can-i         Check whether an action is allowed\n  reconcile     Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects\n  whoami        Experimental: Check self subject attributes\n\nUsage:\n  kubectl auth [flags] [options]\n\nUse "kubectl auth <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n',
      );
      return 1;
    }
    if (sub === 'reconcile' || sub === 'whoami') {
      ctx.err(`error: kubectl auth ${sub} is not available in the lab shell\n`);
      return 1;
    }
    ctx.err(
      `error: unknown command ${JSON.stringify(argv.join(' '))}\nSee 'kubectl auth -h' for help and examples\n`,
    );
    return 1;
  }
  return withFlags(ctx, 'auth can-i', k.now(), () => canI(api, k, ctx, rest)) as number;
}

function canI(api: ApiServer, k: KubectlContext, ctx: CommandContext, argv: string[]): number {
  const f = parse(argv, [
    { long: 'all-namespaces', short: 'A', kind: 'bool' },
    { long: 'quiet', short: 'q', kind: 'bool' },
    { long: 'subresource', kind: 'string' },
    { long: 'list', kind: 'bool' },
    { long: 'no-headers', kind: 'bool' },
  ]);
  if (f.bool('list')) {
    if (f.args.length) {
      ctx.err('error: list option must be specified with no arguments\n');
      return 1;
    }
    ctx.err('error: kubectl auth can-i --list is not available in the lab shell\n');
    return 1;
  }
  if (f.args.length !== 2) {
    ctx.err(
      "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n",
    );
    return 1;
  }
  const [verb, what] = f.args as [string, string];
  const quiet = f.bool('quiet');
  const all = f.bool('all-namespaces');
  const subresource = f.str('subresource') ?? '';
  const warnings: string[] = [];
  let body: Record<string, unknown>;
  if (what.startsWith('/')) {
    if (subresource) {
      ctx.err('error: --subresource can not be used with NonResourceURL\n');
      return 1;
    }
    if (!NON_RESOURCE_VERBS.has(verb)) warnings.push(warning(`verb '${verb}' is not a known verb`));
    body = { spec: { nonResourceAttributes: { verb, path: what } } };
  } else {
    const slash = what.indexOf('/');
    const type = slash < 0 ? what : what.slice(0, slash);
    const name = slash < 0 ? '' : what.slice(slash + 1);
    let group = '';
    let resource = type;
    if (type !== '*') {
      // schema.ParseResourceArg: resource.version.group or resource.group
      const lower = type.toLowerCase();
      const kind =
        api.registry.resolve(lower, api.flavorOf(k.space)) ??
        (() => {
          const dot = lower.indexOf('.');
          if (dot < 0) return undefined;
          const r = api.registry.resolve(lower.slice(0, dot), api.flavorOf(k.space));
          return r && lower.slice(dot + 1).endsWith(r.group) && r.group ? r : undefined;
        })();
      if (kind) {
        group = kind.group;
        resource = kind.plural;
        if (!all && !kind.namespaced)
          warnings.push(
            warning(
              group
                ? `resource '${resource}' is not namespace scoped in group '${group}'`
                : `resource '${resource}' is not namespace scoped`,
            ),
          );
      } else {
        const dot = lower.indexOf('.');
        const [r, g] = dot < 0 ? [lower, ''] : [lower.slice(0, dot), lower.slice(dot + 1)];
        if (!['users', 'groups'].includes(r) || g)
          warnings.unshift(
            warning(
              g
                ? `the server doesn't have a resource type '${r}' in group '${g}'`
                : `the server doesn't have a resource type '${r}'`,
            ),
          );
      }
    }
    if (!RESOURCE_VERBS.has(verb) && !all) warnings.push(warning(`verb '${verb}' is not a known verb`));
    body = {
      spec: {
        resourceAttributes: {
          namespace: all ? '' : k.namespace,
          verb,
          group,
          resource,
          subresource,
          name,
        },
      },
    };
  }
  if (f.bool('no-headers')) {
    for (const w of warnings) ctx.err(w);
    ctx.err('error: --no-headers cannot be set without --list specified\n');
    return 1;
  }
  for (const w of warnings) ctx.err(w);
  const r = api.request({
    user: k.user,
    cluster: k.space,
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'selfsubjectaccessreviews',
    verb: 'create',
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', ...body },
  });
  if (r.status >= 400) {
    ctx.err(statusError(r.body as Status));
    return 1;
  }
  const st = ((r.body as { status?: unknown }).status ?? {}) as {
    allowed?: boolean;
    reason?: string;
    evaluationError?: string;
  };
  if (!quiet) {
    if (st.allowed) ctx.out('yes\n');
    else
      ctx.out(
        `no${st.reason ? ` - ${st.reason}` : ''}${st.evaluationError ? ` - ${st.evaluationError}` : ''}\n`,
      );
  }
  return st.allowed ? 0 : 1;
}
