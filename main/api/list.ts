// Listing: label and field selectors as one predicate, limit/continue paging, and the two shapes a
// list answers in — a <Kind>List or a Table.
import { badRequest, expired } from './errors';
import type { ResolvedKind } from './registry';
import { matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors';
import { buildTable, type IncludeObject } from './table';
import type { KubeObject, ListObject } from './types';

export type Query = Record<string, string | undefined>;

interface Continue {
  rv: number;
  ns: string;
  name: string;
}

/** One predicate for a label selector and a field selector; `filtered` is false when both are empty. */
export function selectorPredicate(
  kind: ResolvedKind,
  labelSelector: string | undefined,
  fieldSelector: string | undefined,
): { fn: (o: KubeObject) => boolean; filtered: boolean } {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : [];
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : [];
  const getters = fields.map((f) => {
    if (f.field === 'metadata.name') return (o: KubeObject) => o.metadata.name;
    if (f.field === 'metadata.namespace') return (o: KubeObject) => o.metadata.namespace ?? '';
    const g = kind.fieldSelectors?.[f.field];
    if (!g) throw badRequest(`field label not supported: ${f.field}`);
    return g;
  });
  if (labels.length === 0 && fields.length === 0) return { fn: () => true, filtered: false };
  return {
    filtered: true,
    fn: (o) =>
      matchesLabels(labels, o.metadata.labels) &&
      fields.every((f, i) => ((getters[i]!(o) ?? '') === f.value) === (f.op === '=')),
  };
}

function decodeContinue(token: string, compactedRv: number): Continue {
  let c: Continue;
  try {
    c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Continue;
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data');
  }
  if (typeof c?.rv !== 'number' || typeof c.ns !== 'string' || typeof c.name !== 'string') {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
  if (c.rv < compactedRv) {
    throw expired(
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
    );
  }
  return c;
}

/** limit/continue over items in (namespace, name) order: the page, its continue token and what remains. */
export function page(
  items: KubeObject[],
  q: Query,
  rv: number,
  compactedRv: number,
): { items: KubeObject[]; next?: string; remaining?: number } {
  let out = items;
  if (q.continue) {
    const c = decodeContinue(q.continue, compactedRv);
    out = out.filter((o) => {
      const ns = o.metadata.namespace ?? '';
      return ns > c.ns || (ns === c.ns && (o.metadata.name ?? '') > c.name);
    });
  }
  const limit = q.limit ? Number(q.limit) : 0;
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid limit: ${q.limit}`);
  if (limit === 0 || out.length <= limit) return { items: out };
  const pageItems = out.slice(0, limit);
  const last = pageItems[pageItems.length - 1]!.metadata;
  const next = Buffer.from(JSON.stringify({ rv, ns: last.namespace ?? '', name: last.name })).toString(
    'base64url',
  );
  return { items: pageItems, next, remaining: out.length - limit };
}

export function listObject(
  kind: ResolvedKind,
  items: KubeObject[],
  rv: string,
  next?: string,
  remaining?: number,
): ListObject {
  const list: ListObject = {
    apiVersion: kind.apiVersion,
    kind: `${kind.kind}List`,
    metadata: { resourceVersion: rv },
    items,
  };
  if (next) {
    list.metadata.continue = next;
    list.metadata.remainingItemCount = remaining;
  }
  return list;
}

export function tableOf(
  kind: ResolvedKind,
  items: KubeObject[],
  q: Query,
  rv: string,
  now: Date,
  next?: string,
  remaining?: number,
) {
  const include = (q.includeObject ?? 'Metadata') as IncludeObject;
  const metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number } = {
    resourceVersion: rv,
  };
  if (next) {
    metadata.continue = next;
    metadata.remainingItemCount = remaining;
  }
  return buildTable(kind, items, { now }, include, metadata);
}
