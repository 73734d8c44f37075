// vCenter tasks and events, and Kubernetes events: what the tasks-and-events panel, `describe` and
// `lab explain` show. Names come from the seeded random source, so runs replay identically.
import type { ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import { randomSuffix, rfc3339, type RandomSource, type TimeSource } from '../../api/environment';
import type { KubeObject } from '../../api/types';
import { GROUP } from './kinds';

/** names dnsSafe leaves as they are: dot-separated runs of lower-case letters and digits, single dashes within */
const dnsSafeRe = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/;

/** A DNS-1123 subdomain made from an inventory name: `SupervisorControlPlaneVM (1)` → `supervisorcontrolplanevm-1`. */
export const dnsSafe = (name: string): string =>
  name.length <= 200 && dnsSafeRe.test(name)
    ? name
    : name
        .toLowerCase()
        .replace(/[^a-z0-9.]+/g, '-')
        .replace(/-*\.-*/g, '.')
        .replace(/^[-.]+|[-.]+$/g, '')
        .slice(0, 200) || 'object';

/** client-go's EventAggregator: after 10 distinct messages of one kind within 10 minutes, combine them */
const AGGREGATE_AFTER = 10;
const AGGREGATE_WINDOW_MS = 600_000;
/** client-go's EventSourceObjectSpamFilter: a bucket of 25 events per source and object, one more per 5 min */
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;
/** client-go's correlator caches are LRUs of 4096 entries */
const CACHE_SIZE = 4096;

/** What the correlator remembers about one object's events from one source. */
interface Correlation {
  /** spam filter bucket */
  tokens: number;
  at: number;
  /** distinct messages per `type reason`, and when the last came: the aggregator's records */
  similar: Map<string, { messages: string[]; last: number }>;
  /** events written, by `type reason message` (or the aggregate's `type reason`): the logger's records */
  written: Map<string, { name: string; count: number }>;
}

export class Recorder {
  constructor(
    private readonly clock: TimeSource,
    private readonly random: RandomSource,
  ) {}

  /** by API space, namespace, object uid and source component; least recently used first */
  private readonly correlations = new Map<string, Correlation>();
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
    const namespace = obj.metadata.namespace ?? 'default';
    const source = `${c.cluster}\u0000${namespace}\u0000${obj.metadata.uid ?? obj.metadata.name ?? ''}\u0000${component}`;
    let cor = this.correlations.get(source);
    if (cor) this.correlations.delete(source);
    else cor = { tokens: SPAM_BURST, at, similar: new Map(), written: new Map() };
    this.correlations.set(source, cor);
    if (this.correlations.size > CACHE_SIZE) this.correlations.delete(this.correlations.keys().next().value!);

    const kind = `${type}\u0000${reason}`;
    let record = cor.similar.get(kind);
    if (!record || at - record.last > AGGREGATE_WINDOW_MS)
      cor.similar.set(kind, (record = { messages: [], last: at }));
    record.last = at;
    if (!record.messages.includes(message)) record.messages.push(message);
    let key = `${kind}\u0000${message}`;
    if (record.messages.length >= AGGREGATE_AFTER) {
      // the set stays at its size: forget one message
      record.messages.shift();
      key = kind;
      message = `(combined from similar events): ${message}`;
    }
    // the spam filter's bucket refills one token per five minutes, up to the burst
    cor.tokens = Math.min(SPAM_BURST, cor.tokens + (at - cor.at) / SPAM_REFILL_MS);
    cor.at = at;
    const pass = cor.tokens >= 1;
    if (pass) cor.tokens -= 1;

    const now = rfc3339(this.clock.now());
    const known = cor.written.get(key);
    if (known) {
      known.count++;
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
      cor.written.set(key, { name, count: 1 });
      return;
    }
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
