// kubectl get --sort-by: objects (or a table's rows) ordered by the first value a JSONPath finds in each,
// compared as kubectl compares them (numbers as numbers, strings as quantities when both are, else as
// strings), with Go's sort.Sort, whose order of equal keys is part of what kubectl prints.
import { goQuote, isGoInt } from './gofmt';
import { findResults, type JsonPath } from './jsonpath';

/** Two values kubectl cannot order: it exits (klog) with this message's reason. */
export class Unsortable extends Error {}

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/**
 * A resource quantity (`500m`, `2Gi`, `1e3`, `10`) in nano units, rounded away from zero as
 * apimachinery rounds past its precision; undefined when the string is not a quantity.
 */
export function quantityNano(s: string): bigint | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*)([+-]?\d*)$/.exec(s);
  if (!s || !m) return undefined;
  const [, sign, int = '', frac = '', letters = '', exp = ''] = m;
  const suffix = letters + exp;
  let ten = 0;
  let two = 0;
  if (suffix in BINARY) two = BINARY[suffix]!;
  else if (suffix in DECIMAL) ten = DECIMAL[suffix]!;
  else if (/^[eE][+-]?\d+$/.test(suffix) && Math.abs(Number(suffix.slice(1))) <= 1000)
    ten = Number(suffix.slice(1));
  else return undefined;
  // value = (int.frac) * 2^two * 10^ten, in units of 10^-9
  let n = BigInt(`${int}${frac}` || '0') * 2n ** BigInt(two);
  const scale = ten + 9 - frac.length;
  if (scale >= 0) n *= 10n ** BigInt(scale);
  else {
    const d = 10n ** BigInt(-scale);
    n = (n + d - 1n) / d;
  }
  return sign === '-' ? -n : n;
}

/** kubectl's isLess for two values a JSONPath found (each held in an interface{}, as in unstructured objects). */
export function isLess(a: unknown, b: unknown): boolean {
  if (a === null && b === null) return false;
  if (a === null) return true;
  if (b === null) return false;
  if (typeof a === 'string' && typeof b === 'string') {
    const qa = quantityNano(a);
    const qb = qa === undefined ? undefined : quantityNano(b);
    return qa !== undefined && qb !== undefined ? qa < qb : a < b;
  }
  if (typeof a === 'number' && typeof b === 'number' && isGoInt(a) === isGoInt(b)) return a < b;
  if (typeof a === 'string' || typeof a === 'number') throw new Unsortable('unsortable interface: interface');
  const type =
    typeof a === 'boolean' ? 'bool' : Array.isArray(a) ? '[]interface {}' : 'map[string]interface {}';
  throw new Unsortable(`unsortable type: ${type}`);
}

/** Go's sort.Sort (pattern-defeating quicksort; insertion sort up to 12 items), in place. */
export function goSort<T>(items: T[], less: (a: T, b: T) => boolean): void {
  const n = items.length;
  if (n > 1) pdqsort(items, (i, j) => less(items[i]!, items[j]!), 0, n, 32 - Math.clz32(n));
}

type Less = (i: number, j: number) => boolean;

function swap<T>(d: T[], i: number, j: number): void {
  const t = d[i]!;
  d[i] = d[j]!;
  d[j] = t;
}

function insertionSort<T>(d: T[], less: Less, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) for (let j = i; j > a && less(j, j - 1); j--) swap(d, j, j - 1);
}

function siftDown<T>(d: T[], less: Less, lo: number, hi: number, first: number): void {
  for (let root = lo; ;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && less(first + child, first + child + 1)) child++;
    if (!less(first + root, first + child)) return;
    swap(d, first + root, first + child);
    root = child;
  }
}

function heapSort<T>(d: T[], less: Less, a: number, b: number): void {
  const hi = b - a;
  for (let i = Math.floor((hi - 1) / 2); i >= 0; i--) siftDown(d, less, i, hi, a);
  for (let i = hi - 1; i >= 0; i--) {
    swap(d, a, a + i);
    siftDown(d, less, 0, i, a);
  }
}

const INCREASING = 1;
const DECREASING = 2;

function pdqsort<T>(d: T[], less: Less, a: number, b: number, limit: number): void {
  let balanced = true;
  let partitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= 12) return insertionSort(d, less, a, b);
    if (limit === 0) return heapSort(d, less, a, b);
    if (!balanced) {
      breakPatterns(d, a, b);
      limit--;
    }
    let [pivot, hint] = choosePivot(less, a, b);
    if (hint === DECREASING) {
      for (let i = a, j = b - 1; i < j; i++, j--) swap(d, i, j);
      pivot = b - 1 - (pivot - a);
      hint = INCREASING;
    }
    if (balanced && partitioned && hint === INCREASING && partialInsertionSort(d, less, a, b)) return;
    if (a > 0 && !less(a - 1, pivot)) {
      a = partitionEqual(d, less, a, b, pivot);
      continue;
    }
    const [mid, already] = partition(d, less, a, b, pivot);
    partitioned = already;
    const left = mid - a;
    const right = b - mid;
    const threshold = Math.floor(length / 8);
    if (left < right) {
      balanced = left >= threshold;
      pdqsort(d, less, a, mid, limit);
      a = mid + 1;
    } else {
      balanced = right >= threshold;
      pdqsort(d, less, mid + 1, b, limit);
      b = mid;
    }
  }
}

