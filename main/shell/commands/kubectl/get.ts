// kubectl get, in the lab shell: a client of the API like the real one — Tables for the human output,
// objects for -o json / yaml / name / jsonpath / custom-columns — printed as kubectl prints them, sorted
// by --sort-by as kubectl sorts, and followed with -w / --watch-only through the API's watch.
import { Document, visit } from 'yaml';
import type { ApiServer, ResourceRequest } from '../../../api/server';
import type { Table, TableRow } from '../../../api/table';
import type { KubeObject, Status, WatchEvent } from '../../../api/types';
import type { ResolvedKind } from '../../../api/registry';
import { FsError, resolvePath } from '../../../store/files';
import {
  columnsFromFile,
  columnsFromSpec,
  CustomColumnsPrinter,
  relaxedJsonPath,
} from '../../printers/customColumns';
import { goJson } from '../../printers/gofmt';
import { executeJsonPath, parseJsonPath, type JsonPath } from '../../printers/jsonpath';
import { sortByJsonPath, Unsortable } from '../../printers/sort';
import { printTable, TabWriter, tableRows, type TableOptions } from '../../printers/table';
import type { CommandContext } from '../../session';
import type { KubectlContext } from './index';
import { parseFlags, type FlagSpec } from './flags';
import { NO_RESOURCES, resourceArgs } from './resources';
import { typeName } from './common';

const flags: FlagSpec[] = [
  { long: 'namespace', short: 'n', kind: 'string' },
  { long: 'all-namespaces', short: 'A', kind: 'bool' },
  { long: 'output', short: 'o', kind: 'string' },
  { long: 'template', kind: 'string' },
  { long: 'allow-missing-template-keys', kind: 'bool' },
  { long: 'selector', short: 'l', kind: 'string' },
  { long: 'field-selector', kind: 'string' },
  { long: 'no-headers', kind: 'bool' },
  { long: 'show-labels', kind: 'bool' },
  { long: 'sort-by', kind: 'string' },
  { long: 'watch', short: 'w', kind: 'bool' },
  { long: 'watch-only', kind: 'bool' },
  { long: 'output-watch-events', kind: 'bool' },
];

/** kubectl's JSON: keys sorted as Go marshals maps, four-space indent, <, > and & escaped as Go does. */
export function kubectlJson(v: unknown): string {
  return `${goJson(v, '    ')}\n`;
}

/**
 * Strings a YAML 1.1 reader would take for something else — y/on/no, ~, the empty string, 1_000, 0x1F,
 * 12:30, 1e3, dates — which kubectl's YAML (go-yaml v2) writes in double quotes.
 */
const YAML11_NOT_STRING = new RegExp(
  [
    '^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$',
    '^(?:~|null|Null|NULL|)$',
    '^[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$',
    '^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?$',
    '^[-+]?(?:\\.[0-9]+|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$',
    '^[-+]?\\.(?:inf|Inf|INF)$|^\\.(?:nan|NaN|NAN)$',
    '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?$',
  ].join('|'),
);

/** kubectl's YAML: keys sorted, sequences not indented, ambiguous strings in double quotes, others in single. */
export function kubectlYaml(v: unknown): string {
  const doc = new Document(v, { sortMapEntries: true });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && YAML11_NOT_STRING.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return foldLongScalars(doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true }));
}

/** go-yaml's preferred width: a plain or single-quoted scalar breaks at a space once past it. */
const BEST_WIDTH = 80;

/**
 * Folds long plain and single-quoted scalars as go-yaml's emitter does (kubectl writes YAML through
 * it): at a single space, once the line has passed 80 columns, the space becomes a line break and the
 * rest continues at the value's indentation. Lines of block scalars (| and >) are left as they are.
 */
