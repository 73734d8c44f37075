// Go's text/tabwriter (elastic tabstops) as kubectl's printers use it, and the PrefixWriter kubectl's
// describers write through. Text is cut into cells, each ended by a tab (or by the end of its line);
// the tab-terminated cells of consecutive lines form a column whose width is its widest cell plus the
// padding. The last cell of a line belongs to no column, so a line with no tab ends every column above
// it (the writer flushes there, as Go's does). Widths count Unicode code points, as Go counts runes.
//
// Not carried over: FilterHTML and StripEscape (HTML tags/entities and 0xff-escaped segments). A JS
// string never holds Go's escape byte 0xff (U+00FF is two bytes in UTF-8), and kubectl sets neither flag.

/** Right-align cells instead of left-aligning them. */
export const ALIGN_RIGHT = 1 << 2;
/** Columns whose cells are all empty and ended by vertical tabs take no width. */
export const DISCARD_EMPTY_COLUMNS = 1 << 3;
/** Leading empty cells are padded with tabs whatever the pad character. */
export const TAB_INDENT = 1 << 4;
/** A `|` between columns. */
export const DEBUG = 1 << 5;

export interface TabWriterOptions {
  /** a column is at least this wide, padding included */
  minwidth: number;
  /** the width of a tab when padding with tabs */
  tabwidth: number;
  /** added to the widest cell of a column */
  padding: number;
  padchar: string;
  flags: number;
}

/** What kubectl's describers and table printers use: tabwriter.NewWriter(out, 0, 8, 2, ' ', 0). */
export const KUBECTL_TABS: TabWriterOptions = {
  minwidth: 0,
  tabwidth: 8,
  padding: 2,
  padchar: ' ',
  flags: 0,
};

interface Cell {
  text: string;
  /** in code points */
  width: number;
  /** ended by a horizontal tab (not a vertical tab or a line end) */
  htab: boolean;
}

const runes = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

export class TabWriter {
  private readonly o: TabWriterOptions;
  private out = '';
  /** the lines buffered since the last flush; the last one is the line being written */
  private lines: Cell[][] = [[]];
  /** the text of the cell being written */
  private cell = '';
  /** the widths of the columns to the left of the one being formatted */
  private widths: number[] = [];

  constructor(o: Partial<TabWriterOptions> = {}) {
    this.o = { ...KUBECTL_TABS, ...o };
    if (this.o.padchar === '\t') this.o.flags &= ~ALIGN_RIGHT;
  }

  write(text: string): void {
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue;
      this.cell += text.slice(from, i);
      from = i + 1;
      const cells = this.terminateCell(ch === '\t');
      if (ch === '\n' || ch === '\f') {
        this.lines.push([]);
        // a line of one cell takes no part in any column: what is buffered can be written out now
        if (ch === '\f' || cells === 1) {
          this.flush();
          if (ch === '\f' && this.o.flags & DEBUG) this.out += '---\n';
        }
      }
    }
    this.cell += text.slice(from);
  }

  /** Formats and writes out everything buffered; a cell being written is ended first. */
  flush(): void {
    if (this.cell.length > 0) this.terminateCell(false);
    this.format(0, this.lines.length);
    this.lines = [[]];
    this.cell = '';
    this.widths = [];
  }

  /** Everything written out so far (call flush() first for the whole text). */
  output(): string {
    return this.out;
  }

  private terminateCell(htab: boolean): number {
    const line = this.lines[this.lines.length - 1]!;
    line.push({ text: this.cell, width: runes(this.cell), htab });
    this.cell = '';
    return line.length;
  }

  /**
   * Lays out lines [line0, line1) given the widths of the columns left of `widths.length`: each run of
   * consecutive lines that have a cell in the next column is a block; its width is found, then the
   * columns further right are laid out inside the block the same way.
   */
  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let at = line0; at < line1; at++) {
      if (column >= this.lines[at]!.length - 1) continue;
      // a block starts here: what comes before it is done
      this.writeLines(line0, at);
      line0 = at;
      let width = this.o.minwidth;
      let discardable = true;
      for (; at < line1; at++) {
        const line = this.lines[at]!;
        if (column >= line.length - 1) break;
        const c = line[column]!;
        width = Math.max(width, c.width + this.o.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.o.flags & DISCARD_EMPTY_COLUMNS) width = 0;
      this.widths.push(width);
      this.format(line0, at);
      this.widths.pop();
      // `at` is now the first line after the block, which has no cell in this column: the loop's
      // increment passes over it, as Go's does
      line0 = at;
    }
    this.writeLines(line0, line1);
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!;
      let useTabs = (this.o.flags & TAB_INDENT) !== 0;
      line.forEach((c, j) => {
        if (j > 0 && this.o.flags & DEBUG) this.out += '|';
        const padded = j < this.widths.length;
        if (c.text.length === 0) {
          if (padded) this.pad(c.width, this.widths[j]!, useTabs);
          return;
        }
        useTabs = false;
        if (this.o.flags & ALIGN_RIGHT) {
          if (padded) this.pad(c.width, this.widths[j]!, false);
          this.out += c.text;
        } else {
          this.out += c.text;
          if (padded) this.pad(c.width, this.widths[j]!, false);
        }
      });
      // the last buffered line has no line end yet: only its unfinished cell, if any, is written
      if (i + 1 === this.lines.length) this.out += this.cell;
      else this.out += '\n';
    }
  }

  private pad(textw: number, cellw: number, useTabs: boolean): void {
    const { tabwidth, padchar } = this.o;
    if (padchar === '\t' || useTabs) {
      if (tabwidth === 0) return;
      const w = Math.ceil(cellw / tabwidth) * tabwidth;
      this.out += '\t'.repeat(Math.ceil((w - textw) / tabwidth));
      return;
    }
    this.out += padchar.repeat(Math.max(0, cellw - textw));
  }
}

/** Control characters a terminal would act on, shown instead as kubectl's printers show them. */
export const escapeTerminal = (s: string): string => s.split('\u001b').join('^[').split('\r').join('\\r');

/** Writes text at indentation levels of two spaces, through a TabWriter, as kubectl's describers do. */
export class PrefixWriter {
  constructor(
    readonly out: TabWriter,
    /** levels added to every write (kubectl's nested prefix writer) */
    private readonly indent = 0,
  ) {}

  /** `text` (already formatted) after `level` levels of indentation. */
  write(level: number, text: string): void {
    this.out.write(escapeTerminal('  '.repeat(level + this.indent) + text));
  }

  /** A whole line with no indentation (Go's Sprintln: operands joined by spaces). */
  writeLine(...parts: unknown[]): void {
    const text = `${parts.map(String).join(' ')}\n`;
    if (this.indent) this.write(0, text);
    else this.out.write(escapeTerminal(text));
  }

  flush(): void {
    this.out.flush();
  }

  /** The same writer, `levels` deeper. */
  nested(levels: number): PrefixWriter {
    return new PrefixWriter(this.out, this.indent + levels);
  }
}

/** Runs `fill` against a fresh PrefixWriter with kubectl's tab settings and returns the laid-out text. */
export function tabbedString(fill: (w: PrefixWriter) => void): string {
  const tw = new TabWriter(KUBECTL_TABS);
  fill(new PrefixWriter(tw));
  tw.flush();
  return tw.output();
}
