import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { adminClient, newLab } from '../../helpers/lab';
import { finishPod, startPod } from '../../helpers/kubelet';
import { list, names, podTemplate, shell, spec, status } from './helpers';
import { apiError } from '../../helpers/requests';

let lab: Lab;
afterEach(() => lab?.close());

function statefulSet(replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'nginx' } },
      template: podTemplate({ app: 'nginx' }),
      volumeClaimTemplates: [
        {
          metadata: { name: 'www' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '1Gi' } },
            storageClassName: 'gold',
          },
        },
      ],
      ...extra,
    },
  };
}

/** Starts the named pods (Running and Ready) and settles. */
function ready(c: ReturnType<typeof adminClient>, ...pods: string[]): void {
  for (const p of pods) startPod(c, c.get('pods', 'default', p), lab.clock.now());
  lab.settle();
}

const revision = (p: KubeObject) => p.metadata.labels?.['controller-revision-hash'];

describe('StatefulSet', () => {
  it('OrderedReady: makes web-0, web-1, web-2 one at a time, each once its predecessor is Running and Ready, claims first', () => {
    lab = newLab();
    const c = adminClient(lab);
    const set = c.create(statefulSet(3));
    lab.settle();
    expect(names(list(c, 'pods'))).toEqual(['web-0']);
    expect(names(list(c, 'persistentvolumeclaims'))).toEqual(['www-web-0']);
    ready(c, 'web-0');
    expect(names(list(c, 'pods'))).toEqual(['web-0', 'web-1']);
    ready(c, 'web-1');
    ready(c, 'web-2');
    expect(names(list(c, 'pods'))).toEqual(['web-0', 'web-1', 'web-2']);
    expect(names(list(c, 'persistentvolumeclaims'))).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);

    const pod = c.get('pods', 'default', 'web-1');
    const rev = c.get('statefulsets', 'default', 'web');
    const updateRevision = status<{ updateRevision: string }>(rev).updateRevision;
    expect(updateRevision).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(pod.metadata.labels).toEqual({
      app: 'nginx',
      'controller-revision-hash': updateRevision,
      'statefulset.kubernetes.io/pod-name': 'web-1',
    });
    expect(pod.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'web',
        uid: set.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(spec(pod)).toMatchObject({
      hostname: 'web-1',
      subdomain: 'nginx',
      volumes: [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }],
    });
    const pvc = c.get('persistentvolumeclaims', 'default', 'www-web-1');
    expect(pvc.metadata.labels).toEqual({ app: 'nginx' });
    expect(spec(pvc)).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      storageClassName: 'gold',
      volumeMode: 'Filesystem',
    });
    expect(pvc.metadata.ownerReferences).toBeUndefined();
    expect(status(rev)).toEqual({
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: updateRevision,
      updateRevision,
      collisionCount: 0,
    });
  });

  it('scales down from the highest ordinal, one at a time (the next waits until the last is gone), and keeps the claims', () => {
    lab = newLab();
    const c = adminClient(lab);
    const held = {
      ...podTemplate({ app: 'nginx' }),
      metadata: { labels: { app: 'nginx' }, finalizers: ['lab.test/hold'] },
    };
    c.create(statefulSet(3, { template: held }));
    lab.settle();
    ready(c, 'web-0');
    ready(c, 'web-1');
    ready(c, 'web-2');
    c.patch('statefulsets', 'default', 'web', 'merge', { spec: { replicas: 1 } });
    lab.settle();
    const terminating = () =>
      list(c, 'pods')
        .filter((p) => p.metadata.deletionTimestamp)
        .map((p) => p.metadata.name);
    expect(terminating()).toEqual(['web-2']);
    const release = (name: string) =>
      c.patch('pods', 'default', name, 'merge', { metadata: { finalizers: null } });
    release('web-2');
    lab.settle();
    expect(names(list(c, 'pods'))).toEqual(['web-0', 'web-1']);
    expect(terminating()).toEqual(['web-1']);
    release('web-1');
    lab.settle();
    expect(names(list(c, 'pods'))).toEqual(['web-0']);
    expect(names(list(c, 'persistentvolumeclaims'))).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    expect(status(c.get('statefulsets', 'default', 'web'))).toMatchObject({ replicas: 1, readyReplicas: 1 });
  });

  it('Parallel: makes and removes every pod at once', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(statefulSet(3, { podManagementPolicy: 'Parallel', volumeClaimTemplates: [] }));
    lab.settle();
    expect(names(list(c, 'pods'))).toEqual(['web-0', 'web-1', 'web-2']);
    c.patch('statefulsets', 'default', 'web', 'merge', { spec: { replicas: 0 } });
    lab.settle();
    expect(list(c, 'pods')).toEqual([]);
    expect(status(c.get('statefulsets', 'default', 'web'))).toMatchObject({ replicas: 0 });
  });

  it('rolls a template change out from the highest ordinal down, each once the one above is Ready, above the partition', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(statefulSet(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    lab.settle();
    ready(c, 'web-0');
    ready(c, 'web-1');
    ready(c, 'web-2');
    const old = revision(c.get('pods', 'default', 'web-0'));
    c.patch('statefulsets', 'default', 'web', 'merge', {
      spec: { template: podTemplate({ app: 'nginx' }, 'nginx:1.26') },
    });
    lab.settle();
    const next = status<{ updateRevision: string }>(c.get('statefulsets', 'default', 'web')).updateRevision;
    expect(next).not.toBe(old);
    // web-2 went and came back at the new revision; web-1 waits for it to be Ready
    expect(list(c, 'pods').map((p) => [p.metadata.name, revision(p)])).toEqual([
      ['web-0', old],
      ['web-1', old],
      ['web-2', next],
    ]);
    ready(c, 'web-2');
    expect(revision(c.get('pods', 'default', 'web-1'))).toBe(next);
    ready(c, 'web-1');
    expect(revision(c.get('pods', 'default', 'web-0'))).toBe(old);
    expect(status(c.get('statefulsets', 'default', 'web'))).toMatchObject({
      currentRevision: old,
      updateRevision: next,
      currentReplicas: 1,
      updatedReplicas: 2,
    });
  });

  it('replaces a failed pod under the same name', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(statefulSet(1, { volumeClaimTemplates: [] }));
    lab.settle();
    const first = c.get('pods', 'default', 'web-0');
    finishPod(c, first, 'Failed', lab.clock.now());
    lab.settle();
    const again = c.get('pods', 'default', 'web-0');
    expect(again.metadata.uid).not.toBe(first.metadata.uid);
    expect((again.status as { phase: string }).phase).toBe('Pending');
  });

  it('refuses what the API server refuses, and kubectl get prints NAME READY AGE', async () => {
    lab = newLab();
    const c = adminClient(lab);
    expect(
      apiError(() =>
        c.create(
          statefulSet(1, { template: podTemplate({ app: 'nginx' }, 'nginx', { restartPolicy: 'Never' }) }),
        ),
      ).status.message,
    ).toBe(
      'StatefulSet.apps "web" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    );
    c.create(statefulSet(2));
    expect(
      apiError(() => c.patch('statefulsets', 'default', 'web', 'merge', { spec: { serviceName: 'other' } }))
        .status.message,
    ).toBe(
      "StatefulSet.apps \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'template', and 'updateStrategy' are forbidden",
    );
    lab.settle();
    ready(c, 'web-0');
    expect((await shell(lab)('kubectl get sts')).out).toBe('NAME   READY   AGE\nweb    1/2     0s\n');
  });
});
