// `npm run lab -- <command>`: the command-line host of the engine.
//   serve [--data-dir DIR] [--port N]   open the lab and serve browser mode on 127.0.0.1
//   info  [--data-dir DIR]              where the lab lives and what it holds
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Lab } from '../sim/lab';
import { appRoot, appVersion } from './appInfo';
import { startBrowserServer } from './browser/server';
import { AppEngine } from './app/engine';
import { labPath, resolveDataDir } from './dataDir';
import { defaultScenario, shippedScenarios } from './scenarios';
import { contextsFor, kubeconfig, mintToken } from './endpoint/kubeconfig';
import { startEndpoint } from './endpoint/server';
import { labTls } from './endpoint/tls';
import { groupsOf, principalName } from '../sim/vcenter/sso';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createShell } from '../shell';
import { runLabsCli } from '../labs/cli';
import { tuneEngineHeap } from './engineHeap';

const usage = `usage: npm run lab -- <command> [flags]

commands:
  serve        open the lab: browser mode and the Kubernetes API endpoint on 127.0.0.1
  kubeconfig   print a kubeconfig for the lab's endpoint (the lab must not be open elsewhere)
  shell        the lab shell in this terminal; with -c 'CMD; CMD' or --script FILE it runs them and exits
  info         print where the lab lives and what it holds
  labs         guided labs and exam mode: labs ls, labs check LAB [--step N], … (labs --help)

flags:
  --data-dir DIR   where labs are kept (default ~/.local/share/supervisor-lab)
  --lab NAME       which lab to open (default "default")
  --port N         browser-mode port for serve (default: a free port)
  --api-port N     Kubernetes API port for serve (default 6443; 0 picks a free port)
  --user NAME      SSO user for kubeconfig (default administrator@vsphere.local)
  -c CMDS          shell: run these commands and exit with the last one's status
  --script FILE    shell: run the commands in FILE
  --speed MODE     shell: stepped (default with -c/--script), realtime, or a speed factor such as 10;
                   serve: the same (default realtime)
`;

function parsePort(text: string, flag: string): number | undefined {
  const port = Number(text);
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  process.stderr.write(`error: invalid ${flag}: ${text}\n`);
  return undefined;
}

/** Writes the administrator's kubeconfig next to the lab, for `export KUBECONFIG=…`. */
function writeAdminKubeconfig(
  lab: Lab,
  server: string,
  caCert: string,
  dataDir: string,
  labName: string,
): string {
  const principal = 'administrator@vsphere.local';
  const user = { username: principal, groups: [...groupsOf(lab.world, principal), 'system:authenticated'] };
  const { token } = mintToken(lab, user);
  const file = join(dataDir, `kubeconfig-${labName}.yaml`);
  writeFileSync(file, kubeconfig({ server, caCert, user: principal, token, contexts: contextsFor(server) }), {
    mode: 0o600,
  });
  return file;
}

/**
 * `edit FILE` and `kubectl edit` in a real terminal: the text goes to a temporary file that $VISUAL or
 * $EDITOR (else vi) edits with the terminal to itself; what it saves comes back, undefined if it failed.
 */
