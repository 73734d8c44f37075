// What the guest clusters' paravirtual controllers (the cloud provider's load balancers, pvCSI) share:
// the Supervisor objects they make carry the guest cluster and object they stand for, so a change on
// either side wakes the guest object's reconcile.
import type { ApiClient } from '../../api/client';
import type { KubeObject } from '../../api/types';
import { keyFor } from '../runtime/controllers';
import type { World } from '../world';
import { tkcOfSpace } from '../supervisor/access';
import { SUPERVISOR_SPACE } from '../supervisor/controller';

/** on a Supervisor object made for a guest cluster: that cluster's API space */
export const GUEST_CLUSTER = 'run.tanzu.vmware.com/guest-cluster';

/**
 * A watch map for a kind both sides have: a guest object is its own key; a Supervisor object made for
 * one (annotated with GUEST_CLUSTER and `annotation` = `<namespace>/<name>`) maps back to it.
 */
export function guestOrBackRef(w: World, annotation: string) {
  return (o: KubeObject, cluster: string): string[] => {
    if (w.api.flavorOf(cluster) === 'guest') return [keyFor(cluster, o.metadata.namespace, o.metadata.name!)];
    const ref = o.metadata.annotations?.[annotation];
    const space = o.metadata.annotations?.[GUEST_CLUSTER];
    if (cluster !== SUPERVISOR_SPACE || !ref || !space) return [];
    const [ns, name] = ref.split('/');
    return [keyFor(space, ns, name ?? '')];
  };
}

/** The guest cluster's TKC and a client of each side, when both API spaces are there. */
export function guestSides(
  w: World,
  cluster: string,
): { tkc: { namespace: string; name: string }; g: ApiClient; k: ApiClient } | undefined {
  const tkc = tkcOfSpace(cluster);
  if (!tkc || !w.api.hasApiSpace(cluster) || !w.api.hasApiSpace(SUPERVISOR_SPACE)) return undefined;
  return { tkc, g: w.k8s(cluster), k: w.k8s(SUPERVISOR_SPACE) };
}
