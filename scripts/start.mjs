// `npm start`: the desktop app where Electron can run, browser mode where it cannot.
// Electron 42 fetches its binary on first use rather than at install; we try that once, and when it is
// impossible (no network, as on these build machines) we say so and serve the same UI in the browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildForElectron } from './electron-native.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const passThrough = process.argv.slice(2);

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return r.status === 0;
}

function buildApp() {
  if (
    !run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'])
  ) {
    console.error('The build failed; see the messages above.');
    process.exit(1);
  }
}

function browserMode(why) {
  console.log(
    `\n${why}\nStarting browser mode instead: the same app, served on 127.0.0.1 for your browser.\n`,
  );
  buildApp();
  // the build includes the CLI (out/main/cli.js): it starts in a fraction of the time tsx takes
  // the engine's Node options (ENGINE_NODE_FLAGS, main/host/engineHeap.ts; a test keeps the two the same)
  const engineFlags = ['--max-semi-space-size=64'];
  const child = spawn(
    process.execPath,
    [...engineFlags, join(root, 'out', 'main', 'cli.js'), 'serve', ...passThrough],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  child.on('exit', (code) => process.exit(code ?? 0));
}

let bin = electronBinary();
if (!bin && existsSync(join(electronDir, 'install.js'))) {
  console.log('Fetching the Electron binary (first start only) …');
  spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    stdio: 'ignore',
    timeout: 300_000,
  });
  bin = electronBinary();
}
if (!bin) {
  browserMode(
    'Electron could not be started: its binary is not installed and could not be downloaded (Electron fetches it from GitHub on first start, which needs network access). Run "npm start" again on a machine with internet access to get the desktop window.',
  );
} else {
  try {
    buildForElectron();
    buildApp();
    const child = spawn(bin, [root, ...passThrough], { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
  } catch (e) {
    browserMode(
      `Electron is installed, but the database module could not be built for it (${e.message}). It needs network access once, for Electron's headers.`,
    );
  }
}
