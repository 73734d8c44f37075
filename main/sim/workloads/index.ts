// The Kubernetes workload controllers of kube-controller-manager, for every Kubernetes API space (the
// Supervisor, guest clusters): ReplicaSet, Deployment, StatefulSet, Job (with TTL after finished) and
// Endpoints. They share one informer cache; on registration every existing object is queued once, as
// informers' initial lists do when the controller manager starts.
import type { LabelSelectorObject } from '../../api/selectors';
import type { KubeObject } from '../../api/types';
import { keyFor, type ControllerRuntime } from '../runtime/controllers';
import type { World } from '../world';
import { InformerCache } from './cache';
import { deploymentController } from './deployment';
import { endpointsController } from './endpoints';
import { jobController } from './job';
import { replicaSetController } from './replicaset';
import { statefulSetController } from './statefulset';

const specSelector = (o: KubeObject) => (o.spec as { selector?: LabelSelectorObject } | undefined)?.selector;

export function registerWorkloadControllers(runtime: ControllerRuntime, w: World): InformerCache {
  const cache = new InformerCache(w.api, [
    { group: '', kind: 'Pod', byLabels: true },
    { group: 'apps', kind: 'ReplicaSet', byLabels: true, selector: specSelector },
    { group: 'apps', kind: 'Deployment', selector: specSelector },
    { group: 'apps', kind: 'StatefulSet', selector: specSelector },
    { group: 'batch', kind: 'Job', selector: specSelector },
    {
      group: '',
      kind: 'Service',
      selector: (o) => {
        const sel = (o.spec as { selector?: Record<string, string> } | undefined)?.selector;
        return sel && Object.keys(sel).length ? { matchLabels: sel } : undefined;
      },
    },
  ]);
  const controllers: [ReturnType<typeof replicaSetController>, string, string][] = [
    [replicaSetController(w, cache), 'apps', 'ReplicaSet'],
    [deploymentController(w, cache), 'apps', 'Deployment'],
    [statefulSetController(w, cache), 'apps', 'StatefulSet'],
    [jobController(w, cache), 'batch', 'Job'],
    [endpointsController(w, cache), '', 'Service'],
  ];
  for (const [controller, group, kind] of controllers) {
    runtime.register(controller);
    for (const { cluster, obj } of cache.all(group, kind))
      runtime.enqueue(controller.name, keyFor(cluster, obj.metadata.namespace, obj.metadata.name ?? ''));
  }
  return cache;
}
