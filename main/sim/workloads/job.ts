// The Job controller (1.21 semantics): runs pods from the template until `completions` succeed (or, with
// no completions, until one succeeds and the rest finish), at most `parallelism` at a time; replaces
// failed pods after a growing delay (10 s doubling to 6 min); fails the Job past backoffLimit or
// activeDeadlineSeconds, deleting what still runs; records Complete / Failed; and removes a finished
// Job ttlSecondsAfterFinished later, as the TTL-after-finished controller does.
import type { ApiClient } from '../../api/client';
import { rfc3339 } from '../../api/environment';
import type { JobSpec, JobStatus } from '../../api/kinds/batch';
import type { KubeObject } from '../../api/types';
import { keyFor, splitKey, type Controller, type Key } from '../runtime/controllers';
import type { World } from '../world';
import type { InformerCache } from './cache';
import { claim, ownedBy } from './claims';
import { canonicalJson } from './hash';
import {
  controllerOf,
  deletionOrder,
  isPodActive,
  podFromTemplate,
  podPhase,
  podsPrefix,
  type Condition,
} from './pods';

const COMPONENT = 'job-controller';
const BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 360_000;

const jobSpec = (j: KubeObject) => (j.spec ?? {}) as JobSpec;
const jobStatus = (j: KubeObject) => (j.status ?? {}) as JobStatus;

/** The condition that says a Job is over (Complete or Failed, True), if any. */
export function finishedCondition(j: KubeObject): (Condition & { lastTransitionTime?: string }) | undefined {
  return jobStatus(j).conditions?.find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  ) as Condition | undefined;
}

function newCondition(type: string, reason: string, message: string, now: number): Condition {
  const t = rfc3339(new Date(now));
  return {
    type,
    status: 'True',
    lastProbeTime: t,
    lastTransitionTime: t,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure, container restarts count as failures. */
function pastBackoffLimitOnFailure(job: KubeObject, pods: KubeObject[]): boolean {
  if (jobSpec(job).template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (podPhase(p) !== 'Running' && podPhase(p) !== 'Pending') continue;
    const st = (p.status ?? {}) as {
      containerStatuses?: { restartCount?: number }[];
      initContainerStatuses?: { restartCount?: number }[];
    };
    for (const c of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])])
      restarts += c.restartCount ?? 0;
  }
  const limit = jobSpec(job).backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function podToJobs(cache: InformerCache) {
  return (pod: KubeObject, cluster: string): Key[] => {
    const ns = pod.metadata.namespace ?? '';
    const ref = controllerOf(pod);
    if (ref) return ref.kind === 'Job' ? [keyFor(cluster, ns, ref.name)] : [];
    if (pod.metadata.deletionTimestamp) return [];
    return cache
      .selecting(cluster, 'batch', 'Job', ns, pod.metadata.labels)
      .map((j) => keyFor(cluster, ns, j.metadata.name!));
  };
}

