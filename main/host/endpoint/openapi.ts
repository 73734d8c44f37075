// OpenAPI v3 (and a v2 swagger view) generated from the registry's schemas: what `kubectl explain` reads,
// and what kubectl checks to know the server validates fields (the fieldValidation parameter).
import { createHash } from 'node:crypto';
import { servedIn, type Registry, type ResolvedKind } from '../../api/registry';
import type { Schema } from '../../api/schema';

/** Schema names as the Kubernetes OpenAPI spells them: io.k8s.api.core.v1.Pod, io.k8s.api.apps.v1.Deployment. */
export function definitionName(k: ResolvedKind): string {
  if (k.group === '') return `io.k8s.api.core.${k.version}.${k.kind}`;
  if (!k.group.includes('.')) return `io.k8s.api.${k.group}.${k.version}.${k.kind}`;
  return `${k.group.split('.').reverse().join('.')}.${k.version}.${k.kind}`;
}

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

const queryParam = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true },
});
const writeParams = [
  queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
  queryParam(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  queryParam(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.',
  ),
];

function operations(k: ResolvedKind, item: boolean, ref: object) {
  const gvk = { group: k.group, version: k.version, kind: k.kind };
  const ok = {
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
  };
  const op = (action: string, params: object[] = []) => ({
    operationId: `${action}${k.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters: params,
    ...ok,
  });
  return item
    ? {
        get: op('get'),
        put: op('put', writeParams),
        patch: op('patch', writeParams),
        delete: op('delete', writeParams.slice(0, 1)),
      }
    : { get: op('list'), post: op('post', writeParams), delete: op('deletecollection') };
}

function convert(s: Schema): unknown {
  const out: Record<string, unknown> = { ...s };
  if (s.properties)
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, convert(v)]));
  if (s.items) out.items = convert(s.items);
  if (typeof s.additionalProperties === 'object') out.additionalProperties = convert(s.additionalProperties);
  if (s['x-kubernetes-int-or-string']) out.format = 'int-or-string';
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Every served version of every kind: a version served besides the stored one has its own schema. */
function kindsOf(registry: Registry, flavor: string): ResolvedKind[] {
  return registry.allVersions().filter((k) => servedIn(k, flavor));
}

/** The document for one group-version. */
export function openapiV3(
  registry: Registry,
  flavor: string,
  group: string,
  version: string,
): object | undefined {
  const kinds = kindsOf(registry, flavor).filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  for (const k of kinds) {
    const name = definitionName(k);
    schemas[name] = {
      ...(convert(k.fullSchema) as object),
      'x-kubernetes-group-version-kind': [{ group: k.group, version: k.version, kind: k.kind }],
    };
    const ref = { $ref: `#/components/schemas/${name}` };
    const base = `/${gvPath(group, version)}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.plural}`;
    paths[base] = operations(k, false, ref);
    paths[`${base}/{name}`] = operations(k, true, ref);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Supervisor Lab', version: 'v1.21.0+vmware.wcp.2' },
    paths,
    components: { schemas },
  };
}

/** The index: each group-version with a content-hashed URL, as the API server lists them. */
export function openapiV3Index(registry: Registry, flavor: string): object {
  const gvs = [...new Set(kindsOf(registry, flavor).map((k) => `${k.group}|${k.version}`))].map(
    (s) => s.split('|') as [string, string],
  );
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [group, version] of gvs) {
    const doc = JSON.stringify(openapiV3(registry, flavor, group, version));
    const hash = createHash('sha512').update(doc).digest('hex').slice(0, 64).toUpperCase();
    paths[gvPath(group, version)] = {
      serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash}`,
    };
  }
  return { paths };
}

/** The whole API as one Swagger 2.0 document (/openapi/v2), for clients older than OpenAPI v3. */
export function openapiV2(registry: Registry, flavor: string): object {
  const definitions: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  const param = (name: string, description: string) => ({
    name,
    in: 'query',
    description,
    type: 'string',
    uniqueItems: true,
  });
  const write = [
    param('dryRun', 'When present, indicates that modifications should not be persisted.'),
    param(
      'fieldManager',
      'fieldManager is a name associated with the actor or entity that is making these changes.',
    ),
    param(
      'fieldValidation',
      'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.',
    ),
  ];
  for (const k of kindsOf(registry, flavor)) {
    const name = definitionName(k);
    const gvk = { group: k.group, version: k.version, kind: k.kind };
    definitions[name] = { ...(convert(k.fullSchema) as object), 'x-kubernetes-group-version-kind': [gvk] };
    const ok = { responses: { '200': { description: 'OK', schema: { $ref: `#/definitions/${name}` } } } };
    const op = (action: string, params: object[] = []) => ({
      operationId: `${action}${k.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters: params,
      consumes: ['application/json'],
      produces: ['application/json'],
      ...ok,
    });
    const base = `/${gvPath(k.group, k.version)}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.plural}`;
    paths[base] = k.virtualCreate
      ? { post: op('post', write) }
      : { get: op('list'), post: op('post', write), delete: op('deletecollection') };
    if (!k.virtualCreate)
      paths[`${base}/{name}`] = {
        get: op('get'),
        put: op('put', write),
        patch: op('patch', write),
        delete: op('delete'),
      };
  }
  return {
    swagger: '2.0',
    info: { title: 'Supervisor Lab', version: 'v1.21.0+vmware.wcp.2' },
    paths,
    definitions,
  };
}
