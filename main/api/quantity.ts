// Resource quantities as the API machinery holds them once decoded (apimachinery's resource.Quantity): parsed
// from `500m`, `0.25`, `1.5Gi`, `1e3`; written back in canonical form (`250m`, `1536Mi`, `1k`), summed
// and compared. The lab stores quantities as written, so `describe` canonicalises them as kubectl does.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** value × 10^scale, with the format its suffix chose. */
export interface Quantity {
  value: bigint;
  scale: number;
  format: QuantityFormat;
}

export const ZERO: Quantity = { value: 0n, scale: 0, format: 'DecimalSI' };

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_SUFFIX = new Map(Object.entries(DECIMAL).map(([s, e]) => [e, s]));
const BINARY_SUFFIX = new Map(Object.entries(BINARY).map(([s, e]) => [e, s]));

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** Divides away every factor of `base`: the rest and how many there were. */
function removeFactors(v: bigint, base: bigint): [bigint, number] {
  let n = 0;
  while (v !== 0n && v % base === 0n) {
    v /= base;
    n++;
  }
  return [v, n];
}

/** A quantity from its string (or JSON number) form; undefined when it is not one. */
export function parseQuantity(input: unknown): Quantity | undefined {
  if (typeof input === 'number') input = String(input);
  if (typeof input !== 'string') return undefined;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|([a-zA-Z]*))$/.exec(input.trim());
  if (!m) return undefined;
  const [, sign, whole = '', fraction = '', exponent, suffix = ''] = m;
  if (!whole && !fraction) return undefined;
  let value = BigInt(`${whole}${fraction}` || '0');
  let scale = -fraction.length;
  let format: QuantityFormat = 'DecimalSI';
  if (exponent) {
    scale += Number(exponent.slice(1));
    format = 'DecimalExponent';
  } else if (suffix in BINARY) {
    value *= 1024n ** BigInt(BINARY[suffix]!);
    format = 'BinarySI';
  } else if (suffix in DECIMAL) scale += DECIMAL[suffix]!;
  else return undefined;
  // nothing finer than a nano: round up, away from zero
  if (scale < -9 && value !== 0n) {
    const d = pow10(-9 - scale);
    value = (value + d - 1n) / d;
    scale = -9;
  }
  if (sign === '-') value = -value;
  return { value, scale, format };
}

/** The canonical string form, as Quantity.String() gives it. */
export function quantityString(q: Quantity): string {
  if (q.value === 0n) return '0';
  let format = q.format;
  const integer = integerValue(q);
  if (format === 'BinarySI') {
    const small = integer !== undefined && integer > -1024n && integer < 1024n;
    // small values, and values with a fraction, are not worth a binary suffix
    if (small || integer === undefined) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    const [amount, times] = removeFactors(integer!, 1024n);
    return `${amount}${BINARY_SUFFIX.get(times) ?? ''}`;
  }
  const [mantissa, times] = removeFactors(q.value, 10n);
  let amount = mantissa;
  let exponent = q.scale + times;
  while (exponent % 3 !== 0) {
    amount *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  // an exponent with no SI suffix (past E) is written bare, as apimachinery does
  return `${amount}${DECIMAL_SUFFIX.get(exponent) ?? ''}`;
}

/** The value when it is a whole number. */
function integerValue(q: Quantity): bigint | undefined {
  if (q.scale >= 0) return q.value * pow10(q.scale);
  const d = pow10(-q.scale);
  return q.value % d === 0n ? q.value / d : undefined;
}

/** Both at the finer of their scales. */
function align(a: Quantity, b: Quantity): [bigint, bigint, number] {
  const scale = Math.min(a.scale, b.scale);
  return [a.value * pow10(a.scale - scale), b.value * pow10(b.scale - scale), scale];
}

/** a + b; the sum keeps a's format unless a is zero (Quantity.Add). */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  const [x, y, scale] = align(a, b);
  return { value: x + y, scale, format: a.value === 0n ? b.format : a.format };
}

export function cmpQuantity(a: Quantity, b: Quantity): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The value in units of 10^scale, rounded up (Quantity.ScaledValue). */
function scaledValue(q: Quantity, scale: number): bigint {
  const shift = q.scale - scale;
  if (shift >= 0) return q.value * pow10(shift);
  const d = pow10(-shift);
  const quotient = q.value / d;
  return q.value % d !== 0n && q.value > 0n ? quotient + 1n : quotient;
}

/** Quantity.Value(): whole units, rounded up. */
export const quantityValue = (q: Quantity): number => Number(scaledValue(q, 0));
/** Quantity.MilliValue(): thousandths, rounded up. */
export const milliValue = (q: Quantity): number => Number(scaledValue(q, -3));

/** A resource list (`{cpu: '500m', memory: '1Gi'}`) as parsed quantities; what does not parse is left out. */
export function resourceList(list: unknown): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  if (!list || typeof list !== 'object') return out;
  for (const [name, raw] of Object.entries(list as Record<string, unknown>)) {
    const q = parseQuantity(raw);
    if (q) out.set(name, q);
  }
  return out;
}

/** Adds each quantity of `more` into `into` (addResourceList). */
export function addResources(into: Map<string, Quantity>, more: Map<string, Quantity>): void {
  for (const [name, q] of more) {
    const have = into.get(name);
    into.set(name, have ? addQuantity(have, q) : q);
  }
}

/** Keeps the larger of each quantity (maxResourceList). */
export function maxResources(into: Map<string, Quantity>, more: Map<string, Quantity>): void {
  for (const [name, q] of more) {
    const have = into.get(name);
    if (!have || cmpQuantity(q, have) > 0) into.set(name, q);
  }
}
