// `kubectl vsphere login | logout` in the lab shell: the vSphere Plugin for kubectl. Login checks the SSO
// password at the Supervisor's address, then writes into the lab's kubeconfig a cluster and a user for
// that address and a context for the Supervisor and for each vSphere Namespace (or the one TKC asked
// for) the user may use — the same texts as the plugin in resources/ prints from a real terminal.
import type { CommandContext } from '../../session';
import { upsert, writeKubeconfig } from '../../kubeconfig';
import type { Workload } from '../../../sim/supervisor/access';
import { loadKubeconfig, type GlobalFlags, type KubectlEnv } from './target';

export const VSPHERE_USAGE = `vSphere Plugin for kubectl (Supervisor Lab).

Usage:
  kubectl vsphere login --server=<address> --vsphere-username <user> [flags]
  kubectl vsphere logout

Flags:
      --server string                               address of the Supervisor
  -u, --vsphere-username string                     username to authenticate
      --insecure-skip-tls-verify                    skip certificate verification (this is insecure)
      --tanzu-kubernetes-cluster-name string        name of the Tanzu Kubernetes cluster to log in to
      --tanzu-kubernetes-cluster-namespace string   vSphere Namespace of that cluster
  -h, --help                                        help for vsphere

The password is read from KUBECTL_VSPHERE_PASSWORD, or asked for without echo.
`;

export interface LoginRequest {
  server: string;
  username: string;
  password: string;
  insecure: boolean;
  tkc?: { name: string; namespace: string };
}

export type LoginResult =
  { token: string; principal: string; host: string; workloads: Workload[] } | { error: string };

const FLAGS: Record<string, 'server' | 'username' | 'tkc' | 'tkcNamespace'> = {
  '--server': 'server',
  '-u': 'username',
  '--vsphere-username': 'username',
  '--tanzu-kubernetes-cluster-name': 'tkc',
  '--tanzu-kubernetes-cluster-namespace': 'tkcNamespace',
};

export async function vsphere(
  env: KubectlEnv,
  ctx: CommandContext,
  argv: string[],
  g: GlobalFlags,
): Promise<number> {
  const fail = (message: string) => {
    ctx.err(`${message}\n`);
    return 1;
  };
  const [command, ...rest] = argv;
  const flags: Partial<Record<'server' | 'username' | 'tkc' | 'tkcNamespace', string>> = {};
  let insecure = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '-h' || a === '--help') {
      ctx.out(VSPHERE_USAGE);
      return 0;
    }
    if (a === '--insecure-skip-tls-verify' || a === '--insecure-skip-tls-verify=true') {
      insecure = true;
      continue;
    }
    if (a === '--insecure-skip-tls-verify=false') continue;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const key = eq < 0 ? a : a.slice(0, eq);
    const name = FLAGS[key];
    if (!name)
      return fail(
        a.startsWith('-')
          ? `Error: unknown flag: ${key}\n\n${VSPHERE_USAGE}`
          : `Error: unknown argument "${a}"`,
      );
    const value = eq < 0 ? rest[++i] : a.slice(eq + 1);
    if (value === undefined) return fail(`Error: flag needs an argument: ${key}`);
    flags[name] = value;
  }
  if (!command || command === 'help') {
    ctx.out(VSPHERE_USAGE);
    return 0;
  }
  if (command !== 'login' && command !== 'logout')
    return fail(`Error: unknown command "${command}" for "vsphere"\n\n${VSPHERE_USAGE}`);
  const loaded = loadKubeconfig(ctx, g);
  if ('error' in loaded) return fail(loaded.error.trimEnd());
  const { path, config } = loaded;

  if (command === 'logout') {
    writeKubeconfig(ctx.session.workspace, path, {
      ...config,
      users: config.users.filter((u) => !u.name.startsWith('wcp:')),
    });
    ctx.out('Your KUBECONFIG context has been cleared of vSphere credentials.\n');
    return 0;
  }

  if (!flags.server) return fail('Error: --server is required');
  if (!flags.username) return fail('Error: --vsphere-username is required');
  if ((flags.tkc === undefined) !== (flags.tkcNamespace === undefined))
    return fail(
      'Error: --tanzu-kubernetes-cluster-name and --tanzu-kubernetes-cluster-namespace go together',
    );
  let password = ctx.env.get('KUBECTL_VSPHERE_PASSWORD');
  if (password === undefined) {
    ctx.out('KUBECTL_VSPHERE_PASSWORD environment variable is not set. Please enter the password below\n');
    password = await ctx.session.readSecret('Password: ');
    if (password === undefined)
      return ctx.signal.aborted
        ? 130
        : fail('Error: no password: set KUBECTL_VSPHERE_PASSWORD or run in a terminal');
  }
  const r = env.login({
    server: flags.server,
    username: flags.username,
    password,
    insecure,
    tkc: flags.tkc !== undefined ? { name: flags.tkc, namespace: flags.tkcNamespace! } : undefined,
  });
  if ('error' in r) return fail(r.error);

  const { host } = r;
  const user = `wcp:${host}:${r.principal}`;
  let { clusters, users, contexts } = config;
  clusters = upsert(clusters, {
    name: host,
    cluster: { server: `https://${host}:6443`, ...(insecure ? { 'insecure-skip-tls-verify': true } : {}) },
  });
  users = upsert(users, { name: user, user: { token: r.token } });
  contexts = upsert(contexts, { name: host, context: { cluster: host, user } });
  const names = [host];
  for (const w of r.workloads) {
    if (w.cluster) {
      // a TKC: a cluster entry and a user named after its control plane's address, as the plugin writes them
      const vip = w.server ? new URL(w.server).hostname : host;
      const tkcUser = `wcp:${vip}:${r.principal}`;
      clusters = upsert(clusters, {
        name: vip,
        cluster: {
          server: w.server ?? `https://${host}:6443`,
          ...(insecure ? { 'insecure-skip-tls-verify': true } : {}),
        },
      });
      users = upsert(users, { name: tkcUser, user: { token: r.token } });
      contexts = upsert(contexts, { name: w.cluster, context: { cluster: vip, user: tkcUser } });
      names.push(w.cluster);
    } else {
      contexts = upsert(contexts, {
        name: w.namespace,
        context: { cluster: host, user, namespace: w.namespace },
      });
      names.push(w.namespace);
    }
  }
  const current = names[1] ?? host;
  writeKubeconfig(ctx.session.workspace, path, {
    ...config,
    clusters,
    users,
    contexts,
    'current-context': current,
  });
  ctx.out(
    `Logged in successfully.\n\nYou have access to the following contexts:\n${names.map((c) => `   ${c}\n`).join('')}\n` +
      'If the context you wish to use is not in this list, you may need to try\nlogging in again later, or contact your cluster administrator.\n\n' +
      'To change context, use `kubectl config use-context <workload name>`\n',
  );
  return 0;
}
