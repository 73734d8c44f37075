import { afterEach, describe, expect, it } from 'vitest';
import { forbidden } from '../../../main/api/errors';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { adminClient, newLab, pod } from '../../helpers/lab';
import { startPod } from '../../helpers/kubelet';
import { condition, events, list, names, podTemplate, status } from './helpers';

let lab: Lab;
afterEach(() => lab?.close());

const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';

function replicaSet(replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        ...podTemplate({ app: 'web', tier: 'front' }),
        metadata: { labels: { app: 'web', tier: 'front' }, annotations: { note: 'x' } },
      },
      ...extra,
    },
  };
}

describe('ReplicaSet', () => {
  it('makes spec.replicas pods named <rs>-xxxxx from the template, owned as a controller, and counts them', () => {
    lab = newLab();
    const c = adminClient(lab);
    const rs = c.create(replicaSet(3));
    lab.settle();
    const pods = list(c, 'pods');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${SAFE}{5}$`));
      expect(p.metadata.labels).toEqual({ app: 'web', tier: 'front' });
      expect(p.metadata.annotations).toEqual({ note: 'x' });
      expect(p.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    expect(status(c.get('replicasets', 'default', 'web'))).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 3,
      observedGeneration: 1,
    });
    expect(events(c, 'web').sort()).toEqual(
      names(pods).map((n) => `Normal SuccessfulCreate Created pod: ${n}`),
    );
  });

  it('counts a pod available once it has been Ready for minReadySeconds (strictly longer)', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(replicaSet(2, { minReadySeconds: 10 }));
    lab.settle();
    for (const p of list(c, 'pods')) startPod(c, p, lab.clock.now());
    lab.settle();
    const st = () =>
      status<{ readyReplicas?: number; availableReplicas?: number }>(c.get('replicasets', 'default', 'web'));
    expect(st()).toMatchObject({ readyReplicas: 2 });
    expect(st().availableReplicas).toBeUndefined();
    lab.advance(10_000);
    expect(st().availableReplicas).toBeUndefined();
    lab.advance(1);
    expect(st()).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
  });

  it('adopts orphans its selector matches, releases pods it stops selecting, and replaces what it lost', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(pod('stray', 'default', { labels: { app: 'web' } }));
    c.create(pod('other', 'default', { labels: { app: 'db' } }));
    const rs = c.create(replicaSet(2));
    lab.settle();
    const pods = list(c, 'pods', 'default', 'app=web');
    expect(pods).toHaveLength(2);
    expect(names(pods)).toContain('stray');
    expect(c.get('pods', 'default', 'stray').metadata.ownerReferences?.[0]).toMatchObject({
      uid: rs.metadata.uid,
      controller: true,
    });
    expect(c.get('pods', 'default', 'other').metadata.ownerReferences).toBeUndefined();
    expect(status(c.get('replicasets', 'default', 'web'))).toMatchObject({
      replicas: 2,
      fullyLabeledReplicas: 1,
    });

    c.patch('pods', 'default', 'stray', 'merge', { metadata: { labels: { app: 'debug' } } });
    lab.settle();
    expect(c.get('pods', 'default', 'stray').metadata.ownerReferences).toBeUndefined();
    const now = list(c, 'pods', 'default', 'app=web');
    expect(now).toHaveLength(2);
    expect(names(now)).not.toContain('stray');
  });

  it('scales down in kube order: unscheduled/pending and not-ready pods first, then the most recently ready', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(replicaSet(4));
    lab.settle();
    const [a, b, d, e] = list(c, 'pods');
    startPod(c, a!, lab.clock.now());
    lab.advance(5000);
    startPod(c, b!, lab.clock.now()); // ready later than a
    startPod(c, d!, lab.clock.now(), { ready: false }); // running, not ready
    // e stays Pending
    lab.settle();
    c.patch('replicasets', 'default', 'web', 'merge', { spec: { replicas: 2 } });
    lab.settle();
    expect(names(list(c, 'pods'))).toEqual(names([a!, b!]));
    c.patch('replicasets', 'default', 'web', 'merge', { spec: { replicas: 1 } });
    lab.settle();
    expect(names(list(c, 'pods'))).toEqual([a!.metadata.name]);
    // Pending before Running-not-ready, then the pod Ready for the shorter time
    expect(events(c, 'web').filter((x) => x.includes('Delete'))).toEqual(
      [e!, d!, b!].map((p) => `Normal SuccessfulDelete Deleted pod: ${p.metadata.name}`),
    );
  });

  it('reports a refused pod creation as ReplicaFailure and a FailedCreate event, and retries until it succeeds', () => {
    let refuse = true;
    lab = newLab({
      admission: [
        {
          name: 'test-quota',
          validate(a) {
            if (refuse && a.kind.kind === 'Pod' && a.operation === 'CREATE')
              throw forbidden(
                `pods "${a.name}" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=0, limited: pods=0`,
              );
          },
        },
      ],
    });
    const c = adminClient(lab);
    c.create(replicaSet(2));
    lab.settle();
    const rs = c.get('replicasets', 'default', 'web');
    expect(condition(rs, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate' });
    expect(condition(rs, 'ReplicaFailure')!.message).toMatch(/is forbidden: exceeded quota: compute/);
    expect(events(c, 'web')[0]).toMatch(
      /^Warning FailedCreate Error creating: pods "web-\w{5}" is forbidden: exceeded quota/,
    );
    refuse = false;
    lab.advance(60_000);
    expect(list(c, 'pods')).toHaveLength(2);
    expect(condition(c.get('replicasets', 'default', 'web'), 'ReplicaFailure')).toBeUndefined();
    expect(lab.runtime.errors).toEqual([]);
  });
  it("records events through client-go's correlator: nine alike, then one combined event, then the spam filter", () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(replicaSet(30));
    lab.settle();
    const created = (n: string) => `Normal SuccessfulCreate Created pod: ${n}`;
    const pods = names(list(c, 'pods'));
    expect(pods).toHaveLength(30);
    const seen = events(c, 'web');
    // nine distinct messages pass as they are; from the tenth they are combined into one event...
    expect(seen).toHaveLength(10);
    const separate = seen.slice(0, 9);
    expect(new Set(separate).size).toBe(9);
    for (const e of separate) expect(pods.map(created)).toContain(e);
    const combined = () =>
      list(c, 'events', 'default').find((e) =>
        String(e.message).startsWith('(combined from similar events)'),
      )!;
    // ...counting up to the 25th event, the spam filter's burst; the last five are dropped
    expect(combined()).toMatchObject({
      reason: 'SuccessfulCreate',
      count: 16,
    });
    const last = String(combined().message).replace('(combined from similar events): Created pod: ', '');
    expect(pods).toContain(last);
    expect(separate).not.toContain(created(last));
    // five minutes later the bucket holds one more token: the next event passes, with the dropped ones counted
    lab.advance(5 * 60_000);
    const rs = c.get('replicasets', 'default', 'web');
    c.update({ ...rs, spec: { ...(rs.spec as object), replicas: 31 } });
    lab.settle();
    expect(list(c, 'pods')).toHaveLength(31);
    expect(events(c, 'web')).toHaveLength(10);
    expect(combined().count).toBe(22);
  });
});
