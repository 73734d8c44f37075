// Decoding Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf). Since 1.32 client-go
// sends built-in types as protobuf, without falling back to JSON, so `kubectl create deployment` and
// `kubectl auth can-i` need it. The envelope is `k8s\0` + runtime.Unknown{typeMeta, raw}; raw is the
// object's message, read here with a table of field numbers (resources/protobuf/) into the JSON the API
// layer takes. Zero values are dropped as Go's JSON encoding omits them, so server defaults apply alike.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from '../appInfo';

type Field = [name: string, type: string, repeated?: '[]'] | [name: string, kind: 'map', value: string];
type Table = Record<string, Record<string, Field>>;

let table: Table | undefined;
const messages = (): Table =>
  (table ??= (
    JSON.parse(readFileSync(join(appRoot, 'resources', 'protobuf', 'kubernetes-messages.json'), 'utf8')) as {
      messages: Table;
    }
  ).messages);

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** Pointer fields whose zero value means something (replicas: 0, automountServiceAccountToken: false). */
const keepZero = new Set([
  'replicas',
  'automountServiceAccountToken',
  'terminationGracePeriodSeconds',
  'immutable',
  'activeDeadlineSeconds',
  'allowed',
]);

export class ProtobufError extends Error {}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new ProtobufError('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new ProtobufError('varint too long');
    }
  }
  bytes(): Uint8Array {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw new ProtobufError('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new ProtobufError(`unsupported wire type ${wire}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const isEmpty = (v: unknown) =>
  v === undefined ||
  v === '' ||
  v === 0 ||
  v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

function scalar(type: string, r: Reader, wire: number, depth = 0): unknown {
  switch (type) {
    case 'string':
      return utf8.decode(r.bytes());
    case 'bytes':
      return Buffer.from(r.bytes()).toString('base64');
    case 'bool':
      return r.varint() !== 0n;
    case 'int32':
    case 'int64': {
      const v = BigInt.asIntN(64, r.varint());
      return Number(v);
    }
    case 'double': {
      if (wire !== 1) throw new ProtobufError('double without 64-bit wire type');
      const v = Buffer.from(r.buf.subarray(r.pos, r.pos + 8)).readDoubleLE(0);
      r.pos += 8;
      return v;
    }
    default:
      return decodeMessage(type, r.bytes(), depth + 1);
  }
}

/** The JSON form of the special messages: times, int-or-string, quantities, raw extensions. */
function special(type: string, m: Record<string, unknown>): unknown {
  switch (type) {
    case 'Time':
    case 'MicroTime': {
      // Go's zero time is left out of JSON (creationTimestamp: null on templates)
      if (m.seconds === undefined && m.nanos === undefined) return undefined;
      const ms = Number(m.seconds ?? 0) * 1000 + Math.floor(Number(m.nanos ?? 0) / 1e6);
      return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
    }
    case 'IntOrString':
      return Number(m.type ?? 0) === 1 ? (m.strVal ?? '') : (m.intVal ?? 0);
    case 'Quantity':
      return m.string ?? '0';
    case 'RawExtension':
      return m.raw ? JSON.parse(Buffer.from(String(m.raw), 'base64').toString('utf8')) : undefined;
    default:
      return m;
  }
}

const MAX_DEPTH = 64;

export function decodeMessage(type: string, buf: Uint8Array, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new ProtobufError('message nesting too deep');
  const fields = messages()[type];
  if (!fields) throw new ProtobufError(`no protobuf table for ${type}`);
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!r.done) {
    const tag = Number(r.varint());
    const num = tag >>> 3;
    const wire = tag & 7;
    const f = fields[String(num)];
    if (!f) {
      r.skip(wire);
      continue;
    }
    const [name, kind, extra] = f;
    if (kind === 'map') {
      const entry = new Reader(r.bytes());
      let key = '';
      let value: unknown = extra === 'string' ? '' : undefined;
      while (!entry.done) {
        const t = Number(entry.varint());
        if (t >>> 3 === 1) key = utf8.decode(entry.bytes());
        else if (t >>> 3 === 2) value = scalar(extra!, entry, t & 7, depth);
        else entry.skip(t & 7);
      }
      ((out[name] ??= {}) as Record<string, unknown>)[key] = value;
    } else if (extra === '[]') {
      // packed repeated scalars arrive as one length-delimited field
      if (wire === 2 && (kind === 'int32' || kind === 'int64' || kind === 'bool')) {
        const packed = new Reader(r.bytes());
        while (!packed.done) ((out[name] ??= []) as unknown[]).push(scalar(kind, packed, 0, depth));
      } else ((out[name] ??= []) as unknown[]).push(scalar(kind, r, wire, depth));
    } else {
      out[name] = scalar(kind, r, wire, depth);
    }
  }
  for (const [k, v] of Object.entries(out))
    if (isEmpty(v) && !(keepZero.has(k) && v !== undefined && !Array.isArray(v))) delete out[k];
  return special(type, out);
}

/** Decodes a `k8s\0`-framed request body into the JSON object it stands for. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  try {
    return decodeEnvelope(body);
  } catch (e) {
    // whatever the bytes were — bad UTF-8, impossible times, truncation — it is a protobuf problem
    if (e instanceof ProtobufError) throw e;
    throw new ProtobufError(e instanceof Error ? e.message : String(e));
  }
}

function decodeEnvelope(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b))
    throw new ProtobufError('not a Kubernetes protobuf envelope');
  const unknown = decodeMessage('Unknown', body.subarray(4)) as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: string;
  };
  const kind = unknown.typeMeta?.kind;
  if (!kind || !unknown.raw) throw new ProtobufError('empty protobuf envelope');
  const obj = decodeMessage(kind, Buffer.from(unknown.raw, 'base64')) as Record<string, unknown>;
  return { apiVersion: unknown.typeMeta?.apiVersion, kind, ...obj };
}
