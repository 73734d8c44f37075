// Text filters for pipes, as GNU coreutils and grep behave: grep (-ivEFcnwxqolhH -e), head, tail, wc,
// sort, uniq, cut. They read stdin (or workspace files) and write stdout.
import { resolvePath } from '../../store/files';
import type { CommandContext, CommandFn } from '../session';

const lines = (text: string): string[] => {
  if (text === '') return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
};
const joinLines = (l: string[]) => (l.length ? `${l.join('\n')}\n` : '');

/** Input from files named after the options, or stdin. */
function input(ctx: CommandContext, files: string[], name: string): string | undefined {
  if (files.length === 0) return ctx.stdin;
  let text = '';
  for (const f of files) {
    try {
      text += ctx.session.workspace.read(resolvePath(ctx.session.cwd, f));
    } catch {
      ctx.err(`${name}: ${f}: No such file or directory\n`);
      return undefined;
    }
  }
  return text;
}

/** `-n 5`, `-n5`, `-5` → 5 */
function count(args: string[], def: number): { n: number; rest: string[] } | string {
  const rest: string[] = [];
  let n = def;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-n') n = Number(args[++i]);
    else if (/^-n\d+$/.test(a)) n = Number(a.slice(2));
    else if (/^-\d+$/.test(a)) n = Number(a.slice(1));
    else rest.push(a);
    if (!Number.isInteger(n) || n < 0) return a;
  }
  return { n, rest };
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
};

/**
 * A grep pattern (basic, or extended with -E) as a JavaScript regular expression source. In a basic
 * pattern `\( \) \{ \} \| \+ \?` are the operators and the bare characters literal; bracket
 * expressions take POSIX classes and a literal backslash; `\<` and `\>` are word edges.
 */
class PatternError extends Error {}

export function grepToRegExp(pattern: string, extended: boolean, warnings: string[] = []): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '[') {
      let j = i + 1;
      let body = '';
      if (pattern[j] === '^') body += pattern[j++];
      if (pattern[j] === ']') body += `\\${pattern[j++]}`;
      for (; j < pattern.length && pattern[j] !== ']'; j++) {
        const cls = /^\[:([a-z]+):\]/.exec(pattern.slice(j));
        if (cls) {
          if (!(cls[1]! in POSIX_CLASSES)) throw new PatternError('Invalid character class name');
          body += POSIX_CLASSES[cls[1]!];
          j += cls[0].length - 1;
        } else body += pattern[j] === '\\' || pattern[j] === '[' ? `\\${pattern[j]}` : pattern[j];
      }
      if (j >= pattern.length)
        throw new PatternError(
          i === pattern.length - 1 ? 'Invalid regular expression' : 'Unmatched [, [^, [:, [., or [=',
        );
      out += `[${body}]`;
      i = j;
    } else if (c === '\\') {
      const n = pattern[++i];
      if (n === undefined) throw new PatternError('Trailing backslash');
      if (n === '<' || n === '>') out += '\\b';
      else if (!extended && '(){}|+?'.includes(n)) {
        if (n === '{' && !pattern.includes('\\}', i)) throw new PatternError('Unmatched \\{');
        out += n;
      } else out += /[A-Za-z0-9]/.test(n) && !'wWsSb'.includes(n) ? n : `\\${n}`;
    } else if (!extended && '(){}|+?'.includes(c)) out += `\\${c}`;
    else if (c === '*' && (out === '' || out === '^')) {
      // a leading star is literal in a basic pattern; an extended one ignores it, with a warning
      if (extended) warnings.push('* at start of expression');
      else out += '\\*';
    } else if (extended && c === '(') {
      depth++;
      out += c;
    } else if (extended && c === ')') out += depth-- > 0 ? c : '\\)';
    else out += c;
  }
  return out;
}

