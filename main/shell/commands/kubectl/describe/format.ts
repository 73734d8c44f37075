// What kubectl's describers share for writing values: times (RFC 1123 with a numeric zone, ages),
// Go's %v of decoded JSON, field names made readable, and the multi-line label, annotation, taint
// and toleration blocks.
import { humanDuration } from '../../../../api/printers/duration';
import type { PrefixWriter } from '../../../printers/tabwriter';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The object at v, or an empty one (a Go struct decoded from nothing). */
export const obj = (v: unknown): Obj => (isObj(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const objs = (v: unknown): Obj[] => arr(v).map(obj);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
export const bool = (v: unknown): boolean => v === true;
export const strMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) if (typeof x === 'string') out[k] = x;
  return out;
};

/** Go's string order (bytes; code units agree for the text kubectl sorts). */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const sortedKeys = (m: object): string[] => Object.keys(m).sort(byString);

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A timestamp as Go's time.RFC1123Z writes it (`Mon, 02 Jan 2006 15:04:05 -0700`), in UTC — the zone
 * the lab runs in. A missing or unreadable time is Go's zero time.
 */
export function rfc1123z(t: unknown): string {
  const ms = typeof t === 'string' ? Date.parse(t) : NaN;
  if (Number.isNaN(ms)) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`;
}

/** How long ago t was (translateTimestampSince), `<unknown>` for no time. */
export function since(t: unknown, now: Date): string {
  const ms = typeof t === 'string' && t ? Date.parse(t) : NaN;
  if (Number.isNaN(ms)) return '<unknown>';
  // Go truncates the seconds toward zero; humanDuration floors
  return humanDuration(Math.trunc((now.getTime() - ms) / 1000) * 1000);
}

/** Go's %v of a float64: the shortest digits, in exponent form below 1e-4 or from 1e21 up. */
function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, e] = n.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 21)
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** Go's %v of a value decoded from JSON into interface{} (int64 for whole numbers, float64 otherwise). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? String(v) : goFloat(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isObj(v))
    return `map[${sortedKeys(v)
      .map((k) => `${k}:${goValue(v[k])}`)
      .join(' ')}]`;
  return String(v);
}

/** fatih/camelcase's Split: runs of lower, upper, digit and other runes, an upper run giving its last rune to a lower run after it. */
function camelSplit(s: string): string[] {
  const cls = (r: string) => (/\p{Ll}/u.test(r) ? 1 : /\p{Lu}/u.test(r) ? 2 : /\p{Nd}/u.test(r) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const r of s) {
    const c = cls(r);
    if (c === last) runs[runs.length - 1]!.push(r);
    else runs.push([r]);
    last = c;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (/\p{Lu}/u.test(runs[i]![0]!) && /\p{Ll}/u.test(runs[i + 1]![0]!))
      runs[i + 1]!.unshift(runs[i]!.pop()!);
  }
  return runs.filter((r) => r.length).map((r) => r.join(''));
}

const ACRONYMS = ['API', 'URL', 'UID', 'OSB', 'GUID'];

/** A field name made readable, as kubectl's generic describer does: `apiVersion` → `API Version`. */
export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) =>
      ACRONYMS.includes(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1),
    )
    .join(' ');
}

/** A stable sort (Go sorts these short lists by insertion, which keeps equal elements in order). */
export const stableSort = <T>(xs: T[], cmp: (a: T, b: T) => number): T[] =>
  xs
    .map((x, i) => [x, i] as const)
    .sort((a, b) => cmp(a[0], b[0]) || a[1] - b[1])
    .map(([x]) => x);

/** `Title:  k=v` then one `k=v` per line under it (printLabelsMultilineWithIndent). */
export function labelsMultiline(
  w: PrefixWriter,
  title: string,
  labels: Record<string, string>,
  initialIndent = '',
  innerIndent = '\t',
): void {
  w.write(0, `${initialIndent}${title}:${innerIndent}`);
  const keys = sortedKeys(labels);
  if (!keys.length) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i) {
      w.write(0, initialIndent);
      w.write(0, innerIndent);
    }
    w.write(0, `${key}=${labels[key]}\n`);
  });
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_ANNOTATION = 140;

/** Annotations, long or multi-line values on lines of their own, cut at 140 characters. */
export function annotationsMultiline(
  w: PrefixWriter,
  title: string,
  annotations: Record<string, string>,
): void {
  w.write(0, `${title}:\t`);
  const keys = sortedKeys(annotations).filter((k) => k !== LAST_APPLIED);
  if (!keys.length) {
    w.writeLine('<none>');
    return;
  }
  const indent = '\t';
  keys.forEach((key, i) => {
    if (i) w.write(0, indent);
    const value = annotations[key]!.replace(/\n$/, '');
    // Go measures bytes here
    const bytes = Buffer.byteLength(value) + Buffer.byteLength(key) + 2;
    if (bytes > MAX_ANNOTATION || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const line of value.split('\n')) w.write(0, `${indent}  ${shorten(line, MAX_ANNOTATION - 2)}\n`);
    } else w.write(0, `${key}: ${value}\n`);
  });
}

/** The first max bytes and `...` when s is longer (a cut inside a character is not reproduced). */
function shorten(s: string, max: number): string {
  const b = Buffer.from(s);
  return b.length > max ? `${b.subarray(0, max).toString()}...` : s;
}

/** Taints sorted by effect and key, one per line (printTaintsMultilineWithIndent). */
export function taintsMultiline(w: PrefixWriter, title: string, taints: Obj[]): void {
  w.write(0, `${title}:\t`);
  if (!taints.length) {
    w.writeLine('<none>');
    return;
  }
  const key = (t: Obj) => `${str(t.effect)},${str(t.key)}`;
  stableSort(taints, (a, b) => byString(key(a), key(b))).forEach((t, i) => {
    if (i) w.write(0, '\t');
    // Taint.ToString
    const value = str(t.value) ? `=${str(t.value)}` : '';
    const effect = str(t.effect) ? `:${str(t.effect)}` : '';
    w.write(0, `${str(t.key)}${value}${effect}\n`);
  });
}

/** Tolerations sorted by key, one per line (printTolerationsMultilineWithIndent). */
export function tolerationsMultiline(
  w: PrefixWriter,
  title: string,
  tolerations: Obj[],
  initialIndent = '',
): void {
  w.write(0, `${initialIndent}${title}:\t`);
  if (!tolerations.length) {
    w.writeLine('<none>');
    return;
  }
  stableSort(tolerations, (a, b) => byString(str(a.key), str(b.key))).forEach((t, i) => {
    if (i) {
      w.write(0, initialIndent);
      w.write(0, '\t');
    }
    let line = str(t.key);
    if (str(t.value)) line += `=${str(t.value)}`;
    if (str(t.effect)) line += `:${str(t.effect)}`;
    if (t.operator === 'Exists' && !str(t.value))
      line += str(t.key) || str(t.effect) ? ' op=Exists' : 'op=Exists';
    if (typeof t.tolerationSeconds === 'number') line += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${line}\n`);
  });
}

