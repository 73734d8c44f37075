// kubectl in the lab shell: the same API requests the real kubectl makes, through ApiServer. Subcommands
// arrive one by one; `get` is here, the rest of kubectl follows.
import type { ApiServer } from '../../../api/server';
import type { UserInfo } from '../../../api/types';
import type { CommandFn } from '../../session';
import { FlagError } from './flags';
import { get } from './get';
import { applyOrCreate } from './apply';
import { del } from './delete';
import { apiResources, apiVersions } from './discovery';
import { labelOrAnnotate, patch, scale } from './modify';
import { explain } from './explain';

export interface KubectlContext {
  user: UserInfo;
  /** the API space of the current context (the Supervisor, a guest cluster) */
  space: string;
  namespace: string;
  now(): Date;
}

export function kubectlCommand(api: ApiServer, contextOf: () => KubectlContext): CommandFn {
  return (ctx) => {
    // kubectl's global --namespace may come before the subcommand; no other flag may, as in kubectl
    let at = 1;
    let namespace: string | undefined;
    for (let a = ctx.argv[at]; a?.startsWith('-'); a = ctx.argv[at]) {
      const joined = /^(?:-n=?|--namespace=)(.+)$/.exec(a);
      if (joined) {
        namespace = joined[1];
        at++;
      } else if (a === '-n' || a === '--namespace') {
        if (ctx.argv[at + 1] === undefined) {
          ctx.err(
            `Error: flag needs an argument: ${a === '-n' ? "'n' in -n" : '--namespace'}\nSee 'kubectl --help' for usage.\n`,
          );
          return 1;
        }
        namespace = ctx.argv[at + 1];
        at += 2;
      } else {
        ctx.err(`Error: flags cannot be placed before plugin name: ${a}\n`);
        return 1;
      }
    }
    const [sub, ...rest] = ctx.argv.slice(at);
    const context = namespace === undefined ? contextOf : () => ({ ...contextOf(), namespace });
    try {
      switch (sub) {
        case 'get':
          return get(api, context(), ctx, rest);
        case 'apply':
          return applyOrCreate(api, context(), ctx, rest, 'apply');
        case 'create':
          return applyOrCreate(api, context(), ctx, rest, 'create');
        case 'delete':
          return del(api, context(), ctx, rest);
        case 'label':
          return labelOrAnnotate(api, context(), ctx, rest, 'label');
        case 'annotate':
          return labelOrAnnotate(api, context(), ctx, rest, 'annotation');
        case 'patch':
          return patch(api, context(), ctx, rest);
        case 'scale':
          return scale(api, context(), ctx, rest);
        case 'explain':
          return explain(api, context(), ctx, rest);
        case 'api-resources':
          return apiResources(api, context(), ctx, rest);
        case 'api-versions':
          return apiVersions(api, context(), ctx);
        case undefined:
          ctx.out(
            'kubectl controls the Kubernetes cluster manager.\n\nAvailable in the lab shell so far: get, apply, create -f, delete, label, annotate, patch, scale, explain, api-resources, api-versions\n',
          );
          return 0;
        default:
          ctx.err(`error: unknown command "${sub}" for "kubectl"\n`);
          return 1;
      }
    } catch (e) {
      if (e instanceof FlagError) {
        ctx.err(`Error: ${e.message}\nSee 'kubectl ${sub} --help' for usage.\n`);
        return 1;
      }
      throw e;
    } finally {
      api.flush();
    }
  };
}
