// Server-side Table responses (Accept: application/json;as=Table;v=v1;g=meta.k8s.io), built from the
// kind's printer columns, as `kubectl get` asks for them.
import type { PrintContext, PrinterColumn, ResolvedKind } from './registry';
import type { KubeObject } from './types';

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Evaluates the simple JSONPaths CRD printer columns use: `.status.phase`, `.spec.ports[0].port`. */
export function simpleJsonPath(obj: unknown, path: string): unknown {
  const parts = path
    .replace(/^\{?\.?/, '')
    .replace(/\}$/, '')
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== '');
  let v: unknown = obj;
  for (const p of parts) {
    if (v === null || v === undefined) return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

function cell(col: PrinterColumn, obj: KubeObject, ctx: PrintContext): unknown {
  if (col.value) return col.value(obj, ctx);
  const v = col.jsonPath ? simpleJsonPath(obj, col.jsonPath) : undefined;
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

export function buildTable(
  kind: ResolvedKind,
  objects: KubeObject[],
  ctx: PrintContext,
  include: IncludeObject,
  metadata: Table['metadata'],
): Table {
  const columns: TableColumn[] = [
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      description: 'Name must be unique within a namespace.',
      priority: 0,
    },
    ...kind.columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
  ];
  const rows = objects.map((o) => ({
    cells: [kind.nameCell ? kind.nameCell(o) : o.metadata.name, ...kind.columns.map((c) => cell(c, o, ctx))],
    object:
      include === 'Object'
        ? o
        : include === 'None'
          ? null
          : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
  }));
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: columns, rows };
}
