import { afterAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import { adminClient, newLab } from '../../helpers/lab';
import { kubelet } from '../../helpers/kubelet';
import { deployment, podTemplate, status } from './helpers';

let lab: Lab;
afterAll(() => lab?.close());

describe('workload controllers at scale', () => {
  it('reconcile 1,000 Deployments × 10 replicas (10,000 pods) in seconds, and then only what changes', () => {
    lab = newLab();
    const c = adminClient(lab);
    kubelet(lab, c, { startupMs: 2000 });
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) c.create(deployment(`app-${i}`, 10));
    const reconciles = lab.advance(10_000);
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `1,000 Deployments × 10 replicas rolled out: ${seconds.toFixed(1)} s wall, ${reconciles} reconciles, ${lab.api.store.currentRv()} writes`,
    );
    const pods = c.list('pods', { namespace: 'default' }).items;
    expect(pods).toHaveLength(10_000);
    const ds = c.list('deployments', { namespace: 'default' }).items;
    expect(ds.filter((d) => status<{ availableReplicas?: number }>(d).availableReplicas === 10)).toHaveLength(
      1000,
    );
    expect(lab.runtime.errors).toEqual([]);
    expect(seconds).toBeLessThan(60);

    // one Deployment changes: the work is that Deployment's, not the namespace's
    c.patch('deployments', 'default', 'app-500', 'merge', {
      spec: { template: podTemplate({ app: 'app-500' }, 'nginx:1.26') },
    });
    const t1 = performance.now();
    const more = lab.advance(30_000);
    const ms = performance.now() - t1;
    console.log(
      `one Deployment rolled to a new template among 1,000: ${ms.toFixed(0)} ms wall, ${more} reconciles`,
    );
    expect(
      status<{ updatedReplicas?: number; replicas?: number }>(c.get('deployments', 'default', 'app-500')),
    ).toMatchObject({ updatedReplicas: 10, replicas: 10 });
    expect(more).toBeLessThan(500);
  }, 120_000);
});
