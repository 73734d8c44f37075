// Deployment facts shared by its controller's steps (deployment/util in kube-controller-manager):
// rolling-update fenceposts, revisions and the annotations that carry them, conditions and the status a
// set of ReplicaSets adds up to.
import { rfc3339 } from '../../api/environment';
import type { LabelSelectorObject } from '../../api/selectors';
import type { KubeObject } from '../../api/types';
import { equalIgnoreHash } from './hash';
import { byCreation, type Condition, type PodTemplate } from './pods';
import { rsSpec, rsStatus } from './replicaset';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Annotations a Deployment keeps to itself rather than copying to its ReplicaSets. */
const SKIP_COPY = new Set([
  LAST_APPLIED,
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  ROLLBACK_TO,
]);
const MAX_REV_HISTORY_CHARS = 2000;

export type IntOrString = number | string;
export type DeploymentSpec = {
  replicas?: number;
  selector?: LabelSelectorObject;
  template?: PodTemplate;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
};
export type DeploymentStatus = {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
  collisionCount?: number;
};

export const dSpec = (d: KubeObject): DeploymentSpec => (d.spec ?? {}) as DeploymentSpec;
export const replicasOf = (d: KubeObject): number => dSpec(d).replicas ?? 1;
export const rsReplicas = (rs: KubeObject | undefined): number => (rs ? (rsSpec(rs).replicas ?? 1) : 0);

/** GetScaledValueFromIntOrPercent: an int, or a percentage of total rounded up or down. */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export const isRollingUpdate = (d: KubeObject): boolean => dSpec(d).strategy?.type === 'RollingUpdate';

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both zero would stall, so one is unavailable. */
export function fenceposts(d: KubeObject): { surge: number; unavailable: number } {
  const ru = dSpec(d).strategy?.rollingUpdate ?? {};
  const desired = replicasOf(d);
  const surge = scaledValue(ru.maxSurge, desired, true);
  let unavailable = scaledValue(ru.maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export const maxSurge = (d: KubeObject): number => (isRollingUpdate(d) ? fenceposts(d).surge : 0);

export function maxUnavailable(d: KubeObject): number {
  const desired = replicasOf(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(fenceposts(d).unavailable, desired);
}

export function revisionOf(o: KubeObject | undefined): number {
  const v = o?.metadata.annotations?.[REVISION];
  const n = v === undefined || v === '' ? 0 : Number(v);
  return Number.isInteger(n) ? n : 0;
}

export const maxRevision = (rss: KubeObject[]): number =>
  rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's (hash label aside). */
export function findNewReplicaSet(d: KubeObject, rss: KubeObject[]): KubeObject | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rsSpec(rs).template, dSpec(d).template));
}

/** Sets desired-replicas and max-replicas; true when either changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  const changed = a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
  a[DESIRED_REPLICAS] = String(desired);
  a[MAX_REPLICAS] = String(max);
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations: the Deployment's own annotations, the new revision (keeping the ones it
 * had before in revision-history when a rollback brings an old ReplicaSet back) and, for a ReplicaSet
 * about to be created, the replicas annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: KubeObject,
  rs: KubeObject,
  newRevision: string,
  exists: boolean,
): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_COPY.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const oldRevision = a[REVISION] ?? '';
  const oldN = oldRevision === '' ? 0 : Number(oldRevision);
  if (oldRevision !== '' && !Number.isInteger(oldN)) return false;
  const newN = Number(newRevision);
  if (oldN < newN) {
    a[REVISION] = newRevision;
    changed = true;
  }
  if (oldRevision !== '' && oldN < newN) {
    const history = a[REVISION_HISTORY] ?? '';
    if (history === '') a[REVISION_HISTORY] = oldRevision;
    else {
      let parts = history.split(',');
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > MAX_REV_HISTORY_CHARS && start < parts.length) total -= parts[start++]!.length + 1;
      if (total <= MAX_REV_HISTORY_CHARS) {
        parts = [...parts.slice(start), oldRevision];
        a[REVISION_HISTORY] = parts.join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

export function getCondition(st: DeploymentStatus, type: string): Condition | undefined {
  return st.conditions?.find((c) => c.type === type);
}

export function newCondition(
  type: string,
  status: string,
  reason: string,
  message: string,
  now: number,
): Condition {
  const t = rfc3339(new Date(now));
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** SetDeploymentCondition: unchanged status and reason is no change; same status keeps its transition time. */
export function setCondition(st: DeploymentStatus, c: Condition): void {
  const current = getCondition(st, c.type);
  if (current && current.status === c.status && current.reason === c.reason) return;
  if (current && current.status === c.status) c = { ...c, lastTransitionTime: current.lastTransitionTime };
  st.conditions = [...(st.conditions ?? []).filter((x) => x.type !== c.type), c];
}

