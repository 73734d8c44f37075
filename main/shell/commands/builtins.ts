// The shell's builtins over the lab's workspace files and its own state: echo, export, cd, pwd, ls, cat,
// mkdir, rm, mv, cp, history, alias, clear, true, false, and edit/vi through the session's editor. Messages follow GNU coreutils and bash.
import { FsError, resolvePath } from '../../store/files';
import type { CommandContext, CommandFn } from '../session';

const fsMessage = (e: unknown): string => {
  if (!(e instanceof FsError)) throw e;
  return (
    {
      ENOENT: 'No such file or directory',
      EEXIST: 'File exists',
      EISDIR: 'Is a directory',
      ENOTDIR: 'Not a directory',
      ENOTEMPTY: 'Directory not empty',
      EINVAL: 'Invalid argument',
    } as const
  )[e.code];
};

/** Splits `-rf` style flags from operands; `--` ends flags. */
function flags(argv: string[]): { set: Set<string>; args: string[] } {
  const set = new Set<string>();
  const args: string[] = [];
  let done = false;
  for (const a of argv.slice(1)) {
    if (!done && a === '--') done = true;
    else if (!done && /^-[A-Za-z]+$/.test(a)) for (const c of a.slice(1)) set.add(c);
    else args.push(a);
  }
  return { set, args };
}

const echo: CommandFn = ({ argv, out }) => {
  let args = argv.slice(1);
  let newline = true;
  if (args[0] === '-n') {
    newline = false;
    args = args.slice(1);
  }
  out(args.join(' ') + (newline ? '\n' : ''));
  return 0;
};

/** Backslash escapes as printf's format and %b read them. */
function unescape(text: string, inArgument: boolean): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\' || i === text.length - 1) {
      out += c;
      continue;
    }
    const n = text[++i]!;
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
      '\\': '\\',
      e: '\x1b',
    };
    if (n in simple) out += simple[n];
    else if (n === '"' && !inArgument) out += '"';
    else if (n === 'c' && inArgument) return { text: out, stop: true };
    else if (/[0-7]/.test(n) || (n === '0' && inArgument)) {
      const m = /^[0-7]{1,3}/.exec(text.slice(inArgument && n === '0' ? i + 1 : i))![0] ?? '';
      out += String.fromCharCode(parseInt(m || '0', 8));
      i += m.length - (inArgument && n === '0' ? 0 : 1);
    } else if (n === 'x' && /^[0-9a-fA-F]/.test(text.slice(i + 1))) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m, 16));
      i += m.length;
    } else out += `\\${n}`;
  }
  return { text: out, stop: false };
}

