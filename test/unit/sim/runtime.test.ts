import { describe, expect, it } from 'vitest';
import { LabClock, parseDuration } from '../../../main/sim/runtime/clock';
import { SeededRandom } from '../../../main/sim/runtime/random';
import { WorkQueue } from '../../../main/sim/runtime/workqueue';

describe('LabClock', () => {
  it('fires timers in time order, same-instant timers in scheduling order', () => {
    const clock = new LabClock(0);
    const fired: string[] = [];
    clock.at(300, () => fired.push('c'));
    clock.at(100, () => fired.push('a1'));
    clock.at(100, () => fired.push('a2'));
    const cancelled = clock.at(200, () => fired.push('never'));
    cancelled.dispose();
    clock.moveTo(250);
    clock.runDue();
    expect(fired).toEqual(['a1', 'a2']);
    expect(clock.nextDue()).toBe(300);
  });

  it('runs at real time times speed from a supplied wall clock, and pauses', () => {
    let wall = 1_000;
    const clock = new LabClock(0, { kind: 'realtime', speed: 10 }, () => wall);
    wall += 500;
    expect(clock.nowMs()).toBe(5_000);
    clock.setPaused(true);
    wall += 500;
    expect(clock.nowMs()).toBe(5_000);
    clock.setPaused(false);
    wall += 100;
    expect(clock.nowMs()).toBe(6_000);
  });

  it('parses durations the way the shell writes them', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('5')).toBe(5_000);
    expect(parseDuration('5x')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});

describe('SeededRandom', () => {
  it('repeats its sequence for a seed, differs across seeds, and resumes from a saved state', () => {
    const a = new SeededRandom('s1');
    const b = new SeededRandom('s1');
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(new SeededRandom('s2').next()).not.toBe(seqA[0]);
    const state = a.state();
    const next = a.next();
    const c = new SeededRandom('other');
    c.restore(state);
    expect(c.next()).toBe(next);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('WorkQueue', () => {
  it('de-duplicates keys and re-queues a key added while it was being processed', () => {
    const q = new WorkQueue(new LabClock(0));
    q.add('a');
    q.add('a');
    q.add('b');
    expect(q.length).toBe(2);
    const k = q.get()!;
    q.add(k);
    expect(q.length).toBe(1);
    q.done(k);
    expect([q.get(), q.get(), q.get()]).toEqual(['b', 'a', undefined]);
  });

  it('backs off exponentially on the lab clock until forgotten', () => {
    const clock = new LabClock(0);
    const q = new WorkQueue(clock, 5, 1000);
    q.addRateLimited('a');
    q.addRateLimited('a');
    expect(q.length).toBe(0);
    clock.moveTo(5);
    clock.runDue();
    expect(q.get()).toBe('a');
    q.done('a');
    q.addRateLimited('a'); // third failure: 20 ms
    clock.moveTo(24);
    clock.runDue();
    expect(q.length).toBe(0);
    clock.moveTo(25);
    clock.runDue();
    expect(q.length).toBe(1);
    expect(q.numRequeues('a')).toBe(3);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });
});

describe('WorkQueue delays', () => {
  it('keep the earlier wake-up when a key is delayed twice', () => {
    const clock = new LabClock(0);
    const q = new WorkQueue(clock);
    q.addAfter('a', 180_000);
    q.addAfter('a', 30_000);
    clock.moveTo(30_000);
    clock.runDue();
    expect(q.get()).toBe('a');
  });
});
