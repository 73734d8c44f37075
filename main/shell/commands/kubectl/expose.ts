// kubectl expose in the lab shell: a Service for a deployment, replica set, pod or service, its selector,
// ports and protocols read from that object as kubectl's polymorphic helpers read them.
import type { ApiServer } from '../../../api/server';
import type { KubeObject, Status } from '../../../api/types';
import type { CommandContext } from '../../session';
import { dryRunAndOutput, operation, OVERRIDABLE, withLastApplied, type WorkloadContext } from './generators';
import { parse, withFlags } from './kflags';
import { printObject, statusError } from './out';
import { parseLabelSpec } from './run';
import { requiredResourceArgs } from './resources';

type Spec = {
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | Record<string, string>;
  template?: { spec?: PodSpec };
  ports?: { port: number; protocol?: string }[];
} & PodSpec;
type PodSpec = { containers?: { ports?: { containerPort: number; protocol?: string }[] }[] };

/** kubectl's MakeLabels: k=v,… (the order does not matter: it is read back into a map). */
const makeLabels = (m: Record<string, string> | undefined) =>
  Object.entries(m ?? {})
    .map(([key, v]) => `${key}=${v}`)
    .join(',');

/** The selector, ports and protocols kubectl introspects, or its complaint. */
function introspect(o: KubeObject): {
  selector?: string;
  selectorError?: string;
  ports: string[];
  protocols: Map<string, string[]>;
} {
  const spec = (o.spec ?? {}) as Spec;
  const podPorts = (s: PodSpec | undefined) =>
    (s?.containers ?? []).flatMap((c) =>
      (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol || 'TCP' })),
    );
  let selector: string | undefined;
  let selectorError: string | undefined;
  let ports: { port: number; protocol: string }[] = [];
  switch (o.kind) {
    case 'Pod':
      if (!Object.keys(o.metadata.labels ?? {}).length)
        selectorError = 'the pod has no labels and cannot be exposed';
      else selector = makeLabels(o.metadata.labels);
      ports = podPorts(spec);
      break;
    case 'Service': {
      const sel = spec.selector as Record<string, string> | undefined;
      if (!sel) selectorError = 'the service has no pod selector set';
      else selector = makeLabels(sel);
      ports = (spec.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol || 'TCP' }));
      break;
    }
    default: {
      // Deployment, ReplicaSet (apps/v1): the selector must be matchLabels only
      const sel = spec.selector as
        { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined;
      if (o.kind === 'Deployment' && (!sel || !Object.keys(sel.matchLabels ?? {}).length))
        selectorError = 'invalid deployment: no selectors, therefore cannot be exposed';
      else if (sel?.matchExpressions?.length)
        selectorError = `couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`;
      else if (o.kind === 'ReplicaSet' && !Object.keys(sel?.matchLabels ?? {}).length)
        selectorError = 'the replica set has no selectors and cannot be exposed';
      else selector = makeLabels(sel?.matchLabels);
      ports = podPorts(spec.template?.spec);
    }
  }
  const unique: string[] = [];
  const protocols = new Map<string, string[]>();
  for (const p of ports) {
    const key = String(p.port);
    if (!unique.includes(key)) unique.push(key);
    protocols.set(key, [...(protocols.get(key) ?? []), p.protocol]);
  }
  return { selector, selectorError, ports: unique, protocols };
}

const EXPOSABLE = new Set([
  '/Pod',
  '/Service',
  '/ReplicationController',
  'apps/Deployment',
  'apps/ReplicaSet',
]);