/** bash's printf: the format is reused while arguments remain; missing ones are empty or zero. */
const printf: CommandFn = ({ argv, out, err }) => {
  if (argv.length < 2) {
    err('printf: usage: printf [-v var] format [arguments]\n');
    return 2;
  }
  const format = argv[1]!;
  const args = argv.slice(2);
  let status = 0;
  let used = 0;
  const number = (a: string | undefined): number => {
    if (a === undefined || a === '') return 0;
    if (/^['"]./.test(a)) return a.codePointAt(1)!;
    const v = /^[-+]?0[xX][0-9a-fA-F]+$/.test(a)
      ? parseInt(a, 16)
      : /^[-+]?0[0-7]+$/.test(a)
        ? parseInt(a, 8)
        : Number(a);
    if (!/^[-+]?(0[xX][0-9a-fA-F]+|\d+(\.\d*)?|\.\d+)$/.test(a.trim()) || Number.isNaN(v)) {
      err(`bash: printf: ${a}: invalid number\n`);
      status = 1;
      return Number.isNaN(parseFloat(a)) ? 0 : parseFloat(a);
    }
    return v;
  };
  let text = '';
  do {
    let i = 0;
    const before = used;
    while (i < format.length) {
      const c = format[i]!;
      if (c === '\\') {
        const j = i + 2 + ((/^\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3})/.exec(format.slice(i))?.[1]?.length ?? 1) - 1);
        text += unescape(format.slice(i, j), false).text;
        i = j;
        continue;
      }
      if (c !== '%') {
        text += c;
        i++;
        continue;
      }
      const m = /^%([-+ 0#]*)(\d+|\*)?(?:\.(\d+|\*)?)?([sbdiuxXocfeEgG%])/.exec(format.slice(i));
      if (!m) {
        err(`bash: printf: \`${format.slice(i + 1, i + 2) || '%'}': invalid format character\n`);
        out(text);
        return 1;
      }
      i += m[0].length;
      const [, flagText = '', w, p, conv] = m;
      if (conv === '%') {
        text += '%';
        continue;
      }
      const width = w === '*' ? number(args[used++]) : w ? Number(w) : 0;
      const precision = p === '*' ? number(args[used++]) : p !== undefined ? Number(p || 0) : undefined;
      const arg = args[used++];
      let body: string;
      if (conv === 's') body = precision === undefined ? (arg ?? '') : (arg ?? '').slice(0, precision);
      else if (conv === 'b') {
        const u = unescape(arg ?? '', true);
        body = u.text;
        if (u.stop) {
          text += body;
          out(text);
          return status;
        }
      } else if (conv === 'c') body = (arg ?? '').slice(0, 1);
      else if ('diuxXo'.includes(conv!)) {
        const v = Math.trunc(number(arg));
        const abs = Math.abs(v);
        let digits =
          conv === 'x'
            ? abs.toString(16)
            : conv === 'X'
              ? abs.toString(16).toUpperCase()
              : conv === 'o'
                ? abs.toString(8)
                : String(abs);
        if (precision !== undefined) digits = digits.padStart(precision, '0');
        if (flagText.includes('#') && abs !== 0)
          digits = (conv === 'o' ? '0' : conv === 'x' ? '0x' : conv === 'X' ? '0X' : '') + digits;
        const sign =
          v < 0
            ? '-'
            : flagText.includes('+') && 'di'.includes(conv!)
              ? '+'
              : flagText.includes(' ') && 'di'.includes(conv!)
                ? ' '
                : '';
        body = sign + digits;
        if (flagText.includes('0') && !flagText.includes('-') && precision === undefined)
          body = sign + digits.padStart(width - sign.length, '0');
      } else {
        const v = number(arg);
        const pr = precision ?? 6;
        body = 'fF'.includes(conv!)
          ? v.toFixed(pr)
          : 'eE'.includes(conv!)
            ? v.toExponential(pr).replace(/e([-+])(\d)$/, 'e$10$2')
            : String(Number(v.toPrecision(pr || 1)));
        if (conv === 'E' || conv === 'G') body = body.toUpperCase();
        if (v >= 0 && flagText.includes('+')) body = `+${body}`;
        if (flagText.includes('0') && !flagText.includes('-'))
          body = body.startsWith('-')
            ? `-${body.slice(1).padStart(width - 1, '0')}`
            : body.padStart(width, '0');
      }
      text += flagText.includes('-') ? body.padEnd(width) : body.padStart(width);
    }
    if (used === before) break;
  } while (used < args.length);
  out(text);
  return status;
};

const exportCmd: CommandFn = ({ argv, env, out, err }) => {
  if (argv.length === 1) {
    for (const [k, v] of [...env].sort(([a], [b]) => a.localeCompare(b))) out(`declare -x ${k}="${v}"\n`);
    return 0;
  }
  let status = 0;
  for (const a of argv.slice(1)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(=(.*))?$/s.exec(a);
    if (!m) {
      err(`bash: export: \`${a}': not a valid identifier\n`);
      status = 1;
    } else if (m[2] !== undefined) env.set(m[1]!, m[3]!);
    else if (!env.has(m[1]!)) env.set(m[1]!, '');
  }
  return status;
};

const cd: CommandFn = ({ argv, session, env, err }) => {
  const target = resolvePath(session.cwd, argv[1] ?? '/');
  const st = session.workspace.stat(target);
  if (!st) {
    err(`bash: cd: ${argv[1]}: No such file or directory\n`);
    return 1;
  }
  if (!st.dir) {
    err(`bash: cd: ${argv[1]}: Not a directory\n`);
    return 1;
  }
  session.cwd = target;
  env.set('PWD', target);
  return 0;
};

const ls: CommandFn = ({ argv, session, out, err }) => {
  const { set, args } = flags(argv);
  let status = 0;
  const targets = args.length ? args : ['.'];
  targets.forEach((t, i) => {
    try {
      const entries = session.workspace
        .list(resolvePath(session.cwd, t))
        .sort((a, b) => a.path.localeCompare(b.path));
      if (targets.length > 1) out(`${i ? '\n' : ''}${t}:\n`);
      for (const e of entries) {
        const name = e.path.slice(e.path.lastIndexOf('/') + 1) + (e.dir && set.has('F') ? '/' : '');
        out(
          set.has('l')
            ? `${e.dir ? 'd' : '-'}rw-r--r-- 1 lab lab ${String(e.size).padStart(6)} ${name}\n`
            : `${name}\n`,
        );
      }
    } catch (e) {
      err(`ls: cannot access '${t}': ${fsMessage(e)}\n`);
      status = 2;
    }
  });
  return status;
};

const cat: CommandFn = ({ argv, stdin, session, out, err }) => {
  const files = argv.slice(1);
  if (files.length === 0 || (files.length === 1 && files[0] === '-')) {
    out(stdin);
    return 0;
  }
  let status = 0;
  for (const f of files) {
    try {
      out(f === '-' ? stdin : session.workspace.read(resolvePath(session.cwd, f)));
    } catch (e) {
      err(`cat: ${f}: ${fsMessage(e)}\n`);
      status = 1;
    }
  }
  return status;
};

const mkdir: CommandFn = ({ argv, session, err }) => {
  const { set, args } = flags(argv);
  if (!args.length) {
    err('mkdir: missing operand\n');
    return 1;
  }
  let status = 0;
  for (const d of args) {
    try {
      session.workspace.mkdir(resolvePath(session.cwd, d), set.has('p'));
    } catch (e) {
      err(`mkdir: cannot create directory '${d}': ${fsMessage(e)}\n`);
      status = 1;
    }
  }
  return status;
};

const rm: CommandFn = ({ argv, session, err }) => {
  const { set, args } = flags(argv);
  if (!args.length) {
    err('rm: missing operand\n');
    return 1;
  }
  let status = 0;
  for (const f of args) {
    const path = resolvePath(session.cwd, f);
    try {
      if (session.workspace.stat(path)?.dir && !set.has('r') && !set.has('R')) {
        err(`rm: cannot remove '${f}': Is a directory\n`);
        status = 1;
        continue;
      }
      session.workspace.remove(path, set.has('r') || set.has('R'));
    } catch (e) {
      if (set.has('f') && e instanceof FsError && e.code === 'ENOENT') continue;
      err(`rm: cannot remove '${f}': ${fsMessage(e)}\n`);
      status = 1;
    }
  }
  return status;
};

const kindOf = (dir: boolean) => (dir ? 'directory' : 'regular file');

/** mv and cp as GNU coreutils: `SOURCE DEST`, or several sources into a directory; cp -r for trees. */
function moveOrCopy(name: 'mv' | 'cp'): CommandFn {
  return ({ argv, session, err }) => {
    const { set, args } = flags(argv);
    const ws = session.workspace;
    if (args.length < 2) {
      err(
        args.length
          ? `${name}: missing destination file operand after '${args[0]}'\nTry '${name} --help' for more information.\n`
          : `${name}: missing file operand\nTry '${name} --help' for more information.\n`,
      );
      return 1;
    }
    const targetArg = args[args.length - 1]!;
    const target = resolvePath(session.cwd, targetArg);
    const targetIsDir = ws.stat(target)?.dir === true;
    if (args.length > 2 && !targetIsDir) {
      err(
        `${name}: target '${targetArg}': ${ws.stat(target) ? 'Not a directory' : 'No such file or directory'}\n`,
      );
      return 1;
    }
    // (a copy of a directory into itself copies what was there and skips the copy, as GNU cp does)
    const copyTree = (from: string, to: string, top = to): void => {
      if (!ws.stat(from)!.dir) return ws.write(to, ws.read(from));
      if (!ws.stat(to)) ws.mkdir(to);
      for (const e of ws.list(from))
        if (e.path !== top) copyTree(e.path, `${to}/${e.path.slice(from.length + 1)}`, top);
    };
    let status = 0;
    for (const srcArg of args.slice(0, -1)) {
      const from = resolvePath(session.cwd, srcArg);
      const base = from.slice(from.lastIndexOf('/') + 1);
      const destArg = targetIsDir ? `${targetArg.replace(/\/+$/, '')}/${base}` : targetArg;
      const dest = targetIsDir ? `${target === '/' ? '' : target}/${base}` : target;
      const fail = (msg: string) => {
        err(`${name}: ${msg}\n`);
        status = 1;
      };
      const src = ws.stat(from);
      const existing = ws.stat(dest);
      if (!src) {
        fail(`cannot stat '${srcArg}': No such file or directory`);
        continue;
      }
      if (from === dest) {
        fail(`'${srcArg}' and '${destArg}' are the same file`);
        continue;
      }
      if (src.dir && name === 'cp' && !set.has('r') && !set.has('R')) {
        fail(`-r not specified; omitting directory '${srcArg}'`);
        continue;
      }
      if (targetArg.endsWith('/') && existing && !existing.dir) {
        fail(`cannot stat '${targetArg}': Not a directory`);
        continue;
      }
      const parent = ws.stat(dest.slice(0, dest.lastIndexOf('/')) || '/');
      const what = `'${destArg}': ${parent ? 'Not a directory' : 'No such file or directory'}`;
      if (!parent?.dir) {
        fail(
          name === 'mv' ? `cannot move '${srcArg}' to ${what}` : `cannot create ${kindOf(src.dir)} ${what}`,
        );
        continue;
      }
      if (src.dir && (dest.startsWith(`${from}/`) || from === '/')) {
        if (name === 'cp') copyTree(from, dest);
        fail(
          name === 'mv'
            ? `cannot move '${srcArg}' to a subdirectory of itself, '${destArg}'`
            : `cannot copy a directory, '${srcArg}', into itself, '${destArg}'`,
        );
        continue;
      }
      if (existing?.dir && !src.dir) {
        fail(`cannot overwrite directory '${destArg}' with non-directory`);
        continue;
      }
      if (existing && !existing.dir && src.dir) {
        fail(`cannot overwrite non-directory '${destArg}' with directory '${srcArg}'`);
        continue;
      }
      try {
        // a trailing slash names a directory
        if (!targetIsDir && targetArg.endsWith('/') && !src.dir) throw new FsError('ENOTDIR', dest);
        if (name === 'cp') copyTree(from, dest);
        else ws.rename(from, dest, true);
      } catch (e) {
        const why = `'${destArg}': ${fsMessage(e)}`;
        fail(name === 'mv' ? `cannot move '${srcArg}' to ${why}` : `cannot create ${kindOf(src.dir)} ${why}`);
      }
    }
    return status;
  };
}

const history: CommandFn = ({ session, out }) => {
  session.editor.history.forEach((h, i) => out(`${String(i + 1).padStart(5)}  ${h}\n`));
  return 0;
};

const alias: CommandFn = ({ argv, session, out }) => {
  if (argv.length === 1) {
    for (const [k, v] of session.aliases) out(`alias ${k}='${v}'\n`);
    return 0;
  }
  for (const a of argv.slice(1)) {
    const m = /^([^=]+)=(.*)$/s.exec(a);
    if (m) session.aliases.set(m[1]!, m[2]!);
    else if (session.aliases.has(a)) out(`alias ${a}='${session.aliases.get(a)}'\n`);
  }
  return 0;
};

/** exit [N]: ends the script (or the terminal's shell) with N, or the last status. */
const exit: CommandFn = ({ argv, session, err }) => {
  if (argv.length > 2) {
    err('bash: exit: too many arguments\n');
    // a script ends there, as bash -c does; a terminal stays open
    if (session.o.terminal === false) session.exiting = 1;
    return 1;
  }
  let status = session.lastStatus;
  if (argv[1] !== undefined) {
    if (!/^[-+]?\d+$/.test(argv[1])) {
      err(`bash: exit: ${argv[1]}: numeric argument required\n`);
      status = 2;
    } else status = ((Number(argv[1]) % 256) + 256) % 256;
  }
  session.exiting = status;
  return status;
};

/**
 * `edit FILE` / `vi FILE` (also nano, vim): the file opens in the session's editor — the app's YAML
 * editor, $EDITOR in a real terminal — and what is saved is written back. A new file is made on save.
 */
function editCommand(name: string): CommandFn {
  return async ({ argv, session, err, signal }) => {
    const files = argv.slice(1).filter((a) => !a.startsWith('-') || a === '-');
    if (files.length !== 1) {
      err(`${name}: usage: ${name} FILE\n`);
      return 2;
    }
    const path = resolvePath(session.cwd, files[0]!);
    let text = '';
    try {
      text = session.workspace.read(path);
    } catch (e) {
      if (!(e instanceof FsError) || e.code !== 'ENOENT') {
        err(`${name}: ${files[0]}: ${fsMessage(e)}\n`);
        return 1;
      }
    }
    const editing = session.openEditor(path, text, signal);
    if (!editing) {
      err(
        `${name}: no editor here: open ${files[0]} in the YAML editor, or run the lab shell in a terminal with EDITOR set\n`,
      );
      return 1;
    }
    const saved = await editing;
    if (saved === undefined || (saved === text && session.workspace.stat(path)))
      return signal.aborted ? 130 : 0;
    try {
      session.workspace.write(path, saved);
    } catch (e) {
      err(`${name}: ${files[0]}: ${fsMessage(e)}\n`);
      return 1;
    }
    return 0;
  };
}

export const builtins: Record<string, CommandFn> = {
  edit: editCommand('edit'),
  vi: editCommand('vi'),
  vim: editCommand('vim'),
  nano: editCommand('nano'),
  exit,
  echo,
  printf,
  export: exportCmd,
  cd,
  pwd: ({ session, out }: CommandContext) => (out(`${session.cwd}\n`), 0),
  ls,
  cat,
  mkdir,
  rm,
  mv: moveOrCopy('mv'),
  cp: moveOrCopy('cp'),
  history,
  alias,
  clear: ({ out }: CommandContext) => (out('\x1b[H\x1b[2J'), 0),
  true: () => 0,
  false: () => 1,
};
