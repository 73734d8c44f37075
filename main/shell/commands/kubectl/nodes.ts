// kubectl cordon, uncordon, drain and top in the lab shell. The Supervisor's nodes are its control-plane
// VMs and, once Workload Management runs on NSX-T, its Spherelet ESXi hosts. drain cordons, then deletes
// the pods bound to the node with kubectl's filters (DaemonSet-managed, unreplicated, local storage) and
// their messages. top needs the metrics.k8s.io API, which the lab does not serve: kubectl's answer then
// is "Metrics API not available", and so is the lab shell's.
import type { ApiServer } from '../../../api/server';
import type { KubeObject, Status } from '../../../api/types';
import type { CommandContext } from '../../session';
import type { KubectlContext } from './index';
import { dryRunStrategy, operation } from './generators';
import { parse, usageError, withFlags, type FlagSet } from './kflags';
import { statusError } from './out';

const nodesReq = (k: KubectlContext) => ({
  user: k.user,
  cluster: k.space,
  group: '',
  version: 'v1',
  resource: 'nodes',
});

/** Sets spec.unschedulable: "cordoned", "already cordoned" (or uncordoned), with the dry-run suffix. */
function setSchedulable(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  node: KubeObject,
  unschedulable: boolean,
  mode: 'none' | 'client' | 'server',
): boolean {
  const name = node.metadata.name!;
  const word = unschedulable ? 'cordoned' : 'uncordoned';
  const now = Boolean((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable);
  if (now === unschedulable) {
    ctx.out(`node/${name} ${operation(mode, `already ${word}`)}\n`);
    return true;
  }
  if (mode !== 'client') {
    const r = api.request({
      ...nodesReq(k),
      verb: 'patch',
      name,
      patchType: 'strategic',
      body: { spec: { unschedulable: unschedulable ? true : null } },
      query: mode === 'server' ? { dryRun: 'All' } : {},
    });
    if (r.status >= 400) {
      ctx.err(
        `error: unable to ${unschedulable ? 'cordon' : 'uncordon'} node ${JSON.stringify(name)}: ${(r.body as Status).message ?? ''}\n`,
      );
      return false;
    }
  }
  ctx.out(`node/${name} ${operation(mode, word)}\n`);
  return true;
}

function nodeArgs(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  f: FlagSet,
  use: string,
): { nodes: KubeObject[]; mode: 'none' | 'client' | 'server' } | undefined {
  const dry = dryRunStrategy(f, k.now());
  if ('error' in dry) {
    ctx.err(dry.error);
    return undefined;
  }
  if (dry.warning) ctx.err(dry.warning);
  const selector = f.str('selector') ?? '';
  if (f.args.length && selector) {
    ctx.err(usageError(use.split(' ')[0]!, 'error: cannot specify both a node name and a --selector option'));
    return undefined;
  }
  if (!f.args.length && !selector) {
    ctx.err(usageError(use.split(' ')[0]!, `USAGE: ${use} [flags]`));
    return undefined;
  }
  if (selector) {
    const r = api.request({ ...nodesReq(k), verb: 'list', query: { labelSelector: selector } });
    if (r.status >= 400) {
      ctx.err(statusError(r.body as Status));
      return undefined;
    }
    return { nodes: (r.body as { items: KubeObject[] }).items, mode: dry.mode };
  }
  const nodes: KubeObject[] = [];
  for (const name of f.args) {
    const r = api.request({ ...nodesReq(k), verb: 'get', name });
    if (r.status >= 400) {
      ctx.err(statusError(r.body as Status));
      return undefined;
    }
    nodes.push(r.body as KubeObject);
  }
  return { nodes, mode: dry.mode };
}

const DRY = { long: 'dry-run', kind: 'string', bare: 'unchanged' } as const;

export function cordon(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  argv: string[],
  sub: 'cordon' | 'uncordon',
): number | Promise<number> {
  return withFlags(ctx, sub, k.now(), () => {
    const f = parse(argv, [DRY, { long: 'selector', short: 'l', kind: 'string' }]);
    const got = nodeArgs(api, k, ctx, f, `${sub} NODE`);
    if (!got) return 1;
    let ok = true;
    for (const n of got.nodes) ok = setSchedulable(api, k, ctx, n, sub === 'cordon', got.mode) && ok;
    return ok ? 0 : 1;
  });
}

type Pod = KubeObject & {
  spec?: { volumes?: { emptyDir?: unknown }[] };
  status?: { phase?: string };
};

/** drain's filters: what may go, what is only warned about, what stops the drain. */
function filterPods(
  pods: Pod[],
  f: FlagSet,
): { remove: Pod[]; warnings: Map<string, string[]>; errors: Map<string, string[]> } {
  const remove: Pod[] = [];
  const warnings = new Map<string, string[]>();
  const errors = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, msg: string, p: Pod) =>
    m.set(msg, [...(m.get(msg) ?? []), `${p.metadata.namespace}/${p.metadata.name}`]);
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    const controller = p.metadata.ownerReferences?.find((o) => o.controller);
    if (controller?.kind === 'DaemonSet') {
      if (f.bool('ignore-daemonsets')) add(warnings, 'ignoring DaemonSet-managed Pods', p);
      else add(errors, 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)', p);
      continue;
    }
    if (p.metadata.annotations?.['kubernetes.io/config.mirror']) continue;
    const finished = p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
    if (!finished && (p.spec?.volumes ?? []).some((v) => v.emptyDir)) {
      if (!f.bool('delete-emptydir-data')) {
        add(errors, 'Pods with local storage (use --delete-emptydir-data to override)', p);
        continue;
      }
      add(warnings, 'deleting Pods with local storage', p);
    }
    if (!controller && !finished) {
      if (!f.bool('force')) {
        // kubectl 1.32's own wording: its list prefixes "cannot delete" to a message that has it already
        add(errors, 'cannot delete Pods that declare no controller (use --force to override)', p);
        continue;
      }
      add(warnings, 'deleting Pods that declare no controller', p);
    }
    remove.push(p);
  }
  return { remove, warnings, errors };
}

