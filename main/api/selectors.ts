// Label selectors (equality- and set-based) and field selectors, parsed from their string forms as
// kubectl sends them, and from metav1.LabelSelector objects as workloads embed them.
import { badRequest } from './errors';

export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export type LabelSelector = Requirement[];

const keyRe =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function tokenize(s: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if ('(),'.includes(c)) {
      tokens.push(c);
      i++;
    } else if (c === '!' && s[i + 1] === '=') {
      tokens.push('!=');
      i += 2;
    } else if (c === '=' && s[i + 1] === '=') {
      tokens.push('==');
      i += 2;
    } else if (c === '=' || c === '!') {
      tokens.push(c);
      i++;
    } else {
      let j = i;
      while (j < s.length && !' \t(),=!'.includes(s[j]!)) j++;
      tokens.push(s.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

const selectorError = (msg: string) => badRequest(`unable to parse requirement: ${msg}`);

function checkKey(key: string): void {
  if (!keyRe.test(key) || key.length > 316) {
    throw selectorError(
      `<nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  }
}

function checkValue(v: string): void {
  if (!valueRe.test(v) || v.length > 63) {
    throw selectorError(
      `values[0][${v}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  }
}

/** Parses `app=web,tier!=db,env in (prod,qa),!legacy,gpu`. Throws a 400 ApiError on bad syntax. */
export function parseLabelSelector(input: string): LabelSelector {
  const t = tokenize(input);
  const reqs: Requirement[] = [];
  let i = 0;
  const expectValue = (): string => {
    const v = t[i];
    if (v === undefined || '(),=!'.includes(v) || v === '!=' || v === '==') return '';
    i++;
    return v;
  };
  while (i < t.length) {
    let tok = t[i++]!;
    if (tok === '!') {
      const key = t[i++];
      if (!key || '(),'.includes(key))
        throw badRequest(`found '${key ?? ''}', expected: identifier after '!'`);
      checkKey(key);
      reqs.push({ key, op: '!', values: [] });
    } else {
      if ('(),'.includes(tok) || tok === '=' || tok === '!=' || tok === '==')
        throw badRequest(`found '${tok}', expected: !, identifier, or 'end of string'`);
      const key = tok;
      checkKey(key);
      const next = t[i];
      if (next === undefined || next === ',') {
        reqs.push({ key, op: 'exists', values: [] });
      } else if (next === '=' || next === '==' || next === '!=') {
        i++;
        const v = expectValue();
        checkValue(v);
        reqs.push({ key, op: next, values: [v] });
      } else if (next === 'in' || next === 'notin') {
        i++;
        if (t[i++] !== '(') throw badRequest(`found '${t[i - 1] ?? ''}', expected: '('`);
        const values: string[] = [];
        while (i < t.length && t[i] !== ')') {
          tok = t[i++]!;
          if (tok === ',') continue;
          checkValue(tok);
          values.push(tok);
        }
        if (t[i++] !== ')') throw badRequest(`found '', expected: ')'`);
        if (values.length === 0)
          throw selectorError(
            `values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`,
          );
        reqs.push({ key, op: next, values });
      } else {
        throw badRequest(`found '${next}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    }
    if (i < t.length) {
      if (t[i] !== ',') throw badRequest(`found '${t[i]}', expected: ',' or 'end of string'`);
      i++;
      if (i >= t.length) throw badRequest(`found '', expected: identifier`);
    }
  }
  return reqs;
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=':
      case '==':
      case 'in':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case '!=':
      case 'notin':
        if (has && r.values.includes(v!)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
    }
  }
  return true;
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

/** Converts a metav1.LabelSelector; an empty selector matches everything. */
export function fromSelectorObject(s: LabelSelectorObject | undefined): LabelSelector {
  const reqs: Requirement[] = [];
  for (const [key, v] of Object.entries(s?.matchLabels ?? {})) reqs.push({ key, op: '=', values: [v] });
  for (const e of s?.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[e.operator];
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return reqs;
}

/** The string form kubectl prints (SELECTOR column, describe). */
export function formatLabelSelector(s: LabelSelectorObject | undefined): string {
  const reqs = fromSelectorObject(s);
  if (reqs.length === 0) return '<none>';
  return formatRequirements(reqs);
}

export function formatRequirements(reqs: LabelSelector): string {
  return reqs
    .map((r) => {
      switch (r.op) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${[...r.values].sort().join(',')})`;
        default:
          return `${r.key}${r.op}${r.values[0]}`;
      }
    })
    .join(',');
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Parses `metadata.name=x,status.phase!=Running`; the fields a kind supports are checked by the caller. */
export function parseFieldSelector(input: string): FieldRequirement[] {
  if (input.trim() === '') return [];
  return input.split(',').map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${input}'; can't understand '${part}'`);
    return { field: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: m[3]! };
  });
}
