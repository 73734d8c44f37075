import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import { adminClient, newLab } from '../../helpers/lab';

let lab: Lab;
afterEach(() => lab?.close());

/** A shell whose editor applies `change` to what it is given (as a learner would type), recording each opening. */
function shell(change: (text: string, call: number) => string | undefined) {
  lab?.close();
  lab = newLab();
  const opened: { name: string; text: string }[] = [];
  let out = '';
  const session = createShell(lab, {
    write: (d) => (out += d),
    terminal: false,
    edit: ({ name, text }) => {
      opened.push({ name, text });
      return Promise.resolve(change(text, opened.length));
    },
  });
  const run = async (line: string) => {
    out = '';
    await session.runScript(`${line} 2> /err.txt`);
    return { status: session.lastStatus, out, err: session.workspace.read('/err.txt') };
  };
  return { session, run, opened };
}

const settings = () => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'default' },
  data: { color: 'blue', size: 'm' },
});

describe('edit FILE and vi FILE', () => {
  it('opens the workspace file in the editor and writes back what is saved; a new file is made', async () => {
    const { session, run, opened } = shell((t) => `${t}added\n`);
    session.workspace.write('/notes.txt', 'first\n');
    expect(await run('edit notes.txt')).toEqual({ status: 0, out: '', err: '' });
    expect(session.workspace.read('/notes.txt')).toBe('first\nadded\n');
    expect(opened[0]).toEqual({ name: '/notes.txt', text: 'first\n' });
    expect(await run('vi new.yaml')).toMatchObject({ status: 0 });
    expect(session.workspace.read('/new.yaml')).toBe('added\n');
    expect(await run('vi')).toEqual({ status: 2, out: '', err: 'vi: usage: vi FILE\n' });
    session.workspace.mkdir('/dir');
    expect(await run('edit dir')).toEqual({ status: 1, out: '', err: 'edit: dir: Is a directory\n' });
  });

  it('leaves the file alone when the edit is abandoned, and says so where there is no editor', async () => {
    const { session, run } = shell(() => undefined);
    session.workspace.write('/notes.txt', 'first\n');
    expect(await run('edit notes.txt')).toMatchObject({ status: 0 });
    expect(session.workspace.read('/notes.txt')).toBe('first\n');
    const script = createShell(lab, { write: () => {}, terminal: false });
    await script.runScript('vi notes.txt 2> /err.txt');
    expect(script.lastStatus).toBe(1);
    expect(script.workspace.read('/err.txt')).toMatch(/^vi: no editor here/);
  });
});

describe('kubectl edit', () => {
  it('opens the object under kubectl’s header and patches what changed', async () => {
    const { run, opened } = shell((t) => t.replace('color: blue', 'color: green'));
    adminClient(lab).create(settings());
    expect(await run('kubectl edit cm settings')).toEqual({
      status: 0,
      out: 'configmap/settings edited\n',
      err: '',
    });
    expect(opened[0]!.text).toMatch(
      /^# Please edit the object below\. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit\. If an error occurs while saving this file will be\n# reopened with the relevant failures\.\n#\napiVersion: v1\ndata:\n {2}color: blue\n/,
    );
    expect(adminClient(lab).get('configmaps', 'default', 'settings').data).toEqual({
      color: 'green',
      size: 'm',
    });
  });

  it('removes a field deleted in the editor', async () => {
    const { run } = shell((t) => t.replace('  size: m\n', ''));
    adminClient(lab).create(settings());
    // -o json opens JSON, where there is no "  size: m" line to delete: nothing changed
    expect(await run('kubectl edit configmap/settings -o json')).toEqual({
      status: 0,
      out: '',
      err: 'Edit cancelled, no changes made.\n',
    });
    const { run: run2 } = shell((t) => t.replace('  size: m\n', ''));
    adminClient(lab).create(settings());
    expect(await run2('kubectl edit configmap/settings')).toMatchObject({
      status: 0,
      out: 'configmap/settings edited\n',
    });
    expect(adminClient(lab).get('configmaps', 'default', 'settings').data).toEqual({ color: 'blue' });
  });

  it('cancels on no change or an empty file, and refuses a changed name', async () => {
    const same = shell((t) => t);
    adminClient(lab).create(settings());
    expect(await same.run('kubectl edit cm settings')).toEqual({
      status: 0,
      out: '',
      err: 'Edit cancelled, no changes made.\n',
    });
    const empty = shell(() => '# nothing\n');
    adminClient(lab).create(settings());
    expect(await empty.run('kubectl edit cm settings')).toEqual({
      status: 0,
      out: '',
      err: 'Edit cancelled, saved file was empty.\n',
    });
    const renamed = shell((t, call) => (call === 1 ? t.replace('name: settings', 'name: other') : t));
    adminClient(lab).create(settings());
    expect(await renamed.run('kubectl edit cm settings')).toEqual({
      status: 1,
      out: '',
      err: 'error: Edit cancelled, no valid changes were saved.\n',
    });
    expect(renamed.opened[1]!.text).toContain(
      '# Error: At least one of apiVersion, kind and name was changed\n',
    );
  });

  it('reopens a refused edit with the reasons on top; saving it unchanged gives up and changes nothing', async () => {
    const { run, opened } = shell((t, call) => (call === 1 ? t.replace('color: blue', 'color: [1, 2]') : t));
    adminClient(lab).create(settings());
    expect(await run('kubectl edit cm settings')).toEqual({
      status: 1,
      out: '',
      err: 'error: Edit cancelled, no valid changes were saved.\n',
    });
    expect(opened).toHaveLength(2);
    expect(opened[1]!.text).toMatch(/# configmaps "settings" was not valid:\n# \* /);
    expect(opened[1]!.text).toContain('color: [1, 2]');
    expect(adminClient(lab).get('configmaps', 'default', 'settings').data).toEqual({
      color: 'blue',
      size: 'm',
    });
  });

  it('gives kubectl’s errors for what is not there', async () => {
    const { run } = shell((t) => t);
    expect(await run('kubectl edit cm nope')).toEqual({
      status: 1,
      out: '',
      err: 'Error from server (NotFound): configmaps "nope" not found\n',
    });
    expect(await run('kubectl edit widgets x')).toMatchObject({
      status: 1,
      err: 'error: the server doesn\'t have a resource type "widgets"\n',
    });
    expect((await run('kubectl edit')).err).toMatch(/^error: You must provide one or more resources/);
  });
});
