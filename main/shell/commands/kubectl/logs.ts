// kubectl logs in the lab shell: a pod's (or a workload's first pod's) container log through the pods/log
// subresource, with kubectl's container defaulting and messages. -f keeps following — new lines as the
// simulation writes them — until the container ends, the pod goes, or Ctrl-C.
import type { ApiServer } from '../../../api/server';
import type { KubeObject, Status } from '../../../api/types';
import { formatLabelSelector } from '../../../api/selectors';
import type { CommandContext } from '../../session';
import type { KubectlContext } from './index';
import { parse, usageError, withFlags } from './kflags';
import { statusError } from './out';

const USAGE =
  "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

type Pod = KubeObject & {
  spec?: {
    containers?: { name: string }[];
    initContainers?: { name: string }[];
    ephemeralContainers?: { name: string }[];
    nodeName?: string;
  };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { restartCount?: number }[];
  };
};

const ready = (p: Pod) =>
  p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const restarts = (p: Pod) =>
  (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);

/** podutils.ByLogging: the pod whose log is most worth reading first. */
function byLogging(a: Pod, b: Pod): number {
  const an = Boolean(a.spec?.nodeName);
  const bn = Boolean(b.spec?.nodeName);
  if (an !== bn) return an ? -1 : 1;
  const rank: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };
  const ra = rank[a.status?.phase ?? ''] ?? 0;
  const rb = rank[b.status?.phase ?? ''] ?? 0;
  if (ra !== rb) return ra - rb;
  if (ready(a) !== ready(b)) return ready(a) ? -1 : 1;
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return !ta ? 1 : !tb ? -1 : ta < tb ? -1 : 1;
  return 0;
}

export function logs(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  argv: string[],
): number | Promise<number> {
  return withFlags(ctx, 'logs', k.now(), () => run(api, k, ctx, argv));
}

