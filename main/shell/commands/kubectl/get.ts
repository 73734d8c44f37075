// kubectl get, in the lab shell: a client of the API like the real one — Tables for the human output,
// objects for -o json / yaml / name — printed as kubectl prints them.
import { Document, visit } from 'yaml';
import type { ApiServer } from '../../../api/server';
import type { Table } from '../../../api/table';
import type { KubeObject, Status } from '../../../api/types';
import type { ResolvedKind } from '../../../api/registry';
import { printTable } from '../../printers/table';
import type { CommandContext } from '../../session';
import type { KubectlContext } from './index';
import { parseFlags, type FlagSpec } from './flags';
import { resourceArgs } from './resources';
import { sortKeys, typeName } from './common';

const flags: FlagSpec[] = [
  { long: 'namespace', short: 'n', kind: 'string' },
  { long: 'all-namespaces', short: 'A', kind: 'bool' },
  { long: 'output', short: 'o', kind: 'string' },
  { long: 'selector', short: 'l', kind: 'string' },
  { long: 'field-selector', kind: 'string' },
  { long: 'no-headers', kind: 'bool' },
  { long: 'show-labels', kind: 'bool' },
];

/** kubectl's JSON: keys sorted as Go marshals maps, four-space indent. */
export function kubectlJson(v: unknown): string {
  return `${JSON.stringify(sortKeys(v), null, 4)}\n`;
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
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true });
}

export function errorFromServer(status: Status): string {
  return `Error from server (${status.reason}): ${status.message}\n`;
}

export function get(api: ApiServer, k: KubectlContext, ctx: CommandContext, argv: string[]): number {
  const { values, args } = parseFlags(argv, flags);
  const output = (values.get('output') as string | undefined) ?? '';
  if (!['', 'wide', 'name', 'json', 'yaml'].includes(output)) {
    ctx.err(
      `error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,wide,yaml\n`,
    );
    return 1;
  }
  if (!args.length) {
    ctx.err(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\n',
    );
    return 1;
  }
  const flavor = api.flavorOf(k.space);
  const resolve = (type: string): ResolvedKind | ResolvedKind[] | string =>
    type === 'all'
      ? api.registry
          .all()
          .filter((x) => x.categories?.includes('all') && api.registry.resolve(x.plural, flavor) === x)
      : (api.registry.resolve(type, flavor) ?? `error: the server doesn't have a resource type "${type}"\n`);
  // what to fetch, as kubectl's resource builder reads the arguments
  const parsed = resourceArgs(args);
  if (typeof parsed === 'string') {
    ctx.err(parsed);
    return 1;
  }
  const wanted: { kind: ResolvedKind; name?: string }[] = [];
  for (const { type, name } of parsed) {
    const kinds = resolve(type);
    if (typeof kinds === 'string') {
      ctx.err(kinds);
      return 1;
    }
    for (const kind of [kinds].flat()) wanted.push({ kind, name });
  }
  const all = values.get('all-namespaces') === true;
  const human = output === '' || output === 'wide';
  const query = {
    labelSelector: values.get('selector') as string | undefined,
    fieldSelector: values.get('field-selector') as string | undefined,
  };
  const namespaceOf = (kind: ResolvedKind) =>
    kind.namespaced
      ? all
        ? undefined
        : ((values.get('namespace') as string | undefined) ?? k.namespace)
      : undefined;
  // one result per object fetched by name, or per list — a Table for the human output — as kubectl's infos
  const infos: { kind: ResolvedKind; table?: Table; objects: KubeObject[] }[] = [];
  const errors: string[] = [];
  for (const { kind, name } of wanted) {
    const base = {
      user: k.user,
      cluster: k.space,
      group: kind.group,
      version: kind.version,
      resource: kind.plural,
      namespace: namespaceOf(kind),
      table: human,
    };
    if (name !== undefined) {
      const r = api.request({ ...base, verb: 'get', name });
      if (r.status >= 400) errors.push(errorFromServer(r.body as Status));
      else if (human) infos.push({ kind, table: r.body as Table, objects: [] });
      else infos.push({ kind, objects: [r.body as KubeObject] });
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
      errors.push(errorFromServer({ ...st, message }));
      continue;
    }
    if (human) infos.push({ kind, table: r.body as Table, objects: [] });
    else
      infos.push({
        kind,
        objects: (r.body as { items: KubeObject[] }).items.map((o) => ({
          ...o,
          apiVersion: kind.apiVersion,
          kind: kind.kind,
        })),
      });
  }
  const withKind = new Set(infos.map((i) => i.kind)).size > 1;
  let written = false;
  if (human) {
    // consecutive results of one kind share a table; tables are parted by a blank line, as kubectl does
    for (let i = 0; i < infos.length;) {
      const kind = infos[i]!.kind;
      const rows = [];
      let table: Table | undefined;
      for (; i < infos.length && infos[i]!.kind === kind; i++) {
        table ??= infos[i]!.table;
        rows.push(...infos[i]!.table!.rows);
      }
      if (!rows.length) continue;
      const text = printTable(
        { ...table!, rows },
        {
          now: k.now(),
          wide: output === 'wide',
          noHeaders: values.get('no-headers') === true,
          showLabels: values.get('show-labels') === true,
          withNamespace: all && kind.namespaced,
          kindPrefix: withKind ? `${typeName(kind)}/` : undefined,
        },
      );
      ctx.out(`${written && values.get('no-headers') !== true ? '\n' : ''}${text}`);
      written = true;
    }
  } else if (output === 'name') {
    for (const { kind, objects } of infos)
      for (const o of objects) {
        ctx.out(`${typeName(kind)}/${o.metadata.name}\n`);
        written = true;
      }
  } else {
    const objects = infos.flatMap((i) => i.objects);
    const single = wanted.length === 1 && wanted[0]!.name !== undefined;
    if (!single || objects.length) {
      const doc =
        single && objects.length === 1
          ? objects[0]
          : { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
      ctx.out(output === 'json' ? kubectlJson(doc) : kubectlYaml(doc));
    }
    written = true;
  }
  if (!written && !errors.length) {
    const namespaced = !all && wanted.every((w) => w.kind.namespaced);
    ctx.err(
      namespaced
        ? `No resources found in ${(values.get('namespace') as string | undefined) ?? k.namespace} namespace.\n`
        : 'No resources found\n',
    );
  }
  for (const e of errors) ctx.err(e);
  return errors.length ? 1 : 0;
}
