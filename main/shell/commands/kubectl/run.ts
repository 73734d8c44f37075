// kubectl run in the lab shell: the Pod kubectl 1.32's run-pod/v1 generator builds (run: NAME label,
// resources {}, dnsPolicy ClusterFirst, restartPolicy Always unless told), created or printed as kubectl
// does. Attaching (-i, -t, --attach) needs a process to attach to, which the simulated containers lack.
import type { ApiServer } from '../../../api/server';
import type { KubeObject, Status } from '../../../api/types';
import { applyPatch } from '../../../api/patch';
import type { CommandContext } from '../../session';
import type { WorkloadContext } from './generators';
import { dryRunAndOutput, operation, OVERRIDABLE, withLastApplied } from './generators';
import { parse, usageError, withFlags } from './kflags';
import { printObject, statusError } from './out';

const PATH = 'run';

/** distribution/reference's ReferenceRegexp: [domain/]path[:tag][@digest]. */
const REFERENCE = (() => {
  const alnum = '[a-z0-9]+';
  const separator = '(?:[._]|__|[-]+)';
  const component = `${alnum}(?:${separator}${alnum})*`;
  const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
  const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
  const name = `(?:${domain}/)?${component}(?:/${component})*`;
  const tag = '[\\w][\\w.-]{0,127}';
  const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}';
  return new RegExp(`^${name}(?::${tag})?(?:@${digest})?$`);
})();

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** generate.ParseLabels, as run reads --labels. */
export function parseLabelSpec(spec: string): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (const item of spec.split(',')) {
    const kv = item.split('=');
    if (kv.length !== 2) return `unexpected label spec: ${item}`;
    if (!kv[0]) return 'unexpected empty label key';
    labels[kv[0]] = kv[1]!;
  }
  return labels;
}

/** Go's map order for a string map. */
const sortedMap = (m: Record<string, string>) =>
  Object.fromEntries(
    Object.keys(m)
      .sort()
      .map((k) => [k, m[k]!]),
  );

