// REST paths as the Kubernetes API lays them out:
//   /api/v1/[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]
//   /apis/{group}/{version}/[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]
import { methodNotAllowed, statusFailure, unsupportedMediaType } from './errors';
import { patchContentTypes, type PatchType } from './patch';
import type { HttpLikeRequest, ResourceRequest } from './server';
import type { Verb } from './types';
import type { Registry } from './registry';

export interface ResourcePath {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export const pathNotFound = () =>
  statusFailure(404, 'NotFound', 'the server could not find the requested resource');

export function parseResourcePath(path: string, registry: Registry): ResourcePath {
  const parts = path.split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    throw pathNotFound();
  }
  // namespaces/{ns}/{resource}… is a namespaced path unless {resource} is a subresource of the namespace itself
  if (rest[0] === 'namespaces' && rest.length >= 3 && registry.byResource(group, rest[2]!)?.namespaced) {
    const [, namespace, resource, name, subresource, ...extra] = rest;
    if (extra.length) throw pathNotFound();
    return { group, version, resource: resource!, namespace, name, subresource };
  }
  const [resource, name, subresource, ...extra] = rest;
  if (extra.length || !resource) throw pathNotFound();
  return { group, version, resource, name, subresource };
}

/** A request as a transport sees it (method, path, query, content type) as the API's ResourceRequest. */
export function toResourceRequest(h: HttpLikeRequest, registry: Registry): ResourceRequest {
  const p = parseResourcePath(h.path, registry);
  const q = h.query ?? {};
  const method = h.method.toUpperCase();
  let verb: Verb;
  if (method === 'GET') verb = p.name ? 'get' : q.watch === 'true' || q.watch === '1' ? 'watch' : 'list';
  else if (method === 'POST') verb = 'create';
  else if (method === 'PUT') verb = 'update';
  else if (method === 'PATCH') verb = 'patch';
  else if (method === 'DELETE') verb = p.name ? 'delete' : 'deletecollection';
  else throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  let patchType: PatchType | undefined;
  if (verb === 'patch') {
    const ct = (h.contentType ?? '').split(';')[0]!.trim();
    patchType = patchContentTypes[ct];
    if (!patchType)
      throw unsupportedMediaType(
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
      );
  }
  return {
    verb,
    user: h.user,
    cluster: h.cluster,
    ...p,
    query: q,
    body: h.body,
    patchType,
    table: /as=Table/.test(h.accept ?? ''),
  };
}
