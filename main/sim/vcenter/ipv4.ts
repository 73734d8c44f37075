// IPv4 arithmetic for network checks and address allocation: parse, CIDRs, ranges, overlap.

export function parseIp(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export const formatIp = (n: number): string =>
  [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

export interface Range {
  first: number;
  last: number;
}

/** `10.0.0.0/24` → its range; undefined when malformed or not on a network boundary. */
export function parseCidr(text: string): Range | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const base = parseIp(m[1]!);
  const bits = Number(m[2]);
  if (base === undefined || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  if (base % size !== 0) return undefined;
  return { first: base, last: base + size - 1 };
}

/** A CIDR or an explicit `first-last` range. */
export function parseRange(text: string): Range | undefined {
  if (text.includes('/')) return parseCidr(text);
  const [a, b] = text.split('-');
  const first = a === undefined ? undefined : parseIp(a);
  const last = b === undefined ? undefined : parseIp(b);
  return first !== undefined && last !== undefined && first <= last ? { first, last } : undefined;
}

/** `255.255.255.0` → 24; undefined when not a contiguous mask. */
export function maskBits(mask: string): number | undefined {
  const n = parseIp(mask);
  if (n === undefined) return undefined;
  const bits = 32 - Math.log2(2 ** 32 - n);
  return Number.isInteger(bits) ? bits : undefined;
}

export const overlaps = (a: Range, b: Range): boolean => a.first <= b.last && b.first <= a.last;
export const contains = (r: Range, ip: number): boolean => ip >= r.first && ip <= r.last;