export function drain(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  argv: string[],
): number | Promise<number> {
  return withFlags(ctx, 'drain', k.now(), () => {
    const f = parse(argv, [
      DRY,
      { long: 'selector', short: 'l', kind: 'string' },
      { long: 'pod-selector', kind: 'string' },
      { long: 'force', kind: 'bool' },
      { long: 'ignore-daemonsets', kind: 'bool' },
      { long: 'delete-emptydir-data', kind: 'bool' },
      { long: 'disable-eviction', kind: 'bool' },
      { long: 'grace-period', kind: 'int' },
      { long: 'timeout', kind: 'duration' },
      { long: 'skip-wait-for-delete-timeout', kind: 'int' },
      { long: 'chunk-size', kind: 'int' },
    ]);
    const got = nodeArgs(api, k, ctx, f, 'drain NODE');
    if (!got) return 1;
    const pending: string[] = [];
    const fatal: string[] = [];
    for (const node of got.nodes) {
      const name = node.metadata.name!;
      if (!setSchedulable(api, k, ctx, node, true, got.mode)) {
        pending.push(name);
        continue;
      }
      const list = api.request({
        user: k.user,
        cluster: k.space,
        group: '',
        version: 'v1',
        resource: 'pods',
        verb: 'list',
        query: {
          fieldSelector: `spec.nodeName=${name}`,
          ...(f.str('pod-selector') ? { labelSelector: f.str('pod-selector') } : {}),
        },
      });
      if (list.status >= 400) {
        const msg = (list.body as Status).message ?? '';
        ctx.err(
          `error: unable to drain node ${JSON.stringify(name)} due to error: ${msg}, continuing command...\n`,
        );
        fatal.push(`${statusError(list.body as Status)}`);
        pending.push(name);
        continue;
      }
      const { remove, warnings, errors } = filterPods((list.body as { items: Pod[] }).items, f);
      if (errors.size) {
        const texts = [...errors].map(([msg, pods]) => `cannot delete ${msg}: ${pods.join(', ')}`);
        const joined = texts.length === 1 ? texts[0]! : `[${texts.join(', ')}]`;
        ctx.err(
          `error: unable to drain node ${JSON.stringify(name)} due to error: ${joined}, continuing command...\n`,
        );
        fatal.push(...texts.map((t) => `${t}\n`));
        pending.push(name);
        continue;
      }
      if (warnings.size)
        ctx.err(`Warning: ${[...warnings].map(([msg, pods]) => `${msg}: ${pods.join(', ')}`).join('; ')}\n`);
      if (got.mode === 'client') {
        for (const p of remove)
          ctx.out(`evicting pod ${p.metadata.namespace}/${p.metadata.name} (dry run)\n`);
      } else {
        for (const p of remove) {
          const r = api.request({
            user: k.user,
            cluster: k.space,
            group: '',
            version: 'v1',
            resource: 'pods',
            namespace: p.metadata.namespace,
            verb: 'delete',
            name: p.metadata.name,
            body: {
              ...(f.num('grace-period') !== undefined && f.num('grace-period')! >= 0
                ? { gracePeriodSeconds: f.num('grace-period') }
                : {}),
              ...(got.mode === 'server' ? { dryRun: ['All'] } : {}),
            },
          });
          if (r.status >= 400 && (r.body as Status).code !== 404) {
            ctx.err(statusError(r.body as Status));
            return 1;
          }
          ctx.out(`pod/${p.metadata.name} ${operation(got.mode, 'deleted')}\n`);
        }
      }
      ctx.out(`node/${name} ${operation(got.mode, 'drained')}\n`);
    }
    if (pending.length) {
      ctx.err(`There are pending nodes to be drained:\n${pending.map((n) => ` ${n}\n`).join('')}`);
      for (const e of fatal) ctx.err(e);
      return 1;
    }
    return 0;
  });
}

