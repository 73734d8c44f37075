// REST paths as the Kubernetes API lays them out:
//   /api/v1/[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]
//   /apis/{group}/{version}/[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]
import { statusFailure } from './errors';
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
