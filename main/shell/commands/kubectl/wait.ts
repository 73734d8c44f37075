// kubectl wait: --for=condition=TYPE[=VALUE], --for=delete, --for=create, --for=jsonpath=EXPR[=VALUE],
// over TYPE/NAME, TYPE NAME…, -l or --all. Lab time is what passes while it waits: on a stepped clock
// the lab advances (in one-second steps) until the condition holds or --timeout is spent, as `sleep`
// advances it; on a running clock it waits in real time and Ctrl-C stops it.
import type { ApiServer } from '../../../api/server';
import type { KubeObject, Status } from '../../../api/types';
import type { ResolvedKind } from '../../../api/registry';
import type { CommandContext } from '../../session';
import type { KubectlContext } from './index';
import { parseFlags, type FlagSpec } from './flags';
import { parseGoDuration } from './kflags';
import { requiredResourceArgs } from './resources';
import { typeName } from './common';
import { errorFromServer } from './get';
import { findResults, parseJsonPath, printResults, type JsonPath } from '../../printers/jsonpath';
import { relaxedJsonPath } from '../../printers/customColumns';

const flags: FlagSpec[] = [
  { long: 'for', kind: 'string' },
  { long: 'timeout', kind: 'string' },
  { long: 'selector', short: 'l', kind: 'string' },
  { long: 'field-selector', kind: 'string' },
  { long: 'all', kind: 'bool' },
  { long: 'all-namespaces', short: 'A', kind: 'bool' },
  { long: 'namespace', short: 'n', kind: 'string' },
  { long: 'output', short: 'o', kind: 'string' },
  { long: 'local', kind: 'bool' },
];

/** How lab time passes for a command that waits. */
export type Pause = (ms: number, signal: AbortSignal) => Promise<void>;

/** What `--for` asks. */
type Condition =
  | { kind: 'delete' | 'create' }
  | { kind: 'condition'; type: string; value: string }
  | { kind: 'jsonpath'; path: JsonPath; value?: string };

const WEEK_MS = 7 * 24 * 3_600_000;

/** A Go duration as the --timeout flag takes it ("30s", "1m30s", "0"; negative waits a week). */
function timeoutOf(text: string): number | string {
  const d = parseGoDuration(text);
  if (typeof d === 'string') return `invalid argument "${text}" for "--timeout" flag: ${d}`;
  return d < 0 ? WEEK_MS : d;
}

function conditionOf(text: string | undefined): Condition | string {
  const t = text ?? '';
  if (t.toLowerCase() === 'delete') return { kind: 'delete' };
  if (t.toLowerCase() === 'create') return { kind: 'create' };
  if (t.toLowerCase().startsWith('condition=')) {
    const [type = '', value = 'true'] = t.slice('condition='.length).split('=');
    return { kind: 'condition', type, value };
  }
  if (t.toLowerCase().startsWith('jsonpath=')) {
    const spec = t.slice('jsonpath='.length);
    // the value follows the expression's closing brace (or the first `=` of a bare path)
    const close = spec.startsWith('{') ? spec.indexOf('}') : -1;
    const eq = spec.indexOf('=', close < 0 ? 0 : close);
    const expr = eq < 0 ? spec : spec.slice(0, eq);
    const value = eq < 0 ? undefined : spec.slice(eq + 1);
    // kubectl relaxes the expression (`.status.phase` → `{.status.phase}`) and parses it once
    const relaxed = relaxedJsonPath(expr);
    const path = typeof relaxed === 'string' && relaxed ? parseJsonPath(relaxed) : undefined;
    if (!path || 'error' in path) return `error: unrecognized condition: "${t}"`;
    return { kind: 'jsonpath', path, value };
  }
  return `error: unrecognized condition: "${t}"`;
}

function met(c: Condition, o: KubeObject): boolean {
  if (c.kind === 'condition') {
    const conditions = ((o.status as { conditions?: unknown } | undefined)?.conditions ?? []) as {
      type?: string;
      status?: string;
      observedGeneration?: number;
    }[];
    return conditions.some(
      (x) =>
        x.type?.toLowerCase() === c.type.toLowerCase() &&
        x.status?.toLowerCase() === c.value.toLowerCase() &&
        (x.observedGeneration === undefined || x.observedGeneration >= (o.metadata.generation ?? 0)),
    );
  }
  if (c.kind === 'jsonpath') {
    // as kubectl: no result is not met; several are an error (not met here); a value compares as Go prints it
    const found = findResults(c.path, o, true);
    if ('error' in found || !found[0]?.length || found.length > 1 || found[0].length > 1) return false;
    if (c.value === undefined) return true;
    const v = found[0][0];
    return v !== null && typeof v !== 'object' && printResults([[v]], false) === c.value;
  }
  return c.kind === 'create';
}

