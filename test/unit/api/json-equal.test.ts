import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../../main/api/conversion';

describe('jsonEqual (did a write change anything)', () => {
  it('is JSON equality but for key order', () => {
    expect(jsonEqual({ a: 1, b: { c: [1, 'x'] } }, { b: { c: [1, 'x'] }, a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(jsonEqual({ a: '1' }, { a: 1 })).toBe(false);
    expect(jsonEqual({ a: null }, {})).toBe(false);
    expect(jsonEqual({ a: {} }, { a: [] })).toBe(false);
  });

  it('counts undefined members as absent and undefined elements as null, as JSON.stringify writes them', () => {
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(jsonEqual([undefined], [null])).toBe(true);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1, c: 2 })).toBe(false);
  });

  it('keeps array order and length', () => {
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual([1], [1, 1])).toBe(false);
  });

  it('skips the top-level keys it is told to (what a generation does not count)', () => {
    const skip = new Set(['metadata', 'status']);
    const a = { metadata: { resourceVersion: '1' }, spec: { replicas: 2 }, status: { ready: 1 } };
    const b = { metadata: { resourceVersion: '2' }, spec: { replicas: 2 }, status: { ready: 2 } };
    expect(jsonEqual(a, b, skip)).toBe(true);
    expect(jsonEqual(a, { ...b, spec: { replicas: 3 } }, skip)).toBe(false);
    expect(jsonEqual(a, b)).toBe(false);
  });
});