const grep: CommandFn = (ctx) => {
  const opts = new Set<string>();
  const patterns: string[] = [];
  const rest: string[] = [];
  const usage = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n";
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (!/^-./.test(a)) {
      rest.push(a);
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      if (c === 'e') {
        const p = a.length > k + 1 ? a.slice(k + 1) : args[++i];
        if (p === undefined) {
          ctx.err(`grep: option requires an argument -- 'e'\n${usage}`);
          return 2;
        }
        patterns.push(p);
        break;
      }
      if (!'ivEFcnwxqolhH'.includes(c)) {
        ctx.err(`grep: invalid option -- '${c}'\n${usage}`);
        return 2;
      }
      opts.add(c);
    }
  }
  if (!patterns.length) {
    if (!rest.length) {
      ctx.err(usage);
      return 2;
    }
    patterns.push(rest.shift()!);
  }
  let re: RegExp;
  const warnings: string[] = [];
  try {
    const sources = patterns
      .flatMap((p) => p.split('\n'))
      .map((p) =>
        opts.has('F') ? p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : grepToRegExp(p, opts.has('E'), warnings),
      )
      .map((p) => (opts.has('x') ? `^(?:${p})$` : opts.has('w') ? `\\b(?:${p})\\b` : p));
    re = new RegExp(sources.map((p) => `(?:${p})`).join('|'), `${opts.has('i') ? 'i' : ''}g`);
  } catch (e) {
    // the translator's own messages are grep's; the engine's are put in grep's words
    const why = (e as Error).message;
    const said =
      e instanceof PatternError
        ? why
        : /Unterminated group/.test(why)
          ? 'Unmatched ( or \\('
          : /Unmatched '\)'/.test(why)
            ? 'Unmatched ) or \\)'
            : /Nothing to repeat|quantifier/.test(why)
              ? 'Invalid preceding regular expression'
              : 'Invalid regular expression';
    ctx.err(`grep: ${said}\n`);
    return 2;
  }
  for (const w of warnings) ctx.err(`grep: warning: ${w}\n`);
  let status = 1;
  let failed = false;
  // each input in turn, a missing one said where it comes, as grep does
  const inputs = rest.length ? rest : [undefined];
  const read = (f: string | undefined): { name: string; text: string } | undefined => {
    if (f === undefined) return { name: '(standard input)', text: ctx.stdin };
    const path = resolvePath(ctx.session.cwd, f);
    const st = ctx.session.workspace.stat(path);
    if (st && !st.dir) return { name: f, text: ctx.session.workspace.read(path) };
    ctx.err(`grep: ${f}: ${st ? 'Is a directory' : 'No such file or directory'}\n`);
    failed = true;
    return undefined;
  };
  const named = opts.has('H') || (rest.length > 1 && !opts.has('h'));
  for (const f of inputs) {
    const got = read(f);
    if (!got) continue;
    const { name, text } = got;
    const prefix = named ? `${name}:` : '';
    let n = 0;
    const found: string[] = [];
    lines(text).forEach((l, i) => {
      re.lastIndex = 0;
      if (re.test(l) === opts.has('v')) return;
      n++;
      const at = opts.has('n') ? `${i + 1}:` : '';
      if (opts.has('o') && !opts.has('v')) {
        re.lastIndex = 0;
        for (const m of l.matchAll(re)) if (m[0]) found.push(`${prefix}${at}${m[0]}`);
      } else found.push(`${prefix}${at}${l}`);
    });
    if (n) status = 0;
    if (opts.has('q')) {
      if (n) return 0;
    } else if (opts.has('l')) {
      if (n) ctx.out(`${name}\n`);
    } else if (opts.has('c')) ctx.out(`${prefix}${n}\n`);
    else ctx.out(joinLines(found));
  }
  return failed && !(opts.has('q') && status === 0) ? 2 : status;
};

function headTail(name: 'head' | 'tail'): CommandFn {
  return (ctx) => {
    const c = count(ctx.argv.slice(1), 10);
    if (typeof c === 'string') {
      ctx.err(`${name}: invalid number of lines: '${c}'\n`);
      return 1;
    }
    const text = input(ctx, c.rest, name);
    if (text === undefined) return 1;
    const l = lines(text);
    ctx.out(joinLines(name === 'head' ? l.slice(0, c.n) : l.slice(Math.max(0, l.length - c.n))));
    return 0;
  };
}

const wc: CommandFn = (ctx) => {
  const args = ctx.argv.slice(1);
  const picked = new Set<string>();
  const files: string[] = [];
  for (const a of args) {
    if (/^-[lwc]+$/.test(a)) for (const c of a.slice(1)) picked.add(c);
    else if (/^-./.test(a)) {
      ctx.err(
        `wc: invalid option -- '${a.replace(/^-[lwc]*/, '')[0]}'\nTry 'wc --help' for more information.\n`,
      );
      return 1;
    } else files.push(a);
  }
  const which = (picked.size ? ['l', 'w', 'c'].filter((c) => picked.has(c)) : ['l', 'w', 'c']) as (
    'l' | 'w' | 'c'
  )[];
  const countOf = (text: string) => ({
    l: (text.match(/\n/g) ?? []).length,
    w: text.split(/\s+/).filter(Boolean).length,
    c: Buffer.byteLength(text),
  });
  // as GNU wc: counts from stdin are 7 wide (unless only one); from files, as wide as the largest
  const rows: { counts: Record<'l' | 'w' | 'c', number>; name?: string }[] = [];
  let status = 0;
  if (!files.length) rows.push({ counts: countOf(ctx.stdin) });
  for (const f of files) {
    const path = resolvePath(ctx.session.cwd, f);
    const st = ctx.session.workspace.stat(path);
    if (!st) {
      ctx.err(`wc: ${f}: No such file or directory\n`);
      status = 1;
    } else if (st.dir) {
      ctx.err(`wc: ${f}: Is a directory\n`);
      rows.push({ counts: { l: 0, w: 0, c: 0 }, name: f });
      status = 1;
    } else rows.push({ counts: countOf(ctx.session.workspace.read(path)), name: f });
  }
  if (files.length > 1)
    rows.push({
      counts: {
        l: rows.reduce((n, r) => n + r.counts.l, 0),
        w: rows.reduce((n, r) => n + r.counts.w, 0),
        c: rows.reduce((n, r) => n + r.counts.c, 0),
      },
      name: 'total',
    });
  // (several counts from files are as wide as the bytes of them all, as GNU wc sizes them up front)
  const digits = (k: 'l' | 'w' | 'c') => Math.max(...rows.map((r) => String(r.counts[k]).length));
  const width = !files.length
    ? which.length === 1
      ? 1
      : 7
    : which.length === 1
      ? rows.length === 1
        ? 1
        : digits(which[0]!)
      : Math.max(digits('c'), ...which.map(digits));
  for (const r of rows)
    ctx.out(
      `${which.map((k) => String(r.counts[k]).padStart(width)).join(' ')}${r.name ? ` ${r.name}` : ''}\n`,
    );
  return status;
};

