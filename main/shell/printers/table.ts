// kubectl's human-readable output of a server Table: upper-case headers, columns laid out as Go's
// tabwriter does with kubectl's settings (minimum width 6, padding 3, the last column unpadded),
// NAMESPACE first with --all-namespaces, LABELS last with --show-labels, priority-1 columns with -o wide.
import { humanDuration } from '../../api/printers/duration';
import type { Table } from '../../api/table';

export interface TableOptions {
  wide?: boolean;
  noHeaders?: boolean;
  showLabels?: boolean;
  /** print the NAMESPACE column (kubectl get -A) */
  withNamespace?: boolean;
  /** `pod/`, `deployment.apps/`: put before each name when kubectl get shows several kinds */
  kindPrefix?: string;
  /** for date columns (CRD printer columns): the lab clock's now */
  now: Date;
}

const MIN_WIDTH = 6;
const PADDING = 3;

function cellText(v: unknown, type: string, now: Date): string {
  if (v === null || v === undefined) return '<none>';
  if (type === 'date' && typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? v : humanDuration(now.getTime() - t);
  }
  return String(v);
}

function labelsText(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

/** Lays rows out as Go's tabwriter does with kubectl's settings. */
export function tabwrite(rows: string[][]): string {
  if (rows.length === 0) return '';
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, c) =>
    Math.max(MIN_WIDTH, ...rows.map((r) => (c < r.length - 1 ? [...(r[c] ?? '')].length + PADDING : 0))),
  );
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c]! - [...cell].length)))
        .join(''),
    )
    .map((line) => `${line}\n`)
    .join('');
}

export function printTable(table: Table, o: TableOptions): string {
  const shown = table.columnDefinitions
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => o.wide || (d.priority ?? 0) === 0);
  const rows: string[][] = [];
  const nameColumn = Math.max(
    0,
    table.columnDefinitions.findIndex((d) => d.format === 'name'),
  );
  if (!o.noHeaders) {
    rows.push([
      ...(o.withNamespace ? ['NAMESPACE'] : []),
      ...shown.map(({ d }) => d.name.toUpperCase()),
      ...(o.showLabels ? ['LABELS'] : []),
    ]);
  }
  for (const row of table.rows) {
    const meta = (row.object as { metadata?: { namespace?: string; labels?: Record<string, string> } } | null)
      ?.metadata;
    rows.push([
      ...(o.withNamespace ? [meta?.namespace ?? ''] : []),
      ...shown.map(({ d, i }) =>
        i === nameColumn && o.kindPrefix
          ? `${o.kindPrefix}${cellText(row.cells[i], d.type, o.now)}`
          : cellText(row.cells[i], d.type, o.now),
      ),
      ...(o.showLabels ? [labelsText(meta?.labels)] : []),
    ]);
  }
  return tabwrite(rows);
}
