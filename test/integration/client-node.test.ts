import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import type { Lab } from '../../main/sim/lab';
import { newLab } from '../helpers/lab';
import { serveLab, type Served } from '../helpers/kubectl';

describe('@kubernetes/client-node against the lab endpoint', () => {
  let lab: Lab;
  let s: Served;
  let kc: k8s.KubeConfig;
  beforeAll(async () => {
    lab = newLab();
    s = await serveLab(lab);
    kc = new k8s.KubeConfig();
    kc.loadFromFile(s.kubeconfigPath);
  });
  afterAll(async () => {
    await s?.close();
    lab?.close();
  });

  it('creates and lists pods', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const created = await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
      },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['web']);
    await expect(core.readNamespacedPod({ namespace: 'default', name: 'nope' })).rejects.toMatchObject({
      code: 404,
    });
  });

  it('watches, receiving each change', async () => {
    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    let stop: (() => void) | undefined;
    const done = new Promise<void>((resolve, reject) => {
      void watch
        .watch(
          '/api/v1/namespaces/default/configmaps',
          {},
          (type: string, obj: { metadata?: { name?: string } }) => {
            events.push(`${type} ${obj.metadata?.name}`);
            if (events.length === 3) resolve();
          },
          (err: unknown) => (err ? reject(err as Error) : undefined),
        )
        .then((req) => {
          const core = kc.makeApiClient(k8s.CoreV1Api);
          void (async () => {
            await core.createNamespacedConfigMap({
              namespace: 'default',
              body: { metadata: { name: 'a' }, data: { k: '1' } },
            });
            await core.patchNamespacedConfigMap(
              { namespace: 'default', name: 'a', body: { data: { k: '2' } } },
              k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
            );
            await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'a' });
          })().catch(reject);
          stop = () => req.abort();
        }, reject);
    });
    await done;
    stop?.();
    expect(events).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
  });
});
