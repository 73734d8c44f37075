// kubectl config: reads and edits the lab's kubeconfig (a workspace file) with kubectl's output and
// errors — view, get-contexts, current-context, use-context, set-context, rename/delete, get-clusters…
import type { CommandContext } from '../../session';
import {
  byName,
  kubeconfigYaml,
  upsert,
  writeKubeconfig,
  type Kubeconfig,
  type NamedCluster,
  type NamedContext,
  type NamedUser,
} from '../../kubeconfig';
import { FlagError, parseFlags, type FlagSpec } from './flags';
import { loadKubeconfig, type GlobalFlags } from './target';
import { executeJsonPath, parseJsonPath } from '../../printers/jsonpath';

const HELP = `Modify kubeconfig files using subcommands like "kubectl config set current-context my-context".

 The loading order follows these rules:

  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.
  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.
  3.  Otherwise, \${HOME}/.kube/config is used and no merging takes place.

Available Commands:
  current-context   Display the current-context
  delete-cluster    Delete the specified cluster from the kubeconfig
  delete-context    Delete the specified context from the kubeconfig
  delete-user       Delete the specified user from the kubeconfig
  get-clusters      Display clusters defined in the kubeconfig
  get-contexts      Describe one or many contexts
  get-users         Display users defined in the kubeconfig
  rename-context    Rename a context from the kubeconfig file
  set               Set an individual value in a kubeconfig file
  set-cluster       Set a cluster entry in kubeconfig
  set-context       Set a context entry in kubeconfig
  set-credentials   Set a user entry in kubeconfig
  unset             Unset an individual value in a kubeconfig file
  use-context       Set the current-context in a kubeconfig file
  view              Display merged kubeconfig settings or a specified kubeconfig file

Usage:
  kubectl config SUBCOMMAND [options]

Use "kubectl config <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

const USE_CONTEXT_HELP = `Set the current-context in a kubeconfig file.

Aliases:
use-context, use

Examples:
  # Use the context for the minikube cluster
  kubectl config use-context minikube

Usage:
  kubectl config use-context CONTEXT_NAME [options]

Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

const VIEW_FORMATS =
  'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml';

/** Go's tabwriter as kubectl sets it up (minimum width 6, padding 3); the last cell is not padded. */
export function tabwrite(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows)
    r.slice(0, -1).forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, Math.max(6, c.length + 3))));
  return rows
    .map((r) => `${r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('')}\n`)
    .join('');
}

/** The order client-go's structs give the fields in JSON (YAML sorts them). */
const FIELD_ORDER: Record<string, string[]> = {
  config: [
    'kind',
    'apiVersion',
    'preferences',
    'clusters',
    'users',
    'contexts',
    'current-context',
    'extensions',
  ],
  cluster: [
    'server',
    'tls-server-name',
    'insecure-skip-tls-verify',
    'certificate-authority',
    'certificate-authority-data',
    'proxy-url',
    'disable-compression',
    'extensions',
  ],
  user: [
    'client-certificate',
    'client-certificate-data',
    'client-key',
    'client-key-data',
    'token',
    'tokenFile',
    'as',
    'as-uid',
    'as-groups',
    'as-user-extra',
    'username',
    'password',
    'auth-provider',
    'exec',
    'extensions',
  ],
  context: ['cluster', 'user', 'namespace', 'extensions'],
};

