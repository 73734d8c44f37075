// The NSX segments of the Supervisor's pod CIDRs, as NCP hands them out: a /28 per vSphere Namespace
// (from the start of the CIDRs), further /28s to a namespace whose segment is full, and Harbor's own
// (from the end). One place knows who holds what, so no two ever share one.
import type { KubeObject } from '../../api/types';
import { formatIp, parseCidr } from '../vcenter/ipv4';
import type { World } from '../world';
import { SUPERVISOR_SPACE } from './controller';
import { DEFAULT_POD_CIDRS, type SupervisorSpec } from './admission';

export const SEGMENT_BITS = 28;
const SEGMENT_SIZE = 2 ** (32 - SEGMENT_BITS);

interface Held {
  segment?: string;
  extraSegments?: string[];
}

/** Every segment held by a namespace (first and further ones) or by Harbor, but `except`'s first one. */
export function heldSegments(w: World, except?: { namespace?: string; registry?: string }): Set<string> {
  const held = new Set<string>();
  for (const n of w.vc.list('vspherenamespaces').items) {
    const st = (n.status ?? {}) as Held;
    if (st.segment && n.metadata.name !== except?.namespace) held.add(st.segment);
    for (const s of st.extraSegments ?? []) held.add(s);
  }
  // the node segments of Tanzu Kubernetes clusters, noted on their Cluster API Clusters (ncp/subnet-N)
  if (w.api.hasApiSpace(SUPERVISOR_SPACE) && w.api.registry.byKind('cluster.x-k8s.io', 'Cluster'))
    for (const c of w.k8s(SUPERVISOR_SPACE).list('clusters').items)
      for (const [key, seg] of Object.entries(c.metadata.annotations ?? {}))
        if (key.startsWith('ncp/subnet-')) held.add(seg);
  for (const r of w.vc.list('registries').items) {
    const seg = (r.status as Held | undefined)?.segment;
    if (seg && r.metadata.name !== except?.registry) held.add(seg);
  }
  return held;
}

/** The first segment of the Supervisor's pod CIDRs not held (the last one, fromEnd). */
export function freeSegment(
  sup: KubeObject | undefined,
  held: Set<string>,
  fromEnd = false,
): string | undefined {
  const cidrs = (sup?.spec as SupervisorSpec | undefined)?.podCIDRs ?? DEFAULT_POD_CIDRS;
  for (const text of fromEnd ? [...cidrs].reverse() : cidrs) {
    const r = parseCidr(text);
    if (!r) continue;
    const first = r.first - (r.first % SEGMENT_SIZE);
    const count = Math.floor((r.last - first + 1) / SEGMENT_SIZE);
    for (let i = 0; i < count; i++) {
      const at = first + (fromEnd ? count - 1 - i : i) * SEGMENT_SIZE;
      const seg = `${formatIp(at)}/${SEGMENT_BITS}`;
      if (!held.has(seg)) return seg;
    }
  }
  return undefined;
}