function partition<T>(d: T[], less: Less, a: number, b: number, pivot: number): [number, boolean] {
  swap(d, a, pivot);
  let i = a + 1;
  let j = b - 1;
  while (i <= j && less(i, a)) i++;
  while (i <= j && !less(j, a)) j--;
  if (i > j) {
    swap(d, j, a);
    return [j, true];
  }
  swap(d, i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && less(i, a)) i++;
    while (i <= j && !less(j, a)) j--;
    if (i > j) break;
    swap(d, i, j);
    i++;
    j--;
  }
  swap(d, j, a);
  return [j, false];
}

function partitionEqual<T>(d: T[], less: Less, a: number, b: number, pivot: number): number {
  swap(d, a, pivot);
  let i = a + 1;
  let j = b - 1;
  for (;;) {
    while (i <= j && !less(a, i)) i++;
    while (i <= j && less(a, j)) j--;
    if (i > j) return i;
    swap(d, i, j);
    i++;
    j--;
  }
}

function partialInsertionSort<T>(d: T[], less: Less, a: number, b: number): boolean {
  let i = a + 1;
  for (let step = 0; step < 5; step++) {
    while (i < b && !less(i, i - 1)) i++;
    if (i === b) return true;
    if (b - a < 50) return false;
    swap(d, i, i - 1);
    if (i - a >= 2) for (let j = i - 1; j >= 1 && less(j, j - 1); j--) swap(d, j, j - 1);
    if (b - i >= 2) for (let j = i + 1; j < b && less(j, j - 1); j++) swap(d, j, j - 1);
  }
  return false;
}

function breakPatterns<T>(d: T[], a: number, b: number): void {
  const length = b - a;
  if (length < 8) return;
  let random = BigInt(length);
  const mask = 2n ** 64n - 1n;
  const modulus = 2 ** (32 - Math.clz32(length));
  const idx = a + Math.floor(length / 4) * 2 - 1;
  for (let i = 0; i < 3; i++) {
    random ^= (random << 13n) & mask;
    random ^= random >> 7n;
    random ^= (random << 17n) & mask;
    let other = Number(random & BigInt(modulus - 1));
    if (other >= length) other -= length;
    swap(d, idx - 1 + i, a + other);
  }
}

function choosePivot(less: Less, a: number, b: number): [number, number] {
  const l = b - a;
  const swaps = { n: 0 };
  let i = a + Math.floor(l / 4);
  let j = a + Math.floor(l / 4) * 2;
  let k = a + Math.floor(l / 4) * 3;
  if (l >= 8) {
    if (l >= 50) {
      i = median(less, i - 1, i, i + 1, swaps);
      j = median(less, j - 1, j, j + 1, swaps);
      k = median(less, k - 1, k, k + 1, swaps);
    }
    j = median(less, i, j, k, swaps);
  }
  return [j, swaps.n === 0 ? INCREASING : swaps.n === 12 ? DECREASING : 0];
}

function median(less: Less, a: number, b: number, c: number, swaps: { n: number }): number {
  const order = (x: number, y: number): [number, number] => {
    if (less(y, x)) {
      swaps.n++;
      return [y, x];
    }
    return [x, y];
  };
  [a, b] = order(a, b);
  [b, c] = order(b, c);
  [a, b] = order(a, b);
  return b;
}

/** Where a value was found, or nothing (the field is missing on this object). */
type Found = { value: unknown } | undefined;

/**
 * Sorts items by the first value the template finds in each, as kubectl's RuntimeSort and TableSorter do:
 * an item without one sorts before those with one. An error: no item has the field (message with
 * `field`), or the template failed on one; Unsortable is thrown for values kubectl cannot compare.
 */
export function sortByJsonPath<T>(
  items: T[],
  tpl: JsonPath,
  field: string,
  objectOf: (item: T) => unknown,
): { error: string } | undefined {
  const keyed: { item: T; found: Found }[] = [];
  for (const item of items) {
    const r = findResults(tpl, objectOf(item), true);
    if ('error' in r) return r;
    keyed.push({ item, found: r[0]?.length ? { value: r[0][0] } : undefined });
  }
  if (!keyed.some((k) => k.found))
    return { error: `couldn't find any field with path ${goQuote(field)} in the list of objects` };
  goSort(keyed, (x, y) => (!x.found ? true : !y.found ? false : isLess(x.found.value, y.found.value)));
  keyed.forEach((k, i) => (items[i] = k.item));
  return undefined;
}
