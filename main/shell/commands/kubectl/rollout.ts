// kubectl rollout status | restart | undo | history for Deployments in the lab shell. status reads the
// Deployment's real status fields (observedGeneration, updatedReplicas, availableReplicas…) as kubectl's
// status viewer does; it waits for watch events only when lab time passes by itself (a real-time clock) —
// on a stepped clock nothing changes while a command runs, so it reports once, as --watch=false does.
// history and undo read the Deployment's ReplicaSets and their revision annotations.
import type { ApiServer } from '../../../api/server';
import type { KubeObject, Status, WatchEvent } from '../../../api/types';
import { rfc3339 } from '../../../api/environment';
import type { CommandContext } from '../../session';
import type { KubectlContext } from './index';
import { dryRunStrategy } from './generators';
import { parse, withFlags, type FlagSet } from './kflags';
import type { Pause } from './wait';
import { statusError } from './out';
import { resourceArgs } from './resources';

const HELP = `Manage the rollout of one or many resources.
        
 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets

Examples:
  # Rollback to the previous deployment
  kubectl rollout undo deployment/abc
  
  # Check the rollout status of a daemonset
  kubectl rollout status daemonset/foo
  
  # Restart a deployment
  kubectl rollout restart deployment/abc
  
  # Restart deployments with the 'app=nginx' label
  kubectl rollout restart deployment --selector=app=nginx

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout

Usage:
  kubectl rollout SUBCOMMAND [options]

Use "kubectl rollout <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

export const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const HASH_LABEL = 'pod-template-hash';

type Template = {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: PodSpec;
};
type PodSpec = {
  containers?: Container[];
  initContainers?: Container[];
  volumes?: { name: string }[];
  serviceAccountName?: string;
  priorityClassName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: {
    key?: string;
    value?: string;
    effect?: string;
    operator?: string;
    tolerationSeconds?: number;
  }[];
};
type Container = {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { containerPort: number; hostPort?: number; protocol?: string }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
};
type DeploymentSpec = {
  replicas?: number;
  paused?: boolean;
  selector?: { matchLabels?: Record<string, string> };
  template?: Template;
};
type DeploymentStatus = {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  conditions?: { type: string; reason?: string }[];
};

interface Target {
  kind: string;
  label: string;
  name: string;
  namespace: string;
}

/** Resolves TYPE NAME / TYPE/NAME to Deployments (the kind the lab shell's rollout knows). */
function targets(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  args: string[],
  what: 'status viewer' | 'history viewer' | 'rollbacker' | 'restarter',
): Target[] | undefined {
  if (!args.length) {
    ctx.err('error: required resource not specified\n');
    return undefined;
  }
  const parsed = resourceArgs(args);
  if (typeof parsed === 'string') {
    ctx.err(parsed);
    return undefined;
  }
  const out: Target[] = [];
  for (const { type, name } of parsed) {
    const kind = api.registry.resolve(type, api.flavorOf(k.space));
    if (!kind) {
      ctx.err(`error: the server doesn't have a resource type "${type}"\n`);
      return undefined;
    }
    if (name === undefined) {
      ctx.err('error: resource(s) were provided, but no name was specified\n');
      return undefined;
    }
    const gk = `${kind.kind}${kind.group ? `.${kind.group}` : ''}`;
    if (kind.group !== 'apps' || kind.kind !== 'Deployment') {
      const g = api.request({
        user: k.user,
        cluster: k.space,
        group: kind.group,
        version: kind.version,
        resource: kind.plural,
        namespace: kind.namespaced ? k.namespace : undefined,
        verb: 'get',
        name,
      });
      if (g.status >= 400) {
        ctx.err(statusError(g.body as Status));
        return undefined;
      }
      if (what === 'restarter') {
        out.push({
          kind: gk,
          label: `${kind.plural}${kind.group ? `.${kind.group}` : ''}`,
          name,
          namespace: '',
        });
        continue;
      }
      ctx.err(
        what === 'history viewer'
          ? `error: error retrieving history for ${JSON.stringify(kind.kind)}, no visitor method exists for {${kind.group} ${kind.kind}}\n`
          : `error: no ${what} has been implemented for ${gk}\n`,
      );
      return undefined;
    }
    out.push({ kind: gk, label: 'deployment.apps', name, namespace: k.namespace });
  }
  return out;
}

