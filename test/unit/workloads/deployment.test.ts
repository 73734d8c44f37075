import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { podTemplateHash } from '../../../main/sim/workloads/hash';
import { fenceposts } from '../../../main/sim/workloads/deploymentUtil';
import { adminClient, newLab } from '../../helpers/lab';
import { kubelet, startPending, startPod } from '../../helpers/kubelet';
import {
  condition,
  deployment,
  events,
  list,
  names,
  phase,
  podTemplate,
  shell,
  spec,
  status,
} from './helpers';

let lab: Lab;
afterEach(() => lab?.close());

const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
type DStatus = {
  replicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  readyReplicas?: number;
  collisionCount?: number;
  observedGeneration?: number;
};
const ann = (o: KubeObject) => o.metadata.annotations ?? {};
const replicas = (rs: KubeObject) => spec<{ replicas: number }>(rs).replicas;

describe('Deployment', () => {
  it('makes a ReplicaSet <name>-<pod-template-hash> at revision 1, its pods, and reports the rollout in status and conditions', () => {
    lab = newLab();
    const c = adminClient(lab);
    const d = c.create(deployment('web', 3));
    lab.settle();
    const [rs, ...more] = list(c, 'replicasets');
    expect(more).toEqual([]);
    const hash = podTemplateHash(spec<{ template: unknown }>(d).template);
    expect(hash).toMatch(new RegExp(`^${SAFE}{6,10}$`));
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(spec(rs!).selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect(rs!.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: d.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(ann(rs!)).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    const pods = list(c, 'pods');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-${SAFE}{5}$`));
      expect(p.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'ReplicaSet',
        name: rs!.metadata.name,
        controller: true,
        blockOwnerDeletion: true,
      });
    }
    let now = c.get('deployments', 'default', 'web');
    expect(ann(now)['deployment.kubernetes.io/revision']).toBe('1');
    expect(condition(now, 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
    expect(condition(now, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "web-${hash}" is progressing.`,
    });

    startPending(lab, c);
    lab.settle();
    now = c.get('deployments', 'default', 'web');
    expect(status(now)).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(status<{ conditions: { type: string }[] }>(now).conditions.map((x) => x.type)).toEqual([
      'Available',
      'Progressing',
    ]);
    expect(condition(now, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    });
    expect(condition(now, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "web-${hash}" has successfully progressed.`,
    });
    expect(events(c, 'web')).toEqual([`Normal ScalingReplicaSet Scaled up replica set web-${hash} to 3`]);
    expect(lab.runtime.errors).toEqual([]);
  });

  it('rounds maxSurge up and maxUnavailable down as Kubernetes does, and never stalls with both at zero', () => {
    const d = (replicas: number, maxSurge: number | string, maxUnavailable: number | string) =>
      ({
        metadata: {},
        spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } },
      }) as unknown as KubeObject;
    expect(fenceposts(d(10, '25%', '25%'))).toEqual({ surge: 3, unavailable: 2 });
    expect(fenceposts(d(3, '25%', '25%'))).toEqual({ surge: 1, unavailable: 0 });
    expect(fenceposts(d(1, '25%', '25%'))).toEqual({ surge: 1, unavailable: 0 });
    expect(fenceposts(d(5, 0, 0))).toEqual({ surge: 0, unavailable: 1 });
    expect(fenceposts(d(7, 2, '50%'))).toEqual({ surge: 2, unavailable: 3 });
  });

  it('rolls out a new template within maxSurge and maxUnavailable at every step, then cleans nothing up within the history limit', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(deployment('web', 10));
    lab.settle();
    startPending(lab, c);
    lab.settle();
    c.patch('deployments', 'default', 'web', 'merge', {
      spec: { template: podTemplate({ app: 'web' }, 'nginx:1.26') },
    });
    let steps = 0;
    for (;;) {
      lab.settle();
      const pods = list(c, 'pods').filter((p) => !p.metadata.deletionTimestamp);
      const ready = pods.filter((p) => phase(p) === 'Running');
      expect(pods.length).toBeLessThanOrEqual(13);
      expect(ready.length).toBeGreaterThanOrEqual(8);
      const pending = pods.find((p) => phase(p) === 'Pending');
      if (!pending) break;
      startPod(c, pending, lab.clock.now());
      steps++;
    }
    expect(steps).toBe(10);
    const rss = list(c, 'replicasets');
    expect(rss.map((rs) => [ann(rs)['deployment.kubernetes.io/revision'], replicas(rs)]).sort()).toEqual([
      ['1', 0],
      ['2', 10],
    ]);
    const d = c.get('deployments', 'default', 'web');
    expect(ann(d)['deployment.kubernetes.io/revision']).toBe('2');
    expect(status(d)).toMatchObject({ replicas: 10, updatedReplicas: 10, availableReplicas: 10 });
    expect(
      list(c, 'pods').every(
        (p) =>
          p.metadata.labels?.['pod-template-hash'] ===
          rss.find((r) => replicas(r) === 10)!.metadata.labels!['pod-template-hash'],
      ),
    ).toBe(true);
  });

  it('Recreate: scales the old ReplicaSet to zero and waits for its pods to be gone before the new one grows', () => {
    lab = newLab();
    const c = adminClient(lab);
    const template = {
      ...podTemplate({ app: 'web' }),
      metadata: { labels: { app: 'web' }, finalizers: ['lab.test/hold'] },
    };
    c.create(deployment('web', 2, { strategy: { type: 'Recreate' }, template }));
    lab.settle();
    startPending(lab, c);
    lab.settle();
    c.patch('deployments', 'default', 'web', 'merge', {
      spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } },
    });
    lab.advance(5000);
    const rss = list(c, 'replicasets');
    expect(rss).toHaveLength(1);
    expect(replicas(rss[0]!)).toBe(0);
    const terminating = list(c, 'pods');
    expect(terminating.map((p) => Boolean(p.metadata.deletionTimestamp))).toEqual([true, true]);
    for (const p of terminating)
      c.patch('pods', 'default', p.metadata.name!, 'merge', { metadata: { finalizers: null } });
    lab.settle();
    const after = list(c, 'replicasets');
    expect(after.map((rs) => [ann(rs)['deployment.kubernetes.io/revision'], replicas(rs)]).sort()).toEqual([
      ['1', 0],
      ['2', 2],
    ]);
    expect(list(c, 'pods')).toHaveLength(2);
  });

  it('keeps revisionHistoryLimit old ReplicaSets, deleting the lowest revisions', () => {
    lab = newLab();
    const c = adminClient(lab);
    kubelet(lab, c);
    c.create(deployment('web', 1, { revisionHistoryLimit: 2 }));
    lab.advance(1000);
    for (const image of ['nginx:1.26', 'nginx:1.27', 'nginx:1.28']) {
      c.patch('deployments', 'default', 'web', 'merge', {
        spec: { template: podTemplate({ app: 'web' }, image) },
      });
      lab.advance(1000);
    }
    const revs = list(c, 'replicasets').map((rs) => Number(ann(rs)['deployment.kubernetes.io/revision']));
    expect(revs.sort()).toEqual([2, 3, 4]);
  });

  it('rollout undo goes back through the controller: the old ReplicaSet becomes the newest revision, rollout status finishes, history lists it', async () => {
    lab = newLab();
    const c = adminClient(lab);
    kubelet(lab, c, { startupMs: 3000 });
    const run = shell(lab);
    c.create({
      ...deployment('web', 3),
      metadata: { name: 'web', namespace: 'default', annotations: { 'kubernetes.io/change-cause': 'first' } },
    });
    lab.advance(10_000);
    const first = list(c, 'replicasets')[0]!;
    c.patch('deployments', 'default', 'web', 'merge', {
      metadata: { annotations: { 'kubernetes.io/change-cause': 'second' } },
      spec: { template: podTemplate({ app: 'web' }, 'nginx:1.26') },
    });
    lab.advance(20_000);
    expect((await run('kubectl rollout history deployment/web')).out).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first\n2         second\n\n',
    );
    expect(await run('kubectl rollout undo deployment/web')).toEqual({
      code: 0,
      out: 'deployment.apps/web rolled back\n',
      err: '',
    });
    const r = await run('kubectl rollout status deployment/web --timeout=2m');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean).at(-1)).toBe('deployment "web" successfully rolled out');
    expect(r.out).toContain('Waiting for deployment "web" rollout to finish');
    const back = c.get('replicasets', 'default', first.metadata.name!);
    expect(ann(back)['deployment.kubernetes.io/revision']).toBe('3');
    expect(ann(back)['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(ann(back)['kubernetes.io/change-cause']).toBe('first');
    expect(replicas(back)).toBe(3);
    const d = c.get('deployments', 'default', 'web');
    expect(ann(d)['deployment.kubernetes.io/revision']).toBe('3');
    expect(list(c, 'pods').map((p) => p.metadata.labels?.['pod-template-hash'])).toEqual(
      Array(3).fill(first.metadata.labels!['pod-template-hash']),
    );
    expect((await run('kubectl rollout history deployment/web')).out).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         second\n3         first\n\n',
    );
    expect(await run('kubectl rollout status deployment/web')).toEqual({
      code: 0,
      out: 'deployment "web" successfully rolled out\n',
      err: '',
    });
    expect(lab.runtime.errors).toEqual([]);
  });

  it('turns Progressing to ProgressDeadlineExceeded after progressDeadlineSeconds of lab time without progress', async () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(deployment('web', 2, { progressDeadlineSeconds: 30 }));
    lab.settle();
    const rs = list(c, 'replicasets')[0]!.metadata.name;
    lab.advance(30_000);
    expect(condition(c.get('deployments', 'default', 'web'), 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
    });
    lab.advance(1000);
    expect(condition(c.get('deployments', 'default', 'web'), 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${rs}" has timed out progressing.`,
    });
    expect(await shell(lab)('kubectl rollout status deployment/web')).toEqual({
      code: 1,
      out: '',
      err: 'error: deployment "web" exceeded its progress deadline\n',
    });
    // progress again: the pods start, the rollout completes
    startPending(lab, c);
    lab.settle();
    expect(condition(c.get('deployments', 'default', 'web'), 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    });
  });

  it('spreads a replicas change over old and new ReplicaSets in proportion while a rollout is under way', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(deployment('web', 10));
    lab.settle();
    startPending(lab, c);
    lab.settle();
    c.patch('deployments', 'default', 'web', 'merge', {
      spec: { template: podTemplate({ app: 'web' }, 'nginx:1.26') },
    });
    lab.settle();
    const byRev = () =>
      Object.fromEntries(
        list(c, 'replicasets').map((rs) => [
          ann(rs)['deployment.kubernetes.io/revision'],
          [
            replicas(rs),
            ann(rs)['deployment.kubernetes.io/desired-replicas'],
            ann(rs)['deployment.kubernetes.io/max-replicas'],
          ],
        ]),
      );
    // 13 pods at most (25% surge), 8 available at least (25% unavailable): old 10 → 8, new 0 → 3 → 5
    expect(byRev()).toEqual({ '1': [8, '10', '13'], '2': [5, '10', '13'] });
    c.patch('deployments', 'default', 'web', 'merge', { spec: { replicas: 20 } });
    lab.settle();
    // 25 allowed now: old 8·25/13 ≈ 15, new 5·25/13 ≈ 10
    expect(byRev()).toEqual({ '1': [15, '20', '25'], '2': [10, '20', '25'] });
    for (let i = 0; i < 40 && list(c, 'pods').some((p) => phase(p) === 'Pending'); i++) {
      startPending(lab, c);
      lab.settle();
    }
    expect(byRev()).toEqual({ '1': [0, '20', '25'], '2': [20, '20', '25'] });
    expect(status<DStatus>(c.get('deployments', 'default', 'web'))).toMatchObject({
      replicas: 20,
      updatedReplicas: 20,
      availableReplicas: 20,
    });
  });

  it('names the ReplicaSet with collisionCount in the hash when another object holds the name', () => {
    lab = newLab();
    const c = adminClient(lab);
    const template = podTemplate({ app: 'web' });
    const d = deployment('web', 1);
    // the API server defaults the template as the Deployment's, so hash a defaulted copy
    const dryRun = c.create(d, { dryRun: 'All' });
    const hash = podTemplateHash(spec<{ template: unknown }>(dryRun).template);
    c.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `web-${hash}`, namespace: 'default' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { other: 'x' } },
        template: { ...template, metadata: { labels: { other: 'x' } } },
      },
    });
    c.create(d);
    lab.settle();
    const created = c.get('deployments', 'default', 'web');
    expect(status<DStatus>(created).collisionCount).toBe(1);
    const hash1 = podTemplateHash(spec<{ template: unknown }>(created).template, 1);
    expect(hash1).not.toBe(hash);
    expect(names(list(c, 'replicasets'))).toEqual([`web-${hash}`, `web-${hash1}`].sort());
    expect(list(c, 'pods')).toHaveLength(1);
  });

  it('Foreground deletion waits for pods, then ReplicaSets, then goes; Orphan leaves them to be adopted', () => {
    lab = newLab();
    const c = adminClient(lab);
    const held = {
      ...podTemplate({ app: 'web' }),
      metadata: { labels: { app: 'web' }, finalizers: ['lab.test/hold'] },
    };
    c.create(deployment('web', 2, { template: held }));
    lab.settle();
    c.delete('deployments', 'default', 'web', { propagationPolicy: 'Foreground' });
    lab.settle();
    const d = c.get('deployments', 'default', 'web');
    expect(d.metadata.finalizers).toEqual(['foregroundDeletion']);
    const rs = list(c, 'replicasets')[0]!;
    expect(rs.metadata.deletionTimestamp).toBeDefined();
    expect(list(c, 'pods').every((p) => p.metadata.deletionTimestamp)).toBe(true);
    expect(list(c, 'pods')).toHaveLength(2); // nothing replaces pods of a ReplicaSet being deleted
    for (const p of list(c, 'pods'))
      c.patch('pods', 'default', p.metadata.name!, 'merge', { metadata: { finalizers: null } });
    lab.settle();
    expect([list(c, 'deployments'), list(c, 'replicasets'), list(c, 'pods')]).toEqual([[], [], []]);

    c.create(deployment('api', 2));
    lab.settle();
    const pods = names(list(c, 'pods'));
    c.delete('deployments', 'default', 'api', { propagationPolicy: 'Orphan' });
    lab.settle();
    const orphan = list(c, 'replicasets')[0]!;
    expect(orphan.metadata.ownerReferences).toBeUndefined();
    const again = c.create(deployment('api', 2));
    lab.settle();
    const adopted = list(c, 'replicasets');
    expect(names(adopted)).toEqual([orphan.metadata.name]);
    expect(adopted[0]!.metadata.ownerReferences?.[0]).toMatchObject({
      uid: again.metadata.uid,
      controller: true,
    });
    expect(names(list(c, 'pods'))).toEqual(pods);

    c.delete('deployments', 'default', 'api');
    lab.settle();
    expect([list(c, 'replicasets'), list(c, 'pods')]).toEqual([[], []]);
  });

  it('while paused, scales but does not roll out; resumed, rolls out', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(deployment('web', 2));
    lab.settle();
    startPending(lab, c);
    lab.settle();
    c.patch('deployments', 'default', 'web', 'merge', { spec: { paused: true } });
    c.patch('deployments', 'default', 'web', 'merge', {
      spec: { template: podTemplate({ app: 'web' }, 'nginx:1.26') },
    });
    lab.settle();
    let d = c.get('deployments', 'default', 'web');
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    });
    expect(list(c, 'replicasets')).toHaveLength(1);
    c.patch('deployments', 'default', 'web', 'merge', { spec: { replicas: 4 } });
    lab.settle();
    expect(replicas(list(c, 'replicasets')[0]!)).toBe(4);
    c.patch('deployments', 'default', 'web', 'merge', { spec: { paused: false } });
    lab.settle();
    d = c.get('deployments', 'default', 'web');
    expect(list(c, 'replicasets')).toHaveLength(2);
    expect(condition(d, 'Progressing')?.reason).toBe('ReplicaSetUpdated');
    expect(events(c, 'web')).toContain(
      `Normal ScalingReplicaSet Scaled up replica set ${list(c, 'replicasets').find((rs) => ann(rs)['deployment.kubernetes.io/revision'] === '2')!.metadata.name} to 1`,
    );
  });

  it('picks up where it stopped when a lab file is opened again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workloads-'));
    try {
      const path = join(dir, 'lab.db');
      lab = newLab({ path });
      adminClient(lab).create(deployment('web', 2));
      lab.close(); // before any reconcile
      lab = newLab({ path });
      const c = adminClient(lab);
      lab.settle();
      expect(list(c, 'replicasets')).toHaveLength(1);
      expect(list(c, 'pods')).toHaveLength(2);
      lab.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('works the same in a guest cluster API space', () => {
    lab = newLab();
    lab.api.addApiSpace('tkc-1', 'guest');
    const g = adminClient(lab, 'tkc-1');
    g.create(deployment('web', 2));
    lab.settle();
    expect(list(g, 'pods')).toHaveLength(2);
    expect(list(adminClient(lab), 'pods')).toHaveLength(0);
  });
});
