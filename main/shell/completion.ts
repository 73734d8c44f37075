// Tab completion for the lab shell: commands and aliases, kubectl subcommands and flags, resource types,
// live object names (read through the API, in the current namespace), hosts for `lab host`, and
// workspace paths for everything else.
import type { ApiServer } from '../api/server';
import { servedIn } from '../api/registry';
import type { UserInfo } from '../api/types';
import { resolvePath, type Workspace } from '../store/files';

export interface CompletionContext {
  api: ApiServer;
  workspace: Workspace;
  cwd: string;
  commands: string[];
  user: UserInfo;
  space: string;
  namespace: string;
}

const kubectlSubcommands = [
  'annotate',
  'api-resources',
  'api-versions',
  'apply',
  'auth',
  'cluster-info',
  'config',
  'cordon',
  'create',
  'delete',
  'describe',
  'drain',
  'edit',
  'explain',
  'expose',
  'get',
  'label',
  'logs',
  'patch',
  'rollout',
  'run',
  'scale',
  'top',
  'uncordon',
  'version',
  'vsphere',
  'wait',
];
const kubectlFlags: Record<string, string[]> = {
  get: [
    '--all-namespaces',
    '--field-selector',
    '--namespace',
    '--no-headers',
    '--output',
    '--selector',
    '--show-labels',
  ],
  apply: ['--dry-run', '--filename', '--namespace'],
  create: ['--dry-run', '--filename', '--namespace'],
  delete: ['--all', '--dry-run', '--filename', '--ignore-not-found', '--namespace', '--selector'],
  label: ['--namespace', '--overwrite'],
  annotate: ['--namespace', '--overwrite'],
  patch: ['--namespace', '--patch', '--type'],
  scale: ['--namespace', '--replicas'],
  describe: ['--all-namespaces', '--namespace', '--selector', '--show-events'],
  edit: ['--namespace', '--output'],
  logs: ['--container', '--follow', '--namespace', '--previous', '--tail', '--timestamps'],
  wait: ['--all', '--for', '--namespace', '--selector', '--timeout'],
  rollout: ['--namespace', '--timeout', '--to-revision'],
  run: [
    '--command',
    '--dry-run',
    '--env',
    '--image',
    '--labels',
    '--namespace',
    '--output',
    '--port',
    '--restart',
  ],
  expose: ['--name', '--namespace', '--port', '--target-port', '--type'],
  vsphere: [
    '--insecure-skip-tls-verify',
    '--server',
    '--tanzu-kubernetes-cluster-name',
    '--tanzu-kubernetes-cluster-namespace',
    '--vsphere-username',
  ],
};
const withName = new Set([
  'get',
  'delete',
  'label',
  'annotate',
  'patch',
  'scale',
  'describe',
  'edit',
  'wait',
  'logs',
]);
const labSubcommands = [
  'clock',
  'explain',
  'help',
  'host',
  'image',
  'registry',
  'reset',
  'scenario',
  'snapshot',
  'status',
  'topology',
];

/** The word being completed and the candidates for it. */
export function complete(
  line: string,
  cursor: number,
  c: CompletionContext,
): { word: string; candidates: string[] } {
  const before = line.slice(0, cursor);
  const words = before.split(/\s+/).filter((w, i, a) => w !== '' || i === a.length - 1);
  const word = /\s$/.test(before) || before === '' ? '' : (words[words.length - 1] ?? '');
  const done = /\s$/.test(before) || before === '' ? words.filter(Boolean) : words.slice(0, -1);
  const starts = (xs: Iterable<string>) => [...new Set(xs)].filter((x) => x.startsWith(word)).sort();
  if (done.length === 0) return { word, candidates: starts(c.commands) };
  const [cmd, sub] = done;
  if (cmd === 'kubectl' || cmd === 'k') {
    const flavor = c.api.flavorOf(c.space) ?? 'supervisor';
    const list = (group: string, version: string, resource: string, namespace?: string): string[] => {
      const r = c.api.request({
        verb: 'list',
        user: c.user,
        cluster: c.space,
        group,
        version,
        resource,
        namespace,
      });
      return r.status < 300
        ? (r.body as { items: { metadata: { name?: string } }[] }).items.map((o) => o.metadata.name ?? '')
        : [];
    };
    // -n NAMESPACE, wherever it is (before the subcommand too), names the namespace to complete names in
    let namespace = c.namespace;
    const args: string[] = [];
    for (let i = 1; i < done.length; i++) {
      const a = done[i]!;
      const joined = /^(?:-n=?|--namespace=)(.+)$/.exec(a);
      if (joined) namespace = joined[1]!;
      else if (a === '-n' || a === '--namespace') {
        if (i === done.length - 1) return { word, candidates: starts(list('', 'v1', 'namespaces')) };
        namespace = done[++i]!;
      } else args.push(a);
    }
    const kubectlSub = args[0];
    if (args.length === 0) return { word, candidates: starts(kubectlSubcommands) };
    if (word.startsWith('-')) return { word, candidates: starts(kubectlFlags[kubectlSub!] ?? []) };
    const positional = args
      .slice(1)
      .filter((w, i, a) => !w.startsWith('-') && !(i > 0 && /^-(l|o|f|p)$/.test(a[i - 1]!)));
    const kinds = c.api.registry.all().filter((k) => servedIn(k, flavor) && k.verbs?.includes('list'));
    if (positional.length === 0 && kubectlSub !== 'apply' && kubectlSub !== 'create')
      return { word, candidates: starts(kinds.map((k) => k.plural)) };
    if (positional.length >= 1 && withName.has(kubectlSub!)) {
      const kind = c.api.registry.resolve(positional[0]!, flavor);
      if (!kind) return { word, candidates: [] };
      const names = list(kind.group, kind.version, kind.plural, kind.namespaced ? namespace : undefined);
      return { word, candidates: starts(names) };
    }
  }
  if (cmd === 'lab') {
    if (done.length === 1) return { word, candidates: starts(labSubcommands) };
    if (sub === 'host' && done.length === 2) return { word, candidates: starts(['fail', 'recover']) };
    if (sub === 'host' && done.length === 3) {
      const r = c.api.request({
        verb: 'list',
        user: c.user,
        cluster: 'vcenter',
        group: 'vcenter.lab',
        version: 'v1',
        resource: 'hostsystems',
      });
      return {
        word,
        candidates: starts(
          r.status < 300
            ? (r.body as { items: { metadata: { name: string } }[] }).items.map((h) => h.metadata.name)
            : [],
        ),
      };
    }
    if (sub === 'explain' && done.length === 2)
      return { word, candidates: starts(['host', 'supervisor', 'vm']) };
  }
  // a workspace path
  const slash = word.lastIndexOf('/');
  const dir = slash >= 0 ? word.slice(0, slash + 1) : '';
  try {
    const entries = c.workspace.list(resolvePath(c.cwd, dir || '.'));
    return {
      word,
      candidates: starts(
        entries.map((e) => dir + e.path.slice(e.path.lastIndexOf('/') + 1) + (e.dir ? '/' : '')),
      ),
    };
  } catch {
    return { word, candidates: [] };
  }
}

/** The longest prefix every candidate shares. */
export function commonPrefix(xs: string[]): string {
  if (xs.length === 0) return '';
  let p = xs[0]!;
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}
