// `npm run lab -- <command>`: the command-line host of the engine.
//   serve [--data-dir DIR] [--port N]   open the lab and serve browser mode on 127.0.0.1
//   info  [--data-dir DIR]              where the lab lives and what it holds
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Lab } from '../sim/lab';
import { appRoot, appVersion } from './appInfo';
import { startBrowserServer } from './browser/server';
import { labPath, resolveDataDir } from './dataDir';
import { defaultScenario } from './scenarios';

const usage = `usage: npm run lab -- <command> [flags]

commands:
  serve   open the lab and serve the app in browser mode on 127.0.0.1
  info    print where the lab lives and what it holds

flags:
  --data-dir DIR   where labs are kept (default ~/.local/share/supervisor-lab)
  --lab NAME       which lab to open (default "default")
  --port N         browser-mode port for serve (default: a free port)
`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        lab: { type: 'string', default: 'default' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(usage);
    return command || values.help ? 0 : 2;
  }
  const dataDir = resolveDataDir({ dataDir: values['data-dir'] });
  const path = labPath(dataDir, values.lab);
  const wall = () => Date.now();
  switch (command) {
    case 'info': {
      const lab = Lab.open({ path, wall, scenario: defaultScenario() });
      process.stdout.write(
        `Supervisor Lab ${appVersion}\nlab:              ${path}\nresourceVersion:  ${lab.store.currentRv()}\nlab time:         ${lab.clock.now().toISOString()}\nscenario:         ${lab.store.getMeta('scenario') ?? '(none)'}\nAPI spaces:       ${lab.store
          .apiSpaces()
          .map((s) => s.name)
          .join(', ')}\n`,
      );
      lab.close();
      return 0;
    }
    case 'serve': {
      const lab = Lab.open({
        path,
        wall,
        clock: { kind: 'realtime', speed: 1 },
        scenario: defaultScenario(),
      });
      const port = values.port === undefined ? 0 : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`error: invalid --port: ${values.port}\n`);
        lab.close();
        return 2;
      }
      const server = await startBrowserServer({
        rendererDir: join(appRoot, 'out', 'renderer'),
        port,
        info: () => ({
          name: 'Supervisor Lab',
          version: appVersion,
          lab: path,
          labTime: lab.clock.now().toISOString(),
        }),
      });
      const ticker = setInterval(() => lab.settle(), 250);
      process.stdout.write(
        `Supervisor Lab ${appVersion} — browser mode\nlab: ${path}\nopen: ${server.url}\n`,
      );
      const stop = () => {
        clearInterval(ticker);
        void server.close().then(() => {
          lab.close();
          process.exit(0);
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return new Promise<number>(() => {});
    }
    default:
      process.stderr.write(`error: unknown command "${command}"\n${usage}`);
      return 2;
  }
}

const invokedDirectly = process.argv[1] && /cli\.(ts|js|mjs)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
