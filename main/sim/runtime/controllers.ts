// The controller runtime: controllers register the kinds they watch and one level-triggered reconcile;
// committed changes become keys on their work queues; settle() reconciles until nothing is due at the
// current lab time; advance() steps the lab clock, settling at each timer on the way.
import type { ApiServer } from '../../api/server';
import { ApiError } from '../../api/errors';
import type { Disposable, KubeObject } from '../../api/types';
import type { LabClock } from './clock';
import { WorkQueue } from './workqueue';

/** `cluster/namespace/name` of the object a controller reconciles. */
export type Key = string;

export const keyFor = (cluster: string, namespace: string | undefined, name: string): Key =>
  `${cluster}/${namespace ?? ''}/${name}`;

export function splitKey(key: Key): { cluster: string; namespace: string; name: string } {
  const [cluster = '', namespace = '', ...rest] = key.split('/');
  return { cluster, namespace, name: rest.join('/') };
}

export interface Watched {
  group: string;
  kind: string;
  /** which keys of this controller a change of the watched object concerns (default: its own key) */
  map?: (obj: KubeObject, cluster: string) => Key[];
}

/** Maps a change of an owned object to its controlling owner of the given kind. */
export function toOwner(ownerKind: string): (obj: KubeObject, cluster: string) => Key[] {
  return (obj, cluster) =>
    (obj.metadata.ownerReferences ?? [])
      .filter((r) => r.kind === ownerKind && r.controller)
      .map((r) => keyFor(cluster, obj.metadata.namespace, r.name));
}

export interface ReconcileResult {
  /** reconcile this key again after so much lab time */
  requeueAfterMs?: number;
}

export interface Controller {
  name: string;
  watches: Watched[];
  reconcile(key: Key): ReconcileResult | void;
}

export interface ReconcileError {
  controller: string;
  key: Key;
  error: unknown;
}

const MAX_SETTLE_STEPS = 5_000_000;

export class ControllerRuntime {
  private readonly entries: { controller: Controller; queue: WorkQueue; subs: Disposable[] }[] = [];
  /** errors reconcilers threw (they are retried with backoff); newest last, bounded */
  readonly errors: ReconcileError[] = [];

  constructor(
    readonly api: ApiServer,
    readonly clock: LabClock,
  ) {}

  register(controller: Controller): Disposable {
    const queue = new WorkQueue(this.clock);
    const subs = controller.watches.map((w) =>
      this.api.hub.inform(w.group, w.kind, (_type, obj, cluster) => {
        const keys = w.map
          ? w.map(obj, cluster)
          : [keyFor(cluster, obj.metadata.namespace, obj.metadata.name ?? '')];
        for (const k of keys) queue.add(k);
      }),
    );
    const entry = { controller, queue, subs };
    this.entries.push(entry);
    return {
      dispose: () => {
        subs.forEach((s) => s.dispose());
        queue.dispose();
        this.entries.splice(this.entries.indexOf(entry), 1);
      },
    };
  }

  /** Queues a key for a controller by name (resync, tests). */
  enqueue(controllerName: string, key: Key): void {
    this.entries.find((e) => e.controller.name === controllerName)?.queue.add(key);
  }

  /**
   * Reconciles until no work is due at the current lab time: commits pending writes (so informers see
   * them), fires due timers, drains every queue in registration order, and repeats. Returns the number
   * of reconciles run.
   */
  settle(): number {
    let reconciles = 0;
    for (let steps = 0; ; steps++) {
      if (steps > MAX_SETTLE_STEPS)
        throw new Error('controllers did not settle: a reconcile keeps requeueing itself at once');
      this.api.commit();
      this.clock.runDue();
      this.api.commit();
      let progressed = false;
      for (const e of this.entries) {
        for (let key = e.queue.get(); key !== undefined; key = e.queue.get()) {
          progressed = true;
          reconciles++;
          this.reconcileOne(e.controller, e.queue, key);
          e.queue.done(key);
        }
      }
      this.api.commit();
      const due = this.clock.nextDue();
      if (!progressed && (due === undefined || due > this.clock.nowMs())) return reconciles;
    }
  }

  /** Steps lab time forward by ms, settling at every timer on the way and at the end. */
  advance(ms: number): number {
    const target = this.clock.nowMs() + ms;
    let reconciles = this.settle();
    for (let due = this.clock.nextDue(); due !== undefined && due <= target; due = this.clock.nextDue()) {
      this.clock.moveTo(due);
      reconciles += this.settle();
    }
    this.clock.moveTo(target);
    return reconciles + this.settle();
  }

  /** True when no controller has work queued at this instant. */
  idle(): boolean {
    return this.entries.every((e) => e.queue.length === 0);
  }

  private reconcileOne(c: Controller, queue: WorkQueue, key: Key): void {
    try {
      const result = this.api.store.write(() => c.reconcile(key));
      queue.forget(key);
      const after = result?.requeueAfterMs;
      if (after !== undefined && !Number.isFinite(after)) {
        // a controller's arithmetic went wrong (NaN): kept for `lab explain`, never a busy loop
        this.errors.push({ controller: c.name, key, error: new Error(`requeueAfterMs is ${after}`) });
      } else if (after !== undefined) queue.addAfter(key, after);
    } catch (error) {
      // Conflicts are the normal price of optimistic concurrency: retry soon. Anything else is kept for
      // `lab explain` and tests, and retried with backoff.
      if (!(error instanceof ApiError && error.code === 409)) {
        this.errors.push({ controller: c.name, key, error });
        if (this.errors.length > 1000) this.errors.shift();
      }
      queue.addRateLimited(key);
    }
  }
}
