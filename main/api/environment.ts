// What the API layer needs from the world above it: a clock and a random source. The simulation passes
// its lab clock and seeded random source, so uids, names and timestamps replay identically.

export interface TimeSource {
  now(): Date;
}

export interface RandomSource {
  /** a float in [0, 1) */
  next(): number;
}

const hex4 = Array.from({ length: 0x10000 }, (_, i) => i.toString(16).padStart(4, '0'));

/** A version-4 UUID drawn from the given random source. */
export function newUid(r: RandomSource): string {
  const a = word(r),
    b = word(r),
    c = word(r);
  const version = hex4[(Math.floor(r.next() * 0x10000) & 0x0fff) | 0x4000]!;
  const variant = hex4[(Math.floor(r.next() * 0x10000) & 0x3fff) | 0x8000]!;
  return `${a}${b}-${c}-${version}-${variant}-${word(r)}${word(r)}${word(r)}`;
}

function word(r: RandomSource): string {
  return hex4[Math.floor(r.next() * 0x10000)]!;
}

// The alphabet apimachinery uses for generateName suffixes: no vowels, no confusable characters.
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(r: RandomSource, length = 5): string {
  let s = '';
  for (let i = 0; i < length; i++) s += suffixAlphabet[Math.floor(r.next() * suffixAlphabet.length)];
  return s;
}

/** the last second rfc3339 spelt out: lab time stands still while a step's writes stamp it */
let lastSecond = NaN;
let lastStamp = '';

/** RFC 3339 without fractional seconds, as metav1.Time serialises. */
export const rfc3339 = (d: Date): string => {
  const second = Math.floor(d.getTime() / 1000);
  if (second !== lastSecond) {
    lastStamp = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastStamp;
};
