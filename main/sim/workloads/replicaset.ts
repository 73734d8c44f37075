// The ReplicaSet controller: keeps spec.replicas active pods made from the template (named by
// generateName, `<rs>-xxxxx`), adopts orphans its selector matches and releases pods it no longer
// selects, gives up pods in kube's order when scaling down, and reports replicas, fullyLabeled, ready
// and available (Ready for minReadySeconds) replicas.
import type { ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import { fromSelectorObject, matchesLabels, type LabelSelectorObject } from '../../api/selectors';
import type { KubeObject } from '../../api/types';
import { rfc3339 } from '../../api/environment';
import { keyFor, splitKey, type Controller, type Key } from '../runtime/controllers';
import type { World } from '../world';
import type { InformerCache } from './cache';
import { claim, ownedBy } from './claims';
import {
  availableFrom,
  controllerOf,
  deletionOrder,
  isPodActive,
  isPodReady,
  podFromTemplate,
  podsPrefix,
  podSpec,
  type Condition,
  type PodTemplate,
} from './pods';
import { FailureBackoff } from './backoff';

export type ReplicaSetSpec = {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelectorObject;
  template?: PodTemplate;
};
export type ReplicaSetStatus = {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
};

export const rsSpec = (rs: KubeObject): ReplicaSetSpec => (rs.spec ?? {}) as ReplicaSetSpec;
export const rsStatus = (rs: KubeObject): ReplicaSetStatus => (rs.status ?? {}) as ReplicaSetStatus;

/** Kube's burstReplicas: at most this many pods are created or deleted in one sync. */
const BURST = 500;
const COMPONENT = 'replicaset-controller';

/** Keys of the ReplicaSets a pod concerns: its controller's, or (an orphan) every one selecting it. */
export function podToReplicaSets(cache: InformerCache) {
  return (pod: KubeObject, cluster: string): Key[] => {
    const ref = controllerOf(pod);
    const ns = pod.metadata.namespace ?? '';
    if (ref) return ref.kind === 'ReplicaSet' ? [keyFor(cluster, ns, ref.name)] : [];
    if (pod.metadata.deletionTimestamp) return [];
    return cache
      .selecting(cluster, 'apps', 'ReplicaSet', ns, pod.metadata.labels)
      .map((rs) => keyFor(cluster, ns, rs.metadata.name!));
  };
}

export function replicaSetController(w: World, cache: InformerCache): Controller {
  const backoff = new FailureBackoff();
  return {
    name: 'replicaset',
    watches: [
      { group: 'apps', kind: 'ReplicaSet' },
      { group: '', kind: 'Pod', map: podToReplicaSets(cache) },
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      const c = w.k8s(cluster);
      const rs = c.tryGet('replicasets', namespace, name);
      if (!rs) {
        backoff.forget(key);
        return;
      }
      const spec = rsSpec(rs);
      const owned = ownedBy(w.api, rs.metadata.uid!, '', 'Pod').filter(isPodActive);
      const pods = claim({
        client: c,
        resource: 'pods',
        owner: rs,
        selector: spec.selector,
        owned,
        candidates: cache.selectedBy(cluster, '', 'Pod', namespace, spec.selector).filter(isPodActive),
      });
      let failure: { reason: string; message: string } | undefined;
      let active = pods;
      if (!rs.metadata.deletionTimestamp) {
        const r = manageReplicas(w, c, rs, pods);
        active = r.pods;
        failure = r.failure;
      }
      const now = w.now();
      const minReady = spec.minReadySeconds ?? 0;
      const templateLabels = fromSelectorObject({ matchLabels: spec.template?.metadata?.labels ?? {} });
      let fullyLabeled = 0;
      let ready = 0;
      let available = 0;
      let wake: number | undefined;
      for (const p of active) {
        if (matchesLabels(templateLabels, p.metadata.labels)) fullyLabeled++;
        if (!isPodReady(p)) continue;
        ready++;
        const at = availableFrom(p, minReady)!;
        if (at <= now) available++;
        else if (Number.isFinite(at)) wake = Math.min(wake ?? at, at);
      }
      const old = rsStatus(rs);
      let conditions = old.conditions?.filter((x) => x.type !== 'ReplicaFailure');
      const oldFailure = old.conditions?.find((x) => x.type === 'ReplicaFailure');
      if (failure)
        conditions = [
          ...(conditions ?? []),
          oldFailure ?? {
            type: 'ReplicaFailure',
            status: 'True',
            lastTransitionTime: rfc3339(new Date(now)),
            reason: failure.reason,
            message: failure.message,
          },
        ];
      const status: ReplicaSetStatus = {
        replicas: active.length,
        ...(fullyLabeled ? { fullyLabeledReplicas: fullyLabeled } : {}),
        ...(ready ? { readyReplicas: ready } : {}),
        ...(available ? { availableReplicas: available } : {}),
        ...(rs.metadata.generation ? { observedGeneration: rs.metadata.generation } : {}),
        ...(conditions?.length ? { conditions } : {}),
      };
      if (JSON.stringify(status) !== JSON.stringify(sortedStatus(old)))
        c.updateStatus({ ...rs, status } as KubeObject);
      if (failure) return { requeueAfterMs: backoff.next(key) };
      backoff.forget(key);
      return wake === undefined ? undefined : { requeueAfterMs: Math.max(1, wake - now) };
    },
  };
}

/** The status as this controller writes it, key order included, to compare without a write. */
function sortedStatus(s: ReplicaSetStatus): ReplicaSetStatus {
  return {
    replicas: s.replicas ?? 0,
    ...(s.fullyLabeledReplicas ? { fullyLabeledReplicas: s.fullyLabeledReplicas } : {}),
    ...(s.readyReplicas ? { readyReplicas: s.readyReplicas } : {}),
    ...(s.availableReplicas ? { availableReplicas: s.availableReplicas } : {}),
    ...(s.observedGeneration ? { observedGeneration: s.observedGeneration } : {}),
    ...(s.conditions?.length ? { conditions: s.conditions } : {}),
  };
}

/** Creates or deletes pods towards spec.replicas; returns the active pods after it and any failure. */
function manageReplicas(
  w: World,
  c: ApiClient,
  rs: KubeObject,
  pods: KubeObject[],
): { pods: KubeObject[]; failure?: { reason: string; message: string } } {
  const want = rsSpec(rs).replicas ?? 1;
  const diff = pods.length - want;
  if (diff < 0) {
    const created: KubeObject[] = [];
    for (let i = 0; i < Math.min(-diff, BURST); i++) {
      try {
        const pod = c.create(
          podFromTemplate(rsSpec(rs).template ?? {}, rs, { generateName: podsPrefix(rs.metadata.name!) }),
        );
        created.push(pod);
        w.recorder.event(c, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
      } catch (e) {
        if (!(e instanceof ApiError) || e.code === 409) throw e;
        const message = e.status.message ?? String(e);
        w.recorder.event(c, rs, 'Warning', 'FailedCreate', `Error creating: ${message}`, COMPONENT);
        return { pods: [...pods, ...created], failure: { reason: 'FailedCreate', message } };
      }
    }
    return { pods: [...pods, ...created] };
  }
  if (diff > 0) {
    const victims = podsToDelete(w, rs, pods, Math.min(diff, BURST));
    const gone = new Set(victims.map((p) => p.metadata.name));
    for (const p of victims) {
      c.delete('pods', p.metadata.namespace ?? '', p.metadata.name!);
      w.recorder.event(c, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, COMPONENT);
    }
    return { pods: pods.filter((p) => !gone.has(p.metadata.name)) };
  }
  return { pods };
}

/**
 * getPodsToDelete: the pods ranked by kube's preference, with the number of active pods of related
 * ReplicaSets (the same Deployment's) on each pod's node as the "doubled up" rank.
 */
function podsToDelete(w: World, rs: KubeObject, pods: KubeObject[], n: number): KubeObject[] {
  if (n >= pods.length) return pods;
  const owner = controllerOf(rs);
  const related = owner
    ? ownedBy(w.api, owner.uid, 'apps', 'ReplicaSet').flatMap((r) =>
        ownedBy(w.api, r.metadata.uid!, '', 'Pod').filter(isPodActive),
      )
    : pods;
  const onNode = new Map<string, number>();
  for (const p of related) {
    const node = podSpec(p).nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const rank = (p: KubeObject) => onNode.get(podSpec(p).nodeName ?? '') ?? 0;
  return [...pods].sort((a, b) => deletionOrder(a, b, rank)).slice(0, n);
}
