// One sync of one Deployment: its ReplicaSets as they stand, the writes it makes to them and to the
// Deployment, and the steps kube's deployment controller shares between strategies — finding or making
// the new ReplicaSet, scaling with an event, the rollout status, cleaning up old revisions.
import type { ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import type { World } from '../world';
import { canonicalJson, equalIgnoreHash, HASH_LABEL, podTemplateHash } from './hash';
import { byCreation, controllerOf, controllerRef, type Condition } from './pods';
import { rsSpec, rsStatus } from './replicaset';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  dSpec,
  findNewReplicaSet,
  getCondition,
  hasProgressDeadline,
  maxRevision,
  maxSurge,
  newCondition,
  newRSNewReplicas,
  removeCondition,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  REVISION,
  revisionOf,
  rsReplicas,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  type DeploymentStatus,
} from './deploymentUtil';

const COMPONENT = 'deployment-controller';

/** A hash collision with a ReplicaSet the Deployment does not own: collisionCount went up, try again. */
export class HashCollision extends Error {}

export class DeploymentSync {
  /** the Deployment as this sync last wrote or read it; status is written from `status` */
  d: KubeObject;
  /** its ReplicaSets, oldest first, kept current as the sync writes them */
  rss: KubeObject[];
  /** the status the next status write sends */
  status: DeploymentStatus;
  /** when the Deployment should be looked at again (a progress deadline) */
  requeueAfterMs?: number;

  constructor(
    readonly w: World,
    readonly c: ApiClient,
    d: KubeObject,
    rss: KubeObject[],
    readonly now: number,
  ) {
    this.d = structuredClone(d) as KubeObject;
    this.status = structuredClone((d.status ?? {}) as DeploymentStatus);
    this.rss = [...rss].sort(byCreation);
  }

  /** Replaces a ReplicaSet in the list with the version a write returned. */
  private replace(rs: KubeObject): KubeObject {
    this.rss = this.rss.map((x) => (x.metadata.uid === rs.metadata.uid ? rs : x));
    return rs;
  }

  /** FindOldReplicaSets: every ReplicaSet but the new one. */
  oldRSs(newRS: KubeObject | undefined): KubeObject[] {
    return this.rss.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
  }

  /** Writes the Deployment's annotations (a plain update) and then its status, when they changed. */
  saveDeployment(): void {
    const stored = this.c.get('deployments', this.d.metadata.namespace ?? '', this.d.metadata.name!);
    if (
      canonicalJson(stored.metadata.annotations ?? {}) !== canonicalJson(this.d.metadata.annotations ?? {})
    ) {
      const next = structuredClone(stored) as KubeObject;
      next.metadata.annotations = this.d.metadata.annotations;
      this.c.update(next);
    }
    this.writeStatus();
  }

  /** Writes `status` when it differs from what is stored. */
  writeStatus(): void {
    const stored = this.c.get('deployments', this.d.metadata.namespace ?? '', this.d.metadata.name!);
    if (canonicalJson(stored.status ?? {}) === canonicalJson(this.status)) {
      this.d = {
        ...this.d,
        metadata: { ...this.d.metadata, resourceVersion: stored.metadata.resourceVersion },
      };
      return;
    }
    const written = this.c.updateStatus({ ...stored, status: this.status } as KubeObject);
    this.d = { ...written, metadata: { ...written.metadata, annotations: this.d.metadata.annotations } };
  }

  /** SetDeploymentRevision: true when the revision annotation changed. */
  private setRevision(revision: string): boolean {
    const a = (this.d.metadata.annotations ??= {});
    if (a[REVISION] === revision) return false;
    a[REVISION] = revision;
    return true;
  }

  /**
   * getAllReplicaSetsAndSyncRevision: the new ReplicaSet (made when `create` and missing) with its revision
   * carried to the Deployment, and every old one.
   */
  syncRevision(create: boolean): { newRS: KubeObject | undefined; oldRSs: KubeObject[] } {
    const existing = findNewReplicaSet(this.d, this.rss);
    const olds = this.oldRSs(existing);
    const newRevision = String(maxRevision(olds) + 1);
    if (existing) {
      const copy = structuredClone(existing) as KubeObject;
      const annotationsChanged = setNewReplicaSetAnnotations(this.d, copy, newRevision, true);
      const minReady = dSpec(this.d).minReadySeconds ?? 0;
      if (annotationsChanged || (rsSpec(copy).minReadySeconds ?? 0) !== minReady) {
        const spec = copy.spec as { minReadySeconds?: number };
        if (minReady) spec.minReadySeconds = minReady;
        else delete spec.minReadySeconds;
        return { newRS: this.replace(this.c.update(copy)), oldRSs: olds };
      }
      let changed = this.setRevision(copy.metadata.annotations?.[REVISION] ?? '');
      if (hasProgressDeadline(this.d) && !getCondition(this.status, 'Progressing')) {
        setCondition(
          this.status,
          newCondition(
            'Progressing',
            'True',
            'FoundNewReplicaSet',
            `Found new replica set "${copy.metadata.name}"`,
            this.now,
          ),
        );
        changed = true;
      }
      if (changed) this.saveDeployment();
      return { newRS: existing, oldRSs: olds };
    }
    if (!create) return { newRS: undefined, oldRSs: olds };
    return { newRS: this.createNewRS(olds, newRevision), oldRSs: olds };
  }

