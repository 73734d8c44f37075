// The Deployment controller: owns ReplicaSets named `<deployment>-<pod-template-hash>`, one per template
// revision, and moves replicas between them by its strategy (RollingUpdate or Recreate), keeping the
// revision annotations, the status counts and the Available / Progressing conditions kubectl's rollout
// status and describe read. See deploymentSync.ts and deploymentRollout.ts for the steps.
import type { KubeObject } from '../../api/types';
import { keyFor, splitKey, type Controller, type Key } from '../runtime/controllers';
import type { World } from '../world';
import type { InformerCache } from './cache';
import { claim, ownedBy } from './claims';
import { controllerOf } from './pods';
import { DeploymentSync, HashCollision } from './deploymentSync';
import { isScalingEvent, rolloutRecreate, rolloutRolling, syncScaling } from './deploymentRollout';
import { dSpec } from './deploymentUtil';

/** A ReplicaSet concerns its controlling Deployment or, an orphan, every Deployment selecting it. */
function rsToDeployments(cache: InformerCache) {
  return (rs: KubeObject, cluster: string): Key[] => {
    const ns = rs.metadata.namespace ?? '';
    const ref = controllerOf(rs);
    if (ref) return ref.kind === 'Deployment' ? [keyFor(cluster, ns, ref.name)] : [];
    if (rs.metadata.deletionTimestamp) return [];
    return cache
      .selecting(cluster, 'apps', 'Deployment', ns, rs.metadata.labels)
      .map((d) => keyFor(cluster, ns, d.metadata.name!));
  };
}

/** A pod concerns a Recreate Deployment, which waits for the old pods to be gone. */
function podToRecreateDeployment(cache: InformerCache) {
  return (pod: KubeObject, cluster: string): Key[] => {
    const ns = pod.metadata.namespace ?? '';
    const rsRef = controllerOf(pod);
    if (rsRef?.kind !== 'ReplicaSet') return [];
    const rs = cache.get(cluster, 'apps', 'ReplicaSet', ns, rsRef.name);
    const dRef = rs && controllerOf(rs);
    if (dRef?.kind !== 'Deployment') return [];
    const d = cache.get(cluster, 'apps', 'Deployment', ns, dRef.name);
    return d && dSpec(d).strategy?.type === 'Recreate' ? [keyFor(cluster, ns, dRef.name)] : [];
  };
}

export function deploymentController(w: World, cache: InformerCache): Controller {
  return {
    name: 'deployment',
    watches: [
      { group: 'apps', kind: 'Deployment' },
      { group: 'apps', kind: 'ReplicaSet', map: rsToDeployments(cache) },
      { group: '', kind: 'Pod', map: podToRecreateDeployment(cache) },
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      const c = w.k8s(cluster);
      const d = c.tryGet('deployments', namespace, name);
      if (!d) return;
      const spec = dSpec(d);
      const selector = spec.selector ?? {};
      if (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length) {
        w.recorder.event(
          c,
          d,
          'Warning',
          'SelectingAll',
          'This deployment is selecting all pods. A non-empty selector is required.',
          'deployment-controller',
        );
        return;
      }
      const rss = claim({
        client: c,
        resource: 'replicasets',
        owner: d,
        selector,
        owned: ownedBy(w.api, d.metadata.uid!, 'apps', 'ReplicaSet'),
        candidates: cache.selectedBy(cluster, 'apps', 'ReplicaSet', namespace, selector),
      });
      const s = new DeploymentSync(w, c, d, rss, w.now());
      try {
        if (d.metadata.deletionTimestamp) {
          const { newRS } = s.syncRevision(false);
          s.syncStatus([...s.oldRSs(newRS), newRS], newRS);
          return;
        }
        s.checkPaused();
        if (spec.paused || isScalingEvent(s)) syncScaling(s);
        else if (spec.strategy?.type === 'Recreate')
          rolloutRecreate(s, (rs) => ownedBy(w.api, rs.metadata.uid!, '', 'Pod'));
        else rolloutRolling(s);
      } catch (e) {
        // the raised collisionCount is written; the next sync hashes with it
        if (e instanceof HashCollision) return { requeueAfterMs: 5 };
        throw e;
      }
      return s.requeueAfterMs === undefined ? undefined : { requeueAfterMs: s.requeueAfterMs };
    },
  };
}