export function removeCondition(st: DeploymentStatus, type: string): void {
  const rest = (st.conditions ?? []).filter((x) => x.type !== type);
  if (rest.length) st.conditions = rest;
  else delete st.conditions;
}

export const hasProgressDeadline = (d: KubeObject): boolean => {
  const s = dSpec(d).progressDeadlineSeconds;
  return s !== undefined && s !== 2147483647;
};

/** DeploymentComplete: every replica updated and available, and the newest spec observed. */
export function deploymentComplete(d: KubeObject, st: DeploymentStatus): boolean {
  const n = replicasOf(d);
  return (
    (st.updatedReplicas ?? 0) === n &&
    (st.replicas ?? 0) === n &&
    (st.availableReplicas ?? 0) === n &&
    (st.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available replicas than before. */
export function deploymentProgressing(d: KubeObject, st: DeploymentStatus): boolean {
  const old = (d.status ?? {}) as DeploymentStatus;
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (st.replicas ?? 0) - (st.updatedReplicas ?? 0);
  return (
    (st.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (st.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (st.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: no progress for progressDeadlineSeconds since the Progressing condition's update. */
export function deploymentTimedOut(d: KubeObject, st: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(st, 'Progressing');
  if (!c || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return from + (dSpec(d).progressDeadlineSeconds ?? 0) * 1000 < now;
}

const sum = (rss: (KubeObject | undefined)[], f: (rs: KubeObject) => number) =>
  rss.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);

export const specReplicasOf = (rss: (KubeObject | undefined)[]) => sum(rss, (rs) => rsReplicas(rs));
export const actualReplicasOf = (rss: (KubeObject | undefined)[]) =>
  sum(rss, (rs) => rsStatus(rs).replicas ?? 0);
export const availableReplicasOf = (rss: (KubeObject | undefined)[]) =>
  sum(rss, (rs) => rsStatus(rs).availableReplicas ?? 0);
const readyReplicasOf = (rss: (KubeObject | undefined)[]) =>
  sum(rss, (rs) => rsStatus(rs).readyReplicas ?? 0);

/** calculateStatus: counts from the ReplicaSets, and Available by whether maxUnavailable is respected. */
export function calculateStatus(
  all: (KubeObject | undefined)[],
  newRS: KubeObject | undefined,
  d: KubeObject,
  now: number,
): DeploymentStatus {
  const old = (d.status ?? {}) as DeploymentStatus;
  const available = availableReplicasOf(all);
  const unavailable = Math.max(0, specReplicasOf(all) - available);
  const counts: [keyof DeploymentStatus, number][] = [
    ['observedGeneration', d.metadata.generation ?? 0],
    ['replicas', actualReplicasOf(all)],
    ['updatedReplicas', actualReplicasOf([newRS])],
    ['readyReplicas', readyReplicasOf(all)],
    ['availableReplicas', available],
    ['unavailableReplicas', unavailable],
  ];
  const st: DeploymentStatus = {};
  for (const [k, v] of counts) if (v) (st as Record<string, number>)[k] = v;
  if (old.conditions?.length) st.conditions = old.conditions.map((c) => ({ ...c }));
  if (available >= replicasOf(d) - maxUnavailable(d))
    setCondition(
      st,
      newCondition(
        'Available',
        'True',
        'MinimumReplicasAvailable',
        'Deployment has minimum availability.',
        now,
      ),
    );
  else
    setCondition(
      st,
      newCondition(
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
        now,
      ),
    );
  if (old.collisionCount !== undefined) st.collisionCount = old.collisionCount;
  return st;
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
export function newRSNewReplicas(d: KubeObject, all: KubeObject[], newRS: KubeObject): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const surge = scaledValue(dSpec(d).strategy?.rollingUpdate?.maxSurge, replicasOf(d), true);
  const current = specReplicasOf(all);
  const maxTotal = replicasOf(d) + surge;
  if (current >= maxTotal) return rsReplicas(newRS);
  const up = Math.min(maxTotal - current, replicasOf(d) - rsReplicas(newRS));
  return rsReplicas(newRS) + up;
}

export const isActive = (rs: KubeObject | undefined): rs is KubeObject => Boolean(rs) && rsReplicas(rs) > 0;
