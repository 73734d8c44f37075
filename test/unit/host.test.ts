import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labPath, resolveDataDir } from '../../main/host/dataDir';
import { ENGINE_NODE_FLAGS } from '../../main/host/engineHeap';
import { electronNativeBindingPath, nativeBindingForRuntime } from '../../main/store/nativeBinding';

describe('data directory', () => {
  it('prefers --data-dir, then Electron userData, then XDG_DATA_HOME, then ~/.local/share', () => {
    expect(resolveDataDir({ dataDir: '/tmp/x', electronUserData: '/e', env: {} })).toBe('/tmp/x');
    expect(resolveDataDir({ electronUserData: '/e', env: { XDG_DATA_HOME: '/xdg' } })).toBe('/e');
    expect(resolveDataDir({ env: { XDG_DATA_HOME: '/xdg' } })).toBe('/xdg/supervisor-lab');
    expect(resolveDataDir({ env: {} })).toBe(join(homedir(), '.local', 'share', 'supervisor-lab'));
  });

  it('keeps each lab as one .db file under labs/, refusing names that could escape it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'datadir-'));
    try {
      expect(labPath(dir, 'exam-1')).toBe(join(dir, 'labs', 'exam-1.db'));
      expect(existsSync(join(dir, 'labs'))).toBe(true);
      expect(() => labPath(dir, '../escape')).toThrow(/invalid lab name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('native module per runtime', () => {
  it('uses the Node build under Node and the Electron build under Electron', () => {
    expect(nativeBindingForRuntime('/app')).toBeUndefined();
    expect(electronNativeBindingPath('/app', '42.1.0')).toBe(
      '/app/.cache/native/electron-42.1.0/better_sqlite3.node',
    );
    const versions = process.versions as Record<string, string>;
    versions.electron = '42.1.0';
    try {
      expect(() => nativeBindingForRuntime('/nonexistent')).toThrow(/has not been built for Electron 42.1.0/);
    } finally {
      delete versions.electron;
    }
  });
});

describe("the engine's Node options", () => {
  it('are given to every process that runs the engine: browser mode and `npm run lab` as Electron is', () => {
    // main/host/electron/index.ts imports ENGINE_NODE_FLAGS (electron-start.test.ts checks the fork);
    // the start script and package.json cannot import TypeScript, so they spell the flags out
    const start = readFileSync(join(__dirname, '..', '..', 'scripts', 'start.mjs'), 'utf8');
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(ENGINE_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of ENGINE_NODE_FLAGS) {
      expect(start).toContain(`'${flag}'`);
      expect(pkg.scripts.lab).toContain(` ${flag} `);
    }
  });
});
