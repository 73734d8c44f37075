import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { adminClient, newLab } from '../../helpers/lab';
import { kubelet } from '../../helpers/kubelet';

let lab: Lab;
afterEach(() => lab?.close());

const replicaSet = (replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
    },
  },
});

const phases = (lab: Lab) =>
  adminClient(lab)
    .list('pods', { namespace: 'default' })
    .items.map((p) => (p.status as { phase: string }).phase);

describe('controller runtime', () => {
  it('settle() reconciles until nothing is due now; advance() moves lab time through the timers', () => {
    lab = newLab();
    const c = adminClient(lab);
    kubelet(lab, c, { startupMs: 2000 });
    c.create(replicaSet(3));
    lab.settle();
    expect(phases(lab)).toEqual(['Pending', 'Pending', 'Pending']);
    lab.advance(1999);
    expect(phases(lab)).toEqual(['Pending', 'Pending', 'Pending']);
    lab.advance(1);
    expect(phases(lab)).toEqual(['Running', 'Running', 'Running']);
    expect(c.get('rs', 'default', 'web').status).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
  });

  it('reacts to changes of watched objects (level-triggered)', () => {
    lab = newLab();
    const c = adminClient(lab);
    kubelet(lab, c, { startupMs: 2000 });
    c.create(replicaSet(2));
    lab.advance(5000);
    const victim = c.list('pods', { namespace: 'default' }).items[0]!;
    c.delete('pods', 'default', victim.metadata.name!);
    lab.settle();
    const names = c.list('pods', { namespace: 'default' }).items.map((p) => p.metadata.name);
    expect(names).toHaveLength(2);
    expect(names).not.toContain(victim.metadata.name);
    c.patch('rs', 'default', 'web', 'merge', { spec: { replicas: 0 } });
    lab.settle();
    expect(c.list('pods', { namespace: 'default' }).items).toEqual([]);
  });

  it('retries a failing reconcile with backoff and records the error', () => {
    lab = newLab();
    let calls = 0;
    lab.runtime.register({
      name: 'flaky',
      watches: [{ group: '', kind: 'ConfigMap' }],
      reconcile() {
        calls++;
        if (calls < 3) throw new Error(`attempt ${calls} failed`);
      },
    });
    adminClient(lab).create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'default' },
    });
    lab.settle();
    expect(calls).toBe(1);
    lab.advance(4);
    expect(calls).toBe(1);
    lab.advance(1); // 5 ms backoff
    expect(calls).toBe(2);
    lab.advance(10); // 10 ms backoff
    expect(calls).toBe(3);
    expect(lab.runtime.errors.map((e) => String((e.error as Error).message))).toEqual([
      'attempt 1 failed',
      'attempt 2 failed',
    ]);
  });

  it('rolls back every write of a reconcile that fails', () => {
    lab = newLab();
    lab.runtime.register({
      name: 'half-done',
      watches: [{ group: '', kind: 'ConfigMap' }],
      reconcile() {
        adminClient(lab).create({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'partial', namespace: 'default' },
        });
        throw new Error('fails after writing');
      },
    });
    adminClient(lab).create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'default' },
    });
    lab.settle();
    expect(adminClient(lab).tryGet('secrets', 'default', 'partial')).toBeUndefined();
  });
});
