import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import type { Workspace } from '../../../main/store/files';
import { newLab } from '../../helpers/lab';

let lab: Lab;
afterEach(() => lab?.close());

// Each line runs in the lab shell and in bash with GNU coreutils in an empty directory: both must print
// the same and leave the same files. The workspace starts with nothing under /, as the directory does.
const script = [
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

function lines(): string[] {
  return script.flatMap((l) => [l, '']).slice(0, -1);
}

function realRun(): { out: string; files: Record<string, string | null> } {
  const dir = mkdtempSync(join(tmpdir(), 'mvcp-'));
  try {
    let out = '';
    for (const l of lines()) {
      if (!l) continue;
      out += execFileSync('bash', ['--norc', '--noprofile', '-c', `{ ${l}; } 2>&1; true`], {
        cwd: dir,
        encoding: 'utf8',
        env: { LC_ALL: 'C', PATH: process.env.PATH },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
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

describe('mv and cp in the lab shell', () => {
  it('print what GNU coreutils print and leave the same files', async () => {
    const real = realRun();
    lab = newLab({});
    let out = '';
    const session = createShell(lab, { write: (d) => (out += d), terminal: false });
    for (const e of session.workspace.list('/')) session.workspace.remove(e.path, true);
    for (const l of lines()) if (l) await session.runScript(l);
    expect(out).toBe(real.out);
    expect(workspaceFiles(session.workspace)).toEqual(real.files);
    // and the ones that must never lose data
    expect(real.files['/k/d/x/copy/f']).toBe('one\n');
  });
});
