// Assembles a lab shell: a session with the builtins, text filters and lab commands over one lab. The
// app's terminal tabs, browser mode and the CLI all make their sessions here.
import { Workspace } from '../store/files';
import type { Lab } from '../sim/lab';
import { MAX_STEP, MAX_STEP_MS, parseDuration } from '../sim/runtime/clock';
import { builtins } from './commands/builtins';
import { labCommand } from './commands/lab';
import { textCommands } from './commands/text';
import { kubectlCommand } from './commands/kubectl';
import { systemUser } from '../api/types';
import { Session, type CommandFn } from './session';
import { complete } from './completion';

/** `sleep DURATION`: lab time passes — at once on a stepped clock, in real time otherwise. */
function sleepCommand(lab: Lab): CommandFn {
  return ({ argv, err, signal }) => {
    const ms = argv[1] === undefined ? undefined : parseDuration(argv[1]);
    if (ms === undefined) {
      err(`sleep: invalid time interval '${argv[1] ?? ''}'\n`);
      return 1;
    }
    const mode = lab.clock.getMode();
    if (mode.kind === 'stepped') {
      if (ms > MAX_STEP_MS) {
        err(`sleep: ${argv[1]} is more than the ${MAX_STEP} the stepped lab clock advances at once\n`);
        return 1;
      }
      lab.advance(ms);
      return 0;
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(0), ms / mode.speed);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(130);
      });
    });
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
}

export function createShell(lab: Lab, o: ShellOptions): Session {
  const kubectl = kubectlCommand(lab.api, () => ({
    user: systemUser,
    space: 'supervisor',
    namespace: 'default',
    now: () => lab.clock.now(),
  }));
  const commands = new Map<string, CommandFn>(
    Object.entries({ ...builtins, ...textCommands, lab: labCommand(lab), sleep: sleepCommand(lab), kubectl }),
  );
  commands.set('help', ({ out }) => {
    out(
      `Supervisor Lab shell. Commands: ${[...commands.keys()].sort().join(', ')}\nAliases: k=kubectl. Try: lab status, lab topology, lab explain supervisor Workload-Cluster\n`,
    );
    return 0;
  });
  const session = new Session({
    workspace: new Workspace(lab.store, () => lab.clock.nowMs()),
    commands,
    prompt: () => 'administrator@vsphere.local $ ',
    complete: (session, line, cursor) =>
      complete(line, cursor, {
        api: lab.api,
        workspace: session.workspace,
        cwd: session.cwd,
        commands: [...commands.keys(), ...session.aliases.keys()],
        user: systemUser,
        space: 'supervisor',
        namespace: 'default',
      }),
    history: o.history,
    write: o.write,
    terminal: o.terminal,
    onExit: o.onExit,
  });
  session.editor.columns = o.columns ?? 80;
  return session;
}
