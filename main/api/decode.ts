// Decoding a request body as the API server does before anything else: it must be an object of the
// version and kind the path names; fields the schema does not know are refused, dropped with a warning,
// or dropped silently (fieldValidation Strict, Warn, Ignore). A body sent in a version that is not the
// stored one is also validated against its own version's schema, then converted to the stored version.
import { toStored } from './conversion';
import { badRequest, invalid } from './errors';
import type { ResolvedKind } from './registry';
import type { KubeObject } from './types';
import { copyKnown, validateSchema } from './validation';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface DecodeOptions {
  fieldValidation: FieldValidation;
  subresource?: string;
  withStatus?: boolean;
}

export interface Decoded {
  obj: KubeObject;
  warnings: string[];
}

/**
 * Copies the body as the schema sees it (see copyKnown) and applies fieldValidation: Strict refuses
 * unknown fields, Warn drops them with a warning each, Ignore drops them silently.
 */
export function decodeBody(kind: ResolvedKind, body: unknown, o: DecodeOptions): Decoded {
  const cannot = `${kind.kind} in version "${kind.version}" cannot be handled as a ${kind.kind}`;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`${cannot}: the request body is not an object`);
  }
  const b = body as Record<string, unknown>;
  if (b.apiVersion !== undefined && b.apiVersion !== kind.apiVersion && o.subresource !== 'status') {
    throw badRequest(
      `the API version in the data (${String(b.apiVersion)}) does not match the expected API version (${kind.apiVersion})`,
    );
  }
  if (b.kind !== undefined && b.kind !== kind.kind) {
    throw badRequest(
      `${cannot}: the kind in the data (${String(b.kind)}) does not match the expected kind (${kind.kind})`,
    );
  }
  if (
    b.metadata !== undefined &&
    (b.metadata === null || typeof b.metadata !== 'object' || Array.isArray(b.metadata))
  ) {
    throw badRequest(`${cannot}: metadata must be an object`);
  }
  const unknown: string[] = [];
  const obj = copyKnown(kind.fullSchema, body, unknown) as KubeObject;
  obj.apiVersion = kind.apiVersion;
  obj.kind = kind.kind;
  obj.metadata ??= {};
  if (unknown.length === 0) return { obj, warnings: [] };
  const texts = unknown.map((f) => `unknown field "${f}"`);
  if (o.fieldValidation === 'Strict')
    throw badRequest(`${cannot}: strict decoding error: ${texts.join(', ')}`);
  return { obj, warnings: o.fieldValidation === 'Warn' ? texts : [] };
}

/**
 * A body in a version served besides the stored one: decoded and validated (with its defaults) against
 * that version's schema, as a CRD validates the version a client sent, then converted to the stored
 * version. Status is left out of the validation where the write ignores it (kinds with a status
 * subresource). Errors name the fields as the client wrote them.
 */
export function decodeServed(kind: ResolvedKind, body: unknown, o: DecodeOptions): Decoded {
  const { obj, warnings } = decodeBody(kind, body, o);
  const ignoresStatus = kind.statusSubresource === true && o.subresource !== 'status' && !o.withStatus;
  const checked: KubeObject = ignoresStatus ? { ...obj } : obj;
  if (ignoresStatus) delete checked.status;
  const causes = validateSchema(kind, checked);
  if (causes.length) throw invalid(kind.kind, kind.group, obj.metadata.name ?? '', causes);
  if (ignoresStatus && obj.status !== undefined) checked.status = obj.status;
  return { obj: toStored(kind, checked), warnings };
}
