// Per-key retry delays for failures a controller reports instead of throwing (a pod the quota refuses):
// the work queue's rate limiter — 5 ms doubling to 1000 s — on lab time, forgotten on success.
export class FailureBackoff {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1_000_000,
  ) {}

  /** The delay before the next try of key, counting this failure. */
  next(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.baseMs * 2 ** n, this.maxMs);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }
}
