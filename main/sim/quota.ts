// ResourceQuota, as kube-controller-manager and the quota admission plugin keep it, in every Kubernetes
// API space: the controller writes status.hard (from spec.hard) and status.used; admission refuses a
// create that would take usage past a hard limit, with the API server's Forbidden message, so nothing
// is written. What counts:
//   count/<resource>[.<group>] and pods, services, secrets, configmaps, persistentvolumeclaims …: objects
//   requests.storage, <class>.storageclass.storage.k8s.io/requests.storage and …/persistentvolumeclaims
//   requests.cpu|memory, limits.cpu|memory (and bare cpu, memory): the containers of pods not yet finished
import type { AdmissionAttributes, AdmissionPlugin } from '../api/admission';
import { statusFailure } from '../api/errors';
import {
  addQuantity,
  cmpQuantity,
  parseQuantity,
  quantityString,
  ZERO,
  type Quantity,
} from '../api/quantity';
import type { ResolvedKind } from '../api/registry';
import type { ApiServer } from '../api/server';
import type { KubeObject } from '../api/types';
import { keyFor, splitKey, type Controller } from './runtime/controllers';
import type { World } from './world';

const LEGACY_COUNTS: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  secrets: 'secrets',
  configmaps: 'configmaps',
  persistentvolumeclaims: 'persistentvolumeclaims',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
};

interface Usage {
  /** how much of `resource` one object takes (undefined: it does not count towards it) */
  (o: KubeObject): Quantity | undefined;
}