function run(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  argv: string[],
): number | Promise<number> {
  const f = parse(argv, [
    { long: 'container', short: 'c', kind: 'string' },
    { long: 'tail', kind: 'int' },
    { long: 'follow', short: 'f', kind: 'bool' },
    { long: 'timestamps', kind: 'bool' },
    { long: 'previous', short: 'p', kind: 'bool' },
    { long: 'selector', short: 'l', kind: 'string' },
    { long: 'all-containers', kind: 'bool' },
    { long: 'prefix', kind: 'bool' },
    { long: 'since', kind: 'duration' },
    { long: 'since-time', kind: 'string' },
    { long: 'limit-bytes', kind: 'int' },
    { long: 'max-log-requests', kind: 'int' },
    { long: 'ignore-errors', kind: 'bool' },
    { long: 'pod-running-timeout', kind: 'duration' },
    { long: 'all-pods', kind: 'bool' },
    { long: 'insecure-skip-tls-verify-backend', kind: 'bool' },
  ]);
  const selector = f.str('selector') ?? '';
  let container = f.str('container') ?? '';
  const args = f.args;
  if (args.length === 0 && !selector) {
    ctx.err(usageError('logs', USAGE));
    return 1;
  }
  if (args.length === 1 && selector) {
    ctx.err(usageError('logs', 'only a selector (-l) or a POD name is allowed'));
    return 1;
  }
  if (args.length > 2) {
    ctx.err(usageError('logs', USAGE));
    return 1;
  }
  if (args.length === 2) container = args[1]!;
  const ns = k.namespace;
  const base = { user: k.user, cluster: k.space, namespace: ns };
  // the object named, as kubectl's builder fetches it
  let pods: Pod[];
  if (selector) {
    const r = api.request({
      ...base,
      group: '',
      version: 'v1',
      resource: 'pods',
      verb: 'list',
      query: { labelSelector: selector },
    });
    if (r.status >= 400) {
      ctx.err(statusError(r.body as Status));
      return 1;
    }
    pods = (r.body as { items: Pod[] }).items;
    if (!pods.length) {
      ctx.err(`No resources found in ${ns} namespace.\n`);
      return 0;
    }
  } else {
    const arg = args[0]!;
    const slash = arg.indexOf('/');
    const type = slash < 0 ? 'pods' : arg.slice(0, slash);
    const name = slash < 0 ? arg : arg.slice(slash + 1);
    const kind = api.registry.resolve(type, api.flavorOf(k.space));
    if (!kind) {
      ctx.err(`error: the server doesn't have a resource type "${type}"\n`);
      return 1;
    }
    const r = api.request({
      ...base,
      namespace: kind.namespaced ? ns : undefined,
      group: kind.group,
      version: kind.version,
      resource: kind.plural,
      verb: 'get',
      name,
    });
    if (r.status >= 400) {
      const s = r.body as Status;
      ctx.err(
        s.code === 404
          ? `error: error from server (NotFound): ${s.message} in namespace ${JSON.stringify(ns)}\n`
          : statusError(s),
      );
      return 1;
    }
    const o = r.body as KubeObject;
    if (kind.group === '' && kind.kind === 'Pod') pods = [o as Pod];
    else {
      const sel = workloadSelector(o);
      if (sel === undefined) {
        ctx.err(
          `error: cannot get the logs from ${goType(kind.group, kind.kind)}: selector for ${goType(kind.group, kind.kind)} not implemented\n`,
        );
        return 1;
      }
      const l = api.request({
        ...base,
        group: '',
        version: 'v1',
        resource: 'pods',
        verb: 'list',
        query: { labelSelector: sel },
      });
      const items = l.status < 400 ? (l.body as { items: Pod[] }).items : [];
      if (!items.length) {
        // kubectl waits --pod-running-timeout for a pod to appear; nothing appears in the lab meanwhile
        ctx.err('error: timed out waiting for the condition\n');
        return 1;
      }
      items.sort(byLogging);
      if (items.length > 1) ctx.err(`Found ${items.length} pods, using pod/${items[0]!.metadata.name}\n`);
      pods = [items[0]!];
    }
  }
  // Validate
  const tail = f.num('tail') ?? -1;
  if (f.bool('all-containers') && container) {
    ctx.err(`error: --all-containers=true should not be specified with container name ${container}\n`);
    return 1;
  }
  if (f.changed('container') && args.length === 2) {
    ctx.err('error: only one of -c or an inline [CONTAINER] arg is allowed\n');
    return 1;
  }
  if ((f.num('limit-bytes') ?? 0) < 0) {
    ctx.err('error: --limit-bytes must be greater than 0\n');
    return 1;
  }
  if ((f.num('since') ?? 0) < 0) {
    ctx.err('error: --since must be greater than 0\n');
    return 1;
  }
  if (tail < -1) {
    ctx.err('error: --tail must be greater than or equal to -1\n');
    return 1;
  }
  // one request per pod (and container), in order
  const requests: { pod: Pod; container: string }[] = [];
  for (const pod of pods) {
    const names = {
      init: (pod.spec?.initContainers ?? []).map((c) => c.name),
      main: (pod.spec?.containers ?? []).map((c) => c.name),
      eph: (pod.spec?.ephemeralContainers ?? []).map((c) => c.name),
    };
    const all = [...names.init, ...names.main, ...names.eph];
    if (f.bool('all-containers')) {
      for (const c of all) requests.push({ pod, container: c });
      continue;
    }
    let chosen = container;
    if (!chosen) {
      const preferred = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
      if (preferred) {
        if (all.includes(preferred)) chosen = preferred;
        else
          ctx.err(
            `Default container name ${JSON.stringify(preferred)} not found in pod ${pod.metadata.name}\n`,
          );
      }
    }
    if (!chosen) {
      chosen = names.main[0] ?? '';
      if (all.length > 1 && !selector)
        ctx.err(`Defaulted container ${JSON.stringify(chosen)} out of: ${all.join(', ')}\n`);
    }
    if (!all.includes(chosen)) {
      ctx.err(`error: container ${chosen} is not valid for pod ${pod.metadata.name}\n`);
      return 1;
    }
    requests.push({ pod, container: chosen });
  }
  const prefix = f.bool('prefix') || f.bool('all-pods');
  const fetch = (r: { pod: Pod; container: string }, tailLines?: number) =>
    api.request({
      ...base,
      group: '',
      version: 'v1',
      resource: 'pods',
      subresource: 'log',
      verb: 'get',
      name: r.pod.metadata.name,
      query: {
        container: r.container,
        ...(tailLines !== undefined && tailLines >= 0 ? { tailLines: String(tailLines) } : {}),
        ...(f.bool('timestamps') ? { timestamps: 'true' } : {}),
        ...(f.bool('previous') ? { previous: 'true' } : {}),
      },
    });
  const write = (r: { pod: Pod; container: string }, text: string) => {
    if (!prefix) return ctx.out(text);
    const p = `[pod/${r.pod.metadata.name}/${r.container}] `;
    ctx.out(text.replace(/[^\n]*\n|[^\n]+$/g, (line) => p + line));
  };
  const printed: string[] = [];
  for (const r of requests) {
    const res = fetch(r, f.changed('tail') ? tail : undefined);
    if (res.status >= 400) {
      const msg = statusError(res.body as Status);
      if (!f.bool('ignore-errors')) {
        ctx.err(msg);
        return 1;
      }
      ctx.out(`error: ${(res.body as Status).message}\n`);
      printed.push('');
      continue;
    }
    write(r, String(res.body));
    // what the whole log was when followed from here
    printed.push(String(f.changed('tail') ? (fetch(r).body ?? '') : res.body));
  }
  if (!f.bool('follow')) return 0;
  return follow(api, k, ctx, requests, printed, (r) => fetch(r), write);
}