const deploymentsReq = (k: KubectlContext, namespace: string) => ({
  user: k.user,
  cluster: k.space,
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  namespace,
});

function getDeployment(api: ApiServer, k: KubectlContext, t: Target): KubeObject | Status {
  const r = api.request({ ...deploymentsReq(k, t.namespace), verb: 'get', name: t.name });
  return r.body as KubeObject | Status;
}

const isStatus = (o: KubeObject | Status): o is Status => o.kind === 'Status';

/** The status viewer's verdict on a Deployment: the line kubectl prints, done, or an error. */
export function deploymentStatus(
  d: KubeObject,
  revision = 0,
): { text: string; done: boolean } | { error: string } {
  const name = d.metadata.name ?? '';
  const spec = (d.spec ?? {}) as DeploymentSpec;
  const st = (d.status ?? {}) as DeploymentStatus;
  if (revision > 0) {
    const rev = Number(d.metadata.annotations?.[REVISION] ?? 0);
    if (!Number.isInteger(rev))
      return { error: `cannot get the revision of deployment ${JSON.stringify(name)}: invalid revision` };
    if (rev !== revision)
      return { error: `desired revision (${revision}) is different from the running revision (${rev})` };
  }
  if ((d.metadata.generation ?? 0) > (st.observedGeneration ?? 0))
    return { text: 'Waiting for deployment spec update to be observed...\n', done: false };
  const progressing = st.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return { error: `deployment ${JSON.stringify(name)} exceeded its progress deadline` };
  const updated = st.updatedReplicas ?? 0;
  if (spec.replicas !== undefined && updated < spec.replicas)
    return {
      text: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${updated} out of ${spec.replicas} new replicas have been updated...\n`,
      done: false,
    };
  if ((st.replicas ?? 0) > updated)
    return {
      text: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...\n`,
      done: false,
    };
  if ((st.availableReplicas ?? 0) < updated)
    return {
      text: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`,
      done: false,
    };
  return { text: `deployment ${JSON.stringify(name)} successfully rolled out\n`, done: true };
}

async function status(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  f: FlagSet,
  pause: Pause,
): Promise<number> {
  const revision = f.num('revision') ?? 0;
  const list = targets(api, k, ctx, f.args, 'status viewer');
  if (!list) return 1;
  const watch = f.changed('watch') ? f.bool('watch') : true;
  const timeout = f.num('timeout') ?? 0;
  for (const t of list) {
    const d = getDeployment(api, k, t);
    if (isStatus(d)) {
      ctx.err(statusError(d));
      return 1;
    }
    const first = deploymentStatus(d, revision);
    if ('error' in first) {
      ctx.err(`error: ${first.error}\n`);
      return 1;
    }
    ctx.out(first.text);
    if (first.done || !watch) continue;
    const code = !k.stepped
      ? await waitRollout(api, k, ctx, t, revision, timeout)
      : await stepRollout(api, k, ctx, t, d, revision, timeout, pause);
    if (code !== 0) return code;
  }
  return 0;
}

/**
 * On a stepped clock lab time passes only when something steps it: with --timeout the lab is stepped a
 * second at a time (as `kubectl wait` and `sleep` do) until the rollout is done or the timeout spent;
 * without one the state now is the answer, as with --watch=false.
 */
async function stepRollout(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  t: Target,
  seen: KubeObject,
  revision: number,
  timeoutMs: number,
  pause: Pause,
): Promise<number> {
  if (timeoutMs <= 0) return 0;
  let rv = seen.metadata.resourceVersion;
  for (let spent = 0; spent < timeoutMs && !ctx.signal.aborted;) {
    const step = Math.min(1000, timeoutMs - spent);
    await pause(step, ctx.signal);
    spent += step;
    const d = getDeployment(api, k, t);
    if (isStatus(d)) {
      if (d.code === 404) {
        ctx.err('error: object has been deleted\n');
        return 1;
      }
      continue;
    }
    if (d.metadata.resourceVersion === rv) continue;
    rv = d.metadata.resourceVersion;
    const s = deploymentStatus(d, revision);
    if ('error' in s) {
      ctx.err(`error: ${s.error}\n`);
      return 1;
    }
    ctx.out(s.text);
    if (s.done) return 0;
  }
  if (ctx.signal.aborted) return 130;
  ctx.err('error: timed out waiting for the condition\n');
  return 1;
}

/** Follows a Deployment's watch events until it has rolled out, the timeout passes (lab time) or Ctrl-C. */
function waitRollout(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  t: Target,
  revision: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = timeoutMs > 0 ? k.now().getTime() + timeoutMs : Infinity;
  return new Promise<number>((resolve) => {
    let finished = false;
    let dispose = () => {};
    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      dispose();
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(code);
    };
    const onAbort = () => finish(130);
    const timer = setInterval(() => {
      if (k.now().getTime() >= deadline) {
        ctx.err('error: timed out waiting for the condition\n');
        finish(1);
      }
    }, 50);
    const onEvent = (e: WatchEvent) => {
      if (finished) return;
      if (e.type === 'DELETED') {
        ctx.err('error: object has been deleted\n');
        return finish(1);
      }
      if (e.type !== 'ADDED' && e.type !== 'MODIFIED') return;
      const s = deploymentStatus(e.object as KubeObject, revision);
      if ('error' in s) {
        ctx.err(`error: ${s.error}\n`);
        return finish(1);
      }
      ctx.out(s.text);
      if (s.done) finish(0);
    };
    const w = api.watch({ ...deploymentsReq(k, t.namespace), verb: 'watch', name: t.name, query: {} }, (e) =>
      queueMicrotask(() => onEvent(e)),
    );
    if ('error' in w) {
      ctx.err(statusError(w.error.body as Status));
      return finish(1);
    }
    dispose = () => w.watch.dispose();
    ctx.signal.addEventListener('abort', onAbort);
    if (ctx.signal.aborted) return finish(130);
  });
}

/**
 * The Deployment's ReplicaSets: those it controls (ownerReference with its uid), as kubectl finds them;
 * or kubectl's error when they cannot be listed.
 */
function replicaSetsOf(api: ApiServer, k: KubectlContext, d: KubeObject): KubeObject[] | string {
  const r = api.request({
    user: k.user,
    cluster: k.space,
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    namespace: d.metadata.namespace,
    verb: 'list',
    query: {
      labelSelector: Object.entries(((d.spec ?? {}) as DeploymentSpec).selector?.matchLabels ?? {})
        .map(([key, v]) => `${key}=${v}`)
        .join(','),
    },
  });
  if (r.status >= 400)
    return `error: failed to retrieve replica sets from deployment ${d.metadata.name}: ${(r.body as Status).message ?? ''}\n`;
  return (r.body as { items: KubeObject[] }).items.filter((rs) =>
    rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid),
  );
}

const revisionOf = (o: KubeObject) => Number(o.metadata.annotations?.[REVISION] ?? 0) || 0;

/** The template without the pod-template-hash label, for comparing and restoring. */
function withoutHash(t: Template | undefined): Template {
  const copy = JSON.parse(JSON.stringify(t ?? {})) as Template;
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[HASH_LABEL];
  }
  return copy;
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

/** describe.DescribePodTemplate, for the parts a lab's pod templates use. */
export function podTemplateText(t: Template): string {
  const lines: string[] = ['Pod Template:\n'];
  const multiline = (title: string, m: Record<string, string> | undefined) => {
    const keys = Object.keys(m ?? {}).sort();
    if (!keys.length) return `${title}:\t<none>\n`;
    return keys.map((key, i) => `${i ? '\t' : `${title}:\t`}${key}=${m![key]}\n`).join('');
  };
  lines.push(multiline('  Labels', t.metadata?.labels));
  const annotations = Object.keys(t.metadata?.annotations ?? {})
    .filter((a) => a !== 'kubectl.kubernetes.io/last-applied-configuration')
    .sort();
  if (Object.keys(t.metadata?.annotations ?? {}).length) {
    if (!annotations.length) lines.push('  Annotations:\t<none>\n');
    annotations.forEach((key, i) => {
      const value = t.metadata!.annotations![key]!.replace(/\n$/, '');
      const head = i ? '\t' : '  Annotations:\t';
      if (value.length + key.length + 2 > 140 || value.includes('\n'))
        lines.push(`${head}${key}:\n`, ...value.split('\n').map((s) => `\t  ${s}\n`));
      else lines.push(`${head}${key}: ${value}\n`);
    });
  }
  const spec = t.spec ?? {};
  if (spec.serviceAccountName) lines.push(`  Service Account:\t${spec.serviceAccountName}\n`);
  const containers = (label: string, list: Container[]) => {
    lines.push(`  ${label}:${list.length ? '' : ' <none>'}\n`);
    for (const c of list) {
      lines.push(`   ${c.name}:\n`, `    Image:\t${c.image ?? ''}\n`);
      const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? ''}`).join(', ');
      const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? ''}`).join(', ');
      lines.push(ports.includes(',') ? `    Ports:\t${ports}\n` : `    Port:\t${ports || '<none>'}\n`);
      lines.push(
        hostPorts.includes(',')
          ? `    Host Ports:\t${hostPorts}\n`
          : `    Host Port:\t${hostPorts || '<none>'}\n`,
      );
      for (const [title, items] of [
        ['Command', c.command],
        ['Args', c.args],
      ] as const)
        if (items?.length)
          lines.push(`    ${title}:\n`, ...items.flatMap((x) => x.split('\n').map((s) => `      ${s}\n`)));
      for (const [title, m] of [
        ['Limits', c.resources?.limits],
        ['Requests', c.resources?.requests],
      ] as const)
        if (Object.keys(m ?? {}).length)
          lines.push(
            `    ${title}:\n`,
            ...Object.keys(m!)
              .sort()
              .map((r) => `      ${r}:\t${m![r]}\n`),
          );
      lines.push(`    Environment:${c.env?.length ? '' : '\t<none>'}\n`);
      for (const e of c.env ?? [])
        if (e.valueFrom === undefined)
          (e.value ?? '')
            .split('\n')
            .forEach((s, i) => lines.push(i ? `      \t${s}\n` : `      ${e.name}:\t${s}\n`));
      lines.push(`    Mounts:${c.volumeMounts?.length ? '' : '\t<none>'}\n`);
      for (const m of [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : 1)))
        lines.push(
          `      ${m.mountPath} from ${m.name} (${[m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])].join(',')})\n`,
        );
    }
  };
  if (spec.initContainers?.length) containers('Init Containers', spec.initContainers);
  containers('Containers', spec.containers ?? []);
  if (!spec.volumes?.length) lines.push('  Volumes:\t<none>\n');
  else lines.push('  Volumes:\n', ...spec.volumes.map((v) => `   ${v.name}:\n  <unknown>\n`));
  if (spec.priorityClassName) lines.push(`  Priority Class Name:\t${spec.priorityClassName}\n`);
  lines.push(multiline('  Node-Selectors', spec.nodeSelector));
  const tolerations = [...(spec.tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : 1));
  if (!tolerations.length) lines.push('  Tolerations:\t<none>\n');
  tolerations.forEach((x, i) => {
    let s = `${i ? '\t' : '  Tolerations:\t'}${x.key ?? ''}`;
    if (x.value) s += `=${x.value}`;
    if (x.effect) s += `:${x.effect}`;
    if (x.operator === 'Exists' && !x.value) s += x.key || x.effect ? ' op=Exists' : 'op=Exists';
    if (x.tolerationSeconds !== undefined) s += ` for ${x.tolerationSeconds}s`;
    lines.push(`${s}\n`);
  });
  return lines.join('');
}

function history(api: ApiServer, k: KubectlContext, ctx: CommandContext, argv: string[]): number {
  const f = parse(argv, [
    { long: 'revision', kind: 'int' },
    { long: 'output', short: 'o', kind: 'string' },
    { long: 'selector', short: 'l', kind: 'string' },
    { long: 'filename', short: 'f', kind: 'array' },
  ]);
  if ((f.num('revision') ?? 0) < 0) {
    ctx.err(`error: revision must be a positive integer: ${f.num('revision')}\n`);
    return 1;
  }
  const list = targets(api, k, ctx, f.args, 'history viewer');
  if (!list) return 1;
  const revision = f.num('revision') ?? 0;
  for (const t of list) {
    const d = getDeployment(api, k, t);
    if (isStatus(d)) {
      ctx.err(statusError(d));
      return 1;
    }
    const rss = replicaSetsOf(api, k, d);
    if (typeof rss === 'string') {
      ctx.err(rss);
      return 1;
    }
    const byRevision = new Map<number, KubeObject>();
    for (const rs of rss) byRevision.set(revisionOf(rs), rs);
    let text: string;
    if (!byRevision.size) text = 'No rollout history found.';
    else if (revision > 0) {
      const rs = byRevision.get(revision);
      if (!rs) {
        ctx.err('error: unable to find the specified revision\n');
        return 1;
      }
      const template = JSON.parse(
        JSON.stringify(((rs.spec ?? {}) as DeploymentSpec).template ?? {}),
      ) as Template;
      const cause = rs.metadata.annotations?.[CHANGE_CAUSE];
      if (cause)
        template.metadata = {
          ...template.metadata,
          annotations: { ...template.metadata?.annotations, [CHANGE_CAUSE]: cause },
        };
      text = podTemplateText(template);
    } else {
      const rows = [...byRevision.keys()]
        .sort((a, b) => a - b)
        .map((r) => [String(r), byRevision.get(r)!.metadata.annotations?.[CHANGE_CAUSE] || '<none>']);
      const width = Math.max('REVISION'.length, ...rows.map((r) => r[0]!.length)) + 2;
      text = [['REVISION', 'CHANGE-CAUSE'], ...rows].map(([a, b]) => `${a!.padEnd(width)}${b}\n`).join('');
    }
    ctx.out(`${t.label}/${t.name} ${revision > 0 ? `with revision #${revision}` : ''}\n${text}\n`);
  }
  return 0;
}

function undo(api: ApiServer, k: KubectlContext, ctx: CommandContext, argv: string[]): number {
  const f = parse(argv, [
    { long: 'to-revision', kind: 'int' },
    { long: 'dry-run', kind: 'string', bare: 'unchanged' },
    { long: 'selector', short: 'l', kind: 'string' },
    { long: 'filename', short: 'f', kind: 'array' },
    { long: 'output', short: 'o', kind: 'string' },
  ]);
  const dry = dryRunStrategy(f, k.now());
  if ('error' in dry) {
    ctx.err(dry.error);
    return 1;
  }
  if (dry.warning) ctx.err(dry.warning);
  const list = targets(api, k, ctx, f.args, 'rollbacker');
  if (!list) return 1;
  const toRevision = f.num('to-revision') ?? 0;
  let code = 0;
  for (const t of list) {
    const d = getDeployment(api, k, t);
    if (isStatus(d)) {
      ctx.err(statusError(d));
      return 1;
    }
    if (toRevision < 0) {
      ctx.err(`error: unable to find specified revision ${toRevision} in history\n`);
      return 1;
    }
    const rss = replicaSetsOf(api, k, d);
    if (typeof rss === 'string') {
      ctx.err(rss);
      return 1;
    }
    let target: KubeObject | undefined;
    if (toRevision > 0) target = rss.find((rs) => revisionOf(rs) === toRevision);
    else {
      // the second newest revision
      const sorted = [...rss].sort((a, b) => revisionOf(b) - revisionOf(a));
      target = sorted[1];
    }
    if (!target) {
      ctx.err(
        toRevision > 0
          ? `error: unable to find specified revision ${toRevision} in history\n`
          : `error: no rollout history found for deployment ${JSON.stringify(t.name)}\n`,
      );
      code = 1;
      continue;
    }
    const template = ((target.spec ?? {}) as DeploymentSpec).template;
    if (dry.mode === 'client') {
      ctx.out(`${t.label}/${t.name} ${podTemplateText(template ?? {})} (dry run)\n`);
      continue;
    }
    const spec = (d.spec ?? {}) as DeploymentSpec;
    if (spec.paused) {
      ctx.err(
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n",
      );
      code = 1;
      continue;
    }
    const restored = withoutHash(template);
    if (canonical(restored) === canonical(withoutHash(spec.template))) {
      ctx.out(
        `${t.label}/${t.name} skipped rollback (current template already matches revision ${toRevision})\n`,
      );
      continue;
    }
    const skip = new Set([
      'kubectl.kubernetes.io/last-applied-configuration',
      REVISION,
      'deployment.kubernetes.io/revision-history',
      'deployment.kubernetes.io/desired-replicas',
      'deployment.kubernetes.io/max-replicas',
      'deprecated.deployment.rollback.to',
    ]);
    const annotations: Record<string, string> = {};
    for (const [key, v] of Object.entries(d.metadata.annotations ?? {}))
      if (skip.has(key)) annotations[key] = v;
    for (const [key, v] of Object.entries(target.metadata.annotations ?? {}))
      if (!skip.has(key)) annotations[key] = v;
    const r = api.request({
      ...deploymentsReq(k, t.namespace),
      verb: 'patch',
      name: t.name,
      patchType: 'json',
      body: [
        { op: 'replace', path: '/spec/template', value: restored },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ],
      query: dry.mode === 'server' ? { dryRun: 'All' } : {},
    });
    if (r.status >= 400) {
      ctx.err(`error: failed restoring revision ${toRevision}: ${(r.body as Status).message ?? ''}\n`);
      code = 1;
      continue;
    }
    ctx.out(`${t.label}/${t.name} rolled back${dry.mode === 'server' ? ' (server dry run)' : ''}\n`);
  }
  return code;
}

function restart(api: ApiServer, k: KubectlContext, ctx: CommandContext, argv: string[]): number {
  const f = parse(argv, [
    { long: 'selector', short: 'l', kind: 'string' },
    { long: 'filename', short: 'f', kind: 'array' },
    { long: 'output', short: 'o', kind: 'string' },
    { long: 'field-manager', kind: 'string' },
  ]);
  const list = targets(api, k, ctx, f.args, 'restarter');
  if (!list) return 1;
  const errors: string[] = [];
  for (const t of list) {
    if (t.kind !== 'Deployment.apps') {
      errors.push(`error: ${t.label} ${JSON.stringify(t.name)} restarting is not supported\n`);
      continue;
    }
    const d = getDeployment(api, k, t);
    if (isStatus(d)) {
      ctx.err(statusError(d));
      return 1;
    }
    if (((d.spec ?? {}) as DeploymentSpec).paused) {
      errors.push(
        `error: deployments.apps ${JSON.stringify(t.name)} can't restart paused deployment (run rollout resume first)\n`,
      );
      continue;
    }
    const at = rfc3339(k.now());
    const current = ((d.spec ?? {}) as DeploymentSpec).template?.metadata?.annotations?.[
      'kubectl.kubernetes.io/restartedAt'
    ];
    if (current === at) {
      errors.push(
        `error: failed to create patch for ${t.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another\n`,
      );
      continue;
    }
    const r = api.request({
      ...deploymentsReq(k, t.namespace),
      verb: 'patch',
      name: t.name,
      patchType: 'strategic',
      body: {
        spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } },
      },
      query: { fieldManager: f.str('field-manager') ?? 'kubectl-rollout' },
    });
    if (r.status >= 400) {
      errors.push(`error: failed to patch: ${(r.body as Status).message ?? ''}\n`);
      continue;
    }
    ctx.out(`${t.label}/${t.name} restarted\n`);
  }
  for (const e of errors) ctx.err(e);
  return errors.length ? 1 : 0;
}

