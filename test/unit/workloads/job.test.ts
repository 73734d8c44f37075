import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { adminClient, newLab } from '../../helpers/lab';
import { finishPod, startPod } from '../../helpers/kubelet';
import { apiError } from '../../helpers/requests';
import { condition, events, list, names, phase, shell, spec, status } from './helpers';

let lab: Lab;
afterEach(() => lab?.close());

function job(extra: Record<string, unknown> = {}, restartPolicy = 'Never'): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default' },
    spec: {
      template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy } },
      ...extra,
    },
  };
}

type JobStatus = {
  active?: number;
  succeeded?: number;
  failed?: number;
  startTime?: string;
  completionTime?: string;
};
const running = (c: ReturnType<typeof adminClient>) =>
  list(c, 'pods').filter((p) => phase(p) === 'Pending' || phase(p) === 'Running');

describe('Job', () => {
  it('gets a generated selector and labels from its uid, runs parallelism pods until completions succeed, then is Complete', async () => {
    lab = newLab();
    const c = adminClient(lab);
    const j = c.create(job({ completions: 3, parallelism: 2 }));
    const uid = j.metadata.uid!;
    expect(spec(j)).toMatchObject({ selector: { matchLabels: { 'controller-uid': uid } }, backoffLimit: 6 });
    expect(spec<{ template: { metadata: unknown } }>(j).template.metadata).toEqual({
      labels: { 'controller-uid': uid, 'job-name': 'pi' },
    });
    expect(j.metadata.labels).toEqual({ 'controller-uid': uid, 'job-name': 'pi' });
    lab.settle();
    const first = list(c, 'pods');
    expect(first).toHaveLength(2);
    for (const p of first) {
      expect(p.metadata.name).toMatch(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.labels).toEqual({ 'controller-uid': uid, 'job-name': 'pi' });
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'Job',
        name: 'pi',
        uid,
        controller: true,
        blockOwnerDeletion: true,
      });
    }
    expect(status<JobStatus>(c.get('jobs', 'default', 'pi'))).toMatchObject({
      active: 2,
      startTime: '2026-01-05T09:00:00Z',
    });
    lab.advance(30_000);
    finishPod(c, first[0]!, 'Succeeded', lab.clock.now());
    lab.settle();
    expect(running(c)).toHaveLength(2);
    expect((await shell(lab)('kubectl get jobs')).out).toBe(
      'NAME   COMPLETIONS   DURATION   AGE\npi     1/3           30s        30s\n',
    );
    for (const p of running(c)) finishPod(c, p, 'Succeeded', lab.clock.now());
    lab.advance(15_000);
    const done = c.get('jobs', 'default', 'pi');
    expect(status<JobStatus>(done)).toMatchObject({ succeeded: 3, completionTime: '2026-01-05T09:00:30Z' });
    expect(status<JobStatus>(done).active).toBeUndefined();
    expect(condition(done, 'Complete')).toEqual({
      type: 'Complete',
      status: 'True',
      lastProbeTime: '2026-01-05T09:00:30Z',
      lastTransitionTime: '2026-01-05T09:00:30Z',
    });
    expect(events(c, 'pi').at(-1)).toBe('Normal Completed Job completed');
    expect((await shell(lab)('kubectl get jobs')).out).toBe(
      'NAME   COMPLETIONS   DURATION   AGE\npi     3/3           30s        45s\n',
    );
  });

  it('without completions (a work queue) stops starting pods at the first success and completes when all have finished', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(job({ parallelism: 3 }));
    lab.settle();
    const pods = list(c, 'pods');
    expect(pods).toHaveLength(3);
    finishPod(c, pods[0]!, 'Succeeded', lab.clock.now());
    lab.settle();
    expect(list(c, 'pods')).toHaveLength(3);
    expect(condition(c.get('jobs', 'default', 'pi'), 'Complete')).toBeUndefined();
    for (const p of pods.slice(1)) finishPod(c, p, 'Succeeded', lab.clock.now());
    lab.settle();
    expect(condition(c.get('jobs', 'default', 'pi'), 'Complete')?.status).toBe('True');
  });

  it('replaces failed pods after a growing delay and fails past backoffLimit, deleting what still runs', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(job({ backoffLimit: 2, parallelism: 2, completions: 4 }));
    lab.settle();
    const [a, b] = list(c, 'pods');
    finishPod(c, a!, 'Failed', lab.clock.now());
    lab.settle();
    expect(running(c)).toHaveLength(2); // the first failure is replaced at once
    startPod(c, b!, lab.clock.now());
    const replacement = running(c).find((p) => p.metadata.name !== b!.metadata.name)!;
    finishPod(c, replacement, 'Failed', lab.clock.now());
    lab.settle();
    expect(running(c)).toHaveLength(1); // the second waits 10 s
    lab.advance(9_999);
    expect(running(c)).toHaveLength(1);
    lab.advance(1);
    expect(running(c)).toHaveLength(2);
    const third = running(c).find((p) => p.metadata.name !== b!.metadata.name)!;
    finishPod(c, third, 'Failed', lab.clock.now());
    lab.settle();
    const failed = c.get('jobs', 'default', 'pi');
    expect(condition(failed, 'Failed')).toMatchObject({
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect(status<JobStatus>(failed)).toMatchObject({ failed: 4 });
    expect(running(c)).toEqual([]);
    expect(names(list(c, 'pods'))).not.toContain(b!.metadata.name);
    expect(events(c, 'pi').at(-1)).toBe(
      'Warning BackoffLimitExceeded Job has reached the specified backoff limit',
    );
  });

  it('fails with DeadlineExceeded once activeDeadlineSeconds have passed since it started', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(job({ activeDeadlineSeconds: 30 }));
    lab.settle();
    startPod(c, list(c, 'pods')[0]!, lab.clock.now());
    lab.advance(29_999);
    expect(condition(c.get('jobs', 'default', 'pi'), 'Failed')).toBeUndefined();
    lab.advance(1);
    const j = c.get('jobs', 'default', 'pi');
    expect(condition(j, 'Failed')).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    });
    expect(status<JobStatus>(j)).toMatchObject({ failed: 1 });
    expect(list(c, 'pods')).toEqual([]);
  });

  it('is deleted with its pods ttlSecondsAfterFinished after it finished', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(job({ ttlSecondsAfterFinished: 60 }));
    lab.settle();
    finishPod(c, list(c, 'pods')[0]!, 'Succeeded', lab.clock.now());
    lab.advance(59_000);
    expect(c.tryGet('jobs', 'default', 'pi')).toBeDefined();
    lab.advance(1_000);
    expect(c.tryGet('jobs', 'default', 'pi')).toBeUndefined();
    expect(list(c, 'pods')).toEqual([]);
  });

  it('refuses restartPolicy Always and changes to its template, as the API server does', () => {
    lab = newLab();
    const c = adminClient(lab);
    expect(apiError(() => c.create(job({}, 'Always'))).status.message).toBe(
      'Job.batch "pi" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    );
    c.create(job({ completions: 2 }));
    expect(
      apiError(() => c.patch('jobs', 'default', 'pi', 'merge', { spec: { completions: 3 } })).status.message,
    ).toBe('Job.batch "pi" is invalid: spec.completions: Invalid value: 3: field is immutable');
  });
});
