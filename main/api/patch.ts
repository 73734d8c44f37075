// The three patch kinds kubectl sends: JSON merge patch (RFC 7386), strategic merge patch (lists of
// objects merged by their schema's patch merge key, `$patch` directives), and JSON patch (RFC 6902).
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { badRequest, statusFailure } from './errors';
import type { Schema } from './schema';

/** apply: server-side apply, simplified to create-or-strategic-merge (no field ownership yet) */
export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export const patchContentTypes: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/json-patch+json': 'json',
  'application/apply-patch+yaml': 'apply',
};

export const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

const childSchema = (s: Schema | undefined, key: string): Schema | undefined =>
  s?.properties?.[key] ?? (typeof s?.additionalProperties === 'object' ? s.additionalProperties : undefined);

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}

function mergeList(orig: unknown[], patch: unknown[], key: string, items: Schema | undefined): unknown[] {
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p.$patch === 'replace')).map(stripDirectives);
  }
  const out = [...orig];
  for (const p of patch) {
    if (!isObject(p)) {
      out.push(p);
      continue;
    }
    const idx = out.findIndex((o) => isObject(o) && o[key] === p[key]);
    if (p.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) {
      out[idx] = strategicMerge(out[idx], p, items);
    } else {
      out.push(stripDirectives(p));
    }
  }
  return out;
}

export function strategicMerge(orig: unknown, patch: unknown, schema: Schema | undefined): unknown {
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, unknown> = isObject(orig) ? { ...orig } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const list = out[field];
      if (Array.isArray(list) && Array.isArray(v)) out[field] = list.filter((x) => !v.includes(x));
      continue;
    }
    if (k.startsWith('$')) continue; // $setElementOrder/…, $retainKeys: order hints we do not need
    const cs = childSchema(schema, k);
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v)) {
      const mergeKey = cs?.['x-kubernetes-patch-merge-key'];
      const strategy = cs?.['x-kubernetes-patch-strategy'] ?? '';
      const cur = Array.isArray(out[k]) ? (out[k] as unknown[]) : [];
      if (mergeKey && strategy.includes('merge')) out[k] = mergeList(cur, v, mergeKey, cs?.items);
      else if (strategy.includes('merge')) out[k] = [...cur, ...v.filter((x) => !cur.includes(x))];
      else
        out[k] = stripDirectives(
          v.filter((x) => !(isObject(x) && x.$patch === 'replace' && Object.keys(x).length === 1)),
        );
    } else if (isObject(v)) {
      const merged = strategicMerge(out[k], v, cs);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else {
      out[k] = v;
    }
  }
  return out;
}

export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  try {
    return jsonpatch.applyPatch(structuredClone(target), ops as Operation[], true, false).newDocument;
  } catch (err) {
    const e = err as { name?: string; message?: string; operation?: Operation };
    const what =
      e.name === 'TEST_OPERATION_FAILED'
        ? 'testing value failed'
        : (e.message ?? 'invalid patch').split('\n')[0];
    throw statusFailure(
      422,
      'Invalid',
      `the server rejected our request due to an error in our request: ${what}`,
    );
  }
}

export function applyPatch(type: PatchType, target: unknown, patch: unknown, schema: Schema): unknown {
  switch (type) {
    case 'merge':
      if (!isObject(patch))
        throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
      return mergePatch(target, patch);
    case 'strategic':
    case 'apply':
      if (!isObject(patch))
        throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
      return strategicMerge(target, patch, schema);
    case 'json':
      return applyJsonPatch(target, patch);
    default: {
      const never: never = type;
      throw badRequest(`unknown patch type ${String(never)}`);
    }
  }
}