export function rollout(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  argv: string[],
  pause: Pause,
): number | Promise<number> {
  const [sub, ...rest] = argv;
  const path = `rollout ${sub}`;
  switch (sub) {
    case 'status':
      return withFlags(ctx, path, k.now(), () => {
        const f = parse(rest, [
          { long: 'watch', short: 'w', kind: 'bool' },
          { long: 'timeout', kind: 'duration' },
          { long: 'revision', kind: 'int' },
          { long: 'selector', short: 'l', kind: 'string' },
          { long: 'filename', short: 'f', kind: 'array' },
        ]);
        if ((f.num('revision') ?? 0) < 0) {
          ctx.err(`error: revision must be a positive integer: ${f.num('revision')}\n`);
          return 1;
        }
        return status(api, k, ctx, f, pause);
      });
    case 'history':
      return withFlags(ctx, path, k.now(), () => history(api, k, ctx, rest));
    case 'undo':
      return withFlags(ctx, path, k.now(), () => undo(api, k, ctx, rest));
    case 'restart':
      return withFlags(ctx, path, k.now(), () => restart(api, k, ctx, rest));
    case 'pause':
    case 'resume':
      ctx.err(`error: kubectl rollout ${sub} is not available in the lab shell\n`);
      return 1;
    default:
      if (sub === undefined || sub.startsWith('-')) {
        ctx.out(HELP);
        return 1;
      }
      ctx.err(
        `error: unknown command ${JSON.stringify(argv.join(' '))}\nSee 'kubectl rollout -h' for help and examples\n`,
      );
      return 1;
  }
}
