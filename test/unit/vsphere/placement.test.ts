import { describe, expect, it } from 'vitest';
import {
  book,
  imbalance,
  placeVm,
  recommendMove,
  type HostModel,
  type VmDemand,
} from '../../../main/sim/drs/placement';

const host = (
  name: string,
  cpuUsed = 0,
  memUsed = 0,
  state: HostModel['state'] = 'connected',
): HostModel => ({
  name,
  state,
  cpuCapacityMHz: 10_000,
  memCapacityMB: 10_000,
  cpuUsedMHz: cpuUsed,
  memUsedMB: memUsed,
  groups: new Map(),
});
const vm = (name: string, cpu = 1000, mem = 1000, antiAffinityGroup?: string): VmDemand => ({
  name,
  cpuMHz: cpu,
  memMB: mem,
  antiAffinityGroup,
});

describe('DRS placement', () => {
  it('picks the host with the most room left, and says why for every host', () => {
    const p = placeVm(vm('a'), [
      host('h1', 5000, 5000),
      host('h2', 1000, 1000),
      host('h3', 0, 0, 'maintenance'),
    ]);
    expect(p.host).toBe('h2');
    expect(p.scores).toEqual([
      { host: 'h1', score: 40, reason: 'free after placement: 4000 MHz CPU, 4000 MB memory' },
      { host: 'h2', score: 80, reason: 'free after placement: 8000 MHz CPU, 8000 MB memory' },
      { host: 'h3', score: null, reason: 'host is maintenance' },
    ]);
  });

  it('skips hosts without room and reports when none has any', () => {
    const p = placeVm(vm('big', 20_000), [host('h1'), host('h2', 0, 0, 'failed')]);
    expect(p.host).toBeUndefined();
    expect(p.scores.map((s) => s.reason)).toEqual(['insufficient CPU', 'host is failed']);
    expect(p.reason).toBe('no connected host has room for this VM');
  });

  it('prefers a host without a VM of the same anti-affinity group, even a busier one', () => {
    const h1 = host('h1');
    const h2 = host('h2', 6000, 6000);
    book(h1, vm('cp1', 1000, 1000, 'cp'));
    const p = placeVm(vm('cp2', 1000, 1000, 'cp'), [h1, h2]);
    expect(p).toMatchObject({ host: 'h2', antiAffinityRelaxed: false });
  });

  it('relaxes anti-affinity only when every feasible host breaks it', () => {
    const h1 = host('h1');
    book(h1, vm('cp1', 1000, 1000, 'cp'));
    const p = placeVm(vm('cp2', 1000, 1000, 'cp'), [h1, host('h2', 0, 0, 'failed')]);
    expect(p).toMatchObject({ host: 'h1', antiAffinityRelaxed: true });
  });

  it('breaks ties by host name, so decisions repeat', () => {
    expect(placeVm(vm('a'), [host('h2'), host('h1')]).host).toBe('h1');
  });

  it('recommends repairing anti-affinity before balancing load', () => {
    const h1 = host('h1');
    const h2 = host('h2');
    const vms = [vm('cp1', 1000, 1000, 'cp'), vm('cp2', 1000, 1000, 'cp')];
    vms.forEach((v) => book(h1, v));
    const move = recommendMove([h1, h2], (h) => (h === 'h1' ? vms : []), 3);
    expect(move).toMatchObject({ from: 'h1', to: 'h2', reason: 'anti-affinity: h1 runs several VMs of cp' });
  });

  it('moves load from the busiest host when the spread exceeds the threshold’s tolerance', () => {
    const h1 = host('h1');
    const h2 = host('h2');
    const vms = ['a', 'b', 'c', 'd'].map((n) => vm(n, 1500, 1500));
    vms.forEach((v) => book(h1, v));
    expect(imbalance([h1, h2])).toBeCloseTo(0.6);
    const move = recommendMove([h1, h2], (h) => (h === 'h1' ? vms : []), 3);
    expect(move).toMatchObject({ from: 'h1', to: 'h2' });
    expect(move!.reason).toMatch(/^load balancing: spread 60% → 30% \(tolerance 20%\)$/);
    expect(recommendMove([h1, h2], (h) => (h === 'h1' ? vms : []), 1)).toMatchObject({ from: 'h1' });
    const even = [host('h1', 3000, 3000), host('h2', 3000, 3000)];
    expect(recommendMove(even, () => [vm('x')], 5)).toBeUndefined();
  });
});
