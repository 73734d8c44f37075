// A real terminal emulator for tests (xterm.js, headless): what the learner would see on screen.
import xterm from '@xterm/headless';

export class Screen {
  readonly term: xterm.Terminal;
  constructor(cols = 80, rows = 12) {
    this.term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  }
  write(data: string): Promise<void> {
    return new Promise((resolve) => this.term.write(data, resolve));
  }
  /** The visible rows, trailing spaces trimmed, trailing empty rows dropped. */
  lines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < this.term.rows; i++)
      out.push((b.getLine(b.viewportY + i)?.translateToString(true) ?? '').trimEnd());
    while (out.length && out[out.length - 1] === '') out.pop();
    return out;
  }
  cursor(): { x: number; y: number } {
    return { x: this.term.buffer.active.cursorX, y: this.term.buffer.active.cursorY };
  }
}
