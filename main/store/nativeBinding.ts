// better-sqlite3 is a native module, built once per runtime ABI. Node (tests, CLI, browser mode) uses the
// build in node_modules; Electron uses a separate build for its own ABI, kept under .cache/native/ by
// scripts/electron-native.mjs, so rebuilding for Electron never breaks the Node build.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function electronNativeBindingPath(appRoot: string, electronVersion: string): string {
  return join(appRoot, '.cache', 'native', `electron-${electronVersion}`, 'better_sqlite3.node');
}

/** The nativeBinding option for better-sqlite3 in this runtime, or undefined for the default build. */
export function nativeBindingForRuntime(appRoot: string): string | undefined {
  const electron = process.versions.electron;
  if (!electron) return undefined;
  const path = electronNativeBindingPath(appRoot, electron);
  if (!existsSync(path)) {
    throw new Error(
      `better-sqlite3 has not been built for Electron ${electron} (expected ${path}); run "npm start" once with network access`,
    );
  }
  return path;
}
