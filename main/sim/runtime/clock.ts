// The lab clock: virtual time that is either stepped (moves only when told: tests, scripts, `sleep`)
// or real time times a speed (the app). Timers are scheduled on it, never on the wall clock; in real-time
// mode the host supplies the wall time and drives tick().
import type { TimeSource } from '../../api/environment';
import type { Disposable } from '../../api/types';

export type ClockMode = { kind: 'stepped' } | { kind: 'realtime'; speed: number };

/** Wall time in ms, supplied by the host; the simulation never reads it itself. */
export type WallSource = () => number;

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A binary min-heap ordered by (at, seq): timers due at the same instant fire in scheduling order. */
class TimerHeap {
  private readonly h: Timer[] = [];
  get size(): number {
    return this.h.length;
  }
  peek(): Timer | undefined {
    return this.h[0];
  }
  push(t: Timer): void {
    const h = this.h;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): Timer | undefined {
    const h = this.h;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

export class LabClock implements TimeSource {
  private ms: number;
  private mode: ClockMode;
  private wallBase = 0;
  private labBase = 0;
  private seq = 0;
  private paused = false;
  private readonly timers = new TimerHeap();

  constructor(
    start: Date | number,
    mode: ClockMode = { kind: 'stepped' },
    private readonly wall?: WallSource,
  ) {
    this.ms = typeof start === 'number' ? start : start.getTime();
    this.mode = mode;
    if (mode.kind === 'realtime') this.rebase();
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    if (this.mode.kind === 'realtime' && !this.paused) {
      this.ms = Math.max(this.ms, this.labBase + (this.wall!() - this.wallBase) * this.mode.speed);
    }
    return this.ms;
  }

  getMode(): ClockMode {
    return this.mode;
  }

  setMode(mode: ClockMode): void {
    this.nowMs();
    if (mode.kind === 'realtime' && !this.wall) throw new Error('a real-time clock needs a wall source');
    this.mode = mode;
    this.rebase();
  }

  setPaused(paused: boolean): void {
    this.nowMs();
    this.paused = paused;
    this.rebase();
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** Moves lab time forward to `to` without running timers (the runtime runs them as it goes). */
  moveTo(to: number): void {
    if (to < this.ms) return;
    this.ms = to;
    this.rebase();
  }

  /** Runs fn once lab time reaches `at` (ms since the epoch). */
  at(at: number, fn: () => void): Disposable {
    const t: Timer = { at, seq: this.seq++, fn, cancelled: false };
    this.timers.push(t);
    return { dispose: () => (t.cancelled = true) };
  }

  /** Runs fn after `delayMs` of lab time. */
  after(delayMs: number, fn: () => void): Disposable {
    return this.at(this.nowMs() + Math.max(0, delayMs), fn);
  }

  /** When the next live timer is due, or undefined. */
  nextDue(): number | undefined {
    let t = this.timers.peek();
    while (t?.cancelled) {
      this.timers.pop();
      t = this.timers.peek();
    }
    return t?.at;
  }

  /** Runs every timer due at or before now, in order; returns how many ran. */
  runDue(): number {
    const now = this.nowMs();
    let n = 0;
    for (let t = this.timers.peek(); t && t.at <= now; t = this.timers.peek()) {
      this.timers.pop();
      if (t.cancelled) continue;
      t.fn();
      n++;
    }
    return n;
  }

  private rebase(): void {
    if (this.wall) this.wallBase = this.wall();
    this.labBase = this.ms;
  }
}

/** Parses durations as kubectl and the lab shell write them: 90s, 5m, 1h30m, 2d, 500ms. */
export function parseDuration(text: string): number | undefined {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === text.length && text.length > 0 ? total : undefined;
}

/**
 * The most lab time one step may cover: every controller runs through it, about 50 ms of work per lab
 * day in the default scenario, so a larger step would freeze the lab for minutes.
 */
export const MAX_STEP = '30d';
export const MAX_STEP_MS = parseDuration(MAX_STEP)!;