  private createNewRS(olds: KubeObject[], newRevision: string): KubeObject {
    const spec = dSpec(this.d);
    const hash = podTemplateHash(spec.template, this.status.collisionCount);
    const template = structuredClone(spec.template ?? {});
    template.metadata = {
      ...template.metadata,
      labels: { ...template.metadata?.labels, [HASH_LABEL]: hash },
    };
    const selector = structuredClone(spec.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [HASH_LABEL]: hash };
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${this.d.metadata.name}-${hash}`,
        namespace: this.d.metadata.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [controllerRef(this.d)],
      },
      spec: {
        replicas: 0,
        ...(spec.minReadySeconds ? { minReadySeconds: spec.minReadySeconds } : {}),
        selector,
        template,
      },
    };
    const replicas = newRSNewReplicas(this.d, [...olds, rs], rs);
    (rs.spec as { replicas: number }).replicas = replicas;
    setNewReplicaSetAnnotations(this.d, rs, newRevision, false);
    let created: KubeObject;
    let alreadyExists = false;
    try {
      created = this.c.create(rs);
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 409) throw e;
      const found = this.c.get('replicasets', rs.metadata.namespace ?? '', rs.metadata.name!);
      if (
        controllerOf(found)?.uid !== this.d.metadata.uid ||
        !equalIgnoreHash(rsSpec(found).template, spec.template)
      ) {
        this.status.collisionCount = (this.status.collisionCount ?? 0) + 1;
        this.writeStatus();
        throw new HashCollision(`hash collision for ReplicaSet ${rs.metadata.name}`);
      }
      created = found;
      alreadyExists = true;
    }
    if (!alreadyExists) this.rss = [...this.rss, created];
    if (replicas > 0 && !alreadyExists)
      this.event(
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${created.metadata.name} to ${replicas}`,
      );
    let changed = this.setRevision(newRevision);
    if (!alreadyExists && hasProgressDeadline(this.d)) {
      setCondition(
        this.status,
        newCondition(
          'Progressing',
          'True',
          'NewReplicaSetCreated',
          `Created new replica set "${created.metadata.name}"`,
          this.now,
        ),
      );
      changed = true;
    }
    if (changed) this.saveDeployment();
    return created;
  }

  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.w.recorder.event(this.c, this.d, type, reason, message, COMPONENT);
  }

  /** scaleReplicaSetAndRecordEvent: true when spec.replicas changed. */
  scale(rs: KubeObject, to: number, direction?: 'up' | 'down'): { scaled: boolean; rs: KubeObject } {
    if (rsReplicas(rs) === to) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, to, direction ?? (rsReplicas(rs) < to ? 'up' : 'down'));
  }

  /** scaleReplicaSet: the new size and the replicas annotations in one update, an event when it resized. */
  scaleReplicaSet(rs: KubeObject, to: number, direction: string): { scaled: boolean; rs: KubeObject } {
    const desired = replicasOf(this.d);
    const max = desired + maxSurge(this.d);
    const resize = rsReplicas(rs) !== to;
    if (!resize && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const copy = structuredClone(rs) as KubeObject;
    (copy.spec as { replicas: number }).replicas = to;
    setReplicasAnnotations(copy, desired, max);
    const written = this.replace(this.c.update(copy));
    if (resize)
      this.event(
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${direction} replica set ${rs.metadata.name} to ${to}`,
      );
    return { scaled: resize, rs: written };
  }

  /** cleanupDeployment: old, empty, settled ReplicaSets beyond revisionHistoryLimit go, lowest revision first. */
  cleanup(olds: KubeObject[]): void {
    const limit = dSpec(this.d).revisionHistoryLimit;
    if (limit === undefined) return;
    const alive = olds.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = alive.length - limit;
    if (diff <= 0) return;
    const sorted = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of sorted.slice(0, diff)) {
      const st = rsStatus(rs);
      if ((st.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) continue;
      this.c.delete('replicasets', rs.metadata.namespace ?? '', rs.metadata.name!);
      this.rss = this.rss.filter((x) => x.metadata.uid !== rs.metadata.uid);
    }
  }

  /** syncDeploymentStatus: the counts the ReplicaSets add up to, written when they changed. */
  syncStatus(all: (KubeObject | undefined)[], newRS: KubeObject | undefined): void {
    this.status = calculateStatus(all, newRS, this.withStatus(), this.now);
    this.writeStatus();
  }

  withStatus(): KubeObject {
    return { ...this.d, status: this.status };
  }

  /** syncRolloutStatus: counts, then Progressing (progress, completion or its deadline), ReplicaFailure. */
  syncRolloutStatus(all: (KubeObject | undefined)[], newRS: KubeObject | undefined): void {
    const d = this.withStatus();
    const next = calculateStatus(all, newRS, d, this.now);
    if (!hasProgressDeadline(d)) removeCondition(next, 'Progressing');
    const current = getCondition(this.status, 'Progressing');
    const complete =
      (next.replicas ?? 0) === (next.updatedReplicas ?? 0) && current?.reason === 'NewReplicaSetAvailable';
    const rsName = newRS?.metadata.name;
    if (hasProgressDeadline(d) && !complete) {
      if (deploymentComplete(d, next)) {
        const msg = rsName
          ? `ReplicaSet "${rsName}" has successfully progressed.`
          : `Deployment "${d.metadata.name}" has successfully progressed.`;
        setCondition(next, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', msg, this.now));
      } else if (deploymentProgressing(d, next)) {
        const msg = rsName
          ? `ReplicaSet "${rsName}" is progressing.`
          : `Deployment "${d.metadata.name}" is progressing.`;
        let c = newCondition('Progressing', 'True', 'ReplicaSetUpdated', msg, this.now);
        if (current) {
          if (current.status === 'True') c = { ...c, lastTransitionTime: current.lastTransitionTime };
          removeCondition(next, 'Progressing');
        }
        setCondition(next, c);
      } else if (deploymentTimedOut(d, next, this.now)) {
        const msg = rsName
          ? `ReplicaSet "${rsName}" has timed out progressing.`
          : `Deployment "${d.metadata.name}" has timed out progressing.`;
        setCondition(next, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', msg, this.now));
      }
    }
    const failure = replicaFailure(all, newRS);
    if (failure) setCondition(next, failure);
    else removeCondition(next, 'ReplicaFailure');
    if (canonicalJson(next) === canonicalJson(this.status)) {
      this.requeueStuck(next);
      return;
    }
    // the write wakes this Deployment again, and that sync (finding nothing new) sets the deadline timer
    this.status = next;
    this.writeStatus();
  }

  /** requeueStuckDeployment: look again once the progress deadline would pass without progress. */
  private requeueStuck(st: DeploymentStatus): void {
    const current = getCondition(st, 'Progressing');
    if (!hasProgressDeadline(this.d) || !current) return;
    if (deploymentComplete(this.d, st) || current.reason === 'ProgressDeadlineExceeded') return;
    const deadline =
      Date.parse(current.lastUpdateTime ?? '') + (dSpec(this.d).progressDeadlineSeconds ?? 0) * 1000;
    // a condition without its update time (written by hand) sets no timer
    if (!Number.isFinite(deadline)) return;
    const after = deadline - this.now;
    this.requeueAfterMs = after < 1000 ? Math.max(1, after + 1) : after + 1000;
  }

  /** checkPausedConditions: Progressing Unknown while paused (DeploymentPaused) and on resume (DeploymentResumed). */
  checkPaused(): void {
    if (!hasProgressDeadline(this.d)) return;
    const cond = getCondition(this.status, 'Progressing');
    if (cond?.reason === 'ProgressDeadlineExceeded') return;
    const pausedCond = cond?.reason === 'DeploymentPaused';
    const paused = Boolean(dSpec(this.d).paused);
    if (paused && !pausedCond)
      setCondition(
        this.status,
        newCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', this.now),
      );
    else if (!paused && pausedCond)
      setCondition(
        this.status,
        newCondition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', this.now),
      );
    else return;
    this.writeStatus();
  }
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure condition, else any old one's. */
function replicaFailure(
  all: (KubeObject | undefined)[],
  newRS: KubeObject | undefined,
): Condition | undefined {
  const failureOf = (rs: KubeObject | undefined) =>
    rs ? rsStatus(rs).conditions?.find((c) => c.type === 'ReplicaFailure') : undefined;
  const c = failureOf(newRS) ?? all.map(failureOf).find((x) => x !== undefined);
  if (!c) return undefined;
  return {
    type: 'ReplicaFailure',
    status: c.status,
    lastUpdateTime: c.lastTransitionTime,
    lastTransitionTime: c.lastTransitionTime,
    reason: c.reason,
    message: c.message,
  };
}
