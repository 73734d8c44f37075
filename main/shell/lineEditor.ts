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

/** Double-width characters (CJK, Hangul, fullwidth forms, most emoji), as terminals draw them. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

/** The columns text takes on a terminal: escape sequences take none, combining marks none, wide ones two. */
export function displayWidth(text: string): number {
  let w = 0;
  // eslint-disable-next-line no-control-regex -- terminal escape sequences start with ESC by definition
  for (const ch of text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''))
    w += /\p{M}/u.test(ch) || ch < ' ' ? 0 : WIDE.test(ch) ? 2 : 1;
  return w;
}

export class LineEditor {
  private buffer = '';
  private cursor = 0;
  private historyIndex: number;
  private draft = '';
  private search: { query: string; index: number } | undefined;
  /** the terminal's width, for lines longer than one row */
  columns = 80;
  /** the row, counted from the prompt's, the terminal cursor is on */
  private row = 0;

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
    this.row = 0;
    return this.render();
  }

  /**
   * Moves the terminal cursor past the end of the line as drawn, for output that follows it (a newline,
   * a completion list); the next render starts on a fresh prompt row.
   */
  leave(): string {
    const down = Math.floor(displayWidth(this.shown().text) / this.columns) - this.row;
    this.row = 0;
    return down > 0 ? `${ESC}[${down}B` : '';
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

  /** What the line shows (prompt and text) and how much of it is before the cursor. */
  private shown(): { text: string; before: string } {
    if (this.search) {
      const match = this.search.index >= 0 ? this.history[this.search.index]! : '';
      const label =
        this.search.index < 0 && this.search.query ? '(failed reverse-i-search)' : '(reverse-i-search)';
      const text = `${label}\`${this.search.query}': ${match}`;
      return { text, before: text };
    }
    return { text: this.prompt + this.buffer, before: this.prompt + this.buffer.slice(0, this.cursor) };
  }

  /**
   * The whole line as the terminal should show it now, over as many rows as it takes: back to the
   * prompt's row, clear to the end of the screen, write, then put the cursor where it belongs.
   */
  render(): string {
    const { text, before } = this.shown();
    const cols = Math.max(1, this.columns);
    const total = displayWidth(text);
    const at = displayWidth(before);
    let out = `${this.row > 0 ? `${ESC}[${this.row}A` : ''}\r${ESC}[J${text}`;
    // a line that ends at the right margin leaves the cursor there; a space and \r take it to the next row
    if (total > 0 && total % cols === 0) out += ` \r${ESC}[K`;
    const endRow = Math.floor(total / cols);
    const row = Math.floor(at / cols);
    const col = at % cols;
    if (endRow > row) out += `${ESC}[${endRow - row}A`;
    out += `\r${col > 0 ? `${ESC}[${col}C` : ''}`;
    this.row = row;
    return out;
  }

  /** The index one character (a surrogate pair counts as one) before or after `i`. */
  private step(i: number, dir: -1 | 1): number {
    const pair = (at: number) =>
      /[\ud800-\udbff]/.test(this.buffer[at] ?? '') && /[\udc00-\udfff]/.test(this.buffer[at + 1] ?? '');
    if (dir < 0) return i <= 0 ? 0 : i >= 2 && pair(i - 2) ? i - 2 : i - 1;
    return i >= this.buffer.length ? i : pair(i) ? i + 2 : i + 1;
  }

  private key(key: string): { output: string; event?: EditorEvent } {
    const action = keys[key];
    if (this.search) return this.searchKey(key, action);
    switch (action) {
      case 'enter': {
        const line = this.buffer;
        const leave = this.leave();
        this.buffer = '';
        this.cursor = 0;
        this.historyIndex = this.history.length;
        return { output: `${leave}\r\n`, event: { kind: 'submit', line } };
      }
      case 'interrupt': {
        const leave = this.leave();
        this.buffer = '';
        this.cursor = 0;
        this.historyIndex = this.history.length;
        return { output: `${leave}^C\r\n`, event: { kind: 'interrupt' } };
      }
      case 'eof-or-delete':
        if (this.buffer === '') return { output: '', event: { kind: 'eof' } };
        return this.edit(
          () =>
            (this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.step(this.cursor, 1))),
        );
      case 'clear':
        this.row = 0;
        return { output: `${ESC}[H${ESC}[2J${this.render()}` };
      case 'tab':
        return { output: '', event: { kind: 'complete', line: this.buffer, cursor: this.cursor } };
      case 'backspace':
        if (this.cursor === 0) return { output: '\x07' };
        return this.edit(() => {
          const from = this.step(this.cursor, -1);
          this.buffer = this.buffer.slice(0, from) + this.buffer.slice(this.cursor);
          this.cursor = from;
        });
      case 'delete':
        return this.edit(
          () =>
            (this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.step(this.cursor, 1))),
        );
      case 'left':
        return this.edit(() => (this.cursor = this.step(this.cursor, -1)));
      case 'right':
        return this.edit(() => (this.cursor = this.step(this.cursor, 1)));
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
