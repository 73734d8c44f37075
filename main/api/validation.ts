// Validation of objects against their kind's schema, in the words the API server uses for field errors,
// plus unknown-field detection (fieldValidation Strict / Warn / Ignore) and metadata rules.
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ResolvedKind } from './registry';
import type { Schema } from './schema';
import type { KubeObject, StatusCause } from './types';

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, validateFormats: false });
ajv.addKeyword({
  keyword: 'x-kubernetes-int-or-string',
  schemaType: 'boolean',
  validate: (on: boolean, data: unknown) => !on || typeof data === 'string' || Number.isInteger(data),
  errors: false,
});

/**
 * Compiled validators, keyed on the kind definition's own schema: every lab registers the same
 * definitions, so a schema compiles once per process, not once per lab opened. (The full schema adds
 * only apiVersion, kind and the shared metadata schema to it.)
 */
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(kind: ResolvedKind): ValidateFunction {
  let v = compiled.get(kind.schema);
  if (!v) {
    v = ajv.compile(kind.fullSchema as object);
    compiled.set(kind.schema, v);
  }
  return v;
}

const show = (v: unknown): string =>
  typeof v === 'string'
    ? JSON.stringify(v)
    : v !== null && typeof v === 'object'
      ? Array.isArray(v)
        ? '[]'
        : '"object"'
      : String(v);

/** `/spec/containers/0/image` → `spec.containers[0].image` */
export function fieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}

function valueAt(obj: unknown, pointer: string): unknown {
  let v = obj;
  for (const raw of pointer.split('/').slice(1)) v = (v as Record<string, unknown> | undefined)?.[raw];
  return v;
}

function causeFor(e: ErrorObject, obj: unknown): StatusCause {
  const field = fieldPath(e.instancePath);
  const value = valueAt(obj, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const f = field ? `${field}.${String(p.missingProperty)}` : String(p.missingProperty);
      return { field: f, reason: 'FieldValueRequired', message: 'Required value' };
    }
    case 'type':
      return {
        field,
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: ${show(value)}: ${field} in body must be of type ${String(p.type)}: ${show(value)}`,
      };
    case 'enum':
      return {
        field,
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: ${show(value)}: supported values: ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`,
      };
    case 'minimum':
      return {
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: ${field} in body should be greater than or equal to ${String(p.limit)}`,
      };
    case 'maximum':
      return {
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: ${field} in body should be less than or equal to ${String(p.limit)}`,
      };
    case 'pattern':
      return {
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: ${field} in body should match '${String(p.pattern)}'`,
      };
    case 'maxLength':
      return {
        field,
        reason: 'FieldValueTooLong',
        message: `Too long: may not be longer than ${String(p.limit)}`,
      };
    case 'minLength':
      return {
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: ${field} in body should be at least ${String(p.limit)} chars long`,
      };
    case 'minItems':
      return {
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: ${field} in body should have at least ${String(p.limit)} items`,
      };
    case 'maxItems':
      return {
        field,
        reason: 'FieldValueTooMany',
        message: `Too many: ${Array.isArray(value) ? value.length : 0}: must have at most ${String(p.limit)} items`,
      };
    case 'x-kubernetes-int-or-string':
      return {
        field,
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: ${show(value)}: ${field} in body must be of type integer or string: ${show(value)}`,
      };
    default:
      return {
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: ${e.message ?? 'invalid'}`,
      };
  }
}

/** Validates against the schema and applies schema defaults in place. */
export function validateSchema(kind: ResolvedKind, obj: KubeObject): StatusCause[] {
  const v = validatorFor(kind);
  if (v(obj)) return [];
  const seen = new Set<string>();
  const causes: StatusCause[] = [];
  for (const e of v.errors ?? []) {
    const c = causeFor(e, obj);
    const k = `${c.field}|${c.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      causes.push(c);
    }
  }
  return causes;
}

/**
 * Copies a request body as the schema sees it: fields the schema does not declare are left out and
 * named in `unknown` (as `spec.containers[0].foo`); values JSON cannot hold are dropped as on the wire.
 * One pass does the deep copy and the unknown-field detection of fieldValidation Strict / Warn / Ignore.
 */
export function copyKnown(schema: Schema | undefined, value: unknown, unknown: string[], path = ''): unknown {
  return copyAt(schema, value, unknown, path ? [path] : []);
}