export function foldLongScalars(text: string): string {
  const out: string[] = [];
  let blockIndent = -1;
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) {
        out.push(line);
        continue;
      }
      blockIndent = -1;
    }
    if (/:\s+[|>][-+]?\d*$|^\s*-\s+[|>][-+]?\d*$/.test(line)) {
      blockIndent = indent;
      out.push(line);
      continue;
    }
    if (line.length <= BEST_WIDTH + 1) {
      out.push(line);
      continue;
    }
    // where the scalar starts: after "key: " or "- " (a quoted key is left alone)
    const m = /^(\s*)(?:- )?(?:([^'"\s][^:]*|'(?:[^']|'')*'): )?/.exec(line)!;
    const start = m[0].length;
    const scalar = line.slice(start);
    if (!scalar || scalar.startsWith('"') || /^[[{&*!|>]/.test(scalar)) {
      out.push(line);
      continue;
    }
    const quoted = scalar.startsWith("'");
    const valueIndent = indent + 2;
    const body = quoted ? scalar.slice(1, -1) : scalar;
    let current = line.slice(0, start) + (quoted ? "'" : '');
    let spaces = false;
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c === ' ') {
        const breakable =
          !spaces &&
          current.length > BEST_WIDTH &&
          body[i + 1] !== ' ' &&
          (!quoted || (i > 0 && i < body.length - 1));
        if (breakable) {
          out.push(current);
          current = ' '.repeat(valueIndent);
        } else current += c;
        spaces = true;
      } else {
        current += c;
        spaces = false;
      }
    }
    out.push(current + (quoted ? "'" : ''));
  }
  return out.join('\n');
}

export function errorFromServer(status: Status): string {
  return `Error from server (${status.reason}): ${status.message}\n`;
}

const ALLOWED_FORMATS =
  'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

/** What -o (with --template) asks for, once kubectl's print flags have read it. */
type Printer =
  | { kind: 'json' | 'yaml' | 'name' }
  | { kind: 'jsonpath'; tpl: JsonPath; raw: string; asJson: boolean; allowMissingKeys: boolean }
  | { kind: 'columns'; columns: CustomColumnsPrinter };

/** The format and its value: `jsonpath={.x}` or `-o jsonpath --template={.x}`; undefined if not one of formats. */
function templated(output: string, template: string, formats: string[]): [string, string] | undefined {
  if (!template && !output) return undefined;
  if (template) return formats.includes(output) ? [output, template] : undefined;
  const format = formats.find((f) => output.startsWith(`${f}=`));
  if (format) return [format, output.slice(format.length + 1)];
  return formats.includes(output) ? [output, ''] : undefined;
}

/** kubectl's PrintFlags.ToPrinter for the formats that are not the human tables; a message when it refuses. */
function printerFor(
  ctx: CommandContext,
  o: { output: string; template: string; noHeaders: boolean; allowMissingKeys: boolean },
): Printer | { error: string } {
  const output = o.output || (o.template ? 'go-template' : '');
  const read = (path: string): string | { code: 'ENOENT' | 'EISDIR' } => {
    try {
      return ctx.session.workspace.read(resolvePath(ctx.session.cwd, path));
    } catch (e) {
      if (e instanceof FsError && e.code === 'EISDIR') return { code: 'EISDIR' };
      if (e instanceof FsError) return { code: 'ENOENT' };
      throw e;
    }
  };
  const goTemplate = templated(output, o.template, [
    'go-template',
    'go-template-file',
    'template',
    'templatefile',
  ]);
  if (goTemplate) {
    if (!goTemplate[1]) return { error: 'template format specified but no template given' };
    return {
      error: `Go templates (-o ${goTemplate[0]}) are not available in the lab shell; use -o jsonpath=…`,
    };
  }
  const jsonpath = templated(output, o.template, ['jsonpath', 'jsonpath-file', 'jsonpath-as-json']);
  if (jsonpath) {
    const [format, value] = jsonpath;
    if (!value) return { error: 'template format specified but no template given' };
    let raw = value;
    if (format === 'jsonpath-file') {
      const text = read(value);
      if (typeof text !== 'string')
        return {
          error: `error reading --template ${value}, ${text.code === 'EISDIR' ? `read ${value}: is a directory` : `open ${value}: no such file or directory`}`,
        };
      raw = text;
    }
    const tpl = parseJsonPath(raw);
    if ('error' in tpl) return { error: `error parsing jsonpath ${raw}, ${tpl.error}\n` };
    return {
      kind: 'jsonpath',
      tpl,
      raw,
      asJson: format === 'jsonpath-as-json',
      allowMissingKeys: o.allowMissingKeys,
    };
  }
  if (output === 'json' || output === 'yaml' || output === 'name') return { kind: output };
  // custom columns, too, take --template as their spec
  const columns = templated(output, o.template, ['custom-columns', 'custom-columns-file']);
  if (columns) {
    const [format, value] = columns;
    if (!value) return { error: 'custom-columns format specified but no custom columns given' };
    if (format === 'custom-columns') {
      const spec = columnsFromSpec(value);
      return 'error' in spec
        ? spec
        : { kind: 'columns', columns: new CustomColumnsPrinter(spec, o.noHeaders) };
    }
    const text = read(value);
    if (typeof text !== 'string' && text.code === 'ENOENT')
      return { error: `error reading template ${value}, open ${value}: no such file or directory\n` };
    // a directory reads as nothing: no header line
    const spec = columnsFromFile(typeof text === 'string' ? text : '');
    return 'error' in spec ? spec : { kind: 'columns', columns: new CustomColumnsPrinter(spec, false) };
  }
  return {
    error: `unable to match a printer suitable for the output format "${o.output}", allowed formats are: ${ALLOWED_FORMATS}`,
  };
}

/** One fetched result: a Table for the human output, objects for the others, as kubectl's infos. */
interface Info {
  kind: ResolvedKind;
  table?: Table;
  objects: KubeObject[];
}

/** An error for the end of the command: the server's (as kubectl words it) or kubectl's own (Go's text). */
interface CmdError {
  text: string;
  fromServer: boolean;
}

const serverError = (status: Status): CmdError => ({
  text: errorFromServer(status).replace(/\n$/, ''),
  fromServer: true,
});

/** kubectl's CheckErr: one error alone (kubectl's own after `error: `), several a line each as they are. */
function printErrors(ctx: CommandContext, errors: CmdError[]): void {
  if (errors.length === 1) {
    const [e] = errors as [CmdError];
    const text = e.fromServer || e.text.startsWith('error: ') ? e.text : `error: ${e.text}`;
    ctx.err(text.endsWith('\n') ? text : `${text}\n`);
  } else for (const e of errors) ctx.err(`${e.text}\n`);
}

/** kubectl's klog.Exitf when --sort-by meets values it cannot compare. */
function unsortable(
  ctx: CommandContext,
  k: KubectlContext,
  e: Unsortable,
  field: string,
  table: boolean,
): number {
  const t = k.now();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}.${p(t.getUTCMilliseconds() * 1000, 6)}`;
  const where = table ? 'sorter.go:375' : 'sorter.go:329';
  const type = table ? '[][][]reflect.Value' : '*unstructured.Unstructured';
  ctx.err(
    `F${stamp} ${'1'.padStart(7)} ${where}] Field ${field} in ${type} is an unsortable type: interface, err: ${e.message}\n`,
  );
  return 1;
}

/** kubectl's SortObjects: the field relaxed and parsed (its errors are the command's), then sorted. */
function sortObjects<T>(items: T[], sortBy: string, objectOf: (t: T) => unknown): string | undefined {
  const field = relaxedJsonPath(sortBy);
  if (typeof field !== 'string') return field.error;
  const tpl = parseJsonPath(field);
  if ('error' in tpl) return tpl.error;
  return sortByJsonPath(items, tpl, field, objectOf)?.error;
}

/** The field kubectl sorts a table's rows by: relaxed, or as given when it cannot be. */
const sortField = (sortBy: string) => {
  const r = relaxedJsonPath(sortBy);
  return typeof r === 'string' ? r : sortBy;
};

/** kubectl's TableSorter on a table's rows (when it has more than one); a message when it cannot sort. */
function sortRows(rows: TableRow[], sortBy: string): string | undefined {
  if (rows.length < 2) return undefined;
  const field = sortField(sortBy);
  const tpl = parseJsonPath(field);
  if ('error' in tpl) return `sorting error: ${tpl.error}`;
  return sortByJsonPath(rows, tpl, field, (r) => r.object)?.error;
}

const MUST_SPECIFY =
  'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\n';

interface Options {
  output: string;
  template: string;
  sortBy: string;
  noHeaders: boolean;
  showLabels: boolean;
  allNamespaces: boolean;
  namespace: string;
  allowMissingKeys: boolean;
  watch: boolean;
  watchOnly: boolean;
  watchEvents: boolean;
  labelSelector?: string;
  fieldSelector?: string;
}

export function get(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  argv: string[],
): number | Promise<number> {
  const { values, args } = parseFlags(argv, flags);
  const str = (name: string) => values.get(name) as string | undefined;
  const bool = (name: string) => values.get(name) === true;
  const o: Options = {
    output: str('output') ?? '',
    template: str('template') ?? '',
    sortBy: str('sort-by') ?? '',
    noHeaders: bool('no-headers'),
    showLabels: bool('show-labels'),
    allNamespaces: bool('all-namespaces'),
    namespace: str('namespace') ?? k.namespace,
    allowMissingKeys: values.get('allow-missing-template-keys') !== false,
    watch: bool('watch'),
    watchOnly: bool('watch-only'),
    watchEvents: bool('output-watch-events'),
    labelSelector: str('selector'),
    fieldSelector: str('field-selector'),
  };
  const watching = o.watch || o.watchOnly;
  if (watching && o.sortBy)
    ctx.err(
      o.watch
        ? 'warning: --watch requested, --sort-by will be ignored for watch events received\n'
        : 'warning: --watch-only requested, --sort-by will be ignored\n',
    );
  else if (!watching && !args.length) {
    ctx.err(MUST_SPECIFY);
    return 1;
  }
  if (o.showLabels && o.output !== '' && o.output !== 'wide') {
    ctx.err(`error: --show-labels option cannot be used with ${o.output} printer\n`);
    return 1;
  }
  if (o.watchEvents && !watching) {
    ctx.err('error: --output-watch-events option can only be used with --watch or --watch-only\n');
    return 1;
  }
  if (watching && !args.length) {
    ctx.err(NO_RESOURCES);
    return 1;
  }
  const wanted = resolveArgs(api, k, args);
  if (typeof wanted === 'string') {
    ctx.err(wanted);
    return 1;
  }
  const human = (o.output === '' && o.template === '') || o.output === 'wide';
  try {
    if (watching) return watch(api, k, ctx, o, wanted, human);
    return human ? getTables(api, k, ctx, o, wanted) : getObjects(api, k, ctx, o, wanted);
  } catch (e) {
    if (e instanceof Unsortable) return unsortable(ctx, k, e, sortField(o.sortBy), human);
    throw e;
  }
}

interface Wanted {
  kind: ResolvedKind;
  name?: string;
}

/** What to fetch, as kubectl's resource builder reads the arguments; its message when it cannot. */
function resolveArgs(api: ApiServer, k: KubectlContext, args: string[]): Wanted[] | string {
  const flavor = api.flavorOf(k.space);
  const resolve = (type: string): ResolvedKind | ResolvedKind[] | string =>
    type === 'all'
      ? api.registry
          .all()
          .filter((x) => x.categories?.includes('all') && api.registry.resolve(x.plural, flavor) === x)
      : (api.registry.resolve(type, flavor) ?? `error: the server doesn't have a resource type "${type}"\n`);
  const parsed = resourceArgs(args);
  if (typeof parsed === 'string') return parsed;
  const wanted: Wanted[] = [];
  for (const { type, name } of parsed) {
    const kinds = resolve(type);
    if (typeof kinds === 'string') return kinds;
    for (const kind of [kinds].flat()) wanted.push({ kind, name });
  }
  return wanted;
}

