import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../../main/store/files';
import { builtins } from '../../../main/shell/commands/builtins';
import { textCommands } from '../../../main/shell/commands/text';
import { Session, type CommandFn } from '../../../main/shell/session';
import type { Lab } from '../../../main/sim/lab';
import { newLab } from '../../helpers/lab';
import { Screen } from '../../helpers/screen';

let lab: Lab;
afterEach(() => lab?.close());

/** A session on a headless terminal; `type` sends keys and waits until they have run. */
async function shell(extra: Record<string, CommandFn> = {}) {
  lab = newLab();
  const screen = new Screen(100, 30);
  const writes: Promise<void>[] = [];
  const session = new Session({
    workspace: new Workspace(lab.store, () => lab.clock.nowMs()),
    commands: new Map(Object.entries({ ...builtins, ...textCommands, ...extra })),
    write: (d) => writes.push(screen.write(d)),
  });
  session.start();
  const type = async (keys: string) => {
    session.feed(keys);
    await session.idle();
    await Promise.all(writes);
  };
  return { session, screen, type };
}

describe('a lab shell session', () => {
  it('runs commands, keeps $?, and chains with && and ||', async () => {
    const { screen, type } = await shell();
    await type('echo hello world\r');
    await type('false; echo $?\r');
    await type('false && echo no || echo yes\r');
    await type('false || echo $?\r');
    expect(screen.lines()).toEqual([
      '$ echo hello world',
      'hello world',
      '$ false; echo $?',
      '1',
      '$ false && echo no || echo yes',
      'yes',
      '$ false || echo $?',
      '1',
      '$',
    ]);
  });

  it('pipes through the text filters', async () => {
    const { screen, type } = await shell();
    await type("echo 'web-1 Running\nweb-2 Pending\ndb-1 Running' > pods.txt\r");
    await type('cat pods.txt | grep Running | wc -l\r');
    await type('cat pods.txt | grep -v -i running | cut -d " " -f 1\r');
    await type('cat pods.txt | sort -r | head -n 1\r');
    expect(screen.lines().slice(-7)).toEqual([
      '$ cat pods.txt | grep Running | wc -l',
      '2',
      '$ cat pods.txt | grep -v -i running | cut -d " " -f 1',
      'web-2',
      '$ cat pods.txt | sort -r | head -n 1',
      'web-2 Pending',
      '$',
    ]);
  });

  it('writes and appends workspace files, and sends stderr to /dev/null or stdout', async () => {
    const { screen, type, session } = await shell();
    await type('echo one > notes.txt; echo two >> notes.txt\r');
    expect(session.workspace.read('/notes.txt')).toBe('one\ntwo\n');
    await type('cat missing.txt 2>/dev/null; echo $?\r');
    await type('cat missing.txt > out.txt 2>&1\r');
    expect(session.workspace.read('/out.txt')).toBe('cat: missing.txt: No such file or directory\n');
    await type('mkdir -p manifests/demo && cd manifests && pwd && ls\r');
    expect(screen.lines().slice(-7)).toEqual([
      '$ cat missing.txt 2>/dev/null; echo $?',
      '1',
      '$ cat missing.txt > out.txt 2>&1',
      '$ mkdir -p manifests/demo && cd manifests && pwd && ls',
      '/manifests',
      'demo',
      '$',
    ]);
  });

  it('continues at "> " until a heredoc ends, expanding variables in it', async () => {
    const { screen, type, session } = await shell();
    await type('export NS=demo\r');
    await type('cat <<EOF > ns.yaml\r');
    await type('kind: Namespace\r');
    await type('name: $NS\r');
    await type('EOF\r');
    expect(session.workspace.read('/ns.yaml')).toBe('kind: Namespace\nname: demo\n');
    expect(screen.lines().slice(1, 5)).toEqual([
      '$ cat <<EOF > ns.yaml',
      '> kind: Namespace',
      '> name: $NS',
      '> EOF',
    ]);
  });

  it('prints bash’s messages for unknown commands and syntax errors', async () => {
    const { screen, type } = await shell();
    await type('kubeclt get pods\r');
    await type('echo $?\r');
    await type('echo a |\r| grep b\r');
    expect(screen.lines()).toEqual([
      '$ kubeclt get pods',
      'bash: kubeclt: command not found',
      '$ echo $?',
      '127',
      '$ echo a |',
      '> | grep b',
      "bash: syntax error near unexpected token `|'",
      '$',
    ]);
  });

  it('expands the k alias and stops a running command with Ctrl-C', async () => {
    let seen: string[] = [];
    const kubectl: CommandFn = ({ argv, signal, out }) => {
      seen = argv;
      if (argv[1] !== 'wait') return 0;
      return new Promise((resolve) =>
        signal.addEventListener('abort', () => (out('stopped\n'), resolve(130))),
      );
    };
    const { session, screen, type } = await shell({ kubectl });
    await type('k get pods\r');
    expect(seen).toEqual(['kubectl', 'get', 'pods']);
    session.feed('k wait\r');
    await new Promise((r) => setTimeout(r, 10));
    await type('\x03');
    await type('echo $?\r');
    expect(screen.lines().slice(-6)).toEqual(['$ k wait', '^C', 'stopped', '$ echo $?', '130', '$']);
  });
});
