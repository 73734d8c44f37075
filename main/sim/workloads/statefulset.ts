// The StatefulSet controller: pods with stable names `<sts>-0..N-1`, each with its claims
// `<claim>-<sts>-<ordinal>` made first from volumeClaimTemplates (claims stay when pods and the set go,
// as in Kubernetes 1.21). OrderedReady creates one pod at a time once its predecessors are Running and
// Ready and removes from the highest ordinal down; Parallel does both at once. A template change rolls
// out from the highest ordinal down (RollingUpdate, above any partition) or waits for deletes (OnDelete).
// Revisions are named `<sts>-<hash>`; no ControllerRevision objects are kept.
import type { ApiClient } from '../../api/client';
import type { LabelSelectorObject } from '../../api/selectors';
import type { KubeObject } from '../../api/types';
import { keyFor, splitKey, type Controller, type Key } from '../runtime/controllers';
import type { World } from '../world';
import type { InformerCache } from './cache';
import { claim, ownedBy } from './claims';
import { canonicalJson, revisionHash } from './hash';
import {
  controllerOf,
  isRunningAndReady,
  isPodReady,
  isTerminating,
  podFromTemplate,
  podPhase,
  type PodTemplate,
} from './pods';

const REVISION_LABEL = 'controller-revision-hash';
const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
const COMPONENT = 'statefulset-controller';

type ClaimTemplate = {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: object;
};
type StatefulSetSpec = {
  replicas?: number;
  selector?: LabelSelectorObject;
  template?: PodTemplate;
  serviceName?: string;
  podManagementPolicy?: string;
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  volumeClaimTemplates?: ClaimTemplate[];
};
type StatefulSetStatus = {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
};

const stsSpec = (o: KubeObject) => (o.spec ?? {}) as StatefulSetSpec;

/** `web-3` → 3 for a set named web; undefined for pods not named after it. */
export function ordinalOf(set: KubeObject, pod: KubeObject): number | undefined {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

export const claimName = (claimTemplate: string, set: string, ordinal: number) =>
  `${claimTemplate}-${set}-${ordinal}`;

/** The revision name of a set's current template: `<sts>-<hash of the template patch>`. */
export const revisionName = (set: KubeObject): string =>
  `${set.metadata.name}-${revisionHash({ spec: { template: { ...stsSpec(set).template, $patch: 'replace' } } })}`;

/** newStatefulSetPod: the template with identity (hostname, subdomain, labels) and storage. */
function newPod(set: KubeObject, ordinal: number, revision: string): KubeObject {
  const spec = stsSpec(set);
  const name = `${set.metadata.name}-${ordinal}`;
  const pod = podFromTemplate(spec.template ?? {}, set, { name });
  pod.metadata.labels = { ...pod.metadata.labels, [REVISION_LABEL]: revision, [POD_NAME_LABEL]: name };
  const ps = pod.spec as { hostname?: string; subdomain?: string; volumes?: { name: string }[] };
  ps.hostname = name;
  if (spec.serviceName) ps.subdomain = spec.serviceName;
  const claims = spec.volumeClaimTemplates ?? [];
  if (claims.length) {
    const claimNames = new Set(claims.map((c) => c.metadata?.name));
    ps.volumes = [
      ...claims.map((c) => ({
        name: c.metadata?.name ?? '',
        persistentVolumeClaim: { claimName: claimName(c.metadata?.name ?? '', set.metadata.name!, ordinal) },
      })),
      ...(ps.volumes ?? []).filter((v) => !claimNames.has(v.name)),
    ];
  }
  return pod;
}

function createClaims(w: World, c: ApiClient, set: KubeObject, ordinal: number): void {
  const spec = stsSpec(set);
  const podName = `${set.metadata.name}-${ordinal}`;
  for (const t of spec.volumeClaimTemplates ?? []) {
    const name = claimName(t.metadata?.name ?? '', set.metadata.name!, ordinal);
    if (c.tryGet('persistentvolumeclaims', set.metadata.namespace ?? '', name)) continue;
    c.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name,
        namespace: set.metadata.namespace,
        labels: { ...t.metadata?.labels, ...spec.selector?.matchLabels },
        ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      },
      spec: structuredClone(t.spec ?? {}),
    });
    w.recorder.event(
      c,
      set,
      'Normal',
      'SuccessfulCreate',
      `create Claim ${name} Pod ${podName} in StatefulSet ${set.metadata.name} success`,
      COMPONENT,
    );
  }
}

/** A pod concerns its controlling StatefulSet or, an orphan, every StatefulSet selecting it. */
function podToStatefulSets(cache: InformerCache) {
  return (pod: KubeObject, cluster: string): Key[] => {
    const ns = pod.metadata.namespace ?? '';
    const ref = controllerOf(pod);
    if (ref) return ref.kind === 'StatefulSet' ? [keyFor(cluster, ns, ref.name)] : [];
    if (pod.metadata.deletionTimestamp) return [];
    return cache
      .selecting(cluster, 'apps', 'StatefulSet', ns, pod.metadata.labels)
      .map((s) => keyFor(cluster, ns, s.metadata.name!));
  };
}