function ordered(o: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const keys = Object.keys(o).sort((a, b) => {
    const i = order.indexOf(a);
    const j = order.indexOf(b);
    return (i < 0 ? 99 : i) - (j < 0 ? 99 : j);
  });
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

/** `kubectl config view`'s object: entries by name, secrets redacted unless --raw, cut to one context with --minify. */
function viewOf(c: Kubeconfig, o: { raw: boolean; minify: boolean; context?: string }): Kubeconfig | string {
  let { clusters, users, contexts } = c;
  let current = c['current-context'];
  if (o.minify) {
    current = o.context ?? current;
    if (!current) return 'error: current-context must exist in order to minify\n';
    const ctx = contexts.find((x) => x.name === current);
    if (!ctx) return `error: cannot locate context ${current}\n`;
    const { cluster = '', user = '' } = ctx.context;
    if (cluster && !clusters.some((x) => x.name === cluster))
      return `error: cannot locate cluster ${cluster}\n`;
    if (user && !users.some((x) => x.name === user)) return `error: cannot locate user ${user}\n`;
    contexts = [ctx];
    clusters = clusters.filter((x) => x.name === cluster);
    users = users.filter((x) => x.name === user);
  }
  if (!o.raw) {
    clusters = clusters.map((x) =>
      x.cluster['certificate-authority-data']
        ? { ...x, cluster: { ...x.cluster, 'certificate-authority-data': 'DATA+OMITTED' } }
        : x,
    );
    users = users.map((x) => {
      const u = { ...x.user };
      if (u.token) u.token = 'REDACTED';
      if (u['client-key-data']) u['client-key-data'] = 'REDACTED';
      if (u['client-certificate-data']) u['client-certificate-data'] = 'DATA+OMITTED';
      return { ...x, user: u };
    });
  }
  return {
    ...c,
    clusters: byName(clusters),
    users: byName(users),
    contexts: byName(contexts),
    'current-context': current,
  };
}

function viewObject(c: Kubeconfig): Record<string, unknown> {
  const list = <T>(l: T[], f: (e: T) => unknown) => (l.length ? l.map(f) : null);
  const doc = ordered(
    {
      ...c,
      preferences: c.preferences,
      clusters: list(c.clusters, (x: NamedCluster) => ({
        name: x.name,
        cluster: ordered(x.cluster, FIELD_ORDER.cluster!),
      })),
      users: list(c.users, (x: NamedUser) => ({ name: x.name, user: ordered(x.user, FIELD_ORDER.user!) })),
      contexts: list(c.contexts, (x: NamedContext) => ({
        name: x.name,
        context: ordered({ cluster: '', user: '', ...x.context }, FIELD_ORDER.context!),
      })),
    },
    FIELD_ORDER.config!,
  );
  return doc;
}

const specs: Record<string, FlagSpec[]> = {
  view: [
    { long: 'output', short: 'o', kind: 'string' },
    { long: 'minify', kind: 'bool' },
    { long: 'raw', kind: 'bool' },
    { long: 'flatten', kind: 'bool' },
    { long: 'merge', kind: 'bool' },
  ],
  'get-contexts': [
    { long: 'output', short: 'o', kind: 'string' },
    { long: 'no-headers', kind: 'bool' },
  ],
  'set-context': [
    { long: 'current', kind: 'bool' },
    { long: 'cluster', kind: 'string' },
    { long: 'user', kind: 'string' },
    { long: 'namespace', short: 'n', kind: 'string' },
  ],
  'set-cluster': [
    { long: 'server', kind: 'string' },
    { long: 'insecure-skip-tls-verify', kind: 'bool' },
    { long: 'certificate-authority', kind: 'string' },
    { long: 'tls-server-name', kind: 'string' },
  ],
  'set-credentials': [{ long: 'token', kind: 'string' }],
};

export function config(ctx: CommandContext, argv: string[], g: GlobalFlags): number {
  const [sub = '', ...rest] = argv;
  if (!sub) {
    ctx.err(HELP);
    return 1;
  }
  const command = sub === 'use' ? 'use-context' : sub;
  const simple = [
    'current-context',
    'use-context',
    'get-clusters',
    'get-users',
    'delete-context',
    'delete-cluster',
    'delete-user',
    'rename-context',
  ];
  if (!specs[command] && !simple.includes(command)) {
    ctx.err(`error: unknown command "${sub}"\nSee 'kubectl config -h' for help and examples\n`);
    return 1;
  }
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(rest, specs[command] ?? []);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    ctx.err(`Error: ${e.message}\nSee 'kubectl config ${command} --help' for usage.\n`);
    return 1;
  }
  const { values, args } = parsed;
  const loaded = loadKubeconfig(ctx, g);
  if ('error' in loaded) {
    ctx.err(loaded.error);
    return 1;
  }
  const { path } = loaded;
  const cfg = loaded.config;
  const save = (c: Kubeconfig) => writeKubeconfig(ctx.session.workspace, path, c);
  const str = (k: string) => values.get(k) as string | undefined;

  switch (command) {
    case 'view': {
      const output = str('output') ?? 'yaml';
      const view = viewOf(cfg, {
        raw: values.get('raw') === true,
        minify: values.get('minify') === true,
        context: g.context,
      });
      if (typeof view === 'string') {
        ctx.err(view);
        return 1;
      }
      if (output === 'yaml') ctx.out(kubeconfigYaml(view));
      else if (output === 'json') ctx.out(`${JSON.stringify(viewObject(view), null, 4)}\n`);
      else if (output === 'name') ctx.out('config/<unknown>\n');
      else if (output.startsWith('jsonpath=') || output.startsWith('jsonpath-as-json=')) {
        const raw = output.slice(output.indexOf('=') + 1);
        const tpl = parseJsonPath(raw);
        if ('error' in tpl) {
          ctx.err(`error: error parsing jsonpath ${raw}, ${tpl.error}\n`);
          return 1;
        }
        const r = executeJsonPath(tpl, raw, viewObject(view), {
          allowMissingKeys: true,
          asJson: output.startsWith('jsonpath-as-json='),
        });
        if ('error' in r) {
          ctx.err(r.error);
          return 1;
        }
        ctx.out(r.out);
      } else {
        ctx.err(
          `error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${VIEW_FORMATS}\n`,
        );
        return 1;
      }
      return 0;
    }
    case 'current-context':
      if (!cfg['current-context']) {
        ctx.err('error: current-context is not set\n');
        return 1;
      }
      ctx.out(`${cfg['current-context']}\n`);
      return 0;
    case 'get-contexts': {
      const output = str('output') ?? '';
      if (output !== '' && output !== 'name') {
        ctx.err(
          `error: --output ${output} is not available in kubectl config get-contexts; resetting to default output format\n`,
        );
        return 1;
      }
      const all = byName(cfg.contexts);
      const shown = args.length ? all.filter((c) => args.includes(c.name)) : all;
      const missing = args.filter((a) => !all.some((c) => c.name === a));
      if (output === 'name') for (const c of shown) ctx.out(`${c.name}\n`);
      else {
        const rows = shown.map((c) => [
          c.name === cfg['current-context'] ? '*' : '',
          c.name,
          c.context.cluster ?? '',
          c.context.user ?? '',
          c.context.namespace ?? '',
        ]);
        if (values.get('no-headers') !== true)
          rows.unshift(['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']);
        ctx.out(tabwrite(rows));
      }
      if (missing.length === 1) ctx.err(`error: context ${missing[0]} not found\n`);
      else for (const m of missing) ctx.err(`context ${m} not found\n`);
      return missing.length ? 1 : 0;
    }
    case 'use-context': {
      if (args.length !== 1) {
        ctx.out(USE_CONTEXT_HELP);
        ctx.err(`error: Unexpected args: [${args.join(' ')}]\n`);
        return 1;
      }
      const name = args[0]!;
      if (!cfg.contexts.some((c) => c.name === name)) {
        ctx.err(`error: no context exists with the name: "${name}"\n`);
        return 1;
      }
      save({ ...cfg, 'current-context': name });
      ctx.out(`Switched to context "${name}".\n`);
      return 0;
    }
    case 'set-context': {
      const current = values.get('current') === true;
      if (current && args.length) {
        ctx.err('error: you cannot specify both a context name and --current\n');
        return 1;
      }
      const name = current ? cfg['current-context'] : (args[0] ?? '');
      if (current && !name) {
        ctx.err('error: no current context is set\n');
        return 1;
      }
      if (!name) {
        ctx.err('error: you must specify a non-empty context name or --current\n');
        return 1;
      }
      const existing = cfg.contexts.find((c) => c.name === name);
      const context = { ...existing?.context };
      for (const k of ['cluster', 'user', 'namespace'] as const)
        if (str(k) !== undefined) context[k] = str(k);
      save({ ...cfg, contexts: upsert(cfg.contexts, { name, context }) });
      ctx.out(`Context "${name}" ${existing ? 'modified' : 'created'}.\n`);
      return 0;
    }
    case 'set-cluster': {
      const name = args[0];
      if (!name) {
        ctx.err('error: you must specify a non-empty cluster name\n');
        return 1;
      }
      const existing = cfg.clusters.find((c) => c.name === name);
      const cluster = { ...existing?.cluster };
      for (const k of ['server', 'certificate-authority', 'tls-server-name'])
        if (str(k) !== undefined) cluster[k] = str(k);
      if (values.has('insecure-skip-tls-verify'))
        cluster['insecure-skip-tls-verify'] = values.get('insecure-skip-tls-verify');
      save({ ...cfg, clusters: upsert(cfg.clusters, { name, cluster }) });
      ctx.out(`Cluster "${name}" ${existing ? 'set' : 'set'}.\n`);
      return 0;
    }
    case 'set-credentials': {
      const name = args[0];
      if (!name) {
        ctx.err('error: you must specify a non-empty user name\n');
        return 1;
      }
      const existing = cfg.users.find((c) => c.name === name);
      const user = { ...existing?.user };
      if (str('token') !== undefined) user.token = str('token');
      save({ ...cfg, users: upsert(cfg.users, { name, user }) });
      ctx.out(`User "${name}" set.\n`);
      return 0;
    }
    case 'get-clusters':
    case 'get-users': {
      const names = (command === 'get-clusters' ? cfg.clusters : cfg.users).map((x) => ({ name: x.name }));
      ctx.out(
        `NAME\n${byName(names)
          .map((x) => `${x.name}\n`)
          .join('')}`,
      );
      return 0;
    }
    case 'rename-context': {
      if (args.length !== 2) {
        ctx.err(`error: Unexpected args: [${args.join(' ')}]\n`);
        return 1;
      }
      const [from, to] = args as [string, string];
      const entry = cfg.contexts.find((c) => c.name === from);
      if (!entry) {
        ctx.err(`error: cannot rename the context "${from}", it's not in ${path}\n`);
        return 1;
      }
      if (from !== to && cfg.contexts.some((c) => c.name === to)) {
        ctx.err(
          `error: cannot rename the context "${from}", the context "${to}" already exists in ${path}\n`,
        );
        return 1;
      }
      save({
        ...cfg,
        contexts: cfg.contexts.map((c) => (c.name === from ? { ...c, name: to } : c)),
        'current-context': cfg['current-context'] === from ? to : cfg['current-context'],
      });
      ctx.out(`Context "${from}" renamed to "${to}".\n`);
      return 0;
    }
    default: {
      // delete-context, delete-cluster, delete-user
      const what = command.slice('delete-'.length) as 'context' | 'cluster' | 'user';
      const key = `${what}s` as 'contexts' | 'clusters' | 'users';
      const name = args[0];
      if (args.length !== 1 || name === undefined) {
        ctx.err(`error: Unexpected args: [${args.join(' ')}]\n`);
        return 1;
      }
      const list = cfg[key] as { name: string }[];
      if (!list.some((x) => x.name === name)) {
        ctx.err(`error: cannot delete ${what} ${name}, not in ${path}\n`);
        return 1;
      }
      if (what === 'context' && cfg['current-context'] === name)
        ctx.err(
          'warning: this removed your active context, use "kubectl config use-context" to select a different one\n',
        );
      save({ ...cfg, [key]: list.filter((x) => x.name !== name) });
      ctx.out(`deleted ${what} ${name} from ${path}\n`);
      return 0;
    }
  }
}