const sort: CommandFn = (ctx) => {
  const opts = new Set(
    ctx.argv
      .slice(1)
      .filter((a) => /^-[rnu]+$/.test(a))
      .flatMap((a) => [...a.slice(1)]),
  );
  const text = input(
    ctx,
    ctx.argv.slice(1).filter((a) => !/^-[rnu]+$/.test(a)),
    'sort',
  );
  if (text === undefined) return 2;
  let l = lines(text).sort(
    opts.has('n')
      ? (a, b) => parseFloat(a) - parseFloat(b) || (a < b ? -1 : a > b ? 1 : 0)
      : (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  );
  if (opts.has('r')) l.reverse();
  if (opts.has('u')) l = l.filter((x, i) => i === 0 || x !== l[i - 1]);
  ctx.out(joinLines(l));
  return 0;
};

const uniq: CommandFn = (ctx) => {
  const counts = ctx.argv.includes('-c');
  const text = input(
    ctx,
    ctx.argv.slice(1).filter((a) => a !== '-c'),
    'uniq',
  );
  if (text === undefined) return 1;
  const out: { l: string; n: number }[] = [];
  for (const l of lines(text)) {
    const last = out[out.length - 1];
    if (last && last.l === l) last.n++;
    else out.push({ l, n: 1 });
  }
  ctx.out(joinLines(out.map(({ l, n }) => (counts ? `${String(n).padStart(7)} ${l}` : l))));
  return 0;
};

const cut: CommandFn = (ctx) => {
  let delim = '\t';
  let fields: string | undefined;
  const files: string[] = [];
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-d') delim = args[++i] ?? '';
    else if (a.startsWith('-d')) delim = a.slice(2);
    else if (a === '-f') fields = args[++i];
    else if (a.startsWith('-f')) fields = a.slice(2);
    else files.push(a);
  }
  if (!fields) {
    ctx.err('cut: you must specify a list of bytes, characters, or fields\n');
    return 1;
  }
  if (delim.length !== 1) {
    ctx.err('cut: the delimiter must be a single character\n');
    return 1;
  }
  // field ranges as GNU cut reads them: N, N-, -M, N-M; checked, never expanded
  const ranges: [number, number][] = [];
  for (const part of fields.split(',')) {
    const bad = (why: string) => {
      ctx.err(`cut: ${why}\nTry 'cut --help' for more information.\n`);
      return 1;
    };
    if (part === '-') return bad('invalid range with no endpoint: -');
    const m = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!m) return bad(`invalid field value '${/[^\d-]+/.exec(part)?.[0] ?? part}'`);
    const from = m[1] ? Number(m[1]) : m[2] ? 1 : 0;
    const to = m[2] ? (m[3] ? Number(m[3]) : Infinity) : from;
    if (from === 0 || (m[3] && Number(m[3]) === 0)) return bad('fields are numbered from 1');
    if (to < from) return bad('invalid decreasing range');
    ranges.push([from, to]);
  }
  const wanted = { has: (f: number) => ranges.some(([a, b]) => f >= a && f <= b) };
  const text = input(ctx, files, 'cut');
  if (text === undefined) return 1;
  ctx.out(
    joinLines(
      lines(text).map((l) =>
        l.includes(delim)
          ? l
              .split(delim)
              .filter((_, i) => wanted.has(i + 1))
              .join(delim)
          : l,
      ),
    ),
  );
  return 0;
};

export const textCommands: Record<string, CommandFn> = {
  grep,
  head: headTail('head'),
  tail: headTail('tail'),
  wc,
  sort,
  uniq,
  cut,
};