const namespaceOf = (o: Options, kind: ResolvedKind) =>
  kind.namespaced && !o.allNamespaces ? o.namespace : undefined;

/** The requests kubectl makes: a get per name, a list per type; Tables (with whole objects to sort) or objects. */
function fetch(
  api: ApiServer,
  k: KubectlContext,
  o: Options,
  wanted: Wanted[],
  human: boolean,
  stopAtError: boolean,
): { infos: Info[]; errors: CmdError[]; resourceVersion: string } {
  const infos: Info[] = [];
  const errors: CmdError[] = [];
  let resourceVersion = '';
  const query = {
    labelSelector: o.labelSelector,
    fieldSelector: o.fieldSelector,
    ...(human && o.sortBy ? { includeObject: 'Object' } : {}),
  };
  for (const { kind, name } of wanted) {
    if (stopAtError && errors.length) break;
    const base = {
      user: k.user,
      cluster: k.space,
      group: kind.group,
      version: kind.version,
      resource: kind.plural,
      namespace: namespaceOf(o, kind),
      table: human,
    };
    const typed = (obj: KubeObject) => ({ ...obj, apiVersion: kind.apiVersion, kind: kind.kind });
    if (name !== undefined) {
      const r = api.request({ ...base, verb: 'get', name, query: human && o.sortBy ? query : undefined });
      if (r.status >= 400) errors.push(serverError(r.body as Status));
      else if (human) infos.push({ kind, table: r.body as Table, objects: [] });
      else infos.push({ kind, objects: [typed(r.body as KubeObject)] });
      continue;
    }
    const r = api.request({ ...base, verb: 'list', query });
    if (r.status >= 400) {
      const st = r.body as Status;
      // kubectl words a refused selector list this way (cli-runtime's resource selector)
      const message =
        st.code === 400 || st.code === 404
          ? `Unable to find "${kind.group}/${kind.version}, Resource=${kind.plural}" that match label selector "${query.labelSelector ?? ''}", field selector "${query.fieldSelector ?? ''}": ${st.message}`
          : st.message;
      errors.push(serverError({ ...st, message }));
      continue;
    }
    const body = r.body as { items?: KubeObject[]; metadata?: { resourceVersion?: string } };
    resourceVersion = body.metadata?.resourceVersion ?? '';
    if (human) infos.push({ kind, table: r.body as Table, objects: [] });
    else infos.push({ kind, objects: (body.items ?? []).map(typed) });
  }
  return { infos, errors, resourceVersion };
}

