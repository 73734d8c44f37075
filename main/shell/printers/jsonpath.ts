// kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath), which -o jsonpath, custom columns and
// --sort-by all use: text with {…} actions; in an action `.field`, `['field']`, `..` (recursive
// descent), `*`, `[n]`, `[start:end:step]`, unions `[a,b]`, filters `[?(@.x == "y")]`, literals, and
// `{range …}…{end}`. Its parser and evaluator keep kubectl's messages and quirks (a missing key is no
// error unless asked, `[]` means `[0]`, maps print as JSON); no npm JSONPath library has these semantics.
import { GoFloat, goJson, goNumber, goQuote, goSprint, goSyntax, goType, isGoInt } from './gofmt';

interface Param {
  known: boolean;
  value: number;
  /** the end of `[n]`, made n+1 by the parser */
  derived?: boolean;
}

type Node =
  | { t: 'list'; nodes: Node[] }
  | { t: 'text'; text: string }
  | { t: 'field'; name: string }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'array'; params: [Param, Param, Param] }
  | { t: 'union'; lists: Node[][] }
  | { t: 'filter'; left: Node[]; right: Node[]; op: string }
  | { t: 'literal'; value: number | boolean | GoFloat }
  | { t: 'ident'; name: string };

/** A parsed template: text and actions, as they follow each other. */
export interface JsonPath {
  readonly items: readonly Node[];
}

class ParseError extends Error {}

/** A failure while executing; `partial` is what Go's walk returns alongside its error. */
class ExecError extends Error {
  constructor(
    message: string,
    readonly partial: unknown[] = [],
  ) {
    super(message);
  }
}

const EOF = '';
const isDigit = (r: string) => r >= '0' && r <= '9';
const isAlnum = (r: string) => r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
const isTerminator = (r: string) => ' \t\r\n.,[]$@{}'.includes(r) || r === EOF;

