import { describe, expect, it } from 'vitest';
import { fnv64 } from '../../../main/sim/vcenter/recorder';

describe('event names', () => {
  it('hash with 64-bit FNV-1a, so names stay those of labs saved before', () => {
    // the published FNV-1a 64 test vectors
    expect(fnv64('')).toBe('cbf29ce484222325');
    expect(fnv64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv64('foobar')).toBe('85944171f73967e8');
    expect(fnv64('pod-uid\u0000Normal\u0000Pulled\u0000ok\u0000kubelet')).toMatch(/^[0-9a-f]{16}$/);
  });
});