export function statefulSetController(w: World, cache: InformerCache): Controller {
  return {
    name: 'statefulset',
    watches: [
      { group: 'apps', kind: 'StatefulSet' },
      { group: '', kind: 'Pod', map: podToStatefulSets(cache) },
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      const c = w.k8s(cluster);
      const set = c.tryGet('statefulsets', namespace, name);
      if (!set) return;
      const spec = stsSpec(set);
      const pods = claim({
        client: c,
        resource: 'pods',
        owner: set,
        selector: spec.selector,
        owned: ownedBy(w.api, set.metadata.uid!, '', 'Pod'),
        candidates: cache.selectedBy(cluster, '', 'Pod', namespace, spec.selector),
        filter: (p) => ordinalOf(set, p) !== undefined,
      });
      const old = (set.status ?? {}) as StatefulSetStatus;
      const updateRevision = revisionName(set);
      const currentRevision = old.currentRevision ?? updateRevision;
      const byOrdinal = new Map(pods.map((p) => [ordinalOf(set, p)!, p]));
      if (!set.metadata.deletionTimestamp) update(w, c, set, byOrdinal, updateRevision);
      const live = [...byOrdinal.values()];
      const status: StatefulSetStatus = {
        observedGeneration: set.metadata.generation,
        replicas: live.length,
        readyReplicas: live.filter(isPodReady).length,
        currentReplicas: live.filter((p) => p.metadata.labels?.[REVISION_LABEL] === currentRevision).length,
        updatedReplicas: live.filter((p) => p.metadata.labels?.[REVISION_LABEL] === updateRevision).length,
        currentRevision,
        updateRevision,
        collisionCount: old.collisionCount ?? 0,
      };
      // completeRollingUpdate: once every replica is updated and ready, the update revision is current
      const want = spec.replicas ?? 1;
      if (
        spec.updateStrategy?.type === 'RollingUpdate' &&
        status.updatedReplicas === status.replicas &&
        status.readyReplicas === status.replicas &&
        status.replicas === want
      ) {
        status.currentRevision = updateRevision;
        status.currentReplicas = status.updatedReplicas;
      }
      const compact = Object.fromEntries(
        Object.entries(status).filter(([k, v]) => v !== 0 || k === 'replicas' || k === 'collisionCount'),
      );
      if (canonicalJson(compact) !== canonicalJson(set.status ?? {}))
        c.updateStatus({ ...set, status: compact } as KubeObject);
    },
  };
}

/**
 * One pass of defaultStatefulSetControl.updateStatefulSet over the pods by ordinal (changed in place):
 * replace failed pods, create missing ones, remove condemned ones above replicas, roll out updates.
 */
function update(
  w: World,
  c: ApiClient,
  set: KubeObject,
  pods: Map<number, KubeObject>,
  revision: string,
): void {
  const spec = stsSpec(set);
  const replicas = spec.replicas ?? 1;
  const monotonic = spec.podManagementPolicy !== 'Parallel';
  const setName = set.metadata.name!;
  const remove = (ordinal: number) => {
    const p = pods.get(ordinal)!;
    const after = c.delete('pods', p.metadata.namespace ?? '', p.metadata.name!);
    // a pod with finalizers stays, terminating, until they are done
    const left = c.tryGet('pods', p.metadata.namespace ?? '', p.metadata.name!);
    if (left && left.metadata.uid === after.metadata.uid) pods.set(ordinal, left);
    else pods.delete(ordinal);
    w.recorder.event(
      c,
      set,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${p.metadata.name} in StatefulSet ${setName} successful`,
      COMPONENT,
    );
  };
  const ordinals = [...pods.keys()].sort((a, b) => a - b);
  const condemned = ordinals.filter((o) => o >= replicas);
  const healthy = (p: KubeObject) => isRunningAndReady(p) && !isTerminating(p);
  const firstUnhealthy = [...Array(replicas).keys(), ...condemned]
    .map((o) => pods.get(o))
    .find((p) => p && !healthy(p));

  for (let o = 0; o < replicas; o++) {
    let pod = pods.get(o);
    // failed pods are deleted and made again
    if (pod && podPhase(pod) === 'Failed' && !isTerminating(pod)) {
      remove(o);
      pod = pods.get(o);
    }
    if (!pod) {
      createClaims(w, c, set, o);
      pod = c.create(newPod(set, o, revision));
      pods.set(o, pod);
      w.recorder.event(
        c,
        set,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${pod.metadata.name} in StatefulSet ${setName} successful`,
        COMPONENT,
      );
      if (monotonic) return;
      continue;
    }
    if (isTerminating(pod) && monotonic) return;
    if (!isRunningAndReady(pod) && monotonic) return;
  }

  for (let i = condemned.length - 1; i >= 0; i--) {
    const p = pods.get(condemned[i]!)!;
    if (isTerminating(p)) {
      if (monotonic) return;
      continue;
    }
    if (!isRunningAndReady(p) && monotonic && p !== firstUnhealthy) return;
    remove(condemned[i]!);
    if (monotonic) return;
  }

  if (spec.updateStrategy?.type === 'OnDelete') return;
  const partition = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let o = replicas - 1; o >= partition; o--) {
    const p = pods.get(o);
    if (!p) return;
    if (p.metadata.labels?.[REVISION_LABEL] !== revision && !isTerminating(p)) {
      remove(o);
      return;
    }
    if (!healthy(p)) return;
  }
}
