// Assembles a lab shell: a session with the builtins, text filters and lab commands over one lab. The
// app's terminal tabs, browser mode and the CLI all make their sessions here.
import { Workspace } from '../store/files';
import type { Lab } from '../sim/lab';
import { MAX_STEP, MAX_STEP_MS, parseDuration } from '../sim/runtime/clock';
import { builtins } from './commands/builtins';
import { labCommand, type ScenarioSource } from './commands/lab';
import { textCommands } from './commands/text';
import { kubectlCommand } from './commands/kubectl';
import { govcCommand } from './commands/govc';
import { SUPERVISOR } from '../sim/lab';
import type { SupervisorStatus } from '../sim/supervisor/controller';
import { authenticate as authenticateSso, groupsOf, sessionUser } from '../sim/vcenter/sso';
import { guestSpaceAt, tkcLogin, workloadsOf } from '../sim/supervisor/access';
import type { KubectlEnv } from './commands/kubectl/target';
import type { Pause } from './commands/kubectl/wait';
import {
  emptyKubeconfig,
  kubeconfigPath,
  mintToken,
  principalOf,
  readKubeconfig,
  writeKubeconfig,
} from './kubeconfig';
import { Session, type CommandFn, type SessionOptions } from './session';
import { complete } from './completion';

/** Lab time passes: at once on a stepped clock (the lab advances), in real time otherwise, until aborted. */
function pauseIn(lab: Lab): Pause {
  return (ms, signal) => {
    const mode = lab.clock.getMode();
    if (mode.kind === 'stepped') {
      lab.advance(ms);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms / mode.speed);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  };
}

/** `sleep DURATION`: lab time passes — at once on a stepped clock, in real time otherwise. */
function sleepCommand(lab: Lab): CommandFn {
  const pause = pauseIn(lab);
  return async ({ argv, err, signal }) => {
    const ms = argv[1] === undefined ? undefined : parseDuration(argv[1]);
    if (ms === undefined) {
      err(`sleep: invalid time interval '${argv[1] ?? ''}'\n`);
      return 1;
    }
    if (lab.clock.getMode().kind === 'stepped' && ms > MAX_STEP_MS) {
      err(`sleep: ${argv[1]} is more than the ${MAX_STEP} the stepped lab clock advances at once\n`);
      return 1;
    }
    await pause(ms, signal);
    return signal.aborted ? 130 : 0;
  };
}

export interface ShellOptions {
  write(data: string): void;
  terminal?: boolean;
  history?: string[];
  /** the terminal's width (default 80); set `session.editor.columns` when it is resized */
  columns?: number;
  /** `exit` typed in the terminal */
  onExit?: (status: number) => void;
  /** the editor `edit FILE`, `vi FILE` and `kubectl edit` open (the app's YAML editor, $EDITOR in the CLI) */
  edit?: SessionOptions['edit'];
  /** the scenarios `lab reset` and `lab scenario` start from (the host's resources/scenarios) */
  scenarios?: ScenarioSource;
}

/** The lab's endpoint as `npm run lab -- serve` offers it; in the lab shell it stands for the Supervisor. */
export const LAB_ENDPOINT = '127.0.0.1:6443';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const HISTORY_LIMIT = 1000;

/** The Supervisor's API endpoint VIP once Workload Management has given it one. */
function supervisorAddress(lab: Lab): string | undefined {
  const sup = lab.world.vc.list('supervisors').items[0];
  return (sup?.status as SupervisorStatus | undefined)?.apiEndpoint || undefined;
}

/** What kubectl in the lab shell reaches: the Supervisor at its VIP (or the lab's loopback endpoint), as whom. */
export function kubectlEnv(lab: Lab): KubectlEnv {
  const apiServerAt = (host: string): boolean =>
    LOOPBACK.has(host) || host === supervisorAddress(lab) || guestSpaceAt(lab.world, host) !== undefined;
  return {
    now: () => lab.clock.now(),
    spaceAt(server) {
      let url: URL;
      try {
        url = new URL(server);
      } catch {
        return { error: `error: couldn't parse server address "${server}"\n` };
      }
      const port = url.port || (url.protocol === 'http:' ? '80' : '443');
      const at = `${url.hostname}:${port}`;
      if (!apiServerAt(url.hostname))
        return { error: `Unable to connect to the server: dial tcp ${at}: i/o timeout\n` };
      if (!LOOPBACK.has(url.hostname) && port !== '6443')
        return {
          error: `The connection to the server ${at} was refused - did you specify the right host or port?\n`,
        };
      const m = /^\/clusters\/([^/]+)\/?$/.exec(url.pathname);
      if (m) return decodeURIComponent(m[1]!);
      // a TKC's control-plane address is its guest cluster
      return guestSpaceAt(lab.world, url.hostname) ?? SUPERVISOR;
    },
    userFor: (token) => sessionUser(lab.world, token),
    pause: pauseIn(lab),
    stepped: () => lab.clock.getMode().kind === 'stepped',
    login(r) {
      const host = r.server.startsWith('[')
        ? r.server.slice(0, r.server.indexOf(']') + 1)
        : r.server.split(':')[0]!;
      if (!apiServerAt(host))
        return {
          error: `Error occurred during HTTP request: Post "https://${host}/wcp/login": dial tcp ${host}:443: i/o timeout`,
        };
      if (!r.insecure)
        return {
          error: `Error occurred during HTTP request: Post "https://${host}/wcp/login": x509: certificate signed by unknown authority`,
        };
      const user = authenticateSso(lab.world, r.username, r.password);
      if (!user) return { error: 'Error: Login failed: the username or password is incorrect.' };
      const workloads = workloadsOf(lab.world, user);
      if (r.tkc) {
        const t = tkcLogin(lab.world, user, r.tkc.namespace, r.tkc.name);
        if (!t)
          return {
            error: `Error: Unable to find a Tanzu Kubernetes cluster "${r.tkc.name}" in vSphere Namespace "${r.tkc.namespace}", or you have no access to it.`,
          };
        workloads.push({ namespace: r.tkc.namespace, cluster: r.tkc.name, server: `https://${t.vip}:6443` });
      }
      const { token } = mintToken(lab.world, user);
      lab.api.flush();
      return { token, principal: user.username, host, workloads };
    },
  };
}

