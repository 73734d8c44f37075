// What the workload controllers read of a pod, as a kubelet (the Spherelet, a guest node) sets it:
// phase, the Ready condition and when it last changed, restarts; and the pods they make from templates.
import type { KubeObject, OwnerReference } from '../../api/types';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string;
}

type PodStatus = {
  phase?: string;
  conditions?: Condition[];
  podIP?: string;
  containerStatuses?: { restartCount?: number }[];
  initContainerStatuses?: { restartCount?: number }[];
};
type PodSpec = { nodeName?: string; restartPolicy?: string };

export const podStatus = (p: KubeObject): PodStatus => (p.status ?? {}) as PodStatus;
export const podSpec = (p: KubeObject): PodSpec => (p.spec ?? {}) as PodSpec;
export const podPhase = (p: KubeObject): string => podStatus(p).phase ?? '';

export function readyCondition(p: KubeObject): Condition | undefined {
  return podStatus(p).conditions?.find((c) => c.type === 'Ready');
}

export const isPodReady = (p: KubeObject): boolean => readyCondition(p)?.status === 'True';

/** Neither finished nor being deleted (controller.IsPodActive). */
export const isPodActive = (p: KubeObject): boolean =>
  podPhase(p) !== 'Succeeded' && podPhase(p) !== 'Failed' && !p.metadata.deletionTimestamp;

export const isTerminating = (p: KubeObject): boolean => Boolean(p.metadata.deletionTimestamp);

export const isRunningAndReady = (p: KubeObject): boolean => podPhase(p) === 'Running' && isPodReady(p);

/**
 * When a ready pod counts as available: minReadySeconds after its Ready transition, strictly after (as
 * podutil.IsPodAvailable compares); undefined when it is not ready. Timestamps are whole seconds.
 */
export function availableFrom(p: KubeObject, minReadySeconds: number): number | undefined {
  const c = readyCondition(p);
  if (c?.status !== 'True') return undefined;
  if (!minReadySeconds) return Number.NEGATIVE_INFINITY;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : Number.NaN;
  if (Number.isNaN(since)) return Number.POSITIVE_INFINITY;
  return since + minReadySeconds * 1000 + 1;
}

export function isPodAvailable(p: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  const at = availableFrom(p, minReadySeconds);
  return at !== undefined && at <= nowMs;
}

export const restarts = (p: KubeObject): number =>
  [...(podStatus(p).containerStatuses ?? []), ...(podStatus(p).initContainerStatuses ?? [])].reduce(
    (n, c) => n + (c.restartCount ?? 0),
    0,
  );

export function controllerOf(o: KubeObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

/** The ownerReference a controller puts on what it makes. */
export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export type PodTemplate = {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  spec?: Record<string, unknown>;
};

/** GetPodFromTemplate: labels, annotations and finalizers of the template, its spec, the owner's ref. */
export function podFromTemplate(
  template: PodTemplate,
  owner: KubeObject,
  name: { generateName: string } | { name: string },
): KubeObject {
  const m = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...name,
      namespace: owner.metadata.namespace,
      ...(m.labels ? { labels: { ...m.labels } } : {}),
      ...(m.annotations ? { annotations: { ...m.annotations } } : {}),
      ...(m.finalizers ? { finalizers: [...m.finalizers] } : {}),
      ownerReferences: [controllerRef(owner)],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}

/** The generateName prefix a controller gives its pods: `<owner>-`. */
export const podsPrefix = (ownerName: string): string => `${ownerName}-`;

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const time = (t: string | undefined) => (t ? Date.parse(t) : 0);

/**
 * The order in which a ReplicaSet gives up pods when it scales down (ActivePodsWithRanks): unscheduled
 * before scheduled, Pending < Unknown < Running, not ready before ready, doubled-up nodes first, then
 * ready for less time, more restarts, and newer before older. `rank` counts related active pods on the
 * pod's node.
 */
export function deletionOrder(a: KubeObject, b: KubeObject, rank: (p: KubeObject) => number): number {
  const na = podSpec(a).nodeName ?? '';
  const nb = podSpec(b).nodeName ?? '';
  if (na !== nb && (!na || !nb)) return na ? 1 : -1;
  const pa = phaseOrdinal[podPhase(a)] ?? 0;
  const pb = phaseOrdinal[podPhase(b)] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ka = rank(a);
  const kb = rank(b);
  if (ka !== kb) return kb - ka;
  if (ra && rb) {
    const ta = time(readyCondition(a)?.lastTransitionTime);
    const tb = time(readyCondition(b)?.lastTransitionTime);
    if (ta !== tb) return ta === 0 ? -1 : tb === 0 ? 1 : tb - ta;
  }
  const xa = restarts(a);
  const xb = restarts(b);
  if (xa !== xb) return xb - xa;
  const ca = time(a.metadata.creationTimestamp);
  const cb = time(b.metadata.creationTimestamp);
  if (ca !== cb) return ca === 0 ? -1 : cb === 0 ? 1 : cb - ca;
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** Owner objects sorted oldest first, by name among equals (controller.ReplicaSetsByCreationTimestamp). */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const d = time(a.metadata.creationTimestamp) - time(b.metadata.creationTimestamp);
  if (d !== 0) return d;
  const x = a.metadata.name ?? '';
  const y = b.metadata.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
