import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import type { Workspace } from '../../../main/store/files';
import { newLab } from '../../helpers/lab';

let lab: Lab;
afterEach(() => lab?.close());

const mvcp = [
  'echo one > f; echo two > g; mkdir d; mkdir -p k/d/x',
  'mv f f; echo $?',
  'mv f g nonexist; echo $?',
  'mv f g k/d/x/nope/',
  'echo h > h; mv f g h; echo $?',
  'mv d d/sub; echo $?',
  'cp d x; echo $?',
  'cp f d; cat d/f',
  'mv f d2/x',
  'mkdir e; echo e2 > e2; mv e e2',
  'mv f nope/',
  'mv missing d',
  'cp f f',
  'cp -r d copy; cat copy/f',
  'cp -r copy copy/in',
  'cp -r copy copy/no/such; echo $?',
  'mv copy copy/no/such; cp -r copy nope/x; mv copy nope/x; cp f nope/y; cp f nope/; cp f h/; mv f h/',
  'mv d k; echo $?',
  'mv copy k/d/x; mv e k/d; mv g h; cat h',
  'mv; mv f; cp',
  'mkdir m; mv f e2 m; cat m/f',
];

function realRun(script: string[]): { out: string; files: Record<string, string | null> } {
  const dir = mkdtempSync(join(tmpdir(), 'mvcp-'));
  try {
    let out = '';
    for (const l of script) {
      out += spawnSync('bash', ['--norc', '--noprofile', '-c', `{ ${l}; } 2>&1; true`], {
        cwd: dir,
        encoding: 'utf8',
        env: { LC_ALL: 'C', PATH: process.env.PATH },
        stdio: ['ignore', 'pipe', 'pipe'],
      }).stdout;
    }
    const files: Record<string, string | null> = {};
    const walk = (p: string, rel: string): void => {
      for (const name of readdirSync(p).sort()) {
        const full = join(p, name);
        const r = `${rel}/${name}`;
        if (statSync(full).isDirectory()) {
          files[r] = null;
          walk(full, r);
        } else files[r] = readFileSync(full, 'utf8');
      }
    };
    walk(dir, '');
    return { out, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function workspaceFiles(ws: Workspace): Record<string, string | null> {
  const files: Record<string, string | null> = {};
  const walk = (p: string): void => {
    for (const e of ws.list(p).sort((a, b) => (a.path < b.path ? -1 : 1))) {
      files[e.path] = e.dir ? null : ws.read(e.path);
      if (e.dir) walk(e.path);
    }
  };
  walk('/');
  return files;
}

/**
 * Each line runs in the lab shell and in bash with GNU coreutils and grep, in an empty directory: both
 * must print the same and leave the same files. The workspace starts with nothing under /, as the
 * directory does.
 */
async function differential(script: string[]) {
  const real = realRun(script);
  lab = newLab({});
  let out = '';
  const session = createShell(lab, { write: (d) => (out += d), terminal: false });
  for (const e of session.workspace.list('/')) session.workspace.remove(e.path, true);
  for (const l of script) await session.runScript(l);
  return { real, ours: { out, files: workspaceFiles(session.workspace) } };
}

const text = [
  "echo 'web-1 Running 10.0.0.1\nweb-2 Pending 10.0.0.2\ndb-1 Running 10.0.0.3\nweb-1 Running 10.0.0.1\n(x+y) a.b' > p.txt",
  'grep Running p.txt; echo $?',
  "grep '\\(' p.txt; grep -E 'a)' p.txt; grep 'a\\{1' p.txt; grep '[[:foo:]]' p.txt; grep -E '*a' p.txt; echo $?",
  'grep -c web p.txt; grep -n -i PENDING p.txt; grep -v -w web-1 p.txt',
  "grep 'web-[12]' p.txt | sort -u; grep -o '10\\.0\\.0\\.[0-9]' p.txt",
  "grep '(x+y)' p.txt; grep -E '(x\\+y)' p.txt; grep 'a\\.b' p.txt; grep '\\(web\\|db\\)-1' p.txt",
  "grep -E 'web-(1|2)' p.txt | uniq -c; grep -x 'db-1 Running 10.0.0.3' p.txt",
  "grep '[[:digit:]]\\{2\\}' p.txt; grep -F '(x+y)' p.txt; grep -e db -e Pending p.txt",
  'grep -q Running p.txt; echo $?; grep -q nothing p.txt; echo $?; grep -l web p.txt missing; echo $?',
  'grep web p.txt p.txt | head -n 2; grep -h db p.txt p.txt; grep -c db p.txt missing; echo $?',
  "grep -Y x p.txt; echo $?; grep '[' p.txt; grep '[a' p.txt; grep 'x\\' p.txt; echo $?; grep; echo $?",
  "cut -d ' ' -f 2- p.txt; cut -d ' ' -f -1,3 p.txt; cut -d ' ' -f 1-99999999999 p.txt | head -n 1",
  'cut -f 0 p.txt; cut -f x p.txt; cut -f 3-1 p.txt; cut -f - p.txt; echo $?',
  'sort p.txt | uniq; sort -r p.txt | head -n 2; tail -n 2 p.txt; wc -l p.txt',
  'wc p.txt; cat p.txt | wc; cat p.txt | wc -l; wc -lw p.txt p.txt; wc nope p.txt; echo $?; wc -x p.txt',
];

const printfs = [
  "printf 'a\\nb\\n'; printf '%s-%s\\n' 1 2 3; printf '%5s|%-5s|\\n' ab cd; printf '%d %i\\n' 42 -7",
  "printf '%05d %x %X %o %#x\\n' 42 255 255 8 255; printf '%.2f %e\\n' 3.14159 1234.5; printf '%c%c\\n' hello world",
  "printf '%b\\n' 'tab\\there' 'x\\cy'; printf 'no newline'; echo; printf '%s\\n'; printf '%%d\\n'",
  "printf '%d\\n' abc; echo $?; printf '%d\\n' 12abc; printf; echo $?; printf '%.3s|%+d\\n' abcdef 5",
  "printf 'apiVersion: v1\\nkind: ConfigMap\\n' > cm.yaml; cat cm.yaml; printf '\\x41\\101\\n'",
];

const redirections = [
  'echo 2 > f; cat f; echo 2>f; cat f',
  'echo hi > nope/x; echo $?; mkdir d; echo x > d; echo $?; echo x 2> nope/e; echo $?',
  'echo keep > k; cat k > k; cat k; echo $?',
  'cat nope > o 2>&1; cat o; cat nope 2>&1 > o2; cat o2; echo $?',
  'echo err >&2 2>/dev/null; echo moved 1>&2 | wc -l; echo x >&3; echo $?',
  'echo a > a; echo b >> a; cat a; cat < nope; echo $?; cat < a | wc -l',
  'echo never > nope/x && echo ran || echo refused',
  'echo a; exit 3; echo b',
  'exit 1 2; echo $?',
  'exit abc; echo no',
  'exit 3 | cat; echo $?; false || exit; echo no',
];

describe('the lab shell file commands and text filters', () => {
  it('mv and cp print what GNU coreutils print and leave the same files', async () => {
    const { real, ours } = await differential(mvcp);
    expect(ours.out).toBe(real.out);
    expect(ours.files).toEqual(real.files);
    // and the ones that must never lose data
    expect(real.files['/k/d/x/copy/f']).toBe('one\n');
  });

  it('redirect as bash does: in order, files opened before the command, refused ones stop it', async () => {
    const { real, ours } = await differential(redirections);
    // (bash -c says which line of its script; an interactive bash, as the lab shell is, does not)
    expect(ours.out.split('\n')).toEqual(real.out.replace(/^bash: line \d+: /gm, 'bash: ').split('\n'));
    expect(ours.files).toEqual(real.files);
    expect(real.out).toContain('refused');
  });

  it('exit ends a script with its status, as bash -c does', async () => {
    lab = newLab({});
    const session = createShell(lab, { write: () => {}, terminal: false });
    expect(await session.runScript('echo a\nexit 3\necho b')).toBe(3);
    expect(await session.runScript('false\nexit')).toBe(1);
    expect(await session.runScript('exit 300')).toBe(44);
    // in a terminal, exit says so and tells the host, which may close it; the rest of the line does not run
    let out = '';
    const exits: number[] = [];
    const term = createShell(lab, { write: (d) => (out += d), onExit: (s) => exits.push(s) });
    term.start();
    term.feed('exit 4; echo after\r');
    await term.idle();
    expect(exits).toEqual([4]);
    expect(out).toContain('exit\r\n');
    expect(out).not.toContain('after\r\n');
  });

  it("printf prints what bash's printf prints", async () => {
    const { real, ours } = await differential(printfs);
    expect(ours.out.split('\n')).toEqual(real.out.replace(/^bash: line \d+: /gm, 'bash: ').split('\n'));
    expect(ours.files).toEqual(real.files);
  });

  it('grep and cut print what GNU grep and coreutils print', async () => {
    const { real, ours } = await differential(text);
    expect(ours.out.split('\n')).toEqual(real.out.split('\n'));
    expect(real.out).toContain('(x+y) a.b');
  });
});
