// Output helpers shared by the benchmark suites: one figure per line, label, value and unit in aligned
// columns, then an optional note (target, PASS/FAIL).

const LABEL_WIDTH = 56;
const VALUE_WIDTH = 11;
const UNIT_WIDTH = 10;

/** Prints one figure: label, value (a number is shown with `decimals` places), unit, note. */
export function figure(label: string, value: number | string, unit: string, note = '', decimals = 0): void {
  const v = typeof value === 'number' ? num(value, decimals) : value;
  const line = `${label.padEnd(LABEL_WIDTH)} ${v.padStart(VALUE_WIDTH)} ${unit.padEnd(UNIT_WIDTH)} ${note}`;
  console.log(line.trimEnd());
}

/** A number with thousands separators and a fixed number of decimals. */
export function num(n: number, decimals = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Items per second, given a count and a duration in milliseconds. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : Infinity;
}