/**
 * A new lab's kubeconfig: the administrator signed in to the lab's endpoint, as after
 * `kubectl vsphere login --server=127.0.0.1:6443 --vsphere-username administrator@vsphere.local`.
 */
function ensureKubeconfig(lab: Lab, ws: Workspace, path: string): void {
  if (ws.stat(path)) return;
  const principal = 'administrator@vsphere.local';
  const { token } = mintToken(lab.world, { username: principal, groups: groupsOf(lab.world, principal) });
  lab.api.flush();
  const host = LAB_ENDPOINT.split(':')[0]!;
  const user = `wcp:${host}:${principal}`;
  writeKubeconfig(ws, path, {
    ...emptyKubeconfig(),
    clusters: [
      { name: host, cluster: { server: `https://${LAB_ENDPOINT}`, 'insecure-skip-tls-verify': true } },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: host, context: { cluster: host, user } }],
    'current-context': host,
  });
}

/** bash's history file with timestamps (HISTTIMEFORMAT): `#<seconds>` before each entry. */
function loadHistory(ws: Workspace, path: string): string[] {
  let text: string;
  try {
    text = ws.read(path);
  } catch {
    return [];
  }
  const entries: string[] = [];
  let cur: string[] | undefined;
  for (const line of text.split('\n')) {
    if (/^#\d+$/.test(line)) {
      if (cur) entries.push(cur.join('\n'));
      cur = [];
    } else if (cur) cur.push(line);
    else if (line) entries.push(line);
  }
  if (cur) entries.push(cur.join('\n').replace(/\n$/, ''));
  return entries.filter(Boolean).slice(-HISTORY_LIMIT);
}

export function createShell(lab: Lab, o: ShellOptions): Session {
  const kubectl = kubectlCommand(lab.api, kubectlEnv(lab));
  const commands = new Map<string, CommandFn>(
    Object.entries({
      ...builtins,
      ...textCommands,
      lab: labCommand(lab, o.scenarios),
      sleep: sleepCommand(lab),
      kubectl,
    }),
  );
  commands.set('govc', govcCommand(lab));
  commands.set('help', ({ out }) => {
    out(
      `Supervisor Lab shell. Commands: ${[...commands.keys()].sort().join(', ')}\nAliases: k=kubectl. Try: lab status, lab topology, lab explain supervisor Workload-Cluster\n`,
    );
    return 0;
  });
  const workspace = new Workspace(lab.store, () => lab.clock.nowMs());
  const home = () => (session.env.get('HOME') ?? '/').replace(/(.)\/+$/, '$1');
  ensureKubeconfig(lab, workspace, '/.kube/config');
  /** the current context as the prompt and completion see it */
  const current = () => {
    const config = readKubeconfig(workspace, kubeconfigPath(session.env, session.cwd));
    if ('error' in config) return undefined;
    const name = config['current-context'];
    const context = config.contexts.find((c) => c.name === name)?.context;
    const token = config.users.find((u) => u.name === context?.user)?.user.token;
    return {
      name,
      user: principalOf(context?.user ?? ''),
      namespace: context?.namespace || 'default',
      /** who the API sees: names are completed as kubectl would list them, with this user's rights */
      identity: typeof token === 'string' ? sessionUser(lab.world, token) : undefined,
    };
  };
  const historyFile = () => `${home().replace(/\/$/, '')}/.bash_history`;
  const session: Session = new Session({
    workspace,
    commands,
    prompt: (s) => {
      const c = current();
      const where = s.cwd === home() ? '~' : s.cwd;
      return c?.name ? `${c.user || 'anonymous'} (${c.name}) ${where} $ ` : `(no context) ${where} $ `;
    },
    complete: (session, line, cursor) => {
      const c = current();
      return complete(line, cursor, {
        api: lab.api,
        workspace: session.workspace,
        cwd: session.cwd,
        commands: [...commands.keys(), ...session.aliases.keys()],
        // signed out or expired: no live names, as kubectl's own completion would get none
        user: c?.identity ?? { username: 'system:anonymous', groups: ['system:unauthenticated'] },
        space: 'supervisor',
        namespace: c?.namespace ?? 'default',
      });
    },
    history: o.history ?? loadHistory(workspace, '/.bash_history'),
    onHistory: (entry) => {
      try {
        workspace.write(historyFile(), `#${Math.floor(lab.clock.nowMs() / 1000)}\n${entry}\n`, true);
      } catch {
        // HOME may point where no file can be written, as bash goes on without its history file
      }
    },
    write: o.write,
    terminal: o.terminal,
    onExit: o.onExit,
    edit: o.edit,
  });
  session.editor.columns = o.columns ?? 80;
  return session;
}
