// Builds better-sqlite3 for Electron's ABI into .cache/native/electron-<version>/, leaving the Node
// build in node_modules untouched (tests and the CLI keep using it). Needs network access once, for
// Electron's headers. Exits non-zero with a message when it cannot build.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export function electronVersion() {
  return JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
}

export function nativeTarget(version = electronVersion()) {
  return join(root, '.cache', 'native', `electron-${version}`, 'better_sqlite3.node');
}

function nodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp))
    return process.env.npm_config_node_gyp;
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    const npmRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim();
    const bundled = join(npmRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(bundled)) return bundled;
  }
  return undefined;
}

export function buildForElectron() {
  const version = electronVersion();
  const target = nativeTarget(version);
  if (existsSync(target)) return target;
  const gyp = nodeGyp();
  if (!gyp) throw new Error('node-gyp was not found (it ships with npm)');
  const src = join(root, '.cache', 'native', `build-${version}`);
  rmSync(src, { recursive: true, force: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), src, {
    recursive: true,
    filter: (p) => !p.includes(`${join('better-sqlite3', 'build')}`),
  });
  const env = { ...process.env };
  // npm may point node-gyp at Node's own headers; Electron's come from its header server.
  for (const k of Object.keys(env))
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(k)) delete env[k];
  console.log(`Building better-sqlite3 for Electron ${version} …`);
  const r = spawnSync(
    process.execPath,
    [
      gyp,
      'rebuild',
      '--release',
      `--target=${version}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: src, stdio: 'inherit', env },
  );
  if (r.status !== 0) throw new Error(`building better-sqlite3 for Electron ${version} failed`);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(src, 'build', 'Release', 'better_sqlite3.node'), target);
  rmSync(src, { recursive: true, force: true });
  return target;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(buildForElectron());
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
