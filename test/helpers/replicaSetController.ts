// A small ReplicaSet controller for tests of the runtime: keeps spec.replicas pods, and marks each pod
// Running two seconds of lab time after it was created (a stand-in for a kubelet).
import type { ApiClient } from '../../main/api/client';
import { splitKey, toOwner, type Controller } from '../../main/sim/runtime/controllers';

const STARTUP_MS = 2000;

export function replicaSetController(c: ApiClient, now: () => number): Controller {
  return {
    name: 'replicaset',
    watches: [
      { group: 'apps', kind: 'ReplicaSet' },
      { group: '', kind: 'Pod', map: toOwner('ReplicaSet') },
    ],
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const rs = c.tryGet('replicasets', namespace, name);
      if (!rs || rs.metadata.deletionTimestamp) return;
      const spec = rs.spec as {
        replicas: number;
        template: { metadata: { labels: Record<string, string> }; spec: object };
      };
      const pods = c
        .list('pods', { namespace })
        .items.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid));
      for (let i = pods.length; i < spec.replicas; i++) {
        c.create({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            generateName: `${name}-`,
            namespace,
            labels: spec.template.metadata.labels,
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name,
                uid: rs.metadata.uid!,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          spec: spec.template.spec,
        });
      }
      for (const p of pods.slice(spec.replicas)) c.delete('pods', namespace, p.metadata.name!);
      let wakeAt: number | undefined;
      for (const p of pods.slice(0, spec.replicas)) {
        const st = p.status as { phase: string };
        if (st.phase !== 'Pending') continue;
        const due = Date.parse(p.metadata.creationTimestamp!) + STARTUP_MS;
        if (due <= now()) c.updateStatus({ ...p, status: { ...st, phase: 'Running' } });
        else wakeAt = Math.min(wakeAt ?? due, due);
      }
      const ready = pods.filter((p) => (p.status as { phase: string }).phase === 'Running').length;
      const status = (rs.status ?? {}) as { replicas?: number; readyReplicas?: number };
      if (status.replicas !== pods.length || status.readyReplicas !== ready) {
        c.updateStatus({ ...rs, status: { replicas: pods.length, readyReplicas: ready } });
      }
      return wakeAt === undefined ? undefined : { requeueAfterMs: wakeAt - now() };
    },
  };
}
