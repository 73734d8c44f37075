// How govc lays text out, reproduced from Go's standard library behaviour: text/tabwriter columns
// (govc always uses minwidth 2, padding 2, spaces), encoding/json with two-space indent and HTML-safe
// escapes, time.Time's String(), units.ByteSize, strconv.Quote and path.Match globbing.

const cellWidth = (s: string): number => [...s].length;

/** text/tabwriter with govc's settings: tabwriter.NewWriter(w, 2, 0, 2, ' ', 0), then Flush. */
export function tabwrite(text: string, minwidth = 2, padding = 2): string {
  const endsWithNewline = text.endsWith('\n');
  const raw = text.split('\n');
  if (endsWithNewline) raw.pop();
  const lines = raw.map((l) => l.split('\t'));
  const widths: number[] = [];
  let out = '';
  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const line = lines[i]!;
      line.forEach((c, j) => {
        out += c;
        if (j < widths.length) out += ' '.repeat(Math.max(0, widths[j]! - cellWidth(c)));
      });
      if (i < lines.length - 1 || endsWithNewline) out += '\n';
    }
  };
  // Go's column blocks: consecutive lines that have a cell in this column are aligned together.
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = minwidth;
      for (; t < line1; t++) {
        const line = lines[t]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, cellWidth(line[column]!) + padding);
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out;
}

/** json.Encoder with SetIndent("", "  "): HTML-sensitive characters escaped, a newline at the end. */
export function goJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return `${text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** time.Time.String() of a UTC instant: `2026-01-05 09:00:00 +0000 UTC`; a nil *time.Time prints `<nil>`. */
export function goTime(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '<nil>';
  const d = new Date(ms);
  const frac = d.getUTCMilliseconds()
    ? `.${String(d.getUTCMilliseconds()).padStart(3, '0').replace(/0+$/, '')}`
    : '';
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${frac} +0000 UTC`;
}

/** The `[02-01-06 15:04:05] ` stamp govc's progress logger puts before a task line. */
export function logStamp(ms: number): string {
  const d = new Date(ms);
  return `[${two(d.getUTCDate())}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}] `;
}

/** RFC 3339 as Go's JSON encoder writes a time.Time. */
export function goJsonTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

/** %.1f as Go prints it (an exact tie rounds to even). */
export function goFixed1(x: number): string {
  const scaled = x * 10;
  if (Number.isInteger(scaled * 2) && !Number.isInteger(scaled)) {
    const down = Math.floor(scaled);
    return ((down % 2 === 0 ? down : down + 1) / 10).toFixed(1);
  }
  return x.toFixed(1);
}

/** units.ByteSize.String(): 1.5GB, 512.0MB, 12B. */
export function byteSize(bytes: number): string {
  const units: [string, number][] = [
    ['EB', 2 ** 60],
    ['PB', 2 ** 50],
    ['TB', 2 ** 40],
    ['GB', 2 ** 30],
    ['MB', 2 ** 20],
    ['KB', 2 ** 10],
  ];
  for (const [u, size] of units) if (bytes >= size) return `${goFixed1(Math.fround(bytes / size))}${u}`;
  return `${bytes}B`;
}

/** strconv.Quote (%q) for the strings govc quotes in messages. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's path.Match; throws 'syntax error in pattern' (path.ErrBadPattern) on a malformed pattern. */
export function goMatch(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= pattern.length) throw new Error('syntax error in pattern');
      re += escapeRe(pattern[++i]!);
    } else if (c === '[') {
      let j = i + 1;
      let cls = '';
      if (pattern[j] === '^') {
        cls += '^';
        j++;
      }
      let first = true;
      for (; j < pattern.length && (pattern[j] !== ']' || first); j++) {
        first = false;
        let ch = pattern[j]!;
        if (ch === '\\') {
          if (j + 1 >= pattern.length) throw new Error('syntax error in pattern');
          ch = pattern[++j]!;
        }
        if (ch === '-' && cls.length && !cls.endsWith('^') && pattern[j + 1] !== ']') {
          cls += '-';
          continue;
        }
        cls += escapeRe(ch);
      }
      if (j >= pattern.length || cls === '' || cls === '^') throw new Error('syntax error in pattern');
      re += `[${cls}${cls.startsWith('^') ? '/' : ''}]`;
      i = j;
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(`${re}$`, 's').test(name);
  } catch {
    throw new Error('syntax error in pattern');
  }
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
