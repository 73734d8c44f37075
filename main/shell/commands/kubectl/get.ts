// kubectl get, in the lab shell: a client of the API like the real one — Tables for the human output,
// objects for -o json / yaml / name — printed as kubectl prints them.
import { stringify } from 'yaml';
import type { ApiServer } from '../../../api/server';
import type { Table } from '../../../api/table';
import type { KubeObject, Status } from '../../../api/types';
import { printTable } from '../../printers/table';
import type { CommandContext } from '../../session';
import type { KubectlContext } from './index';
import { parseFlags, type FlagSpec } from './flags';

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
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
          )
        : x;
  return `${JSON.stringify(sort(v), null, 4)}\n`;
}

export function kubectlYaml(v: unknown): string {
  return stringify(v, { sortMapEntries: true, indentSeq: false, lineWidth: 0 });
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
  const [type, ...names] = args;
  if (!type) {
    ctx.err(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\n',
    );
    return 1;
  }
  const kind = api.registry.resolve(type, api.flavorOf(k.space));
  if (!kind) {
    ctx.err(`error: the server doesn't have a resource type "${type}"\n`);
    return 1;
  }
  const all = values.get('all-namespaces') === true;
  const namespace = kind.namespaced
    ? all
      ? undefined
      : ((values.get('namespace') as string | undefined) ?? k.namespace)
    : undefined;
  const human = output === '' || output === 'wide';
  const base = {
    user: k.user,
    cluster: k.space,
    group: kind.group,
    version: kind.version,
    resource: kind.plural,
    namespace,
    table: human,
  };
  const query = {
    labelSelector: values.get('selector') as string | undefined,
    fieldSelector: values.get('field-selector') as string | undefined,
  };
  const results: { table?: Table; objects: KubeObject[] } = { objects: [] };
  let status = 0;
  if (names.length) {
    for (const name of names) {
      const r = api.request({ ...base, verb: 'get', name });
      if (r.status >= 400) {
        ctx.err(errorFromServer(r.body as Status));
        status = 1;
        continue;
      }
      if (human) {
        const t = r.body as Table;
        if (results.table) results.table.rows.push(...t.rows);
        else results.table = t;
      } else results.objects.push(r.body as KubeObject);
    }
  } else {
    const r = api.request({ ...base, verb: 'list', query });
    if (r.status >= 400) {
      const st = r.body as Status;
      // kubectl words a refused selector list this way (cli-runtime's resource selector)
      const message =
        st.code === 400 || st.code === 404
          ? `Unable to find "${kind.group}/${kind.version}, Resource=${kind.plural}" that match label selector "${query.labelSelector ?? ''}", field selector "${query.fieldSelector ?? ''}": ${st.message}`
          : st.message;
      ctx.err(errorFromServer({ ...st, message }));
      return 1;
    }
    if (human) results.table = r.body as Table;
    else
      results.objects = (r.body as { items: KubeObject[] }).items.map((o) => ({
        ...o,
        apiVersion: kind.apiVersion,
        kind: kind.kind,
      }));
    const empty = human ? results.table!.rows.length === 0 : results.objects.length === 0;
    if (empty && output !== 'json' && output !== 'yaml') {
      ctx.err(namespace ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
      return 0;
    }
  }
  if (human && results.table && results.table.rows.length) {
    ctx.out(
      printTable(results.table, {
        now: k.now(),
        wide: output === 'wide',
        noHeaders: values.get('no-headers') === true,
        showLabels: values.get('show-labels') === true,
        withNamespace: all && kind.namespaced,
      }),
    );
  } else if (output === 'name') {
    for (const o of results.objects)
      ctx.out(`${kind.group ? `${kind.singular}.${kind.group}` : kind.singular}/${o.metadata.name}\n`);
  } else if (output === 'json' || output === 'yaml') {
    const doc =
      names.length === 1 && results.objects.length === 1
        ? results.objects[0]
        : { apiVersion: 'v1', items: results.objects, kind: 'List', metadata: { resourceVersion: '' } };
    if (results.objects.length || !names.length)
      ctx.out(output === 'json' ? kubectlJson(doc) : kubectlYaml(doc));
  }
  return status;
}