export function jobController(w: World, cache: InformerCache): Controller {
  /** when each Job may next replace a failed pod (in memory, as the work queue's backoff is) */
  const notBefore = new Map<Key, number>();
  return {
    name: 'job',
    watches: [
      { group: 'batch', kind: 'Job' },
      { group: '', kind: 'Pod', map: podToJobs(cache) },
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      const c = w.k8s(cluster);
      const job = c.tryGet('jobs', namespace, name);
      if (!job) {
        notBefore.delete(key);
        return;
      }
      const now = w.now();
      const done = finishedCondition(job);
      if (done) {
        notBefore.delete(key);
        return ttlAfterFinished(c, job, done, now);
      }
      const spec = jobSpec(job);
      const pods = claim({
        client: c,
        resource: 'pods',
        owner: job,
        selector: spec.selector,
        owned: ownedBy(w.api, job.metadata.uid!, '', 'Pod'),
        candidates: cache.selectedBy(cluster, '', 'Pod', namespace, spec.selector),
      });
      const old = jobStatus(job);
      const st: JobStatus = structuredClone(old);
      let wake: number | undefined;
      const wakeAt = (t: number) => (wake = Math.min(wake ?? t, t));
      if (!st.startTime) st.startTime = rfc3339(new Date(now));
      const start = Date.parse(st.startTime);
      let activePods = pods.filter(isPodActive);
      let active = activePods.length;
      const succeeded = pods.filter((p) => podPhase(p) === 'Succeeded').length;
      let failed = pods.filter((p) => podPhase(p) === 'Failed').length;
      const newFailure = failed > (old.failed ?? 0);
      if (newFailure) {
        const delay = failed <= 1 ? 0 : Math.min(BACKOFF_MS * 2 ** (failed - 2), MAX_BACKOFF_MS);
        notBefore.set(key, now + delay);
      }
      const deadline =
        spec.activeDeadlineSeconds !== undefined ? start + spec.activeDeadlineSeconds * 1000 : undefined;
      let failure: [string, string] | undefined;
      if ((newFailure && failed > (spec.backoffLimit ?? 6)) || pastBackoffLimitOnFailure(job, pods))
        failure = ['BackoffLimitExceeded', 'Job has reached the specified backoff limit'];
      else if (deadline !== undefined && now >= deadline)
        failure = ['DeadlineExceeded', 'Job was active longer than specified deadline'];
      else if (deadline !== undefined) wakeAt(deadline);
      if (failure) {
        for (const p of activePods) c.delete('pods', namespace, p.metadata.name!);
        failed += active;
        active = 0;
        st.conditions = [...(st.conditions ?? []), newCondition('Failed', failure[0], failure[1], now)];
        w.recorder.event(c, job, 'Warning', failure[0], failure[1], COMPONENT);
      } else {
        if (!job.metadata.deletionTimestamp) {
          const r = manageJob(w, c, job, activePods, succeeded, now, notBefore.get(key));
          activePods = r.activePods;
          active = activePods.length;
          if (r.wake !== undefined) wakeAt(r.wake);
        }
        const complete =
          spec.completions === undefined
            ? succeeded > 0 && active === 0
            : succeeded >= spec.completions && active === 0;
        if (complete) {
          st.conditions = [...(st.conditions ?? []), newCondition('Complete', '', '', now)];
          st.completionTime = rfc3339(new Date(now));
          w.recorder.event(c, job, 'Normal', 'Completed', 'Job completed', COMPONENT);
        }
      }
      const next: JobStatus = {
        ...(st.conditions?.length ? { conditions: st.conditions } : {}),
        startTime: st.startTime,
        ...(st.completionTime ? { completionTime: st.completionTime } : {}),
        ...(active ? { active } : {}),
        ...(succeeded ? { succeeded } : {}),
        ...(failed ? { failed } : {}),
      };
      if (canonicalJson(next) !== canonicalJson(old)) c.updateStatus({ ...job, status: next } as KubeObject);
      return wake === undefined ? undefined : { requeueAfterMs: Math.max(1, wake - now) };
    },
  };
}

/** manageJob: deletes pods beyond parallelism, creates them up to what the completions still need. */
function manageJob(
  w: World,
  c: ApiClient,
  job: KubeObject,
  activePods: KubeObject[],
  succeeded: number,
  now: number,
  notBefore: number | undefined,
): { activePods: KubeObject[]; wake?: number } {
  const spec = jobSpec(job);
  const parallelism = spec.parallelism ?? 1;
  const active = activePods.length;
  if (active > parallelism) {
    const victims = [...activePods]
      .sort((a, b) => deletionOrder(a, b, () => 0))
      .slice(0, active - parallelism);
    for (const p of victims) {
      c.delete('pods', p.metadata.namespace ?? '', p.metadata.name!);
      w.recorder.event(c, job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, COMPONENT);
    }
    return { activePods: activePods.filter((p) => !victims.includes(p)) };
  }
  let want: number;
  if (spec.completions === undefined) want = succeeded > 0 ? active : parallelism;
  else want = Math.min(spec.completions - succeeded, parallelism);
  const diff = Math.max(0, want - active);
  if (diff === 0) return { activePods };
  if (notBefore !== undefined && now < notBefore) return { activePods, wake: notBefore };
  const created: KubeObject[] = [];
  for (let i = 0; i < diff; i++) {
    const pod = c.create(
      podFromTemplate(spec.template ?? {}, job, { generateName: podsPrefix(job.metadata.name!) }),
    );
    created.push(pod);
    w.recorder.event(c, job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
  }
  return { activePods: [...activePods, ...created] };
}

/** The TTL-after-finished controller: a finished Job goes (foreground) ttlSecondsAfterFinished later. */
function ttlAfterFinished(
  c: ApiClient,
  job: KubeObject,
  done: Condition,
  now: number,
): { requeueAfterMs: number } | undefined {
  const ttl = jobSpec(job).ttlSecondsAfterFinished;
  if (ttl === undefined || job.metadata.deletionTimestamp) return undefined;
  const expireAt = Date.parse(done.lastTransitionTime ?? '') + ttl * 1000;
  if (expireAt > now) return { requeueAfterMs: expireAt - now };
  c.delete('jobs', job.metadata.namespace ?? '', job.metadata.name!, {
    propagationPolicy: 'Foreground',
    preconditions: { resourceVersion: job.metadata.resourceVersion },
  });
  return undefined;
}