export async function wait(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  argv: string[],
  pause: Pause,
): Promise<number> {
  const { values, args } = parseFlags(argv, flags);
  const str = (f: string) => values.get(f) as string | undefined;
  const timeout = timeoutOf(str('timeout') ?? '30s');
  if (typeof timeout === 'string') {
    ctx.err(`Error: ${timeout}\nSee 'kubectl wait --help' for usage.\n`);
    return 1;
  }
  const cond = conditionOf(str('for'));
  if (typeof cond === 'string') {
    ctx.err(`${cond}\n`);
    return 1;
  }
  const parsed = requiredResourceArgs(ctx, args);
  if (!parsed) return 1;
  const bySelector =
    str('selector') !== undefined || str('field-selector') !== undefined || values.get('all') === true;
  if (!bySelector && parsed.some((p) => p.name === undefined)) {
    ctx.err('error: resource(s) were provided, but no name was specified\n');
    return 1;
  }
  const flavor = api.flavorOf(k.space);
  const targets: { kind: ResolvedKind; name?: string }[] = [];
  for (const p of parsed) {
    const kind = api.registry.resolve(p.type, flavor);
    if (!kind) {
      ctx.err(`error: the server doesn't have a resource type "${p.type}"\n`);
      return 1;
    }
    targets.push({ kind, name: p.name });
  }
  const all = values.get('all-namespaces') === true;
  const base = (kind: ResolvedKind) => ({
    user: k.user,
    cluster: k.space,
    group: kind.group,
    version: kind.version,
    resource: kind.plural,
    namespace: kind.namespaced && !all ? (str('namespace') ?? k.namespace) : undefined,
  });
  const label = (kind: ResolvedKind, name: string) =>
    `${kind.plural}${kind.group ? `.${kind.group}` : ''}/${name}`;

  // what to wait on: the objects named, or those a selector finds now
  const items: { kind: ResolvedKind; name: string; namespace?: string; uid?: string }[] = [];
  for (const t of targets) {
    if (t.name !== undefined) {
      items.push({ kind: t.kind, name: t.name, namespace: base(t.kind).namespace });
      continue;
    }
    const r = api.request({
      ...base(t.kind),
      verb: 'list',
      query: { labelSelector: str('selector'), fieldSelector: str('field-selector') },
    });
    if (r.status >= 400) {
      ctx.err(errorFromServer(r.body as Status));
      return 1;
    }
    for (const o of (r.body as { items: KubeObject[] }).items)
      items.push({
        kind: t.kind,
        name: o.metadata.name!,
        namespace: o.metadata.namespace,
        uid: o.metadata.uid,
      });
  }
  if (!items.length) {
    if (cond.kind === 'delete') return 0;
    ctx.err('error: no matching resources found\n');
    return 1;
  }

  const fetch = (i: (typeof items)[number]) =>
    api.request({ ...base(i.kind), namespace: i.namespace, verb: 'get', name: i.name });
  const failures: string[] = [];
  let status = 0;
  // one deadline for all: each object gets what the ones before it left of --timeout
  let waited = 0;
  for (const item of items) {
    let first = true;
    for (;;) {
      const r = fetch(item);
      const gone =
        r.status === 404 || (item.uid !== undefined && (r.body as KubeObject).metadata?.uid !== item.uid);
      if (r.status >= 400 && r.status !== 404) {
        ctx.err(errorFromServer(r.body as Status));
        return 1;
      }
      if (cond.kind === 'delete' ? gone : !gone && met(cond, r.body as KubeObject)) {
        if (!(cond.kind === 'delete' && first))
          ctx.out(`${typeName(item.kind)}/${item.name} condition met\n`);
        break;
      }
      if (gone && first && cond.kind !== 'create') {
        ctx.err(errorFromServer(r.body as Status));
        return 1;
      }
      first = false;
      if (waited >= timeout) {
        failures.push(
          timeout === 0 && cond.kind !== 'delete'
            ? `condition not met for ${label(item.kind, item.name)}`
            : `timed out waiting for the condition on ${label(item.kind, item.name)}`,
        );
        status = 1;
        break;
      }
      const step = Math.min(1000, timeout - waited);
      await pause(step, ctx.signal);
      if (ctx.signal.aborted) return 130;
      waited += step;
    }
  }
  if (failures.length === 1) ctx.err(`error: ${failures[0]}\n`);
  else for (const f of failures) ctx.err(`${f}\n`);
  return status;
}
