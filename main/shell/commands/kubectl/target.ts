// Where an in-app kubectl command goes and as whom: the kubeconfig's current context (or --context)
// names a cluster (a server address → an API space of the lab) and a user (a bearer token → an SSO
// session), as client-go's loader resolves them, with kubectl's errors when they do not resolve.
import type { UserInfo } from '../../../api/types';
import type { CommandContext } from '../../session';
import { kubeconfigPath, readKubeconfig, type Kubeconfig } from '../../kubeconfig';
import type { KubectlContext } from './index';
import type { LoginRequest, LoginResult } from './vsphere';
import type { Pause } from './wait';

/** What the lab tells kubectl about itself. */
export interface KubectlEnv {
  now(): Date;
  /** the API space served at a server URL, or what kubectl prints when it cannot reach it */
  spaceAt(server: string): string | { error: string };
  /** the user a bearer token stands for while its session lives */
  userFor(token: string): UserInfo | undefined;
  /** `kubectl vsphere login`: the SSO password checked at a server, a session opened */
  login(request: LoginRequest): LoginResult;
  /** lab time passing while a command waits: stepped at once, or in real time until aborted */
  pause: Pause;
  /** whether lab time moves only when stepped */
  stepped(): boolean;
}

/** kubectl's global flags that choose the kubeconfig and the context; they may appear anywhere. */
export interface GlobalFlags {
  context?: string;
  kubeconfig?: string;
  namespace?: string;
}

export const UNAUTHORIZED = 'error: You must be logged in to the server (Unauthorized)\n';
const REFUSED =
  'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n';

/** The kubeconfig in effect (for `kubectl config`, whose reads work without a server). */
export function loadKubeconfig(
  ctx: CommandContext,
  g: GlobalFlags,
): { path: string; config: Kubeconfig } | { error: string } {
  const path = kubeconfigPath(ctx.env, ctx.session.cwd, g.kubeconfig);
  const config = readKubeconfig(ctx.session.workspace, path);
  return 'error' in config ? config : { path, config };
}

export function resolveTarget(
  ctx: CommandContext,
  env: KubectlEnv,
  g: GlobalFlags,
): KubectlContext | { error: string } {
  const loaded = loadKubeconfig(ctx, g);
  if ('error' in loaded) return loaded;
  if (g.kubeconfig !== undefined && !ctx.session.workspace.stat(loaded.path))
    return { error: `error: stat ${loaded.path}: no such file or directory\n` };
  const { config } = loaded;
  const name = g.context ?? config['current-context'];
  const context = config.contexts.find((c) => c.name === name)?.context;
  if (name && !context)
    // with a namespace given, client-go resolves the namespace first and fails later, in other words
    return {
      error:
        g.namespace === undefined
          ? `Error in configuration: context was not found for specified context: ${name}\n`
          : `error: context "${name}" does not exist\n`,
    };
  const cluster = config.clusters.find((c) => c.name === context?.cluster)?.cluster;
  const server = typeof cluster?.server === 'string' ? cluster.server : '';
  if (!server) return { error: REFUSED };
  const space = env.spaceAt(server);
  if (typeof space !== 'string') return space;
  const token = config.users.find((u) => u.name === context?.user)?.user.token;
  const user = typeof token === 'string' ? env.userFor(token) : undefined;
  if (!user) return { error: UNAUTHORIZED };
  const namespace = g.namespace ?? (context?.namespace || 'default');
  return { user, space, namespace, now: env.now, server, stepped: env.stepped() };
}

/**
 * Takes kubectl's global `--context`, `--kubeconfig` and `-n`/`--namespace` out of the arguments,
 * wherever they stand (up to `--`), as cobra's persistent flags allow. (`kubectl config set-context`
 * has a --namespace of its own; a trailing `-n` without a value is left for the subcommand's error.)
 */
export function takeGlobalFlags(argv: string[]): { argv: string[]; flags: GlobalFlags } | { error: string } {
  const out: string[] = [];
  const flags: GlobalFlags = {};
  const sub = argv.slice(1).find((a) => !a.startsWith('-'));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (sub !== 'config' && i > 0) {
      const joined = /^(?:-n=?|--namespace=)(.+)$/.exec(a);
      if (joined) {
        flags.namespace = joined[1];
        continue;
      }
      if ((a === '-n' || a === '--namespace') && argv[i + 1] !== undefined) {
        flags.namespace = argv[++i];
        continue;
      }
    }
    const m = /^--(context|kubeconfig)(?:=(.*))?$/.exec(a);
    if (!m) {
      out.push(a);
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined)
      return {
        error: `Error: flag needs an argument: --${m[1]}\nSee 'kubectl${sub ? ` ${sub}` : ''} --help' for usage.\n`,
      };
    flags[m[1] as 'context' | 'kubeconfig'] = value;
  }
  return { argv: out, flags };
}
