// The app's terminal tabs: each a lab shell session (createShell) that outlives the window showing it.
// Output is kept as scrollback, so a reloaded window reattaches to the same session and sees what it
// saw before. `edit FILE` and `kubectl edit` open in the app's YAML editor through the editor hook.
import { randomBytes } from 'node:crypto';
import type { Lab } from '../../sim/lab';
import { createShell } from '../../shell';
import type { ScenarioSource } from '../../shell/commands/lab';
import type { Session } from '../../shell/session';
import type { EngineEvent } from '../../../preload/contract';

/** Scrollback kept per session, in characters (about 5,000 lines of 200). */
const SCROLLBACK = 1_000_000;

interface Terminal {
  id: string;
  title: string;
  session: Session;
  scrollback: string;
}

interface PendingEdit {
  resolve(text: string | undefined): void;
  name: string;
  text: string;
}

export class Terminals {
  private readonly sessions = new Map<string, Terminal>();
  private readonly edits = new Map<string, PendingEdit>();
  private counter = 0;

  constructor(
    private readonly lab: Lab,
    private readonly emit: (e: EngineEvent) => void,
    private readonly scenarios?: ScenarioSource,
  ) {}

  /** Attaches to a session (its scrollback comes back) or starts a new one. */
  open(cols: number, id?: string): { id: string; scrollback: string; title: string; cols: number } {
    const existing = id ? this.sessions.get(id) : undefined;
    if (existing) {
      // the scrollback's line editing was drawn at the width the session had: the window replays it at that
      // width, then fits the terminal to its pane (and says the new width)
      const was = existing.session.editor.columns;
      existing.session.editor.columns = cols;
      // an edit still waiting for this window: show it again
      for (const [request, e] of this.edits)
        this.emit({ type: 'editor.open', request, name: e.name, text: e.text });
      return { id: existing.id, scrollback: existing.scrollback, title: existing.title, cols: was };
    }
    const tid = `t${++this.counter}-${randomBytes(4).toString('hex')}`;
    const term: Terminal = {
      id: tid,
      title: `shell ${this.counter}`,
      scrollback: '',
      session: undefined as never,
    };
    term.session = createShell(this.lab, {
      write: (data) => {
        term.scrollback = (term.scrollback + data).slice(-SCROLLBACK);
        this.emit({ type: 'terminal.output', id: tid, data });
      },
      columns: cols,
      onExit: () => {
        this.sessions.delete(tid);
        this.emit({ type: 'terminal.exit', id: tid });
      },
      edit: ({ name, text, signal }) => this.edit(name, text, signal),
      scenarios: this.scenarios,
    });
    this.sessions.set(tid, term);
    term.session.start();
    return { id: tid, scrollback: term.scrollback, title: term.title, cols };
  }

  list(): { id: string; title: string }[] {
    return [...this.sessions.values()].map((t) => ({ id: t.id, title: t.title }));
  }

  input(id: string, data: string): void {
    this.get(id).session.feed(data);
  }

  resize(id: string, cols: number): void {
    this.get(id).session.editor.columns = cols;
  }

  close(id: string): void {
    this.get(id);
    this.sessions.delete(id);
  }

  /** The YAML editor answered an edit: the text saved, or null when abandoned. */
  editDone(request: string, text: string | null): void {
    const e = this.edits.get(request);
    if (!e) throw new Error(`no edit ${request} is waiting`);
    this.edits.delete(request);
    e.resolve(text ?? undefined);
  }

  private edit(name: string, text: string, signal: AbortSignal): Promise<string | undefined> {
    const request = randomBytes(6).toString('hex');
    return new Promise((resolve) => {
      this.edits.set(request, { resolve, name, text });
      signal.addEventListener('abort', () => {
        if (!this.edits.delete(request)) return;
        this.emit({ type: 'editor.cancel', request });
        resolve(undefined);
      });
      this.emit({ type: 'editor.open', request, name, text });
    });
  }

  private get(id: string): Terminal {
    const t = this.sessions.get(id);
    if (!t) throw new Error(`no terminal session ${id}`);
    return t;
  }
}
