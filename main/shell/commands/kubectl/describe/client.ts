// The requests kubectl's describers make, through the lab's API as the real kubectl makes them over
// HTTPS, and the events search and Events table every describer shares.
import { goSort } from '../../../printers/sort';
import type { ApiServer } from '../../../../api/server';
import type { KubeObject, Status } from '../../../../api/types';
import type { PrefixWriter } from '../../../printers/tabwriter';
import type { KubectlContext } from '../index';
import { byString, num, obj, type Obj, since, str } from './format';

/** A REST resource, served or not: describers ask for kinds the lab may lack (leases, quotas). */
export interface Resource {
  group: string;
  version: string;
  resource: string;
}

export type Got<T> = { value: T } | { error: Status };

export const CORE = (resource: string): Resource => ({ group: '', version: 'v1', resource });
export const APPS = (resource: string): Resource => ({ group: 'apps', version: 'v1', resource });

export interface Query {
  labelSelector?: string;
  fieldSelector?: string;
}

export class DescribeClient {
  constructor(
    private readonly api: ApiServer,
    private readonly k: KubectlContext,
    readonly showEvents: boolean,
  ) {}

  /** the lab clock, for ages */
  get now(): Date {
    return this.k.now();
  }

  /** Who asks for what, as every request says: the user, the API space, the resource and namespace. */
  private request(r: Resource, namespace: string) {
    return {
      user: this.k.user,
      cluster: this.k.space,
      group: r.group,
      version: r.version,
      resource: r.resource,
      namespace: namespace || undefined,
    };
  }

  get(r: Resource, namespace: string, name: string): Got<KubeObject> {
    const res = this.api.request({
      ...this.request(r, namespace),
      verb: 'get',
      name,
    });
    return res.status >= 400 ? { error: res.body as Status } : { value: res.body as KubeObject };
  }

  /** A list in one namespace, or across all of them for '' (and for cluster-scoped resources). */
  list(r: Resource, namespace: string, query: Query = {}): Got<KubeObject[]> {
    const res = this.api.request({
      ...this.request(r, namespace),
      verb: 'list',
      query: Object.fromEntries(
        Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined),
      ),
    });
    if (res.status >= 400) return { error: res.body as Status };
    return { value: ((res.body as { items?: KubeObject[] }).items ?? []) as KubeObject[] };
  }
}

/** What an event search is about (an ObjectReference). */
export interface EventRef {
  namespace: string;
  name: string;
  /** left out of the search when empty */
  kind?: string;
  uid?: string;
}

/** A field selector's value escaped as fields.EscapeValue does. */
const escapeField = (v: string) => v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');

/**
 * The events about an object, found as kubectl finds them: core/v1 events in the object's namespace
 * (every namespace for a cluster-scoped object) whose involvedObject has its name, namespace, and
 * kind and uid when known.
 */
export function searchEvents(c: DescribeClient, ref: EventRef): Got<Obj[]> {
  const fields: Record<string, string> = {
    'involvedObject.name': ref.name,
    'involvedObject.namespace': ref.namespace,
  };
  if (ref.kind) fields['involvedObject.kind'] = ref.kind;
  if (ref.uid) fields['involvedObject.uid'] = ref.uid;
  const fieldSelector = Object.keys(fields)
    .sort(byString)
    .map((k) => `${k}=${escapeField(fields[k]!)}`)
    .join(',');
  const got = c.list(CORE('events'), ref.namespace, { fieldSelector });
  return 'error' in got ? got : { value: got.value as Obj[] };
}

/** The events found, or none when the search failed: most describers shrug a failed search off. */
export const eventsOrNone = (got: Got<Obj[]>): Obj[] => ('error' in got ? [] : got.value);

/** The Events table (DescribeEvents): oldest last-seen first, ages on the lab clock. */
export function describeEvents(events: Obj[], w: PrefixWriter, now: Date): void {
  if (!events.length) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  // by lastTimestamp alone; events that have none (eventTime only) come first
  const last = (e: Obj) => {
    const t = Date.parse(str(e.lastTimestamp));
    return Number.isNaN(t) ? -Infinity : t;
  };
  // sort.Sort, as kubectl calls it: Go's pdqsort, whose order of equal times is part of the output
  const sorted = [...events];
  goSort(sorted, (a, b) => last(a) < last(b));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = str(e.eventTime) ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    const series = e.series === undefined || e.series === null ? undefined : obj(e.series);
    const count = num(e.count);
    let interval = first;
    if (series) interval = `${since(series.lastObservedTime, now)} (x${num(series.count)} over ${first})`;
    else if (count > 1) interval = `${since(e.lastTimestamp, now)} (x${count} over ${first})`;
    const source = str(obj(e.source).component) || str(e.reportingComponent);
    w.write(1, `${str(e.type)}\t${str(e.reason)}\t${interval}\t${source}\t${str(e.message).trim()}\n`);
  }
}