/**
 * labels.Selector's String() of a LabelSelector (LabelSelectorAsSelector): requirements sorted by key,
 * set values sorted; an empty selector is empty, a missing one matches nothing.
 */
export function selectorString(sel: unknown): string {
  if (!isObj(sel)) return '';
  const reqs: [string, string][] = [];
  const labels = strMap(sel.matchLabels);
  for (const k of Object.keys(labels)) reqs.push([k, `${k}=${labels[k]}`]);
  for (const e of objs(sel.matchExpressions)) {
    const key = str(e.key);
    const values = arr(e.values).map(String).sort(byString).join(',');
    if (e.operator === 'In') reqs.push([key, `${key} in (${values})`]);
    else if (e.operator === 'NotIn') reqs.push([key, `${key} notin (${values})`]);
    else if (e.operator === 'Exists') reqs.push([key, key]);
    else if (e.operator === 'DoesNotExist') reqs.push([key, `!${key}`]);
  }
  return stableSort(reqs, (a, b) => byString(a[0], b[0]))
    .map(([, r]) => r)
    .join(',');
}

/** metav1.FormatLabelSelector: the selector's string, `<none>` when it is empty. */
export const formatLabelSelector = (sel: unknown): string => selectorString(sel) || '<none>';

/** Go's %v of a list of strings: `[a b]`. */
export const goList = (v: unknown): string => `[${arr(v).map(String).join(' ')}]`;
