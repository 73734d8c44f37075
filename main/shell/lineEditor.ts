// The lab shell's line editor, as readline/bash users expect it: a pure state machine from terminal input
// (keys and escape sequences, as xterm.js or a real terminal sends them) to ANSI output and events. It
// does no I/O itself, so one editor serves the app's terminal, browser mode and the CLI.

export type EditorEvent =
  | { kind: 'submit'; line: string }
  | { kind: 'interrupt' }
  | { kind: 'eof' }
  | { kind: 'complete'; line: string; cursor: number };

export interface FeedResult {
  output: string;
  events: EditorEvent[];
}

const ESC = '\x1b';

/** Escape sequences and control keys, by what they do. */
const keys: Record<string, string> = {
  '\r': 'enter',
  '\n': 'enter',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\t': 'tab',
  '\x01': 'home',
  '\x05': 'end',
  '\x02': 'left',
  '\x06': 'right',
  '\x0b': 'kill-end',
  '\x15': 'kill-start',
  '\x17': 'kill-word',
  '\x03': 'interrupt',
  '\x04': 'eof-or-delete',
  '\x0c': 'clear',
  '\x12': 'search',
  '\x07': 'cancel',
  '\x10': 'up',
  '\x0e': 'down',
  [`${ESC}[A`]: 'up',
  [`${ESC}[B`]: 'down',
  [`${ESC}[C`]: 'right',
  [`${ESC}[D`]: 'left',
  [`${ESC}OA`]: 'up',
  [`${ESC}OB`]: 'down',
  [`${ESC}OC`]: 'right',
  [`${ESC}OD`]: 'left',
  [`${ESC}[H`]: 'home',
  [`${ESC}[F`]: 'end',
  [`${ESC}OH`]: 'home',
  [`${ESC}OF`]: 'end',
  [`${ESC}[1~`]: 'home',
  [`${ESC}[4~`]: 'end',
  [`${ESC}[3~`]: 'delete',
  [`${ESC}b`]: 'word-left',
  [`${ESC}f`]: 'word-right',
  [`${ESC}[1;5D`]: 'word-left',
  [`${ESC}[1;5C`]: 'word-right',
  [`${ESC}[1;3D`]: 'word-left',
  [`${ESC}[1;3C`]: 'word-right',
};

/** Splits raw input into keys: escape sequences whole, everything else one character at a time. */
export function splitKeys(data: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < data.length) {
    if (data[i] === ESC) {
      // eslint-disable-next-line no-control-regex -- terminal escape sequences start with ESC by definition
      const m = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z]|[A-Za-z])/.exec(data.slice(i));
      const seq = m ? m[0] : ESC;
      out.push(seq);
      i += seq.length;
    } else {
      const cp = data.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out.push(ch);
      i += ch.length;
    }
  }
  return out;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

export class LineEditor {
  private buffer = '';
  private cursor = 0;
  private historyIndex: number;
  private draft = '';
  private search: { query: string; index: number } | undefined;

  constructor(
    public prompt: string,
    readonly history: string[] = [],
  ) {
    this.historyIndex = history.length;
  }

  get line(): string {
    return this.buffer;
  }

  /** Starts a fresh line with the current prompt. */
  reset(prompt = this.prompt): string {
    this.prompt = prompt;
    this.buffer = '';
    this.cursor = 0;
    this.search = undefined;
    this.historyIndex = this.history.length;
    return this.render();
  }

