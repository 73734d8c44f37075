import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/supervisor-lab.mjs', import.meta.url));

/** The package's bin, as `supervisor-lab …` runs it once it is on PATH. */
function supervisorLab(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  try {
    const r = spawnSync(process.execPath, [bin, ...args, '--data-dir', dir], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the supervisor-lab command', () => {
  it('runs a script on the stepped clock, prints what the lab terminal would, and exits with its status', () => {
    const r = supervisorLab([
      'shell',
      '-c',
      'lab clock; kubectl config current-context; sleep 90s; lab clock; exit 3',
    ]);
    expect(r).toEqual({
      status: 3,
      stdout: '2026-01-05T09:00:00.000Z (stepped)\n127.0.0.1\n2026-01-05T09:01:30.000Z (stepped)\n',
      stderr: '',
    });
  });

  it('refuses an unknown command with its usage and status 2', () => {
    const r = supervisorLab(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown command "frobnicate"\n/);
  });
});
