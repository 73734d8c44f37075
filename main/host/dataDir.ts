// Where labs live: --data-dir if given, else Electron's userData (passed in by the Electron host), else
// $XDG_DATA_HOME/supervisor-lab or ~/.local/share/supervisor-lab. A lab is one .db file in labs/.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function resolveDataDir(
  opts: { dataDir?: string; electronUserData?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  const env = opts.env ?? process.env;
  if (opts.dataDir) return resolve(opts.dataDir);
  if (opts.electronUserData) return opts.electronUserData;
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.local', 'share'), 'supervisor-lab');
}

export function labPath(dataDir: string, lab = 'default'): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(lab)) throw new Error(`invalid lab name: ${lab}`);
  const dir = join(dataDir, 'labs');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${lab}.db`);
}
