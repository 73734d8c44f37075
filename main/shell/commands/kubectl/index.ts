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
import { createGenerated, generatorOf } from './generators';
import { run as runPod } from './run';
import { expose } from './expose';
import { auth } from './auth';
import { logs } from './logs';
import { rollout } from './rollout';
import { cordon, drain, top } from './nodes';
import { clusterInfo, version } from './info';
import { resolveTarget, takeGlobalFlags, type KubectlEnv } from './target';
import { config } from './config';
import { vsphere } from './vsphere';
import { wait } from './wait';
import { describe } from './describe';
import { edit } from './edit';

export interface KubectlContext {
  user: UserInfo;
  /** the API space of the current context (the Supervisor, a guest cluster) */
  space: string;
  namespace: string;
  now(): Date;
  /** the current context's server URL, as the kubeconfig gives it */
  server?: string;
  /** lab time moves only when stepped (waiting commands step it), rather than on its own */
  stepped?: boolean;
}

/** The current context did not resolve: what kubectl prints instead of running the command. */
class TargetError extends Error {}

/**
 * The API server as this command's client sees it: every response's warnings go to stderr as client-go's
 * default warning handler prints them ("Warning: …"), whichever subcommand sent the request.
 */
function warningPrinter(api: ApiServer, err: (text: string) => void): ApiServer {
  return new Proxy(api, {
    get(target, prop) {
      if (prop === 'request')
        return (r: Parameters<ApiServer['request']>[0]) => {
          const res = target.request(r);
          for (const w of res.warnings ?? []) err(`Warning: ${w}\n`);
          return res;
        };
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

export function kubectlCommand(server: ApiServer, env: KubectlEnv): CommandFn {
  return (ctx) => {
    const api = warningPrinter(server, (text) => ctx.err(text));
    const taken = takeGlobalFlags(ctx.argv);
    if ('error' in taken) {
      ctx.err(taken.error);
      return 1;
    }
    const argv = taken.argv;
    // kubectl's global --namespace may come before the subcommand; no other flag may, as in kubectl
    let at = 1;
    let namespace: string | undefined;
    for (let a = argv[at]; a?.startsWith('-'); a = argv[at]) {
      const joined = /^(?:-n=?|--namespace=)(.+)$/.exec(a);
      if (joined) {
        namespace = joined[1];
        at++;
      } else if (a === '-n' || a === '--namespace') {
        if (argv[at + 1] === undefined) {
          ctx.err(
            `Error: flag needs an argument: ${a === '-n' ? "'n' in -n" : '--namespace'}\nSee 'kubectl --help' for usage.\n`,
          );
          return 1;
        }
        namespace = argv[at + 1];
        at += 2;
      } else {
        ctx.err(`Error: flags cannot be placed before plugin name: ${a}\n`);
        return 1;
      }
    }
    const [sub, ...rest] = argv.slice(at);
    const globals = { ...taken.flags, namespace: namespace ?? taken.flags.namespace };
    // the context resolves when a subcommand needs the server (config and the plugin do not)
    const context = (): KubectlContext => {
      const t = resolveTarget(ctx, env, globals);
      if ('error' in t) throw new TargetError(t.error);
      return t;
    };
    const run = (): number | Promise<number> => {
      switch (sub) {
        case 'config':
          return config(ctx, rest, globals);
        case 'vsphere':
          return vsphere(env, ctx, rest, globals);
        case 'describe':
          return describe(api, { ...context(), namespaceSet: globals.namespace !== undefined }, ctx, rest);
        case 'wait':
          return wait(api, context(), ctx, rest, env.pause);
        case 'edit':
          return edit(api, context(), ctx, rest);
        case 'get':
          return get(api, context(), ctx, rest);
        case 'apply':
          return applyOrCreate(api, context(), ctx, rest, 'apply');
        case 'create':
          return generatorOf(rest)
            ? createGenerated(api, { ...context(), namespaceSet: globals.namespace !== undefined }, ctx, rest)
            : applyOrCreate(api, context(), ctx, rest, 'create');
        case 'run':
          return runPod(api, { ...context(), namespaceSet: globals.namespace !== undefined }, ctx, rest);
        case 'expose':
          return expose(api, { ...context(), namespaceSet: globals.namespace !== undefined }, ctx, rest);
        case 'auth':
          return auth(api, context(), ctx, rest);
        case 'logs':
          return logs(api, context(), ctx, rest);
        case 'rollout':
          return rollout(api, context(), ctx, rest, env.pause);
        case 'cordon':
        case 'uncordon':
          return cordon(api, context(), ctx, rest, sub);
        case 'drain':
          return drain(api, context(), ctx, rest);
        case 'top':
          return top(api, context(), ctx, rest);
        case 'version':
          return version(api, rest.includes('--client') ? undefined : context(), ctx, rest, env.now());
        case 'cluster-info':
          return clusterInfo(api, { ...context(), namespaceSet: globals.namespace !== undefined }, ctx, rest);
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
            'kubectl controls the Kubernetes cluster manager.\n\nIn the lab shell: get, describe, create, apply, delete, edit, patch, label, annotate, scale, rollout, expose, run, logs, wait, auth can-i, explain, api-resources, api-versions, config, cluster-info, version, cordon, uncordon, drain, top, and the vsphere plugin (login, logout).\n',
          );
          return 0;
        default:
          ctx.err(`error: unknown command "${sub}" for "kubectl"\n`);
          return 1;
      }
    };
    const handle = (e: unknown): number => {
      if (e instanceof TargetError) {
        ctx.err(e.message);
        return 1;
      }
      if (e instanceof FlagError) {
        ctx.err(`Error: ${e.message}\nSee 'kubectl ${sub} --help' for usage.\n`);
        return 1;
      }
      throw e;
    };
    // what a subcommand wrote is committed when it ends, whether it ran at once or waited
    let result: number | Promise<number>;
    try {
      result = run();
    } catch (e) {
      api.flush();
      return handle(e);
    }
    if (result instanceof Promise) return result.catch(handle).finally(() => api.flush());
    api.flush();
    return result;
  };
}
