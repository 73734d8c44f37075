// The lab shell's language, enough to paste from tutorials: words with '…', "…" and \ escapes, $VAR,
// ${VAR} and $?, command lists with ; && ||, pipelines, redirections (> >> < 2> 2>&1) and heredocs
// (<<EOF, <<'EOF', <<-EOF). Parsing is separate from running: the result is a small syntax tree.

/** A piece of a word; quoting decides whether variables expand and whether the result is split. */
export type WordPart =
  { kind: 'text'; text: string; quoted: boolean } | { kind: 'var'; name: string; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&';
  /** a file word, or the fd number for >& */
  target: Word | number;
}

export interface Heredoc {
  delimiter: string;
  /** <<'EOF' does not expand variables in the body */
  expand: boolean;
  /** <<-EOF strips leading tabs */
  stripTabs: boolean;
  body: string;
}

export interface Command {
  /** NAME=value words before the command name */
  assignments: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
  heredoc?: Heredoc;
}

export interface Pipeline {
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export type ParseResult =
  | { kind: 'ok'; script: AndOr[] }
  /** the input continues on another line (open quote, trailing |, &&, \ or an unfinished heredoc) */
  | {
      kind: 'incomplete';
      /** when a heredoc body is open: until a line is its delimiter, more lines leave the input incomplete */
      heredoc?: { delimiter: string; stripTabs: boolean };
    }
  | { kind: 'error'; message: string };

type Token =
  /** touchesRedirect: `>` follows with no space between, so a digit word is a file descriptor (2>x) */
  | { t: 'word'; word: Word; raw: string; touchesRedirect?: boolean }
  | { t: 'op'; op: string }
  | { t: 'heredoc'; doc: Heredoc; raw: string }
  | { t: 'newline' };

class Incomplete extends Error {
  /** the heredoc whose body is still open, when that is what the input lacks */
  constructor(readonly heredoc?: Heredoc) {
    super('incomplete');
  }
}
class SyntaxError_ extends Error {}

const isNameStart = (c: string) => /[A-Za-z_]/.test(c);
const isName = (c: string) => /[A-Za-z0-9_]/.test(c);

/** Splits the input into tokens; throws Incomplete on an open quote or trailing backslash. */
function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const pending: Heredoc[] = [];
  let i = 0;
  // After the newline that ends a line with heredocs, their bodies follow, each up to its delimiter.
  const readBodies = () => {
    for (const h of pending) {
      const body: string[] = [];
      for (;;) {
        if (i >= src.length) throw new Incomplete(h);
        const nl = src.indexOf('\n', i);
        const raw = nl < 0 ? src.slice(i) : src.slice(i, nl);
        i = nl < 0 ? src.length : nl + 1;
        const line = h.stripTabs ? raw.replace(/^\t+/, '') : raw;
        if (line === h.delimiter) break;
        if (nl < 0) throw new Incomplete(h);
        body.push(line);
      }
      h.body = body.length ? `${body.join('\n')}\n` : '';
    }
    pending.length = 0;
  };
  const readVar = (quoted: boolean, parts: WordPart[]): boolean => {
    // at '$'
    const n = src[i + 1];
    if (n === '(') throw new SyntaxError_('command substitution $(…) is not supported in the lab shell');
    if (n === '?') {
      parts.push({ kind: 'var', name: '?', quoted });
      i += 2;
      return true;
    }
    if (n === '{') {
      const end = src.indexOf('}', i + 2);
      if (end < 0) throw new Incomplete();
      const name = src.slice(i + 2, end);
      if (!/^([A-Za-z_][A-Za-z0-9_]*|\?)$/.test(name))
        throw new SyntaxError_(`\${${name}}: bad substitution`);
      parts.push({ kind: 'var', name, quoted });
      i = end + 1;
      return true;
    }
    if (n !== undefined && isNameStart(n)) {
      let j = i + 1;
      while (j < src.length && isName(src[j]!)) j++;
      parts.push({ kind: 'var', name: src.slice(i + 1, j), quoted });
      i = j;
      return true;
    }
    return false;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\n') {
      tokens.push({ t: 'newline' });
      i++;
      if (pending.length) readBodies();
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    // operators: longest first
    const three = src.slice(i, i + 3);
    const two = src.slice(i, i + 2);
    if (three === '<<-' || two === '<<') {
      // <<DELIM, <<'DELIM', <<-DELIM: the delimiter word follows (spaces allowed)
      i += three === '<<-' ? 3 : 2;
      while (src[i] === ' ' || src[i] === '\t') i++;
      let j = i;
      while (j < src.length && !' \t\n;|<>&'.includes(src[j]!)) j++;
      const raw = src.slice(i, j);
      if (!raw) throw new SyntaxError_(`syntax error near unexpected token \`newline'`);
      const quoted = /['"\\]/.test(raw);
      const doc: Heredoc = {
        delimiter: raw.replace(/['"\\]/g, ''),
        expand: !quoted,
        stripTabs: three === '<<-',
        body: '',
      };
      pending.push(doc);
      tokens.push({ t: 'heredoc', doc, raw });
      i = j;
      continue;
    }
    if (['&&', '||', '>>', '>&', ';;'].includes(two)) {
      tokens.push({ t: 'op', op: two });
      i += 2;
      continue;
    }
    if (';|<>&'.includes(c)) {
      if (c === '&') throw new SyntaxError_('background jobs (&) are not supported in the lab shell');
      tokens.push({ t: 'op', op: c });
      i++;
      continue;
    }
    // a word
    const parts: WordPart[] = [];
    const start = i;
    let text = '';
    const flush = (quoted: boolean) => {
      if (text) parts.push({ kind: 'text', text, quoted });
      text = '';
    };
    while (i < src.length && !' \t\n;|<>&'.includes(src[i]!)) {
      const ch = src[i]!;
      if (ch === '\\') {
        if (i + 1 >= src.length) throw new Incomplete();
        if (src[i + 1] === '\n') {
          i += 2;
          continue;
        }
        flush(false);
        parts.push({ kind: 'text', text: src[i + 1]!, quoted: true });
        i += 2;
      } else if (ch === "'") {
        const end = src.indexOf("'", i + 1);
        if (end < 0) throw new Incomplete();
        flush(false);
        parts.push({ kind: 'text', text: src.slice(i + 1, end), quoted: true });
        i = end + 1;
      } else if (ch === '"') {
        flush(false);
        i++;
        let q = '';
        for (;;) {
          if (i >= src.length) throw new Incomplete();
          const d = src[i]!;
          if (d === '"') {
            i++;
            break;
          }
          if (d === '\\' && i + 1 < src.length && '$`"\\\n'.includes(src[i + 1]!)) {
            if (src[i + 1] !== '\n') q += src[i + 1];
            i += 2;
          } else if (d === '`') {
            throw new SyntaxError_('command substitution `…` is not supported in the lab shell');
          } else if (d === '$') {
            if (q) parts.push({ kind: 'text', text: q, quoted: true });
            q = '';
            if (!readVar(true, parts)) {
              q += '$';
              i++;
            }
          } else {
            q += d;
            i++;
          }
        }
        parts.push({ kind: 'text', text: q, quoted: true });
      } else if (ch === '`') {
        throw new SyntaxError_('command substitution `…` is not supported in the lab shell');
      } else if (ch === '$') {
        flush(false);
        if (!readVar(false, parts)) {
          text += '$';
          i++;
        }
      } else {
        text += ch;
        i++;
      }
    }
    flush(false);
    tokens.push({ t: 'word', word: { parts }, raw: src.slice(start, i), touchesRedirect: src[i] === '>' });
  }
  if (pending.length) {
    // the last line opened a heredoc: its body must follow on later lines
    throw new Incomplete(pending[0]);
  }
  return tokens;
}

/** The literal text of a word, when it has no variables (heredoc delimiters, assignment names). */
export function literal(w: Word): string | undefined {
  let s = '';
  for (const p of w.parts) {
    if (p.kind !== 'text') return undefined;
    s += p.text;
  }
  return s;
}

export function parse(src: string): ParseResult {
  let toks: Token[];
  try {
    toks = tokenize(src);
  } catch (e) {
    if (e instanceof Incomplete)
      return e.heredoc
        ? { kind: 'incomplete', heredoc: { delimiter: e.heredoc.delimiter, stripTabs: e.heredoc.stripTabs } }
        : { kind: 'incomplete' };
    if (e instanceof SyntaxError_) return { kind: 'error', message: e.message };
    throw e;
  }
  let k = 0;
  const peek = () => toks[k];
  const next = () => toks[k++];
  const near = (tok: Token | undefined) =>
    tok === undefined || tok.t === 'newline' ? 'newline' : tok.t === 'op' ? tok.op : tok.raw;
  const fail = (tok: Token | undefined): ParseResult => ({
    kind: 'error',
    message: `syntax error near unexpected token \`${near(tok)}'`,
  });
  /** After | && ||, the command may continue on the next line; at the end of input it is incomplete. */
  const skipNewlines = (): boolean => {
    while (peek()?.t === 'newline') next();
    return peek() !== undefined;
  };

  const parseCommand = (): Command | ParseResult => {
    const cmd: Command = { assignments: [], words: [], redirects: [] };
    for (;;) {
      const tok = peek();
      if (!tok || tok.t === 'newline') break;
      if (tok.t === 'heredoc') {
        next();
        cmd.heredoc = tok.doc;
        continue;
      }
      if (tok.t === 'op') {
        if (tok.op === '>' || tok.op === '>>' || tok.op === '<' || tok.op === '>&') {
          next();
          const target = next();
          if (!target || target.t !== 'word') return fail(target);
          if (tok.op === '>&') {
            const n = Number(literal(target.word));
            if (!Number.isInteger(n)) return fail(target);
            cmd.redirects.push({ fd: 1, op: '>&', target: n });
          } else cmd.redirects.push({ fd: tok.op === '<' ? 0 : 1, op: tok.op, target: target.word });
          continue;
        }
        break;
      }
      next();
      // 2>file, 2>>file, 2>&1: a single digit right before a redirection operator
      const after = peek();
      if (
        /^[0-2]$/.test(tok.raw) &&
        tok.touchesRedirect &&
        after?.t === 'op' &&
        (after.op === '>' || after.op === '>>' || after.op === '>&')
      ) {
        next();
        const target = next();
        if (!target || target.t !== 'word') return fail(target);
        if (after.op === '>&') {
          const n = Number(literal(target.word));
          if (!Number.isInteger(n)) return fail(target);
          cmd.redirects.push({ fd: Number(tok.raw), op: '>&', target: n });
        } else cmd.redirects.push({ fd: Number(tok.raw), op: after.op, target: target.word });
        continue;
      }
      const assign = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(tok.raw);
      const head = tok.word.parts[0];
      if (assign && cmd.words.length === 0 && head?.kind === 'text' && !head.quoted) {
        const rest: WordPart[] = [
          { ...head, text: head.text.slice(assign[0].length) },
          ...tok.word.parts.slice(1),
        ];
        cmd.assignments.push({
          name: assign[1]!,
          value: { parts: rest.filter((p) => p.kind !== 'text' || p.text !== '' || p.quoted) },
        });
        continue;
      }
      cmd.words.push(tok.word);
    }
    if (cmd.words.length === 0 && cmd.assignments.length === 0 && cmd.redirects.length === 0 && !cmd.heredoc)
      return fail(peek());
    return cmd;
  };

  const parsePipeline = (): Pipeline | ParseResult => {
    const commands: Command[] = [];
    for (;;) {
      const c = parseCommand();
      if ('kind' in c) return c;
      commands.push(c);
      const tok = peek();
      if (tok?.t !== 'op' || tok.op !== '|') return { commands };
      next();
      if (!skipNewlines()) return { kind: 'incomplete' };
    }
  };

  const script: AndOr[] = [];
  while (k < toks.length) {
    const tok = peek();
    if (tok?.t === 'newline') {
      next();
      continue;
    }
    // a `;` must end a command: on its own (or as `;;`) it is a syntax error, as in bash
    if (tok?.t === 'op' && (tok.op === ';' || tok.op === ';;')) return fail(tok);
    const first = parsePipeline();
    if ('kind' in first) return first;
    const item: AndOr = { first, rest: [] };
    for (;;) {
      const op = peek();
      if (op?.t !== 'op' || (op.op !== '&&' && op.op !== '||')) break;
      next();
      if (!skipNewlines()) return { kind: 'incomplete' };
      const p = parsePipeline();
      if ('kind' in p) return p;
      item.rest.push({ op: op.op as '&&' | '||', pipeline: p });
    }
    script.push(item);
    const sep = peek();
    if (sep && !(sep.t === 'newline' || (sep.t === 'op' && sep.op === ';'))) return fail(sep);
    if (sep?.t === 'op') next();
  }
  return { kind: 'ok', script };
}

/**
 * Expands a word: variables from env ($? from lastStatus). Unquoted expansions split on whitespace, as
 * the shell's word splitting does; quoted ones stay one word. Returns the resulting fields.
 */
export function expandWord(w: Word, env: (name: string) => string | undefined): string[] {
  const fields: string[] = [];
  let cur = '';
  let has = false;
  for (const p of w.parts) {
    if (p.kind === 'text') {
      cur += p.text;
      has = true;
      continue;
    }
    const value = env(p.name) ?? '';
    if (p.quoted) {
      cur += value;
      has = true;
      continue;
    }
    const pieces = value.split(/[ \t\n]+/);
    pieces.forEach((piece, idx) => {
      if (idx > 0) {
        if (has || cur) fields.push(cur);
        cur = '';
        has = false;
      }
      cur += piece;
      if (piece) has = true;
    });
  }
  if (has || cur) fields.push(cur);
  return fields;
}