/** Go's %#U: `U+002C ','`. */
const runeU = (r: string) => {
  const hex = `U+${r.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return /[\p{C}\p{Z}]/u.test(r) && r !== ' ' ? hex : `${hex} '${r}'`;
};

class Parser {
  private pos = 0;
  private width = 0;
  constructor(private readonly input: string) {}

  /** The template: text, and a list node per action. */
  template(): Node[] {
    const items: Node[] = [];
    for (;;) {
      const at = this.input.indexOf('{', this.pos);
      const end = at < 0 ? this.input.length : at;
      if (end > this.pos) items.push({ t: 'text', text: this.input.slice(this.pos, end) });
      if (at < 0) return items;
      this.pos = at + 1;
      const nodes: Node[] = [];
      items.push({ t: 'list', nodes });
      this.action(nodes);
    }
  }

  private next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.width = r.length;
    this.pos += r.length;
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private peek(): string {
    const r = this.next();
    this.backup();
    return r;
  }

  private at(prefix: string): boolean {
    return this.input.startsWith(prefix, this.pos);
  }

  /** Inside `{…}`, up to and including the closing brace. */
  private action(cur: Node[]): void {
    for (;;) {
      if (this.at('}')) {
        this.pos++;
        return;
      }
      if (this.at('[?(')) {
        this.filter(cur);
        continue;
      }
      if (this.at('..')) {
        this.pos += 2;
        cur.push({ t: 'recursive' });
        if (isAlnum(this.peek())) this.field(cur);
        continue;
      }
      const r = this.next();
      if (r === EOF || r === '\r' || r === '\n') throw new ParseError('unclosed action');
      if (r === ' ' || r === '@' || r === '$') continue;
      if (r === '[') this.array(cur);
      else if (r === '"' || r === "'") this.quote(cur, r);
      else if (r === '.') this.field(cur);
      else if (r === '+' || r === '-' || isDigit(r)) {
        this.backup();
        this.number(cur);
      } else if (isAlnum(r)) {
        this.backup();
        this.identifier(cur);
      } else throw new ParseError(`unrecognized character in action: ${runeU(r)}`);
    }
  }

  /** A field name after `.`, up to a terminator; `\` takes the next character literally. */
  private field(cur: Node[]): void {
    const start = this.pos;
    for (;;) {
      const r = this.next();
      if (r === '\\') this.next();
      else if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.input.slice(start, this.pos);
    cur.push(value === '*' ? { t: 'wildcard' } : { t: 'field', name: value.replace(/\\/g, '') });
  }

  private identifier(cur: Node[]): void {
    const start = this.pos;
    while (!isTerminator(this.next()));
    this.backup();
    const value = this.input.slice(start, this.pos);
    cur.push(
      value === 'true' || value === 'false'
        ? { t: 'literal', value: value === 'true' }
        : { t: 'ident', name: value },
    );
  }

  private number(cur: Node[]): void {
    const start = this.pos;
    if (this.peek() === '+' || this.peek() === '-') this.next();
    for (let r = this.next(); r === '.' || isDigit(r); r = this.next());
    this.backup();
    const value = this.input.slice(start, this.pos);
    if (/^[+-]?\d+$/.test(value) && Math.abs(Number(value)) < 2 ** 63)
      cur.push({ t: 'literal', value: Number(value) });
    else if (/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(value))
      cur.push({ t: 'literal', value: new GoFloat(Number(value)) });
    else throw new ParseError(`cannot parse number ${value}`);
  }

  /** `[…]`: an index or slice, a quoted key, or a union of them. */
  private array(cur: Node[]): void {
    const start = this.pos;
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new ParseError('unterminated array');
      if (r === ']') break;
    }
    let text = this.input.slice(start, this.pos - 1);
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) {
      cur.push({ t: 'union', lists: parts.map((p) => subAction(`[${p.replace(/^ +| +$/g, '')}]`)) });
      return;
    }
    const key = /^'([^']*)'$/.exec(text);
    if (key) {
      cur.push(...subAction(`.${key[1]}`));
      return;
    }
    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!m) throw new ParseError(`invalid array index ${text}`);
    const int = (s: string) => {
      if (!/^[+-]?\d+$/.test(s)) throw new ParseError(`array index ${s} is not a number`);
      return Number(s);
    };
    const first: Param = m[1] ? { known: true, value: int(m[1]) } : { known: false, value: 0 };
    const second: Param = m[2]
      ? m[2].length > 1
        ? { known: true, value: int(m[2].slice(1)) }
        : { known: false, value: 0 }
      : { known: true, value: first.value + 1, derived: true };
    const step: Param =
      m[3] && m[3].length > 1 ? { known: true, value: int(m[3].slice(1)) } : { known: false, value: 0 };
    cur.push({ t: 'array', params: [first, second, step] });
  }

  /** `[?(left op right)]`, or `[?(path)]` for existence. */
  private filter(cur: Node[]): void {
    this.pos += 3;
    const start = this.pos;
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new ParseError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')' && begin === end) break;
    }
    if (this.next() !== ']') throw new ParseError('unclosed array expect ]');
    const text = this.input.slice(start, this.pos - 2);
    const m = /^([^!<>=]+)([!<>=]+)([^\n]+?)$/.exec(text);
    if (!m) cur.push({ t: 'filter', left: subAction(text), right: [], op: 'exists' });
    else cur.push({ t: 'filter', left: subAction(m[1]!), right: subAction(m[3]!), op: m[2]! });
  }

  private quote(cur: Node[], q: string): void {
    const start = this.pos - 1;
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new ParseError('unterminated quoted string');
      if (r === q && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.input.slice(start, this.pos);
    const text = unquote(value);
    if (text === undefined) throw new ParseError(`unquote string ${value} error invalid syntax`);
    cur.push({ t: 'text', text });
  }
}

/** The nodes of `{text}`, as the parser reads the parts of unions, keys and filters. */
function subAction(text: string): Node[] {
  const first = new Parser(`{${text}}`).template()[0]!;
  return first.t === 'list' ? first.nodes : [];
}

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Go's strconv.Unquote, also for single-quoted strings of any length; undefined for invalid syntax. */
function unquote(s: string): string | undefined {
  const q = s[0]!;
  if (s.length < 2 || s[s.length - 1] !== q) return undefined;
  const body = s.slice(1, -1);
  if (!body.includes('\\') && !body.includes(q)) return body;
  let out = '';
  for (let i = 0; i < body.length;) {
    const c = body[i]!;
    if (c === q) return undefined;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1] ?? '';
    i += 2;
    if (e in ESCAPES) out += ESCAPES[e];
    else if (e === "'" || e === '"') {
      if (e !== q) return undefined;
      out += e;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i, i + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return undefined;
      const v = parseInt(hex, 16);
      if (v > 0x10ffff || (e !== 'x' && v >= 0xd800 && v < 0xe000)) return undefined;
      out += String.fromCodePoint(v);
      i += n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return undefined;
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else return undefined;
  }
  return out;
}

/** Parses a template, or gives the parser's message. */
export function parseJsonPath(text: string): JsonPath | { error: string } {
  try {
    return { items: new Parser(text).template() };
  } catch (e) {
    if (e instanceof ParseError) return { error: e.message };
    throw e;
  }
}

/** Go's zero reflect.Value: what a range over nothing runs its body on (to find errors only). */
const INVALID = Symbol('invalid');

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoFloat);

const hasIdent = (nodes: Node[], name: string) => nodes.some((n) => n.t === 'ident' && n.name === name);

/** The values inside a map (in key order), list or string (its bytes), as `*` and `..` visit them. */
function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isMap(v))
    return Object.keys(v)
      .sort()
      .map((k) => v[k]);
  if (typeof v === 'string') return [...Buffer.from(v, 'utf8')];
  return [];
}

// Go's text/template comparison (the fork jsonpath filters use): the same basic kind on both sides.
type Basic = 'bool' | 'int' | 'float' | 'string';
function basicKind(v: unknown): Basic {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoFloat) return 'float';
  if (typeof v === 'number') return isGoInt(v) ? 'int' : 'float';
  throw new ExecError('invalid type for comparison');
}
const num = (v: unknown) => (v instanceof GoFloat ? v.value : v) as number | string | boolean;
function sameKind(a: unknown, b: unknown): Basic {
  const k = basicKind(a);
  if (basicKind(b) !== k) throw new ExecError('incompatible types for comparison');
  return k;
}
function equal(a: unknown, b: unknown): boolean {
  sameKind(a, b);
  return num(a) === num(b);
}
function less(a: unknown, b: unknown): boolean {
  if (sameKind(a, b) === 'bool') throw new ExecError('invalid type for comparison');
  return num(a) < num(b);
}
const COMPARE: Record<string, (a: unknown, b: unknown) => boolean> = {
  '==': equal,
  '!=': (a, b) => !equal(a, b),
  '<': less,
  '>': (a, b) => !(less(a, b) || equal(a, b)),
  '<=': (a, b) => less(a, b) || equal(a, b),
  '>=': (a, b) => !less(a, b),
};

class Evaluator {
  constructor(private readonly allowMissingKeys: boolean) {}

  /** Runs items[from…] on data into out; returns the index after the `{end}` closing this range. */
  run(
    items: readonly Node[],
    from: number,
    data: unknown,
    out: unknown[][] | undefined,
    inRange: boolean,
  ): number {
    for (let i = from; i < items.length; i++) {
      const item = items[i]!;
      if (item.t !== 'list') {
        out?.push(this.walk([data], item));
        continue;
      }
      if (hasIdent(item.nodes, 'end')) {
        if (inRange) return i + 1;
        throw new ExecError('not in range, nothing to end');
      }
      const results = this.list([data], item.nodes);
      if (!hasIdent(item.nodes, 'range')) {
        out?.push(results);
        continue;
      }
      // the body runs once per result; over nothing it still runs (its output dropped), as kubectl's does
      let next = items.length;
      if (results.length === 0) next = this.run(items, i + 1, INVALID, undefined, true);
      for (const r of results) next = this.run(items, i + 1, r, out, true);
      i = next - 1;
    }
    return items.length;
  }

  list(input: unknown[], nodes: Node[]): unknown[] {
    let cur = input;
    for (const n of nodes) cur = this.walk(cur, n);
    return cur;
  }

  private walk(input: unknown[], node: Node): unknown[] {
    switch (node.t) {
      case 'list':
        return this.list(input, node.nodes);
      case 'text':
        return [node.text];
      case 'literal':
        return input.map(() => node.value);
      case 'field':
        return this.field(input, node.name);
      case 'array':
        return this.array(input, node.params);
      case 'filter':
        return this.filter(input, node);
      case 'wildcard':
        return input.filter((v) => v !== null).flatMap(children);
      case 'recursive':
        return this.recursive(input);
      case 'union':
        return node.lists.flatMap((l) => this.listOr(input, l));
      case 'ident':
        if (node.name === 'range') return input;
        if (node.name === 'end') throw new ExecError('not in range, nothing to end', input);
        throw new ExecError(`unrecognized identifier ${node.name}`, input);
    }
  }

  /** A union's part: Go returns the union's input with an error in any part. */
  private listOr(input: unknown[], nodes: Node[]): unknown[] {
    try {
      return this.list(input, nodes);
    } catch (e) {
      if (e instanceof ExecError) throw new ExecError(e.message, input);
      throw e;
    }
  }

  private field(input: unknown[], name: string): unknown[] {
    if (input.length === 0) return [];
    const out: unknown[] = [];
    for (const v of input) if (isMap(v) && Object.hasOwn(v, name)) out.push(v[name]);
    if (out.length === 0 && !this.allowMissingKeys) throw new ExecError(`${name} is not found`);
    return out;
  }

  private array(input: unknown[], [first, second, step]: [Param, Param, Param]): unknown[] {
    const out: unknown[] = [];
    for (const v of input) {
      if (v === null || v === INVALID) continue;
      if (!Array.isArray(v)) throw new ExecError(`${goType(v)} is not array or slice`, input);
      const len = v.length;
      let start = first.known ? first.value : 0;
      if (start < 0) start += len;
      let end = second.known ? second.value : len;
      if (end < 0 || (end === 0 && second.derived)) end += len;
      // an empty selection ends the whole walk here, as kubectl's does
      if (end === start) return out;
      if (start >= len || start < 0)
        throw new ExecError(`array index out of bounds: index ${start}, length ${len}`, input);
      if (end > len || end < 0)
        throw new ExecError(`array index out of bounds: index ${end - 1}, length ${len}`, input);
      if (start > end)
        throw new ExecError(`starting index ${start} is greater than ending index ${end}`, input);
      if (step.known && step.value <= 0) throw new ExecError('step must be > 0', input);
      for (let i = start; i < end; i += step.known ? step.value : 1) out.push(v[i]);
    }
    return out;
  }

  private filter(input: unknown[], f: Extract<Node, { t: 'filter' }>): unknown[] {
    const out: unknown[] = [];
    for (const v of input) {
      if (!Array.isArray(v))
        throw new ExecError(
          `${v === INVALID ? '<invalid reflect.Value>' : goSprint(v)} is not array or slice and cannot be filtered`,
          input,
        );
      for (const el of v) {
        let lefts: unknown[];
        try {
          lefts = this.list([el], f.left);
        } catch (e) {
          if (!(e instanceof ExecError)) throw e;
          if (f.op !== 'exists') throw new ExecError(e.message, input);
          lefts = e.partial;
        }
        if (f.op === 'exists') {
          if (lefts.length > 0) out.push(el);
          continue;
        }
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new ExecError('can only compare one element at a time', input);
        const rights = this.list([el], f.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new ExecError('can only compare one element at a time', input);
        const compare = COMPARE[f.op];
        if (!compare) throw new ExecError(`unrecognized filter operator ${f.op}`, out);
        try {
          if (compare(lefts[0], rights[0])) out.push(el);
        } catch (e) {
          if (e instanceof ExecError) throw new ExecError(e.message, out);
          throw e;
        }
      }
    }
    return out;
  }

  private recursive(input: unknown[]): unknown[] {
    const out: unknown[] = [];
    for (const v of input) {
      if (v === null) continue;
      const kids = children(v);
      if (kids.length === 0) continue;
      out.push(v, ...this.recursive(kids));
    }
    return out;
  }
}

/**
 * What a template finds in data: one list of values per text or action executed (kubectl's
 * FindResults), or the message of the first error.
 */
export function findResults(
  tpl: JsonPath,
  data: unknown,
  allowMissingKeys: boolean,
): unknown[][] | { error: string } {
  const out: unknown[][] = [];
  try {
    new Evaluator(allowMissingKeys).run(tpl.items, 0, data, out, false);
  } catch (e) {
    if (e instanceof ExecError) return { error: e.message };
    throw e;
  }
  return out;
}

/** One value as jsonpath prints it: maps and lists as compact JSON, the rest as Go's fmt does. */
function text(v: unknown): string {
  if (v === INVALID) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (Array.isArray(v) || isMap(v)) return goJson(v);
  return goSprint(v);
}

/** Prints results as kubectl does: a list's values space-separated; with asJson, each list as a JSON array. */
export function printResults(results: unknown[][], asJson: boolean): string {
  return results.map((r) => (asJson ? `${goJson(r, '    ')}\n` : r.map(text).join(' '))).join('');
}

/** kubectl's JSONPath printer on one object (or List): its output, or its error (with the object dumped). */
export function executeJsonPath(
  tpl: JsonPath,
  raw: string,
  data: unknown,
  o: { allowMissingKeys: boolean; asJson: boolean },
): { out: string } | { error: string } {
  const r = findResults(tpl, data, o.allowMissingKeys);
  if (!('error' in r)) return { out: printResults(r, o.asJson) };
  return {
    error:
      `error: error executing jsonpath ${goQuote(raw)}: Error executing template: ${r.error}. ` +
      'Printing more information for debugging the template:\n' +
      `\ttemplate was:\n\t\t${raw}\n\tobject given to jsonpath engine was:\n\t\t${goSyntax(data)}\n\n\n`,
  };
}
