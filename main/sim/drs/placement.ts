// DRS decisions as pure functions over a capacity model, so they are easy to test and to explain.
// A host's score for a VM is its free CPU and memory share after the VM's reservation lands on it;
// hosts that are not connected, lack room, or would break a VM-VM anti-affinity rule lose.

export interface HostModel {
  name: string;
  /** only connected hosts take new VMs */
  state: 'connected' | 'entering-maintenance' | 'maintenance' | 'failed';
  cpuCapacityMHz: number;
  memCapacityMB: number;
  cpuUsedMHz: number;
  memUsedMB: number;
  /** anti-affinity group → how many of its VMs run here */
  groups: Map<string, number>;
}

export interface VmDemand {
  name: string;
  cpuMHz: number;
  memMB: number;
  antiAffinityGroup?: string;
}

export interface HostScore {
  host: string;
  /** 0–100, higher is better; null when the host cannot take the VM */
  score: number | null;
  reason: string;
}

export interface Placement {
  host?: string;
  scores: HostScore[];
  /** why this host, in one line */
  reason: string;
  /** true when every feasible host already runs a VM of the VM's anti-affinity group */
  antiAffinityRelaxed: boolean;
}

const pct = (n: number) => Math.round(n * 1000) / 10;

/** Scores every host for a VM and picks the best, preferring hosts that keep anti-affinity. */
export function placeVm(vm: VmDemand, hosts: readonly HostModel[], exclude?: string): Placement {
  const scores: HostScore[] = [];
  let best: { host: HostModel; score: number; spread: boolean } | undefined;
  for (const h of hosts) {
    if (h.name === exclude) {
      scores.push({ host: h.name, score: null, reason: 'source host' });
      continue;
    }
    if (h.state !== 'connected') {
      scores.push({ host: h.name, score: null, reason: `host is ${h.state}` });
      continue;
    }
    const freeCpu = h.cpuCapacityMHz - h.cpuUsedMHz - vm.cpuMHz;
    const freeMem = h.memCapacityMB - h.memUsedMB - vm.memMB;
    if (freeCpu < 0 || freeMem < 0) {
      scores.push({
        host: h.name,
        score: null,
        reason: freeCpu < 0 ? 'insufficient CPU' : 'insufficient memory',
      });
      continue;
    }
    const score = pct((freeCpu / h.cpuCapacityMHz + freeMem / h.memCapacityMB) / 2);
    const sharing = vm.antiAffinityGroup ? (h.groups.get(vm.antiAffinityGroup) ?? 0) : 0;
    const spread = sharing === 0;
    scores.push({
      host: h.name,
      score,
      reason: `free after placement: ${Math.round(freeCpu)} MHz CPU, ${Math.round(freeMem)} MB memory${spread ? '' : `; already runs ${sharing} VM(s) of ${vm.antiAffinityGroup}`}`,
    });
    const better =
      !best ||
      (spread && !best.spread) ||
      (spread === best.spread && (score > best.score || (score === best.score && h.name < best.host.name)));
    if (better) best = { host: h, score, spread };
  }
  if (!best) return { scores, reason: 'no connected host has room for this VM', antiAffinityRelaxed: false };
  const relaxed = Boolean(vm.antiAffinityGroup) && !best.spread;
  return {
    host: best.host.name,
    scores,
    antiAffinityRelaxed: relaxed,
    reason: relaxed
      ? `highest score (${best.score}); anti-affinity for ${vm.antiAffinityGroup} relaxed: every feasible host already runs one`
      : `highest score (${best.score}) among ${scores.filter((s) => s.score !== null).length} feasible hosts`,
  };
}

/** Books a placed VM on its host in the model, so the next decision sees it. */
export function book(h: HostModel, vm: VmDemand, sign: 1 | -1 = 1): void {
  h.cpuUsedMHz += sign * vm.cpuMHz;
  h.memUsedMB += sign * vm.memMB;
  if (vm.antiAffinityGroup)
    h.groups.set(vm.antiAffinityGroup, (h.groups.get(vm.antiAffinityGroup) ?? 0) + sign);
}

export const load = (h: HostModel): number =>
  (h.cpuUsedMHz / h.cpuCapacityMHz + h.memUsedMB / h.memCapacityMB) / 2;

/** Spread of load across connected hosts (max − min), what load balancing tries to shrink. */
export function imbalance(hosts: readonly HostModel[]): number {
  const loads = hosts.filter((h) => h.state === 'connected').map(load);
  return loads.length < 2 ? 0 : Math.max(...loads) - Math.min(...loads);
}

/** Imbalance DRS tolerates per migration threshold (1 conservative … 5 aggressive). */
export const tolerance = (threshold: number): number =>
  [0.4, 0.3, 0.2, 0.1, 0.05][Math.min(Math.max(threshold, 1), 5) - 1]!;

export interface Move {
  vm: string;
  from: string;
  to: string;
  reason: string;
}

/**
 * One load-balancing recommendation, or none: first repair anti-affinity (a VM sharing a host with its
 * group moves to a host without one), then move a VM from the busiest host to the least busy when that
 * shrinks the spread beyond the tolerance.
 */
export function recommendMove(
  hosts: readonly HostModel[],
  vmsOn: (host: string) => VmDemand[],
  threshold: number,
): Move | undefined {
  const connected = hosts.filter((h) => h.state === 'connected');
  for (const h of connected) {
    for (const vm of vmsOn(h.name)) {
      const g = vm.antiAffinityGroup;
      if (!g || (h.groups.get(g) ?? 0) < 2) continue;
      const p = placeVm(vm, connected, h.name);
      if (p.host && !p.antiAffinityRelaxed) {
        return {
          vm: vm.name,
          from: h.name,
          to: p.host,
          reason: `anti-affinity: ${h.name} runs several VMs of ${g}`,
        };
      }
    }
  }
  if (connected.length < 2) return undefined;
  const before = imbalance(connected);
  if (before <= tolerance(threshold)) return undefined;
  const sorted = [...connected].sort((a, b) => load(b) - load(a) || a.name.localeCompare(b.name));
  const busiest = sorted[0]!;
  const idlest = sorted[sorted.length - 1]!;
  let bestMove: { vm: VmDemand; after: number } | undefined;
  for (const vm of vmsOn(busiest.name)) {
    if (vm.antiAffinityGroup && (idlest.groups.get(vm.antiAffinityGroup) ?? 0) > 0) continue;
    if (
      idlest.cpuUsedMHz + vm.cpuMHz > idlest.cpuCapacityMHz ||
      idlest.memUsedMB + vm.memMB > idlest.memCapacityMB
    )
      continue;
    book(busiest, vm, -1);
    book(idlest, vm, 1);
    const after = imbalance(connected);
    book(idlest, vm, -1);
    book(busiest, vm, 1);
    if (after < before && (!bestMove || after < bestMove.after)) bestMove = { vm, after };
  }
  if (!bestMove) return undefined;
  return {
    vm: bestMove.vm.name,
    from: busiest.name,
    to: idlest.name,
    reason: `load balancing: spread ${pct(before)}% → ${pct(bestMove.after)}% (tolerance ${pct(tolerance(threshold))}%)`,
  };
}