const done = (p: Pod | undefined) => !p || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** -f: polls the log (new text only) until every followed container has ended, its pod is gone, or Ctrl-C. */
function follow(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  requests: { pod: Pod; container: string }[],
  printed: string[],
  fetch: (r: { pod: Pod; container: string }) => { status: number; body: unknown },
  write: (r: { pod: Pod; container: string }, text: string) => void,
): number | Promise<number> {
  const current = (r: { pod: Pod }) => {
    const g = api.request({
      user: k.user,
      cluster: k.space,
      namespace: r.pod.metadata.namespace,
      group: '',
      version: 'v1',
      resource: 'pods',
      verb: 'get',
      name: r.pod.metadata.name,
    });
    return g.status < 400 ? (g.body as Pod) : undefined;
  };
  const poll = (): boolean => {
    let open = false;
    requests.forEach((r, i) => {
      const res = fetch(r);
      if (res.status < 400) {
        const text = String(res.body);
        const before = printed[i] ?? '';
        if (text.startsWith(before)) write(r, text.slice(before.length));
        else write(r, text);
        printed[i] = text;
      }
      if (!done(current(r))) open = true;
    });
    return open;
  };
  if (!requests.some((r) => !done(current(r)))) return 0;
  return new Promise<number>((resolve) => {
    const timer = setInterval(() => {
      if (!poll()) stop(0);
    }, 200);
    const stop = (code: number) => {
      clearInterval(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(code);
    };
    const onAbort = () => stop(130);
    ctx.signal.addEventListener('abort', onAbort);
    if (ctx.signal.aborted) stop(130);
  });
}

/** The pods a workload selects, as kubectl's SelectorsForObject reads it. */
function workloadSelector(o: KubeObject): string | undefined {
  const spec = (o.spec ?? {}) as { selector?: unknown };
  switch (o.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return formatLabelSelector(spec.selector as never).replace('<none>', '');
    case 'Service':
    case 'ReplicationController':
      return Object.entries((spec.selector ?? {}) as Record<string, string>)
        .map(([key, v]) => `${key}=${v}`)
        .join(',');
    default:
      return undefined;
  }
}

const goType = (_group: string, kind: string) => `*v1.${kind}`;
