// Structural OpenAPI v3 schemas, as Kubernetes CRDs write them, and small builders to keep kind
// definitions short. The same schema feeds validation, defaulting, unknown-field detection, kubectl
// explain, OpenAPI discovery and the editor's JSON schema.

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  enum?: (string | number)[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  /** strategic merge patch: lists of objects merged by this key */
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
}

type Extra = Omit<Schema, 'type' | 'properties' | 'items'>;

export const str = (description?: string, extra: Extra = {}): Schema => ({
  type: 'string',
  description,
  ...extra,
});
export const int = (description?: string, extra: Extra = {}): Schema => ({
  type: 'integer',
  description,
  ...extra,
});
export const num = (description?: string, extra: Extra = {}): Schema => ({
  type: 'number',
  description,
  ...extra,
});
export const bool = (description?: string, extra: Extra = {}): Schema => ({
  type: 'boolean',
  description,
  ...extra,
});
export const enumOf = (values: string[], description?: string, extra: Extra = {}): Schema => ({
  type: 'string',
  enum: values,
  description,
  ...extra,
});
export const timestamp = (description?: string): Schema => ({
  type: 'string',
  format: 'date-time',
  description,
});
export const intOrString = (description?: string): Schema => ({
  'x-kubernetes-int-or-string': true,
  description,
});
/** A resource quantity such as 500m, 2Gi or 4. */
export const quantity = (description?: string): Schema => intOrString(description);

export const obj = (properties: Record<string, Schema>, description?: string, extra: Extra = {}): Schema => ({
  type: 'object',
  description,
  properties,
  ...extra,
});
export const arr = (items: Schema, description?: string, extra: Extra = {}): Schema => ({
  type: 'array',
  items,
  description,
  ...extra,
});
/** A list of objects that strategic merge patch merges by `key` (containers by name, ports by containerPort). */
export const listMap = (items: Schema, key: string, description?: string): Schema => ({
  type: 'array',
  items,
  description,
  'x-kubernetes-patch-merge-key': key,
  'x-kubernetes-patch-strategy': 'merge',
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': [key],
});
export const stringMap = (description?: string): Schema => ({
  type: 'object',
  additionalProperties: { type: 'string' },
  description,
});
export const mapOf = (values: Schema, description?: string): Schema => ({
  type: 'object',
  additionalProperties: values,
  description,
});
export const anyObject = (description?: string): Schema => ({
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
  description,
});

/** The schema at a dotted field path (`spec.containers.image`), following arrays and maps. */
export function schemaAt(root: Schema, path: readonly string[]): Schema | undefined {
  let s: Schema | undefined = root;
  for (const part of path) {
    while (s?.type === 'array') s = s.items;
    if (!s) return undefined;
    if (s.properties?.[part]) s = s.properties[part];
    else if (typeof s.additionalProperties === 'object') s = s.additionalProperties;
    else return undefined;
  }
  return s;
}
