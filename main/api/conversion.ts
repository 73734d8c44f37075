// Kinds served in more than one API version, as a CRD with several `served` versions and a conversion
// webhook: objects are stored in one version and converted on the way in and out of every other one.
// Also the order Kubernetes gives versions (v2 before v1 before v1beta2 before v1alpha1), which decides
// discovery's preferred version and what kubectl picks when no version is named.
import { statusFailure } from './errors';
import type { ResolvedKind } from './registry';
import type { KubeObject } from './types';
import { deepFreeze } from './watch';

const kubeVersion = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const stability = { alpha: 0, beta: 1, ga: 2 } as const;

/**
 * Kubernetes' version priority (apimachinery's CompareKubeAwareVersionStrings): negative when `a` comes
 * first. GA before beta before alpha, higher numbers first within each; names that are not of that form
 * come last, alphabetically.
 */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const ma = kubeVersion.exec(a);
  const mb = kubeVersion.exec(b);
  if (!ma && !mb) return a < b ? -1 : 1;
  if (!ma) return 1;
  if (!mb) return -1;
  const ta = stability[(ma[2] ?? 'ga') as keyof typeof stability];
  const tb = stability[(mb[2] ?? 'ga') as keyof typeof stability];
  if (ta !== tb) return tb - ta;
  if (ma[1] !== mb[1]) return Number(mb[1]) - Number(ma[1]);
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

/** The version a kind's objects are stored in (the kind itself unless it is a converted view). */
export const storageOf = (kind: ResolvedKind): ResolvedKind => kind.conversion?.storage ?? kind;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function conversionFailed(kind: ResolvedKind, to: string, err: unknown): never {
  const why = err instanceof Error ? err.message : 'the converter returned something other than an object';
  throw statusFailure(
    500,
    'InternalError',
    `conversion webhook for ${storageOf(kind).apiVersion}, Kind=${kind.kind} failed: converting to ${to}: ${why}`,
  );
}

/**
 * A converter's answer as the API server takes a conversion webhook's: apiVersion and kind are the
 * target's, and of the metadata only labels and annotations may change.
 */
function settle(
  converted: unknown,
  from: KubeObject,
  target: ResolvedKind,
  kind: ResolvedKind,
): KubeObject | undefined {
  if (!isObject(converted)) return undefined;
  const { apiVersion: _a, kind: _k, metadata, ...rest } = converted;
  const m = isObject(metadata) ? metadata : {};
  const meta = { ...from.metadata };
  if (isObject(m.labels)) meta.labels = m.labels as Record<string, string>;
  else delete meta.labels;
  if (isObject(m.annotations)) meta.annotations = m.annotations as Record<string, string>;
  else delete meta.annotations;
  return { apiVersion: target.apiVersion, kind: kind.kind, metadata: meta, ...rest };
}

/** Converted copies of shared (frozen) stored objects, per served version, so N watchers convert once. */
const converted = new WeakMap<ResolvedKind, WeakMap<KubeObject, KubeObject>>();

/**
 * A stored object as the version `kind` serves it. The stored version's own objects come back as they
 * are; a converted copy of a frozen object is frozen (and shared) too. Throws a 500 Status when the
 * converter fails, as a failed conversion webhook answers.
 */
export function fromStored(kind: ResolvedKind, obj: KubeObject): KubeObject {
  const c = kind.conversion;
  if (!c) return obj;
  const frozen = Object.isFrozen(obj);
  let cache = converted.get(kind);
  const hit = frozen ? cache?.get(obj) : undefined;
  if (hit) return hit;
  let out: KubeObject | undefined;
  try {
    out = settle(c.fromStored(structuredClone(obj) as KubeObject), obj, kind, kind);
  } catch (err) {
    conversionFailed(kind, kind.apiVersion, err);
  }
  if (!out) conversionFailed(kind, kind.apiVersion, undefined);
  if (frozen) {
    if (!cache) converted.set(kind, (cache = new WeakMap()));
    cache.set(obj, deepFreeze(out));
  }
  return out;
}

/** An object of the version `kind` serves, converted to the stored version (a fresh, unfrozen object). */
export function toStored(kind: ResolvedKind, obj: KubeObject): KubeObject {
  const c = kind.conversion;
  if (!c) return obj;
  let out: KubeObject | undefined;
  try {
    out = settle(c.toStored(structuredClone(obj)), obj, c.storage, kind);
  } catch (err) {
    conversionFailed(kind, c.storage.apiVersion, err);
  }
  if (!out) conversionFailed(kind, c.storage.apiVersion, undefined);
  return out;
}

/**
 * Whether two JSON values serialise alike but for the order of keys (members that are undefined count as
 * absent, as JSON.stringify drops them), skipping the top-level keys in skip: the API server's "did this
 * write change anything" without serialising either side.
 */
export function jsonEqual(a: unknown, b: unknown, skip?: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    // JSON writes an undefined element as null
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let members = 0;
  for (const k in x) {
    if (x[k] === undefined || skip?.has(k)) continue;
    if (!jsonEqual(x[k], y[k])) return false;
    members++;
  }
  for (const k in y) if (y[k] !== undefined && !skip?.has(k)) members--;
  return members === 0;
}