  /** Puts text at the cursor (a completion), and redraws. */
  insert(text: string): string {
    this.buffer = this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor);
    this.cursor += text.length;
    return this.render();
  }

  /** Adds a line to the history, as the shell does after running it (no blank or repeated lines). */
  remember(line: string): void {
    const trimmed = line.trimEnd();
    if (trimmed && this.history[this.history.length - 1] !== trimmed) this.history.push(trimmed);
    this.historyIndex = this.history.length;
  }

  feed(data: string): FeedResult {
    let output = '';
    const events: EditorEvent[] = [];
    for (const key of splitKeys(data)) {
      const r = this.key(key);
      output += r.output;
      if (r.event) events.push(r.event);
    }
    return { output, events };
  }

  /** The whole line as the terminal should show it now. */
  render(): string {
    if (this.search) {
      const match = this.search.index >= 0 ? this.history[this.search.index]! : '';
      const label =
        this.search.index < 0 && this.search.query ? '(failed reverse-i-search)' : '(reverse-i-search)';
      return `\r${label}\`${this.search.query}': ${match}${ESC}[K`;
    }
    const back = this.buffer.length - this.cursor;
    return `\r${this.prompt}${this.buffer}${ESC}[K${back > 0 ? `${ESC}[${back}D` : ''}`;
  }

  private key(key: string): { output: string; event?: EditorEvent } {
    const action = keys[key];
    if (this.search) return this.searchKey(key, action);
    switch (action) {
      case 'enter': {
        const line = this.buffer;
        this.buffer = '';
        this.cursor = 0;
        this.historyIndex = this.history.length;
        return { output: '\r\n', event: { kind: 'submit', line } };
      }
      case 'interrupt':
        this.buffer = '';
        this.cursor = 0;
        this.historyIndex = this.history.length;
        return { output: '^C\r\n', event: { kind: 'interrupt' } };
      case 'eof-or-delete':
        if (this.buffer === '') return { output: '', event: { kind: 'eof' } };
        return this.edit(
          () => (this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1)),
        );
      case 'clear':
        return { output: `${ESC}[H${ESC}[2J${this.render()}` };
      case 'tab':
        return { output: '', event: { kind: 'complete', line: this.buffer, cursor: this.cursor } };
      case 'backspace':
        if (this.cursor === 0) return { output: '\x07' };
        return this.edit(() => {
          this.buffer = this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor);
          this.cursor--;
        });
      case 'delete':
        return this.edit(
          () => (this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1)),
        );
      case 'left':
        return this.edit(() => (this.cursor = Math.max(0, this.cursor - 1)));
      case 'right':
        return this.edit(() => (this.cursor = Math.min(this.buffer.length, this.cursor + 1)));
      case 'home':
        return this.edit(() => (this.cursor = 0));
      case 'end':
        return this.edit(() => (this.cursor = this.buffer.length));
      case 'word-left':
        return this.edit(() => {
          let c = this.cursor;
          while (c > 0 && !isWordChar(this.buffer[c - 1])) c--;
          while (c > 0 && isWordChar(this.buffer[c - 1])) c--;
          this.cursor = c;
        });
      case 'word-right':
        return this.edit(() => {
          let c = this.cursor;
          while (c < this.buffer.length && !isWordChar(this.buffer[c])) c++;
          while (c < this.buffer.length && isWordChar(this.buffer[c])) c++;
          this.cursor = c;
        });
      case 'kill-end':
        return this.edit(() => (this.buffer = this.buffer.slice(0, this.cursor)));
      case 'kill-start':
        return this.edit(() => {
          this.buffer = this.buffer.slice(this.cursor);
          this.cursor = 0;
        });
      case 'kill-word':
        return this.edit(() => {
          let c = this.cursor;
          while (c > 0 && this.buffer[c - 1] === ' ') c--;
          while (c > 0 && this.buffer[c - 1] !== ' ') c--;
          this.buffer = this.buffer.slice(0, c) + this.buffer.slice(this.cursor);
          this.cursor = c;
        });
      case 'up':
        if (this.historyIndex === 0) return { output: '\x07' };
        if (this.historyIndex === this.history.length) this.draft = this.buffer;
        this.historyIndex--;
        return this.edit(() => this.load(this.history[this.historyIndex]!));
      case 'down':
        if (this.historyIndex >= this.history.length) return { output: '\x07' };
        this.historyIndex++;
        return this.edit(() =>
          this.load(
            this.historyIndex === this.history.length ? this.draft : this.history[this.historyIndex]!,
          ),
        );
      case 'search':
        this.search = { query: '', index: -1 };
        return { output: this.render() };
      case 'cancel':
        return { output: '\x07' };
      default:
        if (key.startsWith(ESC) || key < ' ') return { output: '' };
        return this.edit(() => {
          this.buffer = this.buffer.slice(0, this.cursor) + key + this.buffer.slice(this.cursor);
          this.cursor += key.length;
        });
    }
  }

  /** Reverse incremental search over the history, as bash's Ctrl-R. */
  private searchKey(key: string, action: string | undefined): { output: string; event?: EditorEvent } {
    const s = this.search!;
    const find = (from: number) => {
      for (let i = from; i >= 0; i--) if (this.history[i]!.includes(s.query)) return i;
      return -1;
    };
    if (action === 'search') {
      s.index = find((s.index < 0 ? this.history.length : s.index) - 1);
      return { output: this.render() };
    }
    if (action === 'backspace') {
      s.query = s.query.slice(0, -1);
      s.index = s.query ? find(this.history.length - 1) : -1;
      return { output: this.render() };
    }
    if (action === 'cancel' || action === 'interrupt') {
      this.search = undefined;
      return { output: this.render() };
    }
    if (action === undefined && !key.startsWith(ESC) && key >= ' ') {
      s.query += key;
      s.index = find(s.index >= 0 ? s.index : this.history.length - 1);
      return { output: this.render() };
    }
    // any other key accepts the match into the line, then acts as usual (Enter runs it)
    const match = s.index >= 0 ? this.history[s.index]! : '';
    this.search = undefined;
    this.load(match);
    const accepted = this.render();
    if (action === 'enter') {
      const r = this.key(key);
      return { output: accepted + r.output, event: r.event };
    }
    return { output: accepted };
  }

  private load(line: string): void {
    this.buffer = line;
    this.cursor = line.length;
  }

  private edit(change: () => void): { output: string } {
    change();
    return { output: this.render() };
  }
}