const one: Quantity = { value: 1n, scale: 0, format: 'DecimalSI' };
const finished = (p: KubeObject) => {
  const phase = (p.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
};

function podSum(field: 'requests' | 'limits', resource: 'cpu' | 'memory'): Usage {
  return (p) => {
    if (finished(p)) return ZERO;
    let total = ZERO;
    const containers =
      (p.spec as { containers?: { resources?: Record<string, Record<string, unknown>> }[] })?.containers ??
      [];
    for (const c of containers) {
      const q = parseQuantity(c.resources?.[field]?.[resource]);
      if (q) total = addQuantity(total, q);
    }
    return total;
  };
}

function claimSize(p: KubeObject): Quantity {
  return (
    parseQuantity(
      (p.spec as { resources?: { requests?: { storage?: unknown } } } | undefined)?.resources?.requests
        ?.storage,
    ) ?? ZERO
  );
}

const claimClass = (p: KubeObject) =>
  (p.spec as { storageClassName?: string } | undefined)?.storageClassName ?? '';

/** The kind a quota resource name counts, and how much each object of it takes. */
function evaluator(
  api: ApiServer,
  cluster: string,
  resource: string,
): { kind: ResolvedKind; usage: Usage } | undefined {
  const flavor = api.flavorOf(cluster) ?? '';
  const kind = (plural: string, group = '') => {
    const k = api.registry.byResource(group, plural);
    return k && (!k.flavors || k.flavors.includes(flavor)) ? k : undefined;
  };
  const counted = (k: ResolvedKind | undefined) => (k ? { kind: k, usage: () => one } : undefined);
  if (resource.startsWith('count/')) {
    const [plural = '', ...group] = resource.slice('count/'.length).split('.');
    return counted(kind(plural, group.join('.')));
  }
  if (resource in LEGACY_COUNTS) return counted(kind(LEGACY_COUNTS[resource]!));
  const pods = kind('pods');
  const claims = kind('persistentvolumeclaims');
  const m = /^(requests|limits)\.(cpu|memory)$/.exec(resource) ?? /^()(cpu|memory)$/.exec(resource);
  if (m && pods)
    return { kind: pods, usage: podSum(m[1] === 'limits' ? 'limits' : 'requests', m[2] as 'cpu' | 'memory') };
  if (resource === 'requests.storage' && claims) return { kind: claims, usage: claimSize };
  const sc = /^(.+)\.storageclass\.storage\.k8s\.io\/(requests\.storage|persistentvolumeclaims)$/.exec(
    resource,
  );
  if (sc && claims)
    return {
      kind: claims,
      usage: (p) =>
        claimClass(p) !== sc[1] ? undefined : sc[2] === 'persistentvolumeclaims' ? one : claimSize(p),
    };
  return undefined;
}

function used(api: ApiServer, cluster: string, namespace: string, resource: string): Quantity {
  const ev = evaluator(api, cluster, resource);
  if (!ev) return ZERO;
  let total = ZERO;
  for (const o of api.objects.list(ev.kind, cluster, namespace)) {
    if (o.metadata.deletionTimestamp) continue;
    const u = ev.usage(o);
    if (u) total = addQuantity(total, u);
  }
  return total;
}

const canonical = (text: unknown) => {
  const q = parseQuantity(text);
  return q ? quantityString(q) : String(text);
};

/** Keeps each ResourceQuota's status: hard from spec, used from what the namespace holds. */
export function quotaController(w: World): Controller {
  // the namespaces that have (or had) a quota, learnt from the quotas' own events: every other object
  // change is mapped to nothing at once, without a lookup (a derived cache; a restart relearns it)
  const withQuota = new Set<string>();
  const quotaKind = () => w.api.registry.byKind('', 'ResourceQuota');
  const seeded = new Set<string>();
  const quotasOf = (o: KubeObject, cluster: string): string[] => {
    const ns = o.metadata.namespace;
    const kind = quotaKind();
    if (!ns || !kind) return [];
    if (!seeded.has(cluster)) {
      // the quotas a reopened lab already holds
      seeded.add(cluster);
      for (const q of w.api.objects.list(kind, cluster)) withQuota.add(`${cluster}/${q.metadata.namespace}`);
    }
    if (!withQuota.has(`${cluster}/${ns}`)) return [];
    return w.api.objects.list(kind, cluster, ns).map((q) => keyFor(cluster, ns, q.metadata.name!));
  };
  const counted = [
    'Pod',
    'PersistentVolumeClaim',
    'Service',
    'Secret',
    'ConfigMap',
    'Deployment',
    'ReplicaSet',
    'StatefulSet',
    'Job',
  ];
  return {
    name: 'resourcequota',
    watches: [
      {
        group: '',
        kind: 'ResourceQuota',
        map: (q, cluster) => {
          withQuota.add(`${cluster}/${q.metadata.namespace}`);
          return [keyFor(cluster, q.metadata.namespace, q.metadata.name!)];
        },
      },
      ...counted.map((kind) => ({
        group: ['Deployment', 'ReplicaSet', 'StatefulSet'].includes(kind)
          ? 'apps'
          : kind === 'Job'
            ? 'batch'
            : '',
        kind,
        map: quotasOf,
      })),
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      if (w.api.flavorOf(cluster) === 'vcenter') return;
      const c = w.k8s(cluster);
      const q = c.tryGet('resourcequotas', namespace, name);
      if (!q) return;
      const hard = Object.fromEntries(
        Object.entries((q.spec as { hard?: Record<string, unknown> } | undefined)?.hard ?? {}).map(
          ([k, v]) => [k, canonical(v)],
        ),
      );
      const usedNow = Object.fromEntries(
        Object.keys(hard).map((r) => [r, quantityString(used(w.api, cluster, namespace, r))]),
      );
      const status = { hard, used: usedNow };
      if (JSON.stringify(q.status ?? {}) !== JSON.stringify(status)) c.updateStatus({ ...q, status });
    },
  };
}

/** Refuses a create that would take a namespace past a quota, as the ResourceQuota admission plugin does. */
export function quotaAdmission(api: ApiServer): AdmissionPlugin {
  return {
    name: 'ResourceQuota',
    validate(a: AdmissionAttributes) {
      if (a.operation !== 'CREATE' || !a.object || !a.namespace || a.subresource) return;
      if (api.flavorOf(a.cluster) === 'vcenter') return;
      const quotaKind = api.registry.byKind('', 'ResourceQuota');
      if (!quotaKind) return;
      const quotas = api.objects.list(quotaKind, a.cluster, a.namespace);
      for (const q of quotas) {
        const hard = (q.spec as { hard?: Record<string, unknown> } | undefined)?.hard ?? {};
        const requested: string[] = [];
        const usedText: string[] = [];
        const limited: string[] = [];
        for (const [resource, limitText] of Object.entries(hard).sort(([x], [y]) => (x < y ? -1 : 1))) {
          const ev = evaluator(api, a.cluster, resource);
          if (!ev || ev.kind.group !== a.kind.group || ev.kind.kind !== a.kind.kind) continue;
          const delta = ev.usage(a.object);
          const limit = parseQuantity(limitText);
          if (!delta || !limit || delta.value === 0n) continue;
          const now = used(api, a.cluster, a.namespace, resource);
          if (cmpQuantity(addQuantity(now, delta), limit) > 0) {
            requested.push(`${resource}=${quantityString(delta)}`);
            usedText.push(`${resource}=${quantityString(now)}`);
            limited.push(`${resource}=${quantityString(limit)}`);
          }
        }
        if (requested.length)
          throw statusFailure(
            403,
            'Forbidden',
            `${a.kind.plural}${a.kind.group ? `.${a.kind.group}` : ''} "${a.name}" is forbidden: exceeded quota: ${q.metadata.name}, requested: ${requested.join(',')}, used: ${usedText.join(',')}, limited: ${limited.join(',')}`,
            { name: a.name, group: a.kind.group, kind: a.kind.plural },
          );
      }
    },
  };
}
