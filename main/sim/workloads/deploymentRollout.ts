// The Deployment's strategies as kube's deployment controller runs them: RollingUpdate (grow the new
// ReplicaSet within maxSurge, shrink old ones within maxUnavailable, unhealthy replicas first), Recreate
// (old pods gone before the new ReplicaSet grows), and proportional scaling when replicas change
// mid-rollout or while paused.
import type { KubeObject } from '../../api/types';
import { podPhase, byCreation } from './pods';
import { rsStatus } from './replicaset';
import { type DeploymentSync } from './deploymentSync';
import {
  actualReplicasOf,
  availableReplicasOf,
  deploymentComplete,
  DESIRED_REPLICAS,
  dSpec,
  isActive,
  isRollingUpdate,
  MAX_REPLICAS,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  replicasOf,
  rsReplicas,
  specReplicasOf,
  type DeploymentStatus,
} from './deploymentUtil';

export function rolloutRolling(s: DeploymentSync): void {
  let newRS = s.syncRevision(true).newRS!;
  const all = () => [...s.oldRSs(newRS), newRS];
  // Scale up, if we can.
  const want = replicasOf(s.d);
  if (rsReplicas(newRS) !== want) {
    const to = rsReplicas(newRS) > want ? want : newRSNewReplicas(s.d, all(), newRS);
    const r = s.scale(newRS, to);
    newRS = r.rs;
    if (r.scaled) return s.syncRolloutStatus(all(), newRS);
  }
  // Scale down, if we can.
  if (reconcileOldReplicaSets(s, newRS)) return s.syncRolloutStatus(all(), newRS);
  if (deploymentComplete(s.d, s.status)) s.cleanup(s.oldRSs(newRS));
  s.syncRolloutStatus(all(), newRS);
}

/** The sync's current version of a ReplicaSet (writes replace them). */
const current = (s: DeploymentSync) => (rs: KubeObject) =>
  s.rss.find((x) => x.metadata.uid === rs.metadata.uid) ?? rs;

function reconcileOldReplicaSets(s: DeploymentSync, newRS: KubeObject): boolean {
  const olds = () => s.oldRSs(newRS).filter(isActive);
  const oldCount = specReplicasOf(olds());
  if (oldCount === 0) return false;
  const allCount = specReplicasOf([...olds(), newRS]);
  const minAvailable = replicasOf(s.d) - maxUnavailable(s.d);
  const newUnavailable = rsReplicas(newRS) - (rsStatus(newRS).availableReplicas ?? 0);
  const maxScaledDown = allCount - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // Unhealthy replicas first: they would otherwise block the rollout.
  let cleaned = 0;
  for (const rs of [...olds()].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const available = rsStatus(rs).availableReplicas ?? 0;
    if (rsReplicas(rs) === 0 || rsReplicas(rs) === available) continue;
    const n = Math.min(maxScaledDown - cleaned, rsReplicas(rs) - available);
    s.scale(rs, rsReplicas(rs) - n);
    cleaned += n;
  }
  // Then healthy ones, as far as maxUnavailable allows.
  let scaledDown = 0;
  const available = availableReplicasOf([...s.oldRSs(newRS), newRS]);
  if (available > minAvailable) {
    const total = available - minAvailable;
    for (const rs of [...olds()].sort(byCreation)) {
      if (scaledDown >= total) break;
      if (rsReplicas(rs) === 0) continue;
      const n = Math.min(rsReplicas(rs), total - scaledDown);
      s.scale(rs, rsReplicas(rs) - n);
      scaledDown += n;
    }
  }
  return cleaned + scaledDown > 0;
}

export function rolloutRecreate(s: DeploymentSync, podsOf: (rs: KubeObject) => KubeObject[]): void {
  let newRS = s.syncRevision(false).newRS;
  const all = () => [...s.oldRSs(newRS), newRS];
  // Scale down every old ReplicaSet first.
  let scaledDown = false;
  for (const rs of s.oldRSs(newRS).filter(isActive)) if (s.scale(rs, 0).scaled) scaledDown = true;
  if (scaledDown) return s.syncRolloutStatus(all(), newRS);
  // Wait until no old pod runs.
  if (oldPodsRunning(s, newRS, podsOf)) return s.syncRolloutStatus(all(), newRS);
  newRS ??= s.syncRevision(true).newRS!;
  newRS = s.scale(newRS, replicasOf(s.d)).rs;
  if (deploymentComplete(s.d, s.status)) s.cleanup(s.oldRSs(newRS));
  s.syncRolloutStatus(all(), newRS);
}