/** A field path as the API server words it (`spec.containers[0].image`), from its segments. */
function pathOf(segments: readonly (string | number)[], last: string): string {
  let out = '';
  for (const s of [...segments, last]) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

/** copyKnown's walk; the path is kept as segments and spelt out only for an unknown field. */
function copyAt(
  schema: Schema | undefined,
  value: unknown,
  unknown: string[],
  segments: (string | number)[],
): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (
    !schema ||
    schema['x-kubernetes-preserve-unknown-fields'] ||
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    return JSON.parse(JSON.stringify(value)) as unknown;
  }
  if (Array.isArray(value)) {
    const items = schema.type === 'array' ? schema.items : undefined;
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v === undefined || typeof v === 'function') {
        out[i] = null;
        continue;
      }
      segments.push(i);
      out[i] = copyAt(items, v, unknown, segments);
      segments.pop();
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  const open = schema.type !== 'object' && !schema.properties;
  const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function') continue;
    const declared = schema.properties?.[key];
    // null means "not set" for fields that are not nullable, as the API server decodes it to the zero value
    if (v === null && !declared?.nullable) continue;
    const child = declared ?? extra;
    if (child || open || schema.additionalProperties === true) {
      segments.push(key);
      out[key] = copyAt(child, v, unknown, segments);
      segments.pop();
    } else unknown.push(pathOf(segments, key));
  }
  return out;
}

const subdomainRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedNameRe =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function nameErrors(
  name: string,
  format: 'subdomain' | 'label' | 'vsphere' | 'path',
  field = 'metadata.name',
): StatusCause[] {
  if (format === 'path') {
    // path.ValidatePathSegmentName, as RBAC's kinds have it (`psp:vmware-system-privileged`)
    const msg =
      name === '.' || name === '..'
        ? `may not be '${name}'`
        : /[/%]/.test(name)
          ? `may not contain '${name.includes('/') ? '/' : '%'}'`
          : undefined;
    return msg ? [{ field, reason: 'FieldValueInvalid', message: `Invalid value: "${name}": ${msg}` }] : [];
  }
  if (format === 'vsphere') {
    // vCenter inventory names: up to 80 characters, no path separators, no surrounding spaces.
    if (name.length <= 80 && !/[/\\%]/.test(name) && name.trim() === name) return [];
    return [
      {
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${name}": an inventory name must be at most 80 characters, without '/', '\\' or '%', and must not start or end with a space`,
      },
    ];
  }
  if (format === 'label') {
    const msgs: string[] = [];
    if (name.length > 63) msgs.push('must be no more than 63 characters');
    if (!labelRe.test(name))
      msgs.push(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      );
    return msgs.map((m) => ({
      field,
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${name}": ${m}`,
    }));
  }
  const msgs: string[] = [];
  if (name.length > 253) msgs.push('must be no more than 253 characters');
  if (!subdomainRe.test(name))
    msgs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  return msgs.map((m) => ({ field, reason: 'FieldValueInvalid', message: `Invalid value: "${name}": ${m}` }));
}

function keyErrors(map: Record<string, string> | undefined, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const k of Object.keys(map ?? {})) {
    if (!qualifiedNameRe.test(k) || k.length > 316) {
      causes.push({
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      });
    }
  }
  return causes;
}

/** Metadata rules every kind shares: labels, annotations and their sizes. */
export function metadataErrors(obj: KubeObject): StatusCause[] {
  const m = obj.metadata;
  const causes = [
    ...keyErrors(m.labels, 'metadata.labels'),
    ...keyErrors(m.annotations, 'metadata.annotations'),
  ];
  for (const [k, v] of Object.entries(m.labels ?? {})) {
    if (typeof v !== 'string' || v.length > 63 || !labelValueRe.test(v)) {
      causes.push({
        field: 'metadata.labels',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    } else if (!k) {
      causes.push({
        field: 'metadata.labels',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "": name part must be non-empty',
      });
    }
  }
  const annotationBytes = Object.entries(m.annotations ?? {}).reduce(
    (n, [k, v]) => n + k.length + String(v).length,
    0,
  );
  if (annotationBytes > 256 * 1024) {
    causes.push({
      field: 'metadata.annotations',
      reason: 'FieldValueTooLong',
      message: 'Too long: must have at most 262144 bytes',
    });
  }
  return causes;
}
