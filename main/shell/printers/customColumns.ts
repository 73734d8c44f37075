// kubectl's custom columns (-o custom-columns=HEADER:PATH,… and -o custom-columns-file=FILE): a header
// line and a line per object, a cell per column with what its JSONPath finds (values joined by commas,
// `<none>` for nothing), laid out by kubectl's tabwriter. Its specs and messages are kubectl's.
import { goSprint } from './gofmt';
import { findResults, parseJsonPath } from './jsonpath';
import type { TabWriter } from './table';

export interface Column {
  header: string;
  /** a JSONPath template, as RelaxedJSONPathExpression makes it */
  path: string;
}

const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/** kubectl's RelaxedJSONPathExpression: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all become `{.a.b}`. */
export function relaxedJsonPath(expr: string): string | { error: string } {
  if (expr === '') return expr;
  const m = RELAXED.exec(expr);
  if (!m)
    return {
      error:
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    };
  return `{.${m[1] ?? m[2]}}`;
}

/** Columns from `HEADER:PATH,…`, or kubectl's message for a malformed spec. */
export function columnsFromSpec(spec: string): Column[] | { error: string } {
  if (!spec) return { error: 'custom-columns format specified but no custom columns given' };
  const columns: Column[] = [];
  for (const part of spec.split(',')) {
    const colon = part.indexOf(':');
    if (colon < 0)
      return { error: `unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>` };
    const path = relaxedJsonPath(part.slice(colon + 1));
    if (typeof path !== 'string') return path;
    columns.push({ header: part.slice(0, colon), path });
  }
  return columns;
}

const FORMAT =
  'Expected format is one line of space separated headers, one line of space separated column specs.';

/** Columns from a file: a line of headers and a line of paths, separated by white space. */
export function columnsFromFile(text: string): Column[] | { error: string } {
  // the lines as Go's line scanner gives them
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (text.endsWith('\n')) lines.pop();
  if (text === '') lines.length = 0;
  const words = (l: string) => l.split(/\s+/).filter(Boolean);
  if (lines.length < 1) return { error: `invalid template, missing header line. ${FORMAT}` };
  if (lines.length < 2) return { error: `invalid template, missing spec line. ${FORMAT}` };
  const headers = words(lines[0]!);
  const specs = words(lines[1]!);
  if (headers.length !== specs.length)
    return {
      error: `number of headers (${headers.length}) and field specifications (${specs.length}) don't match`,
    };
  const columns: Column[] = [];
  for (const [i, header] of headers.entries()) {
    const path = relaxedJsonPath(specs[i]!);
    if (typeof path !== 'string') return path;
    columns.push({ header, path });
  }
  return columns;
}

/** kubectl's EscapeTerminal: what could drive the terminal is shown, not obeyed. */
const escapeTerminal = (s: string) => s.split('\x1b').join('^[').split('\r').join('\\r');

/** Prints objects as custom columns; the header goes out once, with the first objects printed. */
export class CustomColumnsPrinter {
  private headed = false;

  constructor(
    private readonly columns: Column[],
    private readonly noHeaders: boolean,
  ) {}

  /** Writes into tw; an error message (without `error: `) stops it, after what was written before. */
  print(objects: unknown[], tw: TabWriter): string | undefined {
    if (!this.noHeaders && !this.headed) {
      tw.write(`${this.columns.map((c) => c.header).join('\t')}\n`);
      this.headed = true;
    }
    const paths = [];
    for (const c of this.columns) {
      const p = parseJsonPath(c.path);
      if ('error' in p) return p.error;
      paths.push(p);
    }
    for (const obj of objects) {
      const cells: string[] = [];
      for (const p of paths) {
        const found = findResults(p, obj, true);
        if ('error' in found) return found.error;
        const values = found.flat().map((v) => escapeTerminal(goSprint(v)));
        cells.push([...(found[0]?.length ? [] : ['<none>']), ...values].join(','));
      }
      tw.write(`${cells.join('\t')}\n`);
    }
    return undefined;
  }
}