function editInTerminal(name: string, text: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'supervisor-lab-edit-'));
  const file = join(dir, basename(name) || 'file');
  try {
    writeFileSync(file, text);
    process.stdin.setRawMode?.(false);
    const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
    // through sh, as git runs $EDITOR: it may carry arguments ("code --wait"); the file goes as "$1"
    const r = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
    return r.status === 0 ? readFileSync(file, 'utf8') : undefined;
  } finally {
    process.stdin.setRawMode?.(true);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function shellCommand(
  path: string,
  values: { c?: string; script?: string; speed?: string },
): Promise<number> {
  const scripted = values.c !== undefined || values.script !== undefined;
  const speedText = values.speed ?? (scripted ? 'stepped' : 'realtime');
  const speed = speedText === 'realtime' ? 1 : Number(speedText);
  if (speedText !== 'stepped' && !(speed > 0)) {
    process.stderr.write(
      `error: invalid --speed: ${speedText} (stepped, realtime, or a factor such as 10)\n`,
    );
    return 2;
  }
  let src: string | undefined = values.c;
  if (values.script !== undefined) {
    try {
      src = readFileSync(values.script, 'utf8');
    } catch {
      process.stderr.write(`error: cannot read ${values.script}\n`);
      return 2;
    }
  }
  const lab = Lab.open({
    path,
    wall: () => Date.now(),
    clock: speedText === 'stepped' ? { kind: 'stepped' } : { kind: 'realtime', speed },
    scenario: defaultScenario(),
  });
  if (src !== undefined) {
    const session = createShell(lab, {
      write: (d) => process.stdout.write(d),
      terminal: false,
      scenarios: shippedScenarios,
    });
    const status = await session.runScript(src);
    lab.close();
    return status;
  }
  let exit: (status: number) => void = () => {};
  const session = createShell(lab, {
    write: (d) => process.stdout.write(d),
    columns: process.stdout.columns,
    onExit: (status) => exit(status),
    edit: ({ name, text }) => Promise.resolve(editInTerminal(name, text)),
    scenarios: shippedScenarios,
  });
  process.stdout.on('resize', () => (session.editor.columns = process.stdout.columns));
  const ticker = setInterval(() => lab.settle(), 250);
  return new Promise<number>((resolve) => {
    const stop = (status: number) => {
      clearInterval(ticker);
      process.stdin.setRawMode?.(false);
      process.stdin.pause();
      lab.close();
      resolve(status);
    };
    exit = stop;
    process.stdin.setRawMode?.(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => {
      if (d === '\x04' && session.editor.line === '') return stop(session.lastStatus);
      session.feed(d);
    });
    process.stdin.on('end', () => stop(session.lastStatus));
    session.start();
  });
}

export async function main(argv: string[]): Promise<number> {
  tuneEngineHeap();
  if (argv[0] === 'labs')
    return runLabsCli(argv.slice(1), {
      open: (o) =>
        Lab.open({
          path: labPath(resolveDataDir(o), o.lab),
          wall: () => Date.now(),
          scenario: defaultScenario(),
        }),
      root: join(appRoot, 'resources', 'labs'),
      scenarios: shippedScenarios,
    });
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        lab: { type: 'string', default: 'default' },
        port: { type: 'string' },
        'api-port': { type: 'string', default: '6443' },
        user: { type: 'string', default: 'administrator@vsphere.local' },
        c: { type: 'string', short: 'c' },
        script: { type: 'string' },
        speed: { type: 'string' },
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
      const port = parsePort(values.port ?? '0', '--port');
      const apiPort = parsePort(values['api-port'] ?? '6443', '--api-port');
      if (port === undefined || apiPort === undefined) return 2;
      // --speed stepped serves a lab whose time moves only when stepped (scripts, end-to-end tests)
      const speedText = values.speed ?? 'realtime';
      const speed = speedText === 'realtime' ? 1 : Number(speedText);
      if (speedText !== 'stepped' && !(speed > 0)) {
        process.stderr.write(
          `error: invalid --speed: ${speedText} (stepped, realtime, or a factor such as 10)\n`,
        );
        return 2;
      }
      const lab = Lab.open({
        path,
        wall,
        clock: speedText === 'stepped' ? { kind: 'stepped' } : { kind: 'realtime', speed },
        scenario: defaultScenario(),
      });
      const tls = await labTls(lab.store, values.lab ?? 'default');
      let endpoint;
      try {
        endpoint = await startEndpoint(lab, tls, apiPort);
      } catch (err) {
        process.stderr.write(
          `error: cannot listen on 127.0.0.1:${apiPort} for the Kubernetes API (${(err as Error).message}); choose another with --api-port\n`,
        );
        lab.close();
        return 1;
      }
      const app = new AppEngine({ lab, labPath: path, version: appVersion, scenarios: shippedScenarios });
      const server = await startBrowserServer({
        rendererDir: join(appRoot, 'out', 'renderer'),
        port,
        host: app,
      });
      const admin = writeAdminKubeconfig(lab, endpoint.url, tls.caCert, dataDir, values.lab ?? 'default');
      const ticker = setInterval(() => {
        lab.settle();
        app.poll();
      }, 250);
      const bookmarks = setInterval(() => lab.api.hub.bookmark(), 60_000);
      process.stdout.write(
        `Supervisor Lab ${appVersion}\nlab:            ${path}\nbrowser mode:   ${server.url}\nKubernetes API: ${endpoint.url}\nkubeconfig:     ${admin} (administrator@vsphere.local; export KUBECONFIG=${admin})\n`,
      );
      const stop = () => {
        clearInterval(ticker);
        clearInterval(bookmarks);
        void Promise.all([server.close(), endpoint.close()]).then(() => {
          lab.close();
          process.exit(0);
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return new Promise<number>(() => {});
    }
    case 'shell':
      return shellCommand(path, values);
    case 'kubeconfig': {
      const apiPort = parsePort(values['api-port'] ?? '6443', '--api-port');
      if (apiPort === undefined) return 2;
      let lab: Lab;
      try {
        lab = Lab.open({ path, wall, scenario: defaultScenario() });
      } catch (err) {
        process.stderr.write(
          `error: cannot open ${path} (${(err as Error).message}). If \`npm run lab -- serve\` has it open, use its kubeconfig or \`kubectl vsphere login\`.\n`,
        );
        return 1;
      }
      try {
        const principal = principalName(values.user ?? 'administrator@vsphere.local');
        if (!lab.world.vc.tryGet('ssousers', '', principal)) {
          process.stderr.write(`error: no SSO user "${principal}" in this lab\n`);
          return 1;
        }
        const user = {
          username: principal,
          groups: [...groupsOf(lab.world, principal), 'system:authenticated'],
        };
        const tls = await labTls(lab.store, values.lab ?? 'default');
        const { token } = mintToken(lab, user);
        const server = `https://127.0.0.1:${apiPort}`;
        process.stdout.write(
          kubeconfig({ server, caCert: tls.caCert, user: principal, token, contexts: contextsFor(server) }),
        );
        return 0;
      } finally {
        lab.close();
      }
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
