// Flags as the generator and workload subcommands declare them to cobra/pflag: typed values (bool, int32,
// duration, string arrays and comma-separated slices), `--` and where it fell, flags left unset, and
// pflag's and cobra's error texts for each mistake.
import type { CommandContext } from '../../session';
import { FlagError } from './flags';

export type FlagKind = 'string' | 'bool' | 'int' | 'int32' | 'duration' | 'array' | 'slice';

export interface Flag {
  long: string;
  short?: string;
  kind: FlagKind;
  /** the value of a bare `--flag` for a non-bool flag (pflag's NoOptDefVal), e.g. --dry-run */
  bare?: string;
  /** cobra's MarkFlagRequired */
  required?: boolean;
}

export type FlagValue = string | boolean | number | string[];

export interface FlagSet {
  values: Map<string, FlagValue>;
  /** the positional arguments */
  args: string[];
  /** how many positional arguments came before `--` (cobra's ArgsLenAtDash), -1 without one */
  dashAt: number;
  str(name: string): string | undefined;
  bool(name: string): boolean;
  num(name: string): number | undefined;
  list(name: string): string[];
  changed(name: string): boolean;
}

/** kubectl's global flags every subcommand accepts. */
export const GLOBAL: Flag[] = [{ long: 'namespace', short: 'n', kind: 'string' }];

const BOOLS: Record<string, boolean> = {
  '1': true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

/** Go's strconv.ParseInt(s, 0, bits) as pflag's int flags call it; the error text when it fails. */
function parseInt(s: string, bits: 32 | 64): number | string {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]*|[1-9][0-9_]*|0)$/.exec(s);
  if (!m) return `strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`;
  const body = m[2]!.replace(/_/g, '');
  const n = /^0[0-7]+$/.test(body) ? Number.parseInt(body, 8) : Number(body.replace(/^0[oO]/, '0o'));
  const v = m[1] === '-' ? -n : n;
  const limit = bits === 32 ? 2 ** 31 : 2 ** 63;
  if (v >= limit || v < -limit) return `strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`;
  return v;
}

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration, in milliseconds; the error text when it fails. */
export function parseGoDuration(s: string): number | string {
  const t = s.replace(/^[+-]/, '');
  if (t === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    at = re.lastIndex;
  }
  if (at === t.length && t.length > 0) return s.startsWith('-') ? -total : total;
  if (/^(\d+(\.\d*)?|\.\d+)$/.test(t)) return `time: missing unit in duration ${JSON.stringify(s)}`;
  return `time: invalid duration ${JSON.stringify(s)}`;
}

/** Parses argv as pflag does with interspersed arguments; throws FlagError with pflag's message. */
export function parse(argv: string[], specs: Flag[]): FlagSet {
  const all = [...specs, ...GLOBAL.filter((g) => !specs.some((s) => s.long === g.long))];
  const byLong = new Map(all.map((s) => [s.long, s]));
  const byShort = new Map(all.filter((s) => s.short).map((s) => [s.short!, s]));
  const values = new Map<string, FlagValue>();
  const args: string[] = [];
  let dashAt = -1;
  const label = (f: Flag) => (f.short ? `-${f.short}, --${f.long}` : `--${f.long}`);
  const set = (f: Flag, raw: string) => {
    const bad = (why: string) =>
      new FlagError(`invalid argument ${JSON.stringify(raw)} for "${label(f)}" flag: ${why}`);
    switch (f.kind) {
      case 'bool': {
        const b = BOOLS[raw];
        if (b === undefined) throw bad(`strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
        values.set(f.long, b);
        return;
      }
      case 'int':
      case 'int32': {
        const n = parseInt(raw, f.kind === 'int32' ? 32 : 64);
        if (typeof n === 'string') throw bad(n);
        values.set(f.long, n);
        return;
      }
      case 'duration': {
        const d = parseGoDuration(raw);
        if (typeof d === 'string') throw bad(d);
        values.set(f.long, d);
        return;
      }
      case 'array':
      case 'slice': {
        const prev = (values.get(f.long) as string[] | undefined) ?? [];
        const items = f.kind === 'slice' ? (raw === '' ? [] : raw.split(',')) : [raw];
        values.set(f.long, [...prev, ...items]);
        return;
      }
      default:
        values.set(f.long, raw);
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      dashAt = args.length;
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const f = byLong.get(name);
      if (!f) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) set(f, a.slice(eq + 1));
      else if (f.kind === 'bool') set(f, 'true');
      else if (f.bare !== undefined) set(f, f.bare);
      else if (i + 1 < argv.length) set(f, argv[++i]!);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const f = byShort.get(c);
        if (!f) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        const rest = a.slice(j + 1);
        if (f.kind === 'bool') {
          if (rest.startsWith('=')) {
            set(f, rest.slice(1));
            break;
          }
          set(f, 'true');
          continue;
        }
        if (rest) set(f, rest.replace(/^=/, ''));
        else if (f.bare !== undefined) set(f, f.bare);
        else if (i + 1 < argv.length) set(f, argv[++i]!);
        else throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
        break;
      }
      continue;
    }
    args.push(a);
  }
  const missing = specs.filter((s) => s.required && !values.has(s.long)).map((s) => `"${s.long}"`);
  if (missing.length) throw new RequiredFlagError(`required flag(s) ${missing.join(', ')} not set`);
  return {
    values,
    args,
    dashAt,
    str: (n) => values.get(n) as string | undefined,
    bool: (n) => values.get(n) === true,
    num: (n) => values.get(n) as number | undefined,
    list: (n) => (values.get(n) as string[] | undefined) ?? [],
    changed: (n) => values.has(n),
  };
}

/** cobra's required-flag check fails after parsing: kubectl's main logs it with klog. */
export class RequiredFlagError extends Error {}

/** A klog line as kubectl writes it to stderr: `E0105 09:20:00.000000       1 run.go:72] …`. */
export function klog(level: 'E' | 'W' | 'I', now: Date, where: string, text: string): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())} ${p(now.getUTCHours())}:${p(now.getUTCMinutes())}:${p(now.getUTCSeconds())}.${p(now.getUTCMilliseconds() * 1000, 6)}`;
  return `${level}${stamp} ${String(1).padStart(7)} ${where}] ${text}\n`;
}

/**
 * Runs a subcommand body, printing kubectl's texts for flag mistakes (`path` is `create deployment`…).
 * The body's own errors are its to print.
 */
export function withFlags(
  ctx: CommandContext,
  path: string,
  now: Date,
  body: () => number | Promise<number>,
): number | Promise<number> {
  const handle = (e: unknown): number => {
    if (e instanceof FlagError) {
      ctx.err(`Error: ${e.message}\nSee 'kubectl ${path} --help' for usage.\n`);
      return 1;
    }
    if (e instanceof RequiredFlagError) {
      ctx.err(klog('E', now, 'run.go:72', `"command failed" err=${JSON.stringify(e.message)}`));
      return 1;
    }
    throw e;
  };
  try {
    const r = body();
    return typeof r === 'number' ? r : r.catch(handle);
  } catch (e) {
    return handle(e);
  }
}

/** cmdutil.UsageErrorf: the message and where the help is. */
export const usageError = (path: string, msg: string) =>
  `error: ${msg}\nSee 'kubectl ${path} -h' for help and examples\n`;
