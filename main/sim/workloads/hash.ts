// Names derived from pod templates: FNV hashes rendered with apimachinery's safe-encode alphabet (no
// vowels, nothing confusable), as ComputeHash and ControllerRevision names are. The hashed text is the
// template's canonical JSON (keys sorted) rather than go-spew's dump of the Go struct, so a template
// hashes the same every run but not to the value a real cluster would give it.
import type { KubeObject } from '../../api/types';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each character mapped into the safe alphabet. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE[s.charCodeAt(i) % SAFE.length];
  return out;
}

function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

function fnv32(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  return h >>> 0;
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : x,
  );
}

/** ComputeHash: FNV-32a of the template, then collisionCount's four bytes (little-endian) and four zeros. */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  const bytes = Buffer.from(canonicalJson(template ?? {}), 'utf8');
  let h = fnv32a(bytes);
  if (collisionCount !== undefined) {
    const extra = Buffer.alloc(8);
    extra.writeUInt32LE(collisionCount >>> 0, 0);
    h = fnv32a(extra, h);
  }
  return safeEncode(String(h));
}

/** A ControllerRevision's hash: FNV-32 of its data (a StatefulSet's template patch). */
export function revisionHash(data: unknown): string {
  return safeEncode(String(fnv32(Buffer.from(canonicalJson(data), 'utf8'))));
}

/** Drops empty maps and lists, which apimachinery's semantic equality treats as absent. */
function pruned(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(pruned) : undefined;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const p = pruned(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

export const HASH_LABEL = 'pod-template-hash';

/** EqualIgnoreHash: two pod templates equal but for the pod-template-hash label. */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  const strip = (t: unknown) => {
    const c = structuredClone((t ?? {}) as KubeObject);
    delete c.metadata?.labels?.[HASH_LABEL];
    return canonicalJson(pruned(c) ?? {});
  };
  return strip(a) === strip(b);
}
