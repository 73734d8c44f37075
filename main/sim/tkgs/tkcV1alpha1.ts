// TanzuKubernetesCluster run.tanzu.vmware.com/v1alpha1, served beside the stored v1alpha2 as a 7.0 U3
// Supervisor serves it, with the conversion its webhook does:
//   v1alpha1 controlPlane {count, class, storageClass, volumes} ↔ v1alpha2 controlPlane {replicas, vmClass, …}
//   v1alpha1 workers ↔ the v1alpha2 node pool named `workers` (or else the first one)
//   v1alpha1 distribution.fullVersion ↔ v1alpha2 tkr.reference.name (v1.21.6+vmware.1-… ↔ v1.21.6---vmware.1-…)
// Settings and status carry over as they are. What v1alpha1 cannot hold (further node pools, labels,
// taints, drain timeouts, TKr references of their own) rides along in an annotation on the v1alpha1
// object, so v1alpha2 → v1alpha1 → v1alpha2 loses nothing, and v1alpha1 → v1alpha2 → v1alpha1 neither.
// The converters never throw: they see whatever a client sends.
import type { PrinterColumn, ServedVersion } from '../../api/registry';
import { ageColumn } from '../../api/printers/columns';
import { anyObject, arr, int, obj, str, stringMap, type Schema } from '../../api/schema';
import type { KubeObject } from '../../api/types';

const GROUP = 'run.tanzu.vmware.com';
/** on a v1alpha1 object: the v1alpha2 topology and distribution it was converted from, when v1alpha1 cannot show them */
export const V1ALPHA2_SPEC_ANNOTATION = 'run.tanzu.vmware.com/v1alpha2-spec';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const rec = (v: unknown): Rec => (isRec(v) ? v : {});
/** The keys of o whose values are set. */
const compact = (o: Rec): Rec => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    isRec(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, x[k]]),
        )
      : x,
  ) ?? '';

/** `v1.21.6+vmware.1-tkg.1.b3d708a` → `v1.21.6---vmware.1-tkg.1.b3d708a` (TKGS's TKRName) */
const tkrName = (version: string): string => `v${version.replace(/^v/, '').replace(/\+/g, '---')}`;
/** `v1.21.6---vmware.1-tkg.1.b3d708a` → `v1.21.6+vmware.1-tkg.1.b3d708a` (TKRVersion, with the leading v) */
const fullVersionOf = (name: string): string => `v${name.replace(/^v/, '').replace(/---/g, '+')}`;
const tkrRefName = (pool: Rec): string | undefined => {
  const name = rec(rec(pool.tkr).reference).name;
  return typeof name === 'string' && name ? name : undefined;
};
const tkrRef = (name: string) => ({ reference: { name } });

/** A v1alpha1 TopologySettings from a v1alpha2 one (control plane or node pool). */
const down = (s: Rec): Rec =>
  compact({ count: s.replicas, class: s.vmClass, storageClass: s.storageClass, volumes: s.volumes });

/** Sets (or removes) the fields of a v1alpha2 TopologySettings that a v1alpha1 one holds. */
function overlay(target: Rec, v1: Rec): Rec {
  const out = { ...target };
  for (const [to, from] of [
    ['replicas', 'count'],
    ['vmClass', 'class'],
    ['storageClass', 'storageClass'],
    ['volumes', 'volumes'],
  ] as const) {
    if (v1[from] === undefined) delete out[to];
    else out[to] = v1[from];
  }
  return out;
}

/** The node pool v1alpha1's workers stand for: the one named `workers`, else the first. */
const workersIndex = (pools: Rec[]): number =>
  Math.max(
    0,
    pools.findIndex((p) => p.name === 'workers'),
  );
const poolsOf = (topology: Rec): Rec[] =>
  Array.isArray(topology.nodePools) ? topology.nodePools.map(rec) : [];

/** The v1alpha1 distribution of a v1alpha2 spec: its own, with the full version read from the TKr when missing. */
function distributionDown(spec: Rec): Rec | undefined {
  const d = { ...rec(spec.distribution) };
  const tkr = tkrRefName(rec(rec(spec.topology).controlPlane));
  if (typeof d.fullVersion !== 'string' && tkr) d.fullVersion = fullVersionOf(tkr);
  return Object.keys(d).length || spec.distribution !== undefined ? d : undefined;
}

/** What v1alpha1 shows of a v1alpha2 spec (without the annotation that keeps the rest). */
function specDown(spec: Rec): Rec {
  const { topology, distribution: _d, ...rest } = spec;
  const out: Rec = { ...rest };
  if (topology !== undefined) {
    const t = rec(topology);
    const pools = poolsOf(t);
    out.topology = compact({
      controlPlane: t.controlPlane === undefined ? undefined : down(rec(t.controlPlane)),
      workers: pools.length ? down(pools[workersIndex(pools)]!) : undefined,
    });
  }
  const d = distributionDown(spec);
  if (d) out.distribution = d;
  return out;
}

