// Watches: committed changes fanned out in memory to every interested watcher, resumable from any
// resourceVersion still in the change log (410 Expired once compacted), with bookmarks. Each change is
// parsed once and frozen, so any number of watchers share one immutable object.
import type { Change, Store } from '../store/store';
import { expired, statusFailure } from './errors';
import type { Disposable, KubeObject, Status, WatchEvent } from './types';

export interface WatchSpec {
  cluster: string;
  group: string;
  kind: string;
  apiVersion: string;
  /** undefined: all namespaces */
  namespace?: string;
  /** label and field selectors, as one predicate */
  matches: (obj: KubeObject) => boolean;
  /** true when matches() is not trivially true: the watcher then tracks what it has seen */
  filtered: boolean;
  /** '' or '0': send the current state as ADDED first; otherwise resume after this resourceVersion */
  resourceVersion?: string;
  allowBookmarks?: boolean;
  /** current state first, then a bookmark annotated k8s.io/initial-events-end */
  sendInitialEvents?: boolean;
}

interface Watcher {
  spec: WatchSpec;
  listener: (e: WatchEvent) => void;
  sinceRv: number;
  visible: Set<string> | undefined;
  closed: boolean;
}

export function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    // walked without Object.values: every written object is frozen, and that array per node adds up
    if (Array.isArray(o)) for (let i = 0; i < o.length; i++) deepFreeze(o[i]);
    else for (const k in o) deepFreeze((o as Record<string, unknown>)[k]);
  }
  return o;
}

const routeKey = (cluster: string, group: string, kind: string) => `${cluster}\u0000${group}\u0000${kind}`;
const objKey = (c: Change) => `${c.key.namespace}/${c.key.name}`;

/** Sees every committed change of one kind in every API space, as controllers' informers do. */
export type Informer = (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject, cluster: string) => void;

export class WatchHub {
  private readonly routes = new Map<string, Set<Watcher>>();
  private readonly informers = new Map<string, Set<Informer>>();
  private readonly subscription: Disposable;

  /**
   * objectAt, when given, hands out the object a change wrote if it is already parsed and cached (see
   * Objects.parsedAt), so informers and later reads share one parse.
   */
  constructor(
    private readonly store: Store,
    private readonly objectAt: (key: Change['key'], rv: number) => KubeObject | undefined = () => undefined,
  ) {
    this.subscription = store.onCommit((changes) => this.dispatch(changes));
  }

  /**
   * Starts a watch. Throws an ApiError (410 Expired) when resuming from a compacted resourceVersion,
   * so the caller can answer with a Status; events then flow to listener until dispose().
   */
  watch(spec: WatchSpec, listener: (e: WatchEvent) => void, initial: () => KubeObject[]): Disposable {
    const w: Watcher = {
      spec,
      listener,
      sinceRv: 0,
      visible: spec.filtered ? new Set() : undefined,
      closed: false,
    };
    const rv = spec.resourceVersion ?? '';
    const replay: WatchEvent[] = [];
    if (rv === '' || rv === '0' || spec.sendInitialEvents) {
      w.sinceRv = this.store.currentRv();
      for (const obj of initial()) {
        w.visible?.add(`${obj.metadata.namespace ?? ''}/${obj.metadata.name}`);
        replay.push({ type: 'ADDED', object: obj });
      }
      if (spec.sendInitialEvents) {
        replay.push(this.bookmarkEvent(spec, { 'k8s.io/initial-events-end': 'true' }));
      }
    } else {
      const from = Number(rv);
      if (!Number.isInteger(from) || from < 0) {
        throw statusFailure(400, 'BadRequest', `invalid resource version: ${rv}`);
      }
      if (from < this.store.compactedRv()) {
        throw expired(`too old resource version: ${from} (${this.store.compactedRv() + 1})`);
      }
      if (from > this.store.currentRv()) {
        throw statusFailure(
          504,
          'Timeout',
          `Too large resource version: ${from}, current: ${this.store.currentRv()}`,
        );
      }
      w.sinceRv = from;
      for (const c of this.store.changesSince(from)) {
        if (this.relevant(spec, c)) {
          const e = this.translate(w, c, JSON.parse(c.body) as KubeObject, true);
          if (e) replay.push(e);
        }
        w.sinceRv = c.rv;
      }
    }
    const key = routeKey(spec.cluster, spec.group, spec.kind);
    let set = this.routes.get(key);
    if (!set) this.routes.set(key, (set = new Set()));
    set.add(w);
    for (const e of replay) if (!w.closed) listener(e);
    return {
      dispose: () => {
        w.closed = true;
        set.delete(w);
      },
    };
  }