export function run(
  api: ApiServer,
  k: WorkloadContext,
  ctx: CommandContext,
  argv: string[],
): number | Promise<number> {
  return withFlags(ctx, PATH, k.now(), () => {
    const f = parse(argv, [
      { long: 'image', kind: 'string', required: true },
      { long: 'labels', short: 'l', kind: 'string' },
      { long: 'annotations', kind: 'array' },
      { long: 'env', kind: 'array' },
      { long: 'port', kind: 'string' },
      { long: 'restart', kind: 'string' },
      { long: 'command', kind: 'bool' },
      { long: 'image-pull-policy', kind: 'string' },
      { long: 'privileged', kind: 'bool' },
      ...OVERRIDABLE,
      { long: 'stdin', short: 'i', kind: 'bool' },
      { long: 'tty', short: 't', kind: 'bool' },
      { long: 'attach', kind: 'bool' },
      { long: 'rm', kind: 'bool' },
      { long: 'quiet', short: 'q', kind: 'bool' },
      { long: 'expose', kind: 'bool' },
      { long: 'leave-stdin-open', kind: 'bool' },
      { long: 'pod-running-timeout', kind: 'duration' },
      { long: 'timeout', kind: 'duration' },
      { long: 'wait', kind: 'bool' },
    ]);
    // Complete: dry run and printer come first
    const dry = dryRunAndOutput(ctx, k, f);
    if (!dry) return 1;
    const { output } = dry;
    const interactive = f.bool('stdin');
    const attach = f.changed('attach') ? f.bool('attach') : interactive || f.bool('tty');
    if (f.args.length === 0 || f.dashAt === 0) {
      ctx.err(usageError(PATH, 'NAME is required for run'));
      return 1;
    }
    const image = f.str('image') ?? '';
    if (!image) {
      ctx.err('error: --image is required\n');
      return 1;
    }
    if (!REFERENCE.test(image)) {
      ctx.err(`error: Invalid image name ${JSON.stringify(image)}: invalid reference format\n`);
      return 1;
    }
    if (f.bool('tty') && !interactive) {
      ctx.err(usageError(PATH, '-i/--stdin is required for containers with -t/--tty=true'));
      return 1;
    }
    if (f.bool('expose') && !f.str('port')) {
      ctx.err(usageError(PATH, '--port must be set when exposing a service'));
      return 1;
    }
    const restartFlag = f.str('restart') ?? '';
    const restartPolicy = restartFlag || (interactive ? 'OnFailure' : 'Always');
    if (!['Always', 'OnFailure', 'Never'].includes(restartPolicy)) {
      ctx.err(usageError(PATH, `invalid restart policy: ${restartFlag}`));
      return 1;
    }
    if (!attach && f.bool('rm')) {
      ctx.err(usageError(PATH, '--rm should only be used for attached containers'));
      return 1;
    }
    if (attach && dry.mode !== 'none') {
      ctx.err(
        usageError(
          PATH,
          "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
        ),
      );
      return 1;
    }
    const pullPolicy = f.str('image-pull-policy') ?? '';
    if (pullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) {
      ctx.err(usageError(PATH, `invalid image pull policy: ${pullPolicy}`));
      return 1;
    }
    if (attach) {
      ctx.err(
        'error: attach is not supported in this lab: the simulated containers have no processes to attach to\n',
      );
      return 1;
    }
    // the generator: env, annotations, labels, then ports, each refused in that order
    const name = f.args[0]!;
    const env: { name: string; value: string }[] = [];
    for (const e of f.list('env')) {
      const eq = e.indexOf('=');
      if (eq <= 0 || !ENV_NAME.test(e.slice(0, eq))) {
        ctx.err(`error: invalid env: ${e}\n`);
        return 1;
      }
      env.push({ name: e.slice(0, eq), value: e.slice(eq + 1) });
    }
    const annotations: Record<string, string> = {};
    const badAnnotations = f.list('annotations').filter((a) => !(a.includes('=') && a[0] !== '='));
    if (badAnnotations.length) {
      ctx.err(`error: invalid annotations format: ${badAnnotations.join(', ')}\n`);
      return 1;
    }
    for (const a of f.list('annotations'))
      annotations[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    const labelSpec = f.str('labels') ?? '';
    const labels = labelSpec ? parseLabelSpec(labelSpec) : { run: name };
    if (typeof labels === 'string') {
      ctx.err(`error: ${labels}\n`);
      return 1;
    }
    const portText = f.str('port') ?? '';
    if (portText && !/^[+-]?\d+$/.test(portText)) {
      ctx.err(`error: strconv.Atoi: parsing ${JSON.stringify(portText)}: invalid syntax\n`);
      return 1;
    }
    const args = f.args.slice(1);
    const container: Record<string, unknown> = { name, image };
    if (args.length) container[f.bool('command') ? 'command' : 'args'] = args;
    if (env.length) container.env = env;
    if (portText) container.ports = [{ containerPort: Number(portText) }];
    container.resources = {};
    if (pullPolicy) container.imagePullPolicy = pullPolicy;
    if (f.bool('privileged')) container.securityContext = { privileged: true };
    let pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        labels: sortedMap(labels),
        ...(Object.keys(annotations).length ? { annotations: sortedMap(annotations) } : {}),
      },
      spec: { containers: [container], restartPolicy, dnsPolicy: 'ClusterFirst' },
    };
    const overrides = f.str('overrides');
    if (overrides) {
      const type = f.str('override-type') ?? 'merge';
      try {
        const patch = JSON.parse(overrides) as unknown;
        pod = applyPatch(
          type === 'json' ? 'json' : type === 'strategic' ? 'strategic' : 'merge',
          pod,
          patch,
          {
            type: 'object',
          },
        ) as KubeObject;
      } catch (e) {
        ctx.err(`error: ${(e as Error).message}\n`);
        return 1;
      }
    }
    const ns = f.str('namespace') ?? k.namespace;
    const enforced = f.changed('namespace') || k.namespaceSet === true;
    if (dry.mode === 'client') {
      if (enforced) pod = { ...pod, metadata: { ...pod.metadata, namespace: ns } };
      printObject(ctx, pod as unknown as Record<string, unknown>, 'pod', output, operation(dry.mode));
      return 0;
    }
    if (f.bool('save-config')) pod = withLastApplied(pod);
    const query = {
      fieldManager: f.str('field-manager') ?? 'kubectl-run',
      ...(dry.mode === 'server' ? { dryRun: 'All' } : {}),
    };
    const base = {
      user: k.user,
      cluster: k.space,
      version: 'v1',
      namespace: ns,
      verb: 'create' as const,
      query,
    };
    const r = api.request({ ...base, group: '', resource: 'pods', body: pod });
    if (r.status >= 400) {
      ctx.err(statusError(r.body as Status));
      return 1;
    }
    if (f.bool('expose')) {
      const port = Number(portText);
      const svc: KubeObject = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name },
        spec: { ports: [{ protocol: 'TCP', port, targetPort: port }], selector: sortedMap(labels) },
      };
      const s = api.request({ ...base, group: '', resource: 'services', body: svc });
      if (s.status >= 400) ctx.err(statusError(s.body as Status));
      else printObject(ctx, s.body as Record<string, unknown>, 'service', output, operation(dry.mode));
      printObject(ctx, r.body as Record<string, unknown>, 'pod', output, operation(dry.mode));
      return s.status >= 400 ? 1 : 0;
    }
    printObject(ctx, r.body as Record<string, unknown>, 'pod', output, operation(dry.mode));
    return 0;
  });
}