/** Tables as kubectl prints them: consecutive results of one kind in one table, tables parted by a blank line. */
function getTables(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  o: Options,
  wanted: Wanted[],
): number {
  const { infos, errors } = fetch(api, k, o, wanted, true, false);
  if (o.sortBy && infos.length > 1) {
    // kubectl first sorts the Tables themselves, as objects
    let error: string | undefined;
    try {
      error = sortObjects(infos, o.sortBy, (i) => i.table);
    } catch (e) {
      if (e instanceof Unsortable) return unsortable(ctx, k, e, sortField(o.sortBy), false);
      throw e;
    }
    if (error) {
      ctx.err(`error: ${error}\n`);
      return 1;
    }
  }
  // a table whose rows cannot be sorted is not printed (kubectl drops its printer's error)
  const shown = infos.filter((i) => !o.sortBy || sortRows(i.table!.rows, o.sortBy) === undefined);
  const withKind = new Set(infos.map((i) => i.kind)).size > 1;
  let written = false;
  for (let i = 0; i < shown.length;) {
    const kind = shown[i]!.kind;
    const rows = [];
    let table: Table | undefined;
    for (; i < shown.length && shown[i]!.kind === kind; i++) {
      table ??= shown[i]!.table;
      rows.push(...shown[i]!.table!.rows);
    }
    if (!rows.length) continue;
    const text = printTable(
      { ...table!, rows },
      tableOptions(k, o, kind, withKind ? `${typeName(kind)}/` : undefined),
    );
    ctx.out(`${written && !o.noHeaders ? '\n' : ''}${text}`);
    written = true;
  }
  if (!written && !errors.length) {
    const namespaced = !o.allNamespaces && wanted.every((w) => w.kind.namespaced);
    ctx.err(namespaced ? `No resources found in ${o.namespace} namespace.\n` : 'No resources found\n');
  }
  printErrors(ctx, errors);
  return errors.length ? 1 : 0;
}

