// Command-line flags the way govc parses them (Go's `flag` package): flags come before the arguments
// and parsing stops at the first argument that is not a flag or at `--`; `-x` and `--x` are the same;
// a value follows as `-x=v` or `-x v` (booleans only as `-x=v`). Errors carry Go's own wording.

export type FlagKind = 'bool' | 'string' | 'int' | 'int32' | 'optbool' | 'multi';

export interface FlagDef {
  name: string;
  kind: FlagKind;
  usage: string;
  /** default value: for bool 'true'/'false', for numbers their text */
  def?: string;
}

/** `-h`, or a command finding its arguments wrong: govc prints the command's usage. */
export class HelpRequest extends Error {
  constructor() {
    super('flag: help requested');
  }
}

/** A flag the user got wrong: govc prints it as `govc: MESSAGE`. */
export class FlagError extends Error {}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool */
export function parseGoBool(s: string): boolean | undefined {
  return TRUE.has(s) ? true : FALSE.has(s) ? false : undefined;
}

/** strconv.ParseInt(s, 0, bits): decimal, 0x hex, 0o / leading-0 octal, 0b binary, underscores allowed. */
export function parseGoInt(s: string, bits: 32 | 64): { value?: number; error?: 'syntax' | 'range' } {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]*|[1-9][0-9_]*)$/.exec(s);
  if (!m || /__|_$|^[+-]?_/.test(s)) return { error: 'syntax' };
  const body = m[2]!.replace(/_/g, '');
  let n: bigint;
  if (/^0[xX]/.test(body)) n = BigInt(body);
  else if (/^0[bB]/.test(body)) n = BigInt(body);
  else if (/^0[oO]/.test(body)) n = BigInt(`0o${body.slice(2)}`);
  else if (body.length > 1 && body.startsWith('0')) n = BigInt(`0o${body.slice(1)}`);
  else n = BigInt(body);
  if (m[1] === '-') n = -n;
  const max = bits === 32 ? 2n ** 31n - 1n : 2n ** 63n - 1n;
  if (n > max || n < -max - 1n) return { error: 'range' };
  return { value: Number(n) };
}

export class FlagSet {
  private readonly defs = new Map<string, FlagDef>();
  private readonly values = new Map<string, string | boolean | number | string[] | undefined>();
  private readonly explicit = new Set<string>();
  args: string[] = [];

  add(def: FlagDef): this {
    if (this.defs.has(def.name)) return this;
    this.defs.set(def.name, def);
    const d = def.def;
    switch (def.kind) {
      case 'bool':
        this.values.set(def.name, d === 'true');
        break;
      case 'int':
      case 'int32':
        this.values.set(def.name, Number(d ?? 0));
        break;
      case 'optbool':
        this.values.set(def.name, undefined);
        break;
      case 'multi':
        this.values.set(def.name, []);
        break;
      default:
        this.values.set(def.name, d ?? '');
    }
    return this;
  }

  bool(name: string, usage: string, def = false): this {
    return this.add({ name, kind: 'bool', usage, def: String(def) });
  }

  string(name: string, usage: string, def = ''): this {
    return this.add({ name, kind: 'string', usage, def });
  }

  int(name: string, usage: string, def = 0, kind: 'int' | 'int32' = 'int'): this {
    return this.add({ name, kind, usage, def: String(def) });
  }

  /** Every flag, sorted by name, with the default text Go's usage prints. */
  all(): { name: string; def: string; usage: string }[] {
    return [...this.defs.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((d) => ({
        name: d.name,
        usage: d.usage,
        def:
          d.kind === 'optbool'
            ? '<nil>'
            : d.kind === 'multi'
              ? '[]'
              : d.kind === 'bool'
                ? String(d.def === 'true')
                : d.kind === 'int' || d.kind === 'int32'
                  ? String(d.def ?? 0)
                  : (d.def ?? ''),
      }));
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  isSet(name: string): boolean {
    return this.explicit.has(name);
  }

  str(name: string): string {
    return String(this.values.get(name) ?? '');
  }

  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  num(name: string): number {
    return Number(this.values.get(name) ?? 0);
  }

  optBool(name: string): boolean | undefined {
    const v = this.values.get(name);
    return typeof v === 'boolean' ? v : undefined;
  }

  multi(name: string): string[] {
    return [...((this.values.get(name) as string[] | undefined) ?? [])];
  }

  /** Sets a flag by name as `-name value` would (used by find for flags after ROOT). */
  set(name: string, value: string): void {
    const def = this.defs.get(name);
    if (!def) throw new FlagError(`flag provided but not defined: -${name}`);
    const err = this.assign(def, value);
    if (err) throw new FlagError(`invalid value "${value}" for flag -${name}: ${err}`);
  }

  /** Parses argv (without the command name); leaves the rest in `args`. */
  parse(argv: string[]): void {
    const rest = [...argv];
    for (;;) {
      const s = rest[0];
      if (s === undefined || s.length < 2 || s[0] !== '-') break;
      let minuses = 1;
      if (s[1] === '-') {
        minuses = 2;
        if (s.length === 2) {
          rest.shift();
          break;
        }
      }
      let name = s.slice(minuses);
      if (!name.length || name[0] === '-' || name[0] === '=') throw new FlagError(`bad flag syntax: ${s}`);
      rest.shift();
      let value: string | undefined;
      const eq = name.indexOf('=', 1);
      if (eq > 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      const def = this.defs.get(name);
      if (!def) {
        if (name === 'h' || name === 'help') throw new HelpRequest();
        throw new FlagError(`flag provided but not defined: -${name}`);
      }
      if (def.kind === 'bool' || def.kind === 'optbool') {
        const v = parseGoBool(value ?? 'true');
        if (v === undefined) {
          const why =
            def.kind === 'bool' ? 'parse error' : `strconv.ParseBool: parsing "${value}": invalid syntax`;
          throw new FlagError(`invalid boolean value "${value}" for -${name}: ${why}`);
        }
        this.values.set(name, v);
      } else {
        if (value === undefined) {
          if (!rest.length) throw new FlagError(`flag needs an argument: -${name}`);
          value = rest.shift()!;
        }
        const err = this.assign(def, value);
        if (err) throw new FlagError(`invalid value "${value}" for flag -${name}: ${err}`);
      }
      this.explicit.add(name);
    }
    this.args = rest;
  }

  private assign(def: FlagDef, value: string): string | undefined {
    switch (def.kind) {
      case 'int':
      case 'int32': {
        const r = parseGoInt(value, def.kind === 'int' ? 64 : 32);
        if (r.error) {
          // the standard int flag reports "parse error"; govc's int32 flag passes strconv's error on
          if (def.kind === 'int') return r.error === 'range' ? 'value out of range' : 'parse error';
          return `strconv.ParseInt: parsing "${value}": ${r.error === 'range' ? 'value out of range' : 'invalid syntax'}`;
        }
        this.values.set(def.name, r.value);
        return undefined;
      }
      case 'multi':
        this.values.set(def.name, [...this.multi(def.name), value]);
        return undefined;
      case 'bool':
      case 'optbool': {
        const v = parseGoBool(value);
        if (v === undefined) return 'parse error';
        this.values.set(def.name, v);
        return undefined;
      }
      default:
        this.values.set(def.name, value);
        return undefined;
    }
  }
}
