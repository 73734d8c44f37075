// vCenter tasks and events, and Kubernetes events: what the tasks-and-events panel, `describe` and
// `lab explain` show. Names come from the seeded random source, so runs replay identically.
import type { ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import { randomSuffix, rfc3339, type RandomSource, type TimeSource } from '../../api/environment';
import type { KubeObject } from '../../api/types';
import { GROUP } from './kinds';

/** A DNS-1123 subdomain made from an inventory name: `SupervisorControlPlaneVM (1)` → `supervisorcontrolplanevm-1`. */
export const dnsSafe = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/-*\.-*/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 200) || 'object';

/**
 * FNV-1a, 64 bits, as 16 hex digits: a stable name for an event and its repeats. The state is four
 * 16-bit limbs, so every product stays exact in a double; the prime is 2^40 + 0x1b3.
 */
export function fnv64(text: string): string {
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < text.length; i++) {
    h0 ^= text.charCodeAt(i);
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + h1 * 0x100 + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}

/** client-go's EventAggregator: after 10 distinct messages of one kind within 10 minutes, combine them */
const AGGREGATE_AFTER = 10;
const AGGREGATE_WINDOW_MS = 600_000;
/** client-go's EventSourceObjectSpamFilter: a bucket of 25 events per source and object, one more per 5 min */
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;
/** client-go's correlator caches are LRUs of 4096 entries */
const CACHE_SIZE = 4096;

interface Observation {
  name: string;
  count: number;
}

const remember = <V>(m: Map<string, V>, key: string, value: V): void => {
  m.delete(key);
  m.set(key, value);
  if (m.size > CACHE_SIZE) m.delete(m.keys().next().value!);
};

export class Recorder {
  constructor(
    private readonly clock: TimeSource,
    private readonly random: RandomSource,
  ) {}

  /** events already written, by what they say (the aggregate's key for combined ones): the logger's cache */
  private readonly recent = new Map<string, Observation>();
  /** distinct messages per source, object, type and reason, and when the last came: the aggregator's cache */
  private readonly similar = new Map<string, { messages: Set<string>; last: number }>();
  /** tokens per source and object: the spam filter's buckets */
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private seq = 0;

  /**
   * A Kubernetes Event about obj, in obj's namespace (or default) of the client's API space, through
   * client-go's event correlator:
   * - the same event again (object, type, reason, message, source) counts up on one Event, so a pod in
   *   back-off shows `(x12 over 1h)` rather than a screenful of copies;
   * - from the tenth distinct message of one reason about one object within ten minutes, the messages are
   *   combined into one Event, `(combined from similar events): …`, that counts up (a ReplicaSet creating
   *   100 pods shows nine `Created pod` events and one combined event);
   * - at most 25 events per source and object pass at once, then one per five minutes; the rest are
   *   dropped, as the spam filter drops them (their counts still add up in the correlator).
   * Events are named as client-go names them, `<object>.<time in ns, hex>`, so they list in the order
   * they happened (describe's sort by time keeps that order for events of the same second).
   */
  event(
    c: ApiClient,
    obj: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ): void {
    const at = this.clock.now().getTime();
    const now = rfc3339(this.clock.now());
    const namespace = obj.metadata.namespace ?? 'default';
    const source = `${c.cluster}\u0000${namespace}\u0000${obj.metadata.uid ?? ''}\u0000${obj.metadata.name ?? ''}\u0000${component}`;
    const aggregate = `${source}\u0000${type}\u0000${reason}`;
    let record = this.similar.get(aggregate);
    if (!record || at - record.last > AGGREGATE_WINDOW_MS) record = { messages: new Set(), last: at };
    record.last = at;
    record.messages.add(message);
    let key: string;
    if (record.messages.size < AGGREGATE_AFTER) {
      key = `${c.cluster}\u0000${namespace}\u0000${fnv64(`${obj.metadata.uid ?? ''}\u0000${type}\u0000${reason}\u0000${message}\u0000${component}`)}`;
    } else {
      // the set stays at its size: forget one message
      record.messages.delete(record.messages.values().next().value!);
      key = aggregate;
      message = `(combined from similar events): ${message}`;
    }
    remember(this.similar, aggregate, record);
    const known = this.recent.get(key);
    const pass = this.take(source, at);
    if (known) {
      known.count++;
      remember(this.recent, key, known);
      if (!pass) return;
      const seen = c.tryGet('events', namespace, known.name);
      if (seen) {
        c.update({ ...seen, count: known.count, message, lastTimestamp: now } as KubeObject);
        return;
      }
    }
    if (!pass) return;
    const base = dnsSafe(obj.metadata.name ?? 'object').slice(0, 200);
    const ns = BigInt(at) * 1_000_000n;
    const body = {
      apiVersion: 'v1',
      kind: 'Event',
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: component,
    };
    // a name taken already (a lab reopened at the same instant): the next nanosecond
    for (;;) {
      const name = `${base}.${(ns + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
      try {
        c.create({ ...body, metadata: { name, namespace } } as KubeObject);
      } catch (e) {
        if (e instanceof ApiError && e.code === 409) continue;
        throw e;
      }
      remember(this.recent, key, { name, count: 1 });
      return;
    }
  }

  /** The spam filter: whether one more event about this object from this source may be written now. */
  private take(source: string, at: number): boolean {
    const b = this.buckets.get(source) ?? { tokens: SPAM_BURST, at };
    b.tokens = Math.min(SPAM_BURST, b.tokens + (at - b.at) / SPAM_REFILL_MS);
    b.at = at;
    const pass = b.tokens >= 1;
    if (pass) b.tokens -= 1;
    remember(this.buckets, source, b);
    return pass;
  }

  /** A vCenter task, running until finishTask(). Returns its name. */
  startTask(
    c: ApiClient,
    description: string,
    entity: string,
    entityType: string,
    initiator = 'VSPHERE.LOCAL\\vpxd-extension',
  ): string {
    const name = `task-${randomSuffix(this.random, 8)}`;
    const now = rfc3339(this.clock.now());
    const t = c.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'Task',
      metadata: { name },
      spec: { description, entity, entityType, initiator },
    });
    c.updateStatus({ ...t, status: { state: 'running', progress: 0, startTime: now } });
    return name;
  }

  finishTask(c: ApiClient, name: string, error?: string): void {
    const t = c.tryGet('tasks', '', name);
    if (!t) return;
    const st = (t.status ?? {}) as Record<string, unknown>;
    c.updateStatus({
      ...t,
      status: {
        ...st,
        state: error ? 'error' : 'success',
        progress: 100,
        completeTime: rfc3339(this.clock.now()),
        ...(error ? { error } : {}),
      },
    });
  }
}