function tableOptions(k: KubectlContext, o: Options, kind: ResolvedKind, kindPrefix?: string): TableOptions {
  return {
    now: k.now(),
    wide: o.output === 'wide',
    noHeaders: o.noHeaders,
    showLabels: o.showLabels,
    withNamespace: o.allNamespaces && kind.namespaced,
    kindPrefix,
  };
}

/** An object with the kind it was fetched as (for -o name). */
interface Item {
  kind: ResolvedKind;
  obj: KubeObject;
}

const listOf = (items: Item[]) => ({
  apiVersion: 'v1',
  items: items.map((i) => i.obj),
  kind: 'List',
  metadata: { resourceVersion: '' },
});

/** kubectl's printGeneric: one object as itself, anything else as a List, sorted if asked. */
function getObjects(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  o: Options,
  wanted: Wanted[],
): number {
  const { infos, errors } = fetch(api, k, o, wanted, false, false);
  const single = wanted.length === 1 && wanted[0]!.name !== undefined;
  if (single && errors.length) {
    printErrors(ctx, errors);
    return 1;
  }
  const printer = printerFor(ctx, o);
  if ('error' in printer) {
    printErrors(ctx, [{ text: printer.error, fromServer: false }]);
    return 1;
  }
  const items: Item[] = infos.flatMap((i) => i.objects.map((obj) => ({ kind: i.kind, obj })));
  const asList = !single || items.length !== 1;
  const failed = asList && o.sortBy && items.length ? sortObjects(items, o.sortBy, (i) => i.obj) : undefined;
  if (failed) errors.push({ text: failed, fromServer: false });
  else {
    const error = printItems(ctx, printer, items, asList ? listOf(items) : items[0]!.obj);
    if (error) errors.push({ text: error, fromServer: false });
  }
  printErrors(ctx, errors);
  return errors.length ? 1 : 0;
}