export function expose(
  api: ApiServer,
  k: WorkloadContext,
  ctx: CommandContext,
  argv: string[],
): number | Promise<number> {
  return withFlags(ctx, 'expose', k.now(), () => {
    const f = parse(argv, [
      { long: 'port', kind: 'string' },
      { long: 'target-port', kind: 'string' },
      { long: 'protocol', kind: 'string' },
      { long: 'type', kind: 'string' },
      { long: 'name', kind: 'string' },
      { long: 'selector', kind: 'string' },
      { long: 'labels', short: 'l', kind: 'string' },
      { long: 'external-ip', kind: 'string' },
      { long: 'load-balancer-ip', kind: 'string' },
      { long: 'session-affinity', kind: 'string' },
      { long: 'cluster-ip', kind: 'string' },
      ...OVERRIDABLE,
    ]);
    const dry = dryRunAndOutput(ctx, k, f);
    if (!dry) return 1;
    const { output } = dry;
    const parsed = requiredResourceArgs(ctx, f.args);
    if (!parsed) return 1;
    const flavor = api.flavorOf(k.space);
    const ns = f.str('namespace') ?? k.namespace;
    let status = 0;
    for (const { type, name } of parsed) {
      const kind = api.registry.resolve(type, flavor);
      if (!kind) {
        ctx.err(`error: the server doesn't have a resource type "${type}"\n`);
        return 1;
      }
      if (name === undefined) {
        ctx.err('error: resource(s) were provided, but no name was specified\n');
        return 1;
      }
      const got = api.request({
        user: k.user,
        cluster: k.space,
        group: kind.group,
        version: kind.version,
        resource: kind.plural,
        namespace: kind.namespaced ? ns : undefined,
        verb: 'get',
        name,
      });
      if (got.status >= 400) {
        ctx.err(statusError(got.body as Status));
        status = 1;
        continue;
      }
      if (!EXPOSABLE.has(`${kind.group}/${kind.kind}`)) {
        ctx.err(`error: cannot expose a ${kind.kind}${kind.group ? `.${kind.group}` : ''}\n`);
        return 1;
      }
      const o = got.body as KubeObject;
      const found = introspect(o);
      let selectorText = f.str('selector') ?? '';
      if (!selectorText) {
        if (found.selectorError) {
          ctx.err(
            `error: couldn't retrieve selectors via --selector flag or introspection: ${found.selectorError}\n`,
          );
          return 1;
        }
        selectorText = found.selector ?? '';
      }
      const clusterIP = f.str('cluster-ip') ?? '';
      let portText = f.str('port') ?? '';
      if (!portText) {
        if (!found.ports.length && clusterIP !== 'None') {
          ctx.err("error: couldn't find port via --port flag or introspection\n");
          return 1;
        }
        portText = found.ports.join(',');
      }
      const labelsText = f.str('labels') ?? makeLabels(o.metadata.labels);
      // createService
      if (!selectorText) {
        ctx.err('error: selector must be specified\n');
        return 1;
      }
      const selector = parseLabelSpec(selectorText);
      const labels = labelsText ? parseLabelSpec(labelsText) : undefined;
      for (const l of [selector, labels])
        if (typeof l === 'string') {
          ctx.err(`error: ${l}\n`);
          return 1;
        }
      const svcName = f.str('name') || name.slice(0, 63);
      const ports: Record<string, unknown>[] = [];
      const slice = portText ? portText.split(',') : [];
      for (const [i, p] of slice.entries()) {
        if (!/^[+-]?\d+$/.test(p)) {
          ctx.err(`error: strconv.Atoi: parsing ${JSON.stringify(p)}: invalid syntax\n`);
          return 1;
        }
        const port = Number(p);
        const portName = slice.length > 1 ? `port-${i + 1}` : undefined;
        const given = f.str('protocol') ?? '';
        let protocol = given;
        if (!given) {
          protocol = 'TCP';
          const known = found.protocols.get(p);
          if (known?.length === 1) protocol = known[0]!;
          else if (known && known.length > 1) {
            for (const proto of known)
              ports.push({ name: `port-${i + 1}-${proto.toLowerCase()}`, protocol: proto, port });
            continue;
          }
        }
        ports.push({ ...(portName ? { name: portName } : {}), protocol, port });
      }
      const target = f.str('target-port') ?? '';
      for (const p of ports)
        p.targetPort = target ? (/^[+-]?\d+$/.test(target) ? Number(target) : target) : p.port;
      const spec: Record<string, unknown> = {
        ports,
        selector: selector as Record<string, string>,
      };
      if (f.str('external-ip')) spec.externalIPs = [f.str('external-ip')];
      if (f.str('type')) spec.type = f.str('type');
      if (spec.type === 'LoadBalancer' && f.str('load-balancer-ip'))
        spec.loadBalancerIP = f.str('load-balancer-ip');
      const affinity = f.str('session-affinity') ?? '';
      if (affinity) {
        if (affinity !== 'None' && affinity !== 'ClientIP') {
          ctx.err(`error: unknown session affinity: ${affinity}\n`);
          return 1;
        }
        spec.sessionAffinity = affinity;
      }
      if (clusterIP) spec.clusterIP = clusterIP;
      let svc: KubeObject = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svcName, ...(labels ? { labels: labels as Record<string, string> } : {}) },
        spec,
      };
      if (dry.mode === 'client') {
        if (f.changed('namespace') || k.namespaceSet)
          svc = { ...svc, metadata: { ...svc.metadata, namespace: ns } };
        printObject(
          ctx,
          svc as unknown as Record<string, unknown>,
          'service',
          output,
          operation(dry.mode, 'exposed'),
        );
        continue;
      }
      if (f.bool('save-config')) svc = withLastApplied(svc);
      const r = api.request({
        user: k.user,
        cluster: k.space,
        group: '',
        version: 'v1',
        resource: 'services',
        namespace: ns,
        verb: 'create',
        body: svc,
        query: {
          fieldManager: f.str('field-manager') ?? 'kubectl-expose',
          ...(dry.mode === 'server' ? { dryRun: 'All' } : {}),
        },
      });
      if (r.status >= 400) {
        ctx.err(statusError(r.body as Status));
        return 1;
      }
      printObject(ctx, r.body as Record<string, unknown>, 'service', output, operation(dry.mode, 'exposed'));
    }
    return status;
  });
}
