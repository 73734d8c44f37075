import { describe, expect, it } from 'vitest';
import { LineEditor, splitKeys, type EditorEvent } from '../../../main/shell/lineEditor';
import { Screen } from '../../helpers/screen';

const PROMPT = '$ ';

/** Types keys into an editor shown on a terminal; returns the screen and the events. */
async function typing(keys: string[], history: string[] = [], columns = 80) {
  const screen = new Screen(columns);
  const editor = new LineEditor(PROMPT, history);
  editor.columns = columns;
  await screen.write(editor.reset());
  const events: EditorEvent[] = [];
  for (const k of keys) {
    const r = editor.feed(k);
    events.push(...r.events);
    await screen.write(r.output);
  }
  return { screen, editor, events };
}

describe('the line editor', () => {
  it('splits escape sequences as whole keys', () => {
    expect(splitKeys('ab\x1b[Dc\x1b[1;5C\x1bb')).toEqual(['a', 'b', '\x1b[D', 'c', '\x1b[1;5C', '\x1bb']);
  });

  it('types, moves the cursor and inserts in the middle', async () => {
    const { screen, events } = await typing([
      'kubectl get pod',
      '\x1b[D',
      '\x1b[D',
      '\x1b[D',
      's',
      '\x1b[F',
      's\r',
    ]);
    expect(screen.lines()[0]).toBe('$ kubectl get spods');
    expect(events).toEqual([{ kind: 'submit', line: 'kubectl get spods' }]);
  });

  it('moves by words and edits with Ctrl-A, Ctrl-E, Ctrl-K, Ctrl-U, Ctrl-W', async () => {
    const w = await typing(['kubectl get pods -n demo', '\x1bb', '\x1bb', '\x0b']);
    expect(w.screen.lines()[0]).toBe('$ kubectl get pods -');
    const u = await typing(['kubectl get pods', '\x1b[D', '\x1b[D', '\x15']);
    expect(u.editor.line).toBe('ds');
    const kw = await typing(['kubectl get pods', '\x17']);
    expect(kw.editor.line).toBe('kubectl get '); // as bash's unix-word-rubout: the space before the word stays
    const home = await typing(['get pods', '\x01', 'kubectl ']);
    expect(home.editor.line).toBe('kubectl get pods');
    expect(home.screen.cursor().x).toBe(PROMPT.length + 'kubectl '.length);
  });

  it('walks the history with the arrows, keeping the line being typed', async () => {
    const { screen, editor } = await typing(
      ['draft', '\x1b[A', '\x1b[A'],
      ['kubectl get ns', 'kubectl get pods'],
    );
    expect(screen.lines()[0]).toBe('$ kubectl get ns');
    expect(editor.feed('\x1b[B\x1b[B').events).toEqual([]);
    expect(editor.line).toBe('draft');
  });

  it('searches the history backwards with Ctrl-R, as bash does', async () => {
    const history = ['kubectl get pods', 'govc ls', 'kubectl get nodes'];
    const { screen, events } = await typing(['\x12', 'get', '\x12'], history);
    expect(screen.lines()[0]).toBe("(reverse-i-search)`get': kubectl get pods");
    const failed = await typing(['\x12', 'zzz'], history);
    expect(failed.screen.lines()[0]).toBe("(failed reverse-i-search)`zzz':");
    const run = await typing(['\x12', 'govc', '\r'], history);
    expect(run.events).toEqual([{ kind: 'submit', line: 'govc ls' }]);
    expect(events).toEqual([]);
  });

  it('stops on Ctrl-C, ends on Ctrl-D on an empty line, clears on Ctrl-L, asks for completion on Tab', async () => {
    const c = await typing(['kubectl get', '\x03']);
    expect(c.events).toEqual([{ kind: 'interrupt' }]);
    expect(c.screen.lines()[0]).toBe('$ kubectl get^C');
    expect((await typing(['\x04'])).events).toEqual([{ kind: 'eof' }]);
    const l = await typing(['echo one\r', 'echo two', '\x0c']);
    expect(l.screen.lines()).toEqual(['$ echo two']);
    expect((await typing(['kubectl ge', '\t'])).events).toEqual([
      { kind: 'complete', line: 'kubectl ge', cursor: 10 },
    ]);
  });

  it('edits a line longer than the terminal is wide, over several rows', async () => {
    const LEFT = '\x1b[D';
    const line = 'kubectl get pods -n demo -o wide --show-labels';
    // 20 columns: the prompt and the line take three rows
    const { screen, editor } = await typing([...line, ...Array<string>(20).fill(LEFT), '\x7f', 'X'], [], 20);
    const want = `${line.slice(0, line.length - 21)}X${line.slice(line.length - 20)}`;
    expect(editor.line).toBe(want);
    expect(screen.lines()).toEqual(['$ kubectl get pods -', 'n demo Xo wide --sho', 'w-labels']);
    // the cursor sits after the X: column 8 of the second row
    expect(screen.cursor()).toEqual({ x: 8, y: 1 });
    // a line that ends exactly at the margin leaves the cursor at the start of the next row
    const exact = await typing([...'x'.repeat(18)], [], 20);
    expect(exact.screen.cursor()).toEqual({ x: 0, y: 1 });
    await exact.screen.write(exact.editor.feed('\x7f').output);
    expect(exact.screen.lines()).toEqual(['$ xxxxxxxxxxxxxxxxx']);
    expect(exact.screen.cursor()).toEqual({ x: 19, y: 0 });
    // Enter from the middle of a wrapped line goes below all of it
    await screen.write(editor.feed('\r').output);
    expect(screen.cursor()).toEqual({ x: 0, y: 3 });
  });

  it('moves and deletes over a character outside the BMP as one, and counts wide characters twice', async () => {
    const { editor, screen } = await typing(['a', '😀', 'b', '\x1b[D', '\x7f']);
    expect(editor.line).toBe('ab');
    expect(screen.cursor()).toEqual({ x: 3, y: 0 });
    const wide = await typing([...'日本語', '\x1b[D']);
    expect(wide.screen.cursor()).toEqual({ x: 6, y: 0 });
  });

  it('remembers submitted lines without blanks or repeats', () => {
    const e = new LineEditor(PROMPT);
    for (const l of ['a', 'a', '', '  ', 'b']) e.remember(l);
    expect(e.history).toEqual(['a', 'b']);
  });
});