  /** Subscribes to committed changes of (group, kind) across all API spaces. */
  inform(group: string, kind: string, informer: Informer): Disposable {
    const key = `${group}\u0000${kind}`;
    let set = this.informers.get(key);
    if (!set) this.informers.set(key, (set = new Set()));
    set.add(informer);
    return { dispose: () => set.delete(informer) };
  }

  /** Sends a BOOKMARK with the current resourceVersion to every watcher that allows them. */
  bookmark(): void {
    for (const set of this.routes.values()) {
      for (const w of set) {
        if (w.spec.allowBookmarks && !w.closed) w.listener(this.bookmarkEvent(w.spec));
      }
    }
  }

  /** Ends every watch on an API space (it is being removed), with a final 410 ERROR event. */
  closeSpace(cluster: string): void {
    for (const [key, set] of this.routes) {
      if (!key.startsWith(`${cluster}\u0000`)) continue;
      for (const w of set) {
        w.closed = true;
        w.listener({ type: 'ERROR', object: expired('the API space has been removed').status });
      }
      this.routes.delete(key);
    }
  }

  watcherCount(): number {
    let n = 0;
    for (const s of this.routes.values()) n += s.size;
    return n;
  }

  dispose(): void {
    this.subscription.dispose();
    this.routes.clear();
  }

  private bookmarkEvent(spec: WatchSpec, annotations?: Record<string, string>): WatchEvent {
    return {
      type: 'BOOKMARK',
      object: {
        kind: spec.kind,
        apiVersion: spec.apiVersion,
        metadata: {
          resourceVersion: String(this.store.currentRv()),
          ...(annotations ? { annotations } : {}),
        },
      },
    };
  }

  private relevant(spec: WatchSpec, c: Change): boolean {
    return (
      c.key.cluster === spec.cluster &&
      c.key.group === spec.group &&
      c.key.kind === spec.kind &&
      (spec.namespace === undefined || c.key.namespace === spec.namespace)
    );
  }

  /** Maps a change to what this watcher should see, given what it has seen before. */
  private translate(w: Watcher, c: Change, obj: KubeObject, replaying: boolean): WatchEvent | undefined {
    const now = w.spec.matches(obj);
    if (!w.visible) return now ? { type: c.type, object: obj } : undefined;
    const k = objKey(c);
    const was = w.visible.has(k);
    if (c.type === 'DELETED') {
      w.visible.delete(k);
      return was || (replaying && now) ? { type: 'DELETED', object: obj } : undefined;
    }
    if (now) {
      w.visible.add(k);
      return { type: was || (replaying && c.type === 'MODIFIED') ? 'MODIFIED' : 'ADDED', object: obj };
    }
    if (was) {
      w.visible.delete(k);
      return { type: 'DELETED', object: obj };
    }
    return undefined;
  }

  private parsed(c: Change): KubeObject {
    return (
      (c.type !== 'DELETED' ? this.objectAt(c.key, c.rv) : undefined) ??
      deepFreeze(JSON.parse(c.body) as KubeObject)
    );
  }

  private dispatch(changes: readonly Change[]): void {
    for (const c of changes) {
      const set = this.routes.get(routeKey(c.key.cluster, c.key.group, c.key.kind));
      const informers = this.informers.get(`${c.key.group}\u0000${c.key.kind}`);
      let obj: KubeObject | undefined;
      if (informers?.size) {
        obj = this.parsed(c);
        for (const i of informers) i(c.type, obj, c.key.cluster);
      }
      if (!set || set.size === 0) continue;
      for (const w of set) {
        if (w.closed || c.rv <= w.sinceRv) continue;
        if (w.spec.namespace !== undefined && w.spec.namespace !== c.key.namespace) continue;
        obj ??= this.parsed(c);
        w.sinceRv = c.rv;
        const e = this.translate(w, c, obj, false);
        if (e) w.listener(e);
      }
    }
  }
}

export type { Status };
