// vCenter tasks and events, and Kubernetes events: what the tasks-and-events panel, `describe` and
// `lab explain` show. Names come from the seeded random source, so runs replay identically.
import type { ApiClient } from '../../api/client';
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

/** FNV-1a, 64 bits, as 16 hex digits: a stable name for an event and its repeats. */
function fnv64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

export class Recorder {
  constructor(
    private readonly clock: TimeSource,
    private readonly random: RandomSource,
  ) {}

  /**
   * A Kubernetes Event about obj, in obj's namespace (or default) of the client's API space. The same
   * event again (object, type, reason, message, source) counts up on one Event, as client-go's event
   * correlator does, so a pod in back-off shows `(x12 over 1h)` rather than a screenful of copies.
   */
  event(
    c: ApiClient,
    obj: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ): void {
    const now = rfc3339(this.clock.now());
    const namespace = obj.metadata.namespace ?? 'default';
    const name = `${dnsSafe(obj.metadata.name ?? 'object').slice(0, 200)}.${fnv64(
      `${obj.metadata.uid ?? ''}\u0000${type}\u0000${reason}\u0000${message}\u0000${component}`,
    )}`;
    const seen = c.tryGet('events', namespace, name);
    if (seen) {
      const e = seen as unknown as { count?: number };
      c.update({ ...seen, count: (e.count ?? 1) + 1, lastTimestamp: now } as KubeObject);
      return;
    }
    c.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
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
    });
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