/** Prints items (or the one object, or the List) with a non-table printer; a message when it fails. */
function printItems(
  ctx: CommandContext,
  p: Printer,
  items: Item[],
  doc: unknown,
  tw?: TabWriter,
): string | undefined {
  const out = (text: string) => (tw ? tw.write(text) : ctx.out(text));
  switch (p.kind) {
    case 'json':
      out(kubectlJson(doc));
      return undefined;
    case 'yaml':
      out(kubectlYaml(doc));
      return undefined;
    case 'name':
      for (const { kind, obj } of items) out(`${typeName(kind)}/${obj.metadata.name}\n`);
      return undefined;
    case 'jsonpath': {
      const r = executeJsonPath(p.tpl, p.raw, doc, p);
      if ('error' in r) return r.error.replace(/^error: /, '');
      out(r.out);
      return undefined;
    }
    case 'columns': {
      const own = tw ?? new TabWriter();
      const error = p.columns.print(
        items.map((i) => i.obj),
        own,
      );
      if (!tw) ctx.out(own.flush());
      return error;
    }
  }
}

/**
 * kubectl get -w / --watch-only: the current state (unless --watch-only), then each change as the API's
 * watch reports it — a table row without headers again, or the object in the chosen format — until Ctrl-C.
 */
function watch(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  o: Options,
  wanted: Wanted[],
  human: boolean,
): number | Promise<number> {
  if (new Set(wanted.map((w) => w.kind)).size > 1) {
    ctx.err('error: you may only specify a single resource type\n');
    return 1;
  }
  const { infos, errors, resourceVersion } = fetch(api, k, o, wanted, human, true);
  if (errors.length) {
    printErrors(ctx, errors);
    return 1;
  }
  const kind = wanted[0]!.kind;
  const printer = human ? undefined : printerFor(ctx, o);
  if (printer && 'error' in printer) {
    printErrors(ctx, [{ text: printer.error, fromServer: false }]);
    return 1;
  }
  const isList = wanted[0]!.name === undefined || wanted.length > 1;
  const tw = new TabWriter();
  let headed = false;
  let printed = 0;
  /** One object or table, as kubectl's printer in the watch prints it; a message when it fails. */
  const print = (what: { table?: Table; obj?: KubeObject }, type: string): string | undefined => {
    if (human) {
      const table = what.table!;
      if (!table.rows.length) return undefined;
      const header = !o.noHeaders && !headed;
      headed = true;
      const rows = tableRows(table, { ...tableOptions(k, o, kind), noHeaders: !header });
      // --output-watch-events: kubectl writes the event types padded to the longest, MODIFIED
      for (const [n, r] of rows.entries())
        tw.write(
          `${[...(o.watchEvents ? [header && n === 0 ? 'EVENT' : type.padEnd(8)] : []), ...r].join('\t')}\n`,
        );
      return undefined;
    }
    const p = printer as Printer;
    const obj = what.obj!;
    const doc = o.watchEvents && p.kind !== 'name' && p.kind !== 'columns' ? { type, object: obj } : obj;
    if (p.kind === 'yaml' && printed++ > 0) tw.write('---\n');
    if (p.kind === 'json' && doc !== obj)
      return void tw.write(
        `{\n    "type": "${type}",\n    "object": ${kubectlJson(obj).replace(/\n(?=.)/g, '\n    ')}}\n`,
      );
    return printItems(ctx, p, [{ kind, obj }], doc, tw);
  };
  if (!o.watchOnly) {
    const sortBy = o.sortBy;
    for (const info of infos) {
      if (human && sortBy) {
        const error = sortRows(info.table!.rows, sortBy);
        if (error) {
          printErrors(ctx, [{ text: `unable to output the provided object: ${error}`, fromServer: false }]);
          return 1;
        }
      }
      const error = human
        ? print({ table: info.table }, 'ADDED')
        : info.objects.map((obj) => print({ obj }, 'ADDED')).find((e) => e !== undefined);
      if (error) {
        ctx.out(tw.flush());
        printErrors(ctx, [{ text: `unable to output the provided object: ${error}`, fromServer: false }]);
        return 1;
      }
    }
    ctx.out(tw.flush());
  }
  if (wanted.length > 1) {
    ctx.err('error: you may only watch a single resource or type of resource at a time\n');
    return 1;
  }
  // a watch from a list's resourceVersion sends only changes; one from "0" first the object as ADDED
  let skipFirst = !isList;
  const request: ResourceRequest = {
    verb: 'watch',
    user: k.user,
    cluster: k.space,
    group: kind.group,
    version: kind.version,
    resource: kind.plural,
    namespace: namespaceOf(o, kind),
    name: wanted[0]!.name,
    query: {
      labelSelector: o.labelSelector,
      fieldSelector: o.fieldSelector,
      resourceVersion: isList ? resourceVersion : '0',
    },
    table: human,
  };
  return new Promise<number>((resolve) => {
    let done = false;
    let stop = () => {};
    const finish = (status: number) => {
      if (done) return;
      done = true;
      stop();
      resolve(status);
    };
    const onEvent = (e: WatchEvent) => {
      if (done || e.type === 'BOOKMARK') return;
      if (e.type === 'ERROR') {
        ctx.err(`error: ${(e.object as Status).message ?? 'the watch ended'}\n`);
        return finish(1);
      }
      if (skipFirst) {
        skipFirst = false;
        return;
      }
      const obj = { ...(e.object as KubeObject), apiVersion: kind.apiVersion, kind: kind.kind };
      const error = human
        ? print({ table: api.watchEventTable(request, obj) as Table }, e.type)
        : print({ obj }, e.type);
      ctx.out(tw.flush());
      // kubectl's watch ends quietly when it cannot print an event
      if (error) finish(0);
    };
    const started = api.watch(request, onEvent);
    if ('error' in started) {
      printErrors(ctx, [serverError(started.error.body as Status)]);
      return finish(1);
    }
    stop = () => started.watch.dispose();
    if (done) stop();
    // Ctrl-C: kubectl's interrupt handler exits with status 1
    if (ctx.signal.aborted) finish(1);
    else ctx.signal.addEventListener('abort', () => finish(1), { once: true });
  });
}
