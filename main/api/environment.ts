// What the API layer needs from the world above it: a clock and a random source. The simulation passes
// its lab clock and seeded random source, so uids, names and timestamps replay identically.

export interface TimeSource {
  now(): Date;
}

export interface RandomSource {
  /** a float in [0, 1) */
  next(): number;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** A version-4 UUID drawn from the given random source. */
export function newUid(r: RandomSource): string {
  const word = () => Math.floor(r.next() * 0x10000);
  const w = Array.from({ length: 8 }, word);
  w[3] = (w[3]! & 0x0fff) | 0x4000;
  w[4] = (w[4]! & 0x3fff) | 0x8000;
  return `${hex(w[0]!, 4)}${hex(w[1]!, 4)}-${hex(w[2]!, 4)}-${hex(w[3]!, 4)}-${hex(w[4]!, 4)}-${hex(w[5]!, 4)}${hex(w[6]!, 4)}${hex(w[7]!, 4)}`;
}

// The alphabet apimachinery uses for generateName suffixes: no vowels, no confusable characters.
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(r: RandomSource, length = 5): string {
  let s = '';
  for (let i = 0; i < length; i++) s += suffixAlphabet[Math.floor(r.next() * suffixAlphabet.length)];
  return s;
}

/** RFC 3339 without fractional seconds, as metav1.Time serialises. */
export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
