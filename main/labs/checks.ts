// The check evaluator: a lab's declarative checks against the live lab — an API query through the API
// server (as the system, or as an SSO user with their rights) and one condition on what it returns, or
// a command the learner ran, from the shell's history. Read-only: checking never changes the lab.
import { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import { systemUser, type KubeObject, type UserInfo } from '../api/types';
import { SUPERVISOR, type Lab } from '../sim/lab';
import { guestSpace } from '../sim/tkgs/guest';
import { VCENTER } from '../sim/vcenter/kinds';
import { groupsOf, principalName } from '../sim/vcenter/sso';
import { findResults, parseJsonPath, printResults } from '../shell/printers/jsonpath';
import type { CheckDef, CheckQuery, CountBound } from './format';

export interface CheckResult {
  id: string;
  description: string;
  passed: boolean;
  /** what the check found, in a sentence */
  found: string;
  /** the check's hint (shown by the labs panel when it fails; exam mode leaves it out) */
  hint: string;
}

/** A command from ~/.bash_history with the lab time (seconds) it was run at. */
export interface HistoryEntry {
  at: number;
  command: string;
}

/** bash's history file with HISTTIMEFORMAT timestamps, as the lab shell writes it. */
export function parseHistory(text: string): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  let at = 0;
  let cur: string[] | undefined;
  const end = () => {
    if (cur && cur.length) out.push({ at, command: cur.join('\n') });
  };
  for (const line of text.split('\n')) {
    const m = /^#(\d+)$/.exec(line);
    if (m) {
      end();
      at = Number(m[1]);
      cur = [];
    } else if (cur) cur.push(line);
    else if (line) out.push({ at: 0, command: line });
  }
  end();
  return out.map((e) => ({ ...e, command: e.command.replace(/\n+$/, '') })).filter((e) => e.command);
}

export interface CheckContext {
  lab: Lab;
  /** the learner's history since the lab started */
  history: () => HistoryEntry[];
}

/** The API space a query names: supervisor (default), vcenter, or guest:NAMESPACE/TKC. */
export function spaceOf(q: CheckQuery): string {
  const s = q.space ?? 'supervisor';
  if (s === 'supervisor') return SUPERVISOR;
  if (s === 'vcenter') return VCENTER;
  const [ns, name] = s.slice('guest:'.length).split('/');
  return guestSpace(ns!, name!);
}

function userFor(lab: Lab, as: string | undefined): UserInfo {
  if (!as) return systemUser;
  const principal = principalName(as);
  return { username: principal, groups: [...groupsOf(lab.world, principal), 'system:authenticated'] };
}

const where = (q: CheckQuery) =>
  `${q.resource}${q.name ? ` "${q.name}"` : ''}${q.namespace ? ` in ${q.namespace}` : ''}${q.space && q.space !== 'supervisor' ? ` (${q.space})` : ''}`;

type Read =
  { ok: true; data: KubeObject | { items: KubeObject[] } } | { ok: false; code: number; message: string };