/**
 * A v1alpha1 spec as v1alpha2, over `base` (the v1alpha2 topology and distribution an annotation kept)
 * when there is one: v1alpha1's fields win, the rest comes from base.
 */
function specUp(spec: Rec, base: Rec | undefined): Rec {
  const { topology, distribution, ...rest } = spec;
  const out: Rec = { ...rest };
  const fullVersion = rec(distribution).fullVersion;
  // the TKr follows the full version, unless v1alpha1 left it as base had it
  const baseFull = base ? distributionDown(base)?.fullVersion : undefined;
  const tkr =
    typeof fullVersion === 'string' && fullVersion && fullVersion !== baseFull
      ? tkrName(fullVersion)
      : undefined;
  if (topology !== undefined || base?.topology !== undefined) {
    const t = rec(topology);
    const bt = rec(base?.topology);
    const up: Rec = { ...bt };
    if (t.controlPlane !== undefined || bt.controlPlane !== undefined) {
      const cp = overlay(rec(bt.controlPlane), rec(t.controlPlane));
      if (tkr) cp.tkr = tkrRef(tkr);
      up.controlPlane = cp;
    }
    const pools = poolsOf(bt);
    const at = pools.length ? workersIndex(pools) : 0;
    if (t.workers !== undefined) {
      const pool = overlay(pools[at] ?? { name: 'workers' }, rec(t.workers));
      const cpTkr = tkrRefName(rec(up.controlPlane));
      if (tkr || (!pools[at] && cpTkr)) pool.tkr = tkrRef((tkr ?? cpTkr)!);
      pools[at] = pool;
    } else if (pools.length) pools.splice(at, 1);
    if (tkr) for (let i = 0; i < pools.length; i++) pools[i] = { ...pools[i], tkr: tkrRef(tkr) };
    if (pools.length || bt.nodePools !== undefined) up.nodePools = pools;
    else delete up.nodePools;
    out.topology = up;
  }
  // the distribution as base had it, when v1alpha1 shows it unchanged
  if (base && canonical(distribution) === canonical(distributionDown(base))) {
    if (base.distribution !== undefined) out.distribution = base.distribution;
  } else if (distribution !== undefined) out.distribution = distribution;
  return out;
}

function annotationsWithout(o: KubeObject, key: string): Record<string, string> | undefined {
  const a = { ...rec(o.metadata?.annotations) } as Record<string, string>;
  delete a[key];
  return Object.keys(a).length ? a : undefined;
}

/** The v1alpha2 topology and distribution kept on a v1alpha1 object, if the annotation holds any. */
function keptSpec(o: KubeObject): Rec | undefined {
  const text = rec(o.metadata?.annotations)[V1ALPHA2_SPEC_ANNOTATION];
  if (typeof text !== 'string') return undefined;
  try {
    const kept = JSON.parse(text) as unknown;
    return isRec(kept) ? kept : undefined;
  } catch {
    return undefined;
  }
}

/** v1alpha1 → v1alpha2 (stored). */
export function tkcToV1alpha2(o: KubeObject): KubeObject {
  const base = keptSpec(o);
  const annotations = annotationsWithout(o, V1ALPHA2_SPEC_ANNOTATION);
  return {
    ...o,
    apiVersion: `${GROUP}/v1alpha2`,
    metadata: { ...rec(o.metadata), annotations },
    ...(o.spec === undefined && !base ? {} : { spec: specUp(rec(o.spec), base) }),
  };
}

/** v1alpha2 (stored) → v1alpha1, with what v1alpha1 cannot show kept in an annotation. */
export function tkcToV1alpha1(o: KubeObject): KubeObject {
  const annotations: Record<string, string> = { ...(annotationsWithout(o, V1ALPHA2_SPEC_ANNOTATION) ?? {}) };
  let spec: Rec | undefined;
  if (o.spec !== undefined) {
    const stored = rec(o.spec);
    spec = specDown(stored);
    if (canonical(specUp(spec, undefined)) !== canonical(stored)) {
      annotations[V1ALPHA2_SPEC_ANNOTATION] = JSON.stringify(
        compact({ topology: stored.topology, distribution: stored.distribution }),
      );
    }
  }
  return {
    ...o,
    apiVersion: `${GROUP}/v1alpha1`,
    metadata: { ...rec(o.metadata), annotations: Object.keys(annotations).length ? annotations : undefined },
    ...(spec === undefined ? {} : { spec }),
  };
}

