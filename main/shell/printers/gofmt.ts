// How Go writes a decoded JSON value, as kubectl's printers show it: fmt's %v (custom columns, jsonpath
// text), %#v (the object jsonpath's errors dump), strconv.Quote (%q) and encoding/json's Marshal (maps
// and lists in jsonpath output, -o json). Numbers are Go's: integral ones were decoded as int64, others as
// float64, and a float literal in a template stays a float (GoFloat).

/** A float64 that is not a decoded number: a literal such as `1.0` in a jsonpath template. */
export class GoFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoFloat);

/** A decoded JSON number is an int64 when integral (as apimachinery's decoder makes it), else a float64. */
export const isGoInt = (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 63;

/** Go's keys order when it prints or marshals a map. */
const keysOf = (o: Record<string, unknown>) => Object.keys(o).sort();

/** fmt's %v of a float64: the shortest digits, in e-notation below 1e-4 and from 1e6 (strconv 'g', -1). */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, e] = n.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6)
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** A number as Go prints a decoded one: int64 digits, or a float64's %v. */
export const goNumber = (n: number): string => (isGoInt(n) ? String(n) : goFloat(n));

/** strconv.Quote: Go's escapes for control and unprintable characters, printable Unicode as is. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (ch !== ' ' && /[\p{C}\p{Z}]/u.test(ch))
      out += c < 0x10000 ? `\\u${c.toString(16).padStart(4, '0')}` : `\\U${c.toString(16).padStart(8, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** fmt's %v (fmt.Sprint) of a decoded JSON value: `map[k:v]`, `[a b]`, `<nil>`. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof GoFloat) return goFloat(v.value);
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (isPlainObject(v))
    return `map[${keysOf(v)
      .map((k) => `${k}:${goSprint(v[k])}`)
      .join(' ')}]`;
  return String(v);
}

/** fmt's %#v of a decoded JSON value: `map[string]interface {}{"k":"v"}`, `[]interface {}{…}`. */
export function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (v instanceof GoFloat) return goFloat(v.value);
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  if (isPlainObject(v))
    return `map[string]interface {}{${keysOf(v)
      .map((k) => `${goQuote(k)}:${goSyntax(v[k])}`)
      .join(', ')}}`;
  return String(v);
}

/** Go's type name of a decoded JSON value, as reflect prints it in kubectl's messages. */
export function goType(v: unknown): string {
  if (v instanceof GoFloat) return 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return isGoInt(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (isPlainObject(v)) return 'map[string]interface {}';
  return 'interface {}';
}

const sortKeysDeep = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sortKeysDeep)
    : isPlainObject(v)
      ? Object.fromEntries(keysOf(v).map((k) => [k, sortKeysDeep(v[k])]))
      : v;

/**
 * encoding/json's Marshal (MarshalIndent with `indent`): keys sorted, and <, >, &, U+2028 and U+2029
 * escaped as Go escapes them in strings.
 */
export function goJson(v: unknown, indent = ''): string {
  return (JSON.stringify(sortKeysDeep(v), null, indent || undefined) ?? 'null').replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