function read(lab: Lab, q: CheckQuery): Read {
  const space = spaceOf(q);
  if (!lab.api.hasApiSpace(space))
    return { ok: false, code: 404, message: `there is no ${q.space} API server yet` };
  const client = new ApiClient(lab.api, userFor(lab, q.as), space);
  try {
    if (q.name) return { ok: true, data: client.get(q.resource, q.namespace ?? '', q.name) };
    const list = client.list(q.resource, {
      namespace: q.namespace,
      labelSelector: q.labelSelector,
      fieldSelector: q.fieldSelector,
    });
    return { ok: true, data: { ...list, items: list.items } };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

function countOk(n: number, c: number | CountBound): boolean {
  if (typeof c === 'number') return n === c;
  return (
    (c.equals === undefined || n === c.equals) &&
    (c.min === undefined || n >= c.min) &&
    (c.max === undefined || n <= c.max)
  );
}

const countText = (c: number | CountBound) =>
  typeof c === 'number'
    ? `${c}`
    : [
        c.equals !== undefined && `${c.equals}`,
        c.min !== undefined && `at least ${c.min}`,
        c.max !== undefined && `at most ${c.max}`,
      ]
        .filter(Boolean)
        .join(' and ');

function conditionOf(o: KubeObject, type: string): string | undefined {
  const conds = (o.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions;
  return conds?.find((c) => c.type === type)?.status;
}

/** Runs the jsonpath template; the values it found (flattened) and its text as kubectl prints it. */
function jsonpath(tpl: string, data: unknown): { values: unknown[]; text: string } | { error: string } {
  const parsed = parseJsonPath(tpl);
  if ('error' in parsed) return { error: `bad jsonpath ${tpl}: ${parsed.error}` };
  const r = findResults(parsed, data, true);
  if ('error' in r) return { error: r.error };
  return { values: r.flat(), text: printResults(r, false) };
}

function fail(c: CheckDef, found: string): CheckResult {
  return { id: c.id, description: c.description, passed: false, found, hint: c.hint };
}

function pass(c: CheckDef, found: string): CheckResult {
  return { id: c.id, description: c.description, passed: true, found, hint: c.hint };
}

/** Asks the API server's authorizer, as a request by the query's user would. */
function allowedCheck(c: CheckDef, q: CheckQuery, lab: Lab): CheckResult {
  const space = spaceOf(q);
  const kind = lab.api.registry.resolve(q.resource, lab.api.flavorOf(space));
  if (!kind) return fail(c, `the server doesn't have a resource type "${q.resource}"`);
  const verb = q.verb ?? (q.name ? 'get' : 'list');
  const d = lab.api.authorizer.authorize({
    user: userFor(lab, q.as),
    verb,
    cluster: space,
    group: kind.group,
    resource: kind.plural,
    namespace: kind.namespaced ? q.namespace : undefined,
    name: q.name,
  });
  const found = `${principalName(q.as!)} ${d.allowed ? 'may' : 'may not'} ${verb} ${where(q)}`;
  return d.allowed === c.allowed ? pass(c, found) : fail(c, found);
}

export function evaluateCheck(c: CheckDef, ctx: CheckContext): CheckResult {
  if (c.command !== undefined) {
    const re = new RegExp(c.command);
    const hit = ctx.history().find((e) => re.test(e.command));
    return hit
      ? pass(c, `you ran: ${hit.command.split('\n')[0]}`)
      : fail(c, 'no such command in your history since the lab started');
  }
  const q = c.query!;
  if (c.allowed !== undefined) return allowedCheck(c, q, ctx.lab);
  const r = read(ctx.lab, q);
  if (!r.ok) {
    if (r.code === 404 || r.code === 403) {
      if (c.exists === false) return pass(c, `no ${where(q)}`);
      if (c.count !== undefined && !c.jsonpath && countOk(0, c.count)) return pass(c, `0 ${where(q)}`);
    }
    return fail(c, r.code === 404 ? `no ${where(q)}` : r.message);
  }
  const data = r.data;
  const items: KubeObject[] = q.name ? [data as KubeObject] : (data as { items: KubeObject[] }).items;
  if (c.exists !== undefined) {
    const found = items.length > 0;
    const text = found
      ? `found ${items.length === 1 && q.name ? where(q) : `${items.length} ${where(q)}`}`
      : `no ${where(q)}`;
    return found === c.exists ? pass(c, text) : fail(c, text);
  }
  if (c.condition) {
    const { type, status } = c.condition;
    if (items.length === 0) return fail(c, `no ${where(q)}`);
    const off = items.filter((o) => conditionOf(o, type) !== status);
    if (off.length === 0)
      return pass(
        c,
        `${type}=${status} on ${items.length === 1 ? items[0]!.metadata.name : `all ${items.length}`}`,
      );
    return fail(
      c,
      off
        .slice(0, 3)
        .map((o) => `${o.metadata.name}: ${type}=${conditionOf(o, type) ?? '(none)'}`)
        .join(', '),
    );
  }
  if (c.jsonpath === undefined) {
    // count of objects
    const n = items.length;
    return countOk(n, c.count!)
      ? pass(c, `${n} ${where(q)}`)
      : fail(c, `${n} ${where(q)}, expected ${countText(c.count!)}`);
  }
  const jp = jsonpath(c.jsonpath, data);
  if ('error' in jp) return fail(c, jp.error);
  if (c.count !== undefined) {
    const n = jp.values.length;
    return countOk(n, c.count)
      ? pass(c, `${n} found`)
      : fail(c, `${n} found, expected ${countText(c.count)}`);
  }
  const text = jp.text;
  const shown = text === '' ? '(empty)' : JSON.stringify(text);
  let ok: boolean;
  let want: string;
  if (c.equals !== undefined) [ok, want] = [text === c.equals, JSON.stringify(c.equals)];
  else if (c.notEquals !== undefined)
    [ok, want] = [text !== c.notEquals, `anything but ${JSON.stringify(c.notEquals)}`];
  else if (c.matches !== undefined) [ok, want] = [new RegExp(c.matches).test(text), `/${c.matches}/`];
  else if (c.oneOf !== undefined) [ok, want] = [c.oneOf.includes(text), `one of ${c.oneOf.join(', ')}`];
  else {
    const n = Number(text);
    ok =
      text !== '' &&
      Number.isFinite(n) &&
      (c.min === undefined || n >= c.min) &&
      (c.max === undefined || n <= c.max);
    want = [c.min !== undefined && `≥ ${c.min}`, c.max !== undefined && `≤ ${c.max}`]
      .filter(Boolean)
      .join(' and ');
  }
  return ok ? pass(c, `${c.jsonpath} is ${shown}`) : fail(c, `${c.jsonpath} is ${shown}, expected ${want}`);
}