/** `.status.conditions[?(@.type=='T')].<field>`, a CRD column with a filter. */
const condition = (name: string, type: string, field: 'status' | 'message'): PrinterColumn => ({
  name,
  type: 'string',
  jsonPath: `.status.conditions[?(@.type=='${type}')].${field}`,
  value: (o) => {
    const conditions = (o.status as { conditions?: unknown } | undefined)?.conditions;
    const c = Array.isArray(conditions) ? conditions.map(rec).find((x) => x.type === type) : undefined;
    const v = c?.[field];
    return typeof v === 'string' ? v : null;
  },
});

/** The pieces of the TKC schema both versions share, from the v1alpha2 definition. */
export interface TkcSchemaParts {
  volume: Schema;
  network: Schema;
  storage: Schema;
  condition: Schema;
}

/** v1alpha1 as 7.0 U3 serves it (the U2 shape: volumes, proxy, trust and conditions included). */
export function tanzuKubernetesClusterV1alpha1(parts: TkcSchemaParts): ServedVersion {
  const topology = (what: string) =>
    obj(
      {
        count: int(`Count is the number of ${what} nodes.`),
        class: str(
          'Class is the name of the VirtualMachineClass, which describes the virtual hardware settings, to be used for each node.',
        ),
        storageClass: str(
          'StorageClass is the name of the storage class to be used for storage disks of the nodes.',
        ),
        volumes: arr(parts.volume, 'Volumes is the set of PVCs to be created and attached to each node.'),
      },
      `TopologySettings of the ${what} nodes.`,
      { required: ['count', 'class', 'storageClass'] },
    );
  return {
    version: 'v1alpha1',
    description:
      'TanzuKubernetesCluster is the schema for the Tanzu Kubernetes Grid service for vSphere API (v1alpha1).',
    schema: obj({
      spec: obj(
        {
          topology: obj(
            {
              controlPlane: topology('control plane'),
              workers: topology('worker'),
            },
            'Topology specifies the topology for the Tanzu Kubernetes cluster: the number, purpose, and organization of the nodes which form the cluster and the resources allocated for each.',
            { required: ['controlPlane', 'workers'] },
          ),
          distribution: obj(
            {
              fullVersion: str(
                'Version specifies the fully-qualified desired Kubernetes distribution version of the cluster.',
              ),
              version: str(
                'VersionHint provides the version webhook with guidance about the desired Kubernetes distribution version of the cluster. If a hint is provided without a full version, the most recent distribution matching the hint will be selected.',
              ),
            },
            'Distribution specifies the distribution for the Tanzu Kubernetes cluster: the software installed on the control plane and worker nodes, including Kubernetes itself.',
          ),
          settings: obj(
            { network: parts.network, storage: parts.storage },
            'Settings specifies settings for the Tanzu Kubernetes cluster: the way an instance of a distribution is configured, including information about pod networking and storage.',
          ),
        },
        'TanzuKubernetesClusterSpec defines the desired state of TanzuKubernetesCluster: its nodes, the software installed on those nodes and the way that software should be configured.',
        { required: ['topology'] },
      ),
      status: obj({
        apiEndpoints: arr(
          obj({ host: str(), port: int() }),
          'APIEndpoints represents the endpoints to communicate with the control plane.',
        ),
        phase: str('Phase of this TanzuKubernetesCluster.'),
        version: str('Version holds the observed version of the Tanzu Kubernetes cluster.'),
        clusterApiStatus: obj({
          apiEndpoints: arr(obj({ host: str(), port: int() })),
          errorReason: str(),
          errorMessage: str(),
          phase: str(),
        }),
        vmStatus: stringMap('VMStatus is the status of the virtual machine of each node.'),
        nodeStatus: stringMap('NodeStatus is the status of each node.'),
        // an object of add-ons in v1alpha1, a list in v1alpha2: status carries over as it is
        addons: {
          description: "Addons groups the statuses of a Tanzu Kubernetes cluster's add-ons.",
          'x-kubernetes-preserve-unknown-fields': true,
        },
        upgrade: anyObject(),
        nodeRemediationCount: int(),
        totalWorkerReplicas: int('Total number of replicas in worker node pools.'),
        conditions: arr(
          parts.condition,
          'Conditions defines current service state of the TanzuKubernetestCluster.',
        ),
      }),
    }),
    columns: [
      { name: 'Control Plane', type: 'integer', jsonPath: '.spec.topology.controlPlane.count' },
      { name: 'Worker', type: 'integer', jsonPath: '.spec.topology.workers.count' },
      { name: 'Distribution', type: 'string', jsonPath: '.spec.distribution.fullVersion' },
      ageColumn('date'),
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      condition('TKR Compatible', 'TanzuKubernetesReleaseCompatible', 'status'),
      condition('Updates Available', 'UpdatesAvailable', 'message'),
    ],
    toStored: tkcToV1alpha2,
    fromStored: tkcToV1alpha1,
  };
}
