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
  // a cell the server left empty (a CRD column whose path is not set) prints as nothing, as kubectl prints it
  if (v === null || v === undefined) return '';
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

/**
 * Go's text/tabwriter as kubectl sets it up (github.com/liggitt/tabwriter: minimum width 6, padding 3,
 * column widths remembered across flushes, so a watch's later rows keep the columns). Cells end at a tab;
 * a line's last cell belongs to no column and is not padded. Text is laid out at each flush().
 */
export class TabWriter {
  private text = '';
  private remembered: number[] = [];

  write(text: string): void {
    this.text += text;
  }

  /** Lays out and returns what was written since the last flush. */
  flush(): string {
    if (!this.text) return '';
    const raw = this.text.split('\n');
    this.text = '';
    const lines = raw.map((l, i) => {
      const cells = l.split('\t');
      // the unfinished last line: an empty cell after its last tab is no cell yet
      if (i === raw.length - 1 && cells[cells.length - 1] === '') cells.pop();
      return cells;
    });
    const out: string[] = [];
    this.format(lines, [], 0, lines.length, out);
    return out.join('');
  }

  /** Go's tabwriter format: a column's width is set by the block of consecutive lines that have it. */
  private format(lines: string[][], widths: number[], line0: number, line1: number, out: string[]): void {
    const column = widths.length;
    for (let at = line0; at < line1; at++) {
      if (column >= lines[at]!.length - 1) continue;
      this.writeLines(lines, widths, line0, at, out);
      line0 = at;
      let width = MIN_WIDTH;
      for (; at < line1 && column < lines[at]!.length - 1; at++)
        width = Math.max(width, [...lines[at]![column]!].length + PADDING);
      const known = this.remembered[column];
      if (known !== undefined && known > width) width = known;
      else this.remembered[column] = width;
      this.format(lines, [...widths, width], line0, at, out);
      line0 = at;
    }
    this.writeLines(lines, widths, line0, line1, out);
  }

  private writeLines(lines: string[][], widths: number[], line0: number, line1: number, out: string[]): void {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i]!;
      out.push(
        cells
          .map((c, j) => (j < widths.length ? c + ' '.repeat(Math.max(0, widths[j]! - [...c].length)) : c))
          .join(''),
      );
      if (i + 1 < lines.length) out.push('\n');
    }
  }
}

/** Lays rows out as kubectl's tabwriter does, in one flush. */
export function tabwrite(rows: string[][]): string {
  const tw = new TabWriter();
  tw.write(rows.map((r) => `${r.join('\t')}\n`).join(''));
  return tw.flush();
}

/** The lines of a server Table as kubectl prints it: headers (unless noHeaders) and a line per row. */
export function tableRows(table: Table, o: TableOptions): string[][] {
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
  return rows;
}

export function printTable(table: Table, o: TableOptions): string {
  return tabwrite(tableRows(table, o));
}