function oldPodsRunning(
  s: DeploymentSync,
  newRS: KubeObject | undefined,
  podsOf: (rs: KubeObject) => KubeObject[],
): boolean {
  const olds = s.oldRSs(newRS);
  if (actualReplicasOf(olds) > 0) return true;
  return olds.some((rs) => podsOf(rs).some((p) => podPhase(p) !== 'Failed' && podPhase(p) !== 'Succeeded'));
}

/** sync: scaling (a replicas change, or paused), then the status only. */
export function syncScaling(s: DeploymentSync): void {
  const found = s.syncRevision(false).newRS;
  scale(s, found);
  const newRS = found && current(s)(found);
  if (dSpec(s.d).paused) s.cleanup(s.oldRSs(newRS));
  s.syncStatus([...s.oldRSs(newRS), newRS], newRS);
}

/** isScalingEvent: an active ReplicaSet was sized for another replicas count. */
export function isScalingEvent(s: DeploymentSync): boolean {
  const { newRS } = s.syncRevision(false);
  const want = String(replicasOf(s.d));
  return [...s.oldRSs(newRS), newRS].filter(isActive).some((rs) => {
    const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
    return desired !== undefined && desired !== want;
  });
}

/** The proportional scaling of kube's `scale`: spread a replicas change over the active ReplicaSets. */
function scale(s: DeploymentSync, newRS: KubeObject | undefined): void {
  const want = replicasOf(s.d);
  const olds = s.oldRSs(newRS);
  const active = [...olds, ...(newRS ? [newRS] : [])].filter(isActive);
  // One active (or none: the newest) ReplicaSet takes the whole count.
  if (active.length <= 1) {
    const target = active[0] ?? newRS ?? [...olds].sort(byCreation).at(-1);
    if (target && rsReplicas(target) !== want) s.scale(target, want);
    return;
  }
  if (newRS && isSaturated(s.d, newRS)) {
    for (const rs of olds.filter(isActive)) s.scale(rs, 0);
    return;
  }
  if (!isRollingUpdate(s.d)) return;
  const allowed = want > 0 ? want + maxSurge(s.d) : 0;
  const toAdd = allowed - specReplicasOf(active);
  const newer = (a: KubeObject, b: KubeObject) => byCreation(b, a);
  const sorted = [...active].sort((a, b) => {
    const d = rsReplicas(b) - rsReplicas(a);
    if (d !== 0) return d;
    return toAdd > 0 ? newer(a, b) : byCreation(a, b);
  });
  const direction = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : '';
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of sorted) {
    const p = toAdd === 0 ? 0 : proportion(s.withStatus(), rs, toAdd, added);
    sizes.set(rs.metadata.uid!, rsReplicas(rs) + p);
    added += p;
  }
  sorted.forEach((rs, i) => {
    let size = sizes.get(rs.metadata.uid!)!;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    s.scaleReplicaSet(rs, size, direction);
  });
}

/** IsSaturated: the new ReplicaSet holds every replica, sized and available for this count. */
function isSaturated(d: KubeObject, rs: KubeObject): boolean {
  const desired = Number(rs.metadata.annotations?.[DESIRED_REPLICAS]);
  const want = replicasOf(d);
  return rsReplicas(rs) === want && desired === want && (rsStatus(rs).availableReplicas ?? 0) === want;
}

/** GetProportion: this ReplicaSet's share of the change, bounded by what is left to give. */
function proportion(d: KubeObject, rs: KubeObject, toAdd: number, added: number): number {
  if (rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -rsReplicas(rs);
  else {
    const deploymentReplicas = replicasOf(d) + maxSurge(d);
    const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS]);
    const base =
      Number.isInteger(annotated) && annotated > 0
        ? annotated
        : (((d.status ?? {}) as DeploymentStatus).replicas ?? 0);
    const exact = base > 0 ? (rsReplicas(rs) * deploymentReplicas) / base : rsReplicas(rs);
    fraction = (exact < 0 ? Math.trunc(exact - 0.5) : Math.trunc(exact + 0.5)) - rsReplicas(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
