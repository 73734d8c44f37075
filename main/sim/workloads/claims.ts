// Ownership as kube-controller-manager keeps it (ControllerRefManager): what a controller owns comes from
// the store's owner links (fresh, its own writes included); it adopts orphans its selector matches and
// releases what it owns but no longer selects. Adoption and release re-read the object first, so a stale
// cache never writes over a newer version.
import type { ApiClient } from '../../api/client';
import type { ApiServer } from '../../api/server';
import { fromSelectorObject, matchesLabels, type LabelSelectorObject } from '../../api/selectors';
import type { KubeObject } from '../../api/types';
import { controllerOf, controllerRef } from './pods';

/** The objects of a kind whose controller reference is this uid, read from the store's owner links. */
export function ownedBy(api: ApiServer, uid: string, group: string, kind: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const d of api.objects.dependents(uid)) {
    if (d.kind.group !== group || d.kind.kind !== kind) continue;
    if (controllerOf(d.obj)?.uid === uid) out.push(d.obj);
  }
  return out.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

export interface Claim {
  client: ApiClient;
  /** the resource name of the claimed kind (pods, replicasets) */
  resource: string;
  owner: KubeObject;
  selector: LabelSelectorObject | undefined;
  /** what the owner controls now */
  owned: KubeObject[];
  /** orphans the selector may match (from the cache) */
  candidates: KubeObject[];
  /** a further condition on what may be claimed (a StatefulSet's pods are named after it) */
  filter?: (o: KubeObject) => boolean;
}

/** Adopts and releases; returns what the owner controls afterwards (ClaimObjects). */
export function claim(c: Claim): KubeObject[] {
  const reqs = fromSelectorObject(c.selector);
  const matches = (o: KubeObject) =>
    reqs.length > 0 && matchesLabels(reqs, o.metadata.labels) && (!c.filter || c.filter(o));
  const deleting = Boolean(c.owner.metadata.deletionTimestamp);
  const uid = c.owner.metadata.uid;
  const claimed: KubeObject[] = [];
  for (const o of c.owned) {
    if (matches(o)) claimed.push(o);
    else if (!deleting) release(c, o);
  }
  if (deleting) return claimed;
  const seen = new Set(claimed.map((o) => o.metadata.name));
  for (const o of c.candidates) {
    if (seen.has(o.metadata.name) || controllerOf(o) || o.metadata.deletionTimestamp || !matches(o)) continue;
    const fresh = c.client.tryGet(c.resource, o.metadata.namespace ?? '', o.metadata.name!);
    if (!fresh || controllerOf(fresh) || fresh.metadata.deletionTimestamp || !matches(fresh)) continue;
    const adopted = structuredClone(fresh) as KubeObject;
    adopted.metadata.ownerReferences = [
      ...(adopted.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid),
      controllerRef(c.owner),
    ];
    claimed.push(c.client.update(adopted));
  }
  return claimed;
}

function release(c: Claim, o: KubeObject): void {
  const fresh = c.client.tryGet(c.resource, o.metadata.namespace ?? '', o.metadata.name!);
  if (!fresh || controllerOf(fresh)?.uid !== c.owner.metadata.uid) return;
  const released = structuredClone(fresh) as KubeObject;
  const refs = (released.metadata.ownerReferences ?? []).filter((r) => r.uid !== c.owner.metadata.uid);
  if (refs.length) released.metadata.ownerReferences = refs;
  else delete released.metadata.ownerReferences;
  c.client.update(released);
}
