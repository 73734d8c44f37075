// Text filters for pipes, as GNU coreutils and grep behave: grep (-i -v -E -c -n), head, tail, wc,
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

const grep: CommandFn = (ctx) => {
  const opts = new Set<string>();
  const rest: string[] = [];
  for (const a of ctx.argv.slice(1)) {
    if (/^-[ivEcnw]+$/.test(a)) for (const c of a.slice(1)) opts.add(c);
    else if (a.startsWith('-') && a.length > 1) {
      ctx.err(`grep: invalid option -- '${a.slice(1)}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\n`);
      return 2;
    } else rest.push(a);
  }
  const [pattern, ...files] = rest;
  if (pattern === undefined) {
    ctx.err('Usage: grep [OPTION]... PATTERNS [FILE]...\n');
    return 2;
  }
  let re: RegExp;
  try {
    const source = opts.has('E')
      ? pattern
      : pattern.replace(/[.*+?^${}()|[\]\\]/g, (c) =>
          c === '.' || c === '*' || c === '^' || c === '$' || c === '[' || c === ']' ? c : `\\${c}`,
        );
    re = new RegExp(opts.has('w') ? `\\b(?:${source})\\b` : source, opts.has('i') ? 'i' : '');
  } catch {
    ctx.err('grep: Unmatched ( or \\(\n');
    return 2;
  }
  const text = input(ctx, files, 'grep');
  if (text === undefined) return 2;
  const matched = lines(text)
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => re.test(l) !== opts.has('v'));
  if (opts.has('c')) ctx.out(`${matched.length}\n`);
  else ctx.out(joinLines(matched.map(({ l, i }) => (opts.has('n') ? `${i + 1}:${l}` : l))));
  return matched.length ? 0 : 1;
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
  const flags = ctx.argv.slice(1).filter((a) => a.startsWith('-'));
  const text = input(
    ctx,
    ctx.argv.slice(1).filter((a) => !a.startsWith('-')),
    'wc',
  );
  if (text === undefined) return 1;
  const nLines = (text.match(/\n/g) ?? []).length;
  const nWords = text.split(/\s+/).filter(Boolean).length;
  if (flags.includes('-l')) ctx.out(`${nLines}\n`);
  else if (flags.includes('-w')) ctx.out(`${nWords}\n`);
  else if (flags.includes('-c')) ctx.out(`${Buffer.byteLength(text)}\n`);
  else
    ctx.out(
      `${String(nLines).padStart(7)} ${String(nWords).padStart(7)} ${String(Buffer.byteLength(text)).padStart(7)}\n`,
    );
  return 0;
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
  const wanted = new Set<number>();
  for (const part of fields.split(',')) {
    const [a, b] = part.split('-');
    const from = Number(a || 1);
    const to = part.includes('-') ? (b ? Number(b) : 1000) : from;
    for (let f = from; f <= to; f++) wanted.add(f);
  }
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