export function top(
  _api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  argv: string[],
): number | Promise<number> {
  const [sub, ...rest] = argv;
  const kinds: Record<string, string> = {
    node: 'node',
    nodes: 'node',
    no: 'node',
    pod: 'pod',
    pods: 'pod',
    po: 'pod',
  };
  const which = sub === undefined ? undefined : kinds[sub];
  if (!which) {
    if (sub === undefined || sub.startsWith('-')) {
      ctx.err(
        'Display resource (CPU/memory) usage.\n\n The top command allows you to see the resource consumption for nodes or pods.\n\n This command requires Metrics Server to be correctly configured and working on the server.\n\nAvailable Commands:\n  node          Display resource (CPU/memory) usage of nodes\n  pod           Display resource (CPU/memory) usage of pods\n\nUsage:\n  kubectl top [flags] [options]\n\nUse "kubectl top <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n',
      );
      return 1;
    }
    ctx.err(
      `error: unknown command ${JSON.stringify(argv.join(' '))}\nSee 'kubectl top -h' for help and examples\n`,
    );
    return 1;
  }
  return withFlags(ctx, `top ${which}`, k.now(), () => {
    parse(rest, [
      { long: 'selector', short: 'l', kind: 'string' },
      { long: 'field-selector', kind: 'string' },
      { long: 'sort-by', kind: 'string' },
      { long: 'no-headers', kind: 'bool' },
      { long: 'show-capacity', kind: 'bool' },
      { long: 'use-protocol-buffers', kind: 'bool' },
      { long: 'all-namespaces', short: 'A', kind: 'bool' },
      { long: 'containers', kind: 'bool' },
      { long: 'sum', kind: 'bool' },
    ]);
    // the lab serves no metrics.k8s.io group: kubectl's discovery check fails the same way
    ctx.err('error: Metrics API not available\n');
    return 1;
  });
}
