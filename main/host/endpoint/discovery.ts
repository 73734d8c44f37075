// API discovery as kubectl reads it — /api, /apis, /apis/<group>, and each group-version's resource list —
// derived from the registry and the kinds an API space's flavor serves, each in every version it is served
// in. A group's versions are in Kubernetes' version priority, the first one preferred (as for CRDs).
import { compareVersions } from '../../api/conversion';
import { servedIn, type Registry, type ResolvedKind } from '../../api/registry';

export interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

const served = (registry: Registry, flavor: string): ResolvedKind[] =>
  registry.allVersions().filter((k) => servedIn(k, flavor));

/** The versions of a group, preferred first. */
const versionsOf = (kinds: ResolvedKind[], group: string): string[] =>
  [...new Set(kinds.filter((k) => k.group === group).map((k) => k.version))].sort(compareVersions);

export function coreVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupOf(kinds: ResolvedKind[], name: string) {
  const versions = versionsOf(kinds, name).map((v) => ({
    groupVersion: `${name}/${v}`,
    version: v,
  }));
  return { name, versions, preferredVersion: versions[0]! };
}

export function groupList(registry: Registry, flavor: string) {
  const kinds = served(registry, flavor);
  const names = [...new Set(kinds.map((k) => k.group).filter((g) => g !== ''))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: names.map((n) => groupOf(kinds, n)) };
}

export function apiGroup(registry: Registry, flavor: string, name: string) {
  const kinds = served(registry, flavor);
  if (!kinds.some((k) => k.group === name)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupOf(kinds, name) };
}

export function resourceList(registry: Registry, flavor: string, group: string, version: string) {
  const kinds = served(registry, flavor).filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  const resources: ApiResource[] = [];
  for (const k of kinds) {
    resources.push({
      name: k.plural,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: [...(k.verbs ?? [])].sort(),
      ...(k.shortNames?.length ? { shortNames: k.shortNames } : {}),
      ...(k.categories?.length ? { categories: k.categories } : {}),
    });
    if (k.statusSubresource)
      resources.push({
        name: `${k.plural}/status`,
        singularName: '',
        namespaced: k.namespaced,
        kind: k.kind,
        verbs: ['get', 'patch', 'update'],
      });
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

/** Does this Accept header ask for aggregated discovery (apidiscovery.k8s.io v2 or v2beta1)? */
export function wantsAggregated(accept: string): 'v2' | 'v2beta1' | undefined {
  for (const part of accept.split(',')) {
    if (!part.includes('as=APIGroupDiscoveryList') || !part.includes('g=apidiscovery.k8s.io')) continue;
    if (/v=v2(;|$)/.test(part)) return 'v2';
    if (/v=v2beta1(;|$)/.test(part)) return 'v2beta1';
  }
  return undefined;
}

/** Aggregated discovery for /api (core) or /apis (every named group): one round trip instead of many. */
export function aggregatedDiscovery(
  registry: Registry,
  flavor: string,
  core: boolean,
  version: 'v2' | 'v2beta1',
) {
  const kinds = served(registry, flavor).filter((k) => (k.group === '') === core);
  const groups = [...new Set(kinds.map((k) => k.group))];
  const items = groups.map((g) => ({
    metadata: core ? {} : { name: g },
    versions: versionsOf(kinds, g).map((v) => ({
      version: v,
      resources: kinds
        .filter((k) => k.group === g && k.version === v)
        .map((k) => {
          const subresources = [
            ...(k.statusSubresource
              ? [
                  {
                    subresource: 'status',
                    responseKind: { group: k.group, version: k.version, kind: k.kind },
                    verbs: ['get', 'patch', 'update'],
                  },
                ]
              : []),
            ...(k.scale
              ? [
                  {
                    subresource: 'scale',
                    responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
                    verbs: ['get', 'patch', 'update'],
                  },
                ]
              : []),
          ];
          return {
            resource: k.plural,
            responseKind: { group: k.group, version: k.version, kind: k.kind },
            scope: k.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: k.singular,
            verbs: [...(k.verbs ?? [])].sort(),
            ...(k.shortNames?.length ? { shortNames: k.shortNames } : {}),
            ...(k.categories?.length ? { categories: k.categories } : {}),
            ...(subresources.length ? { subresources } : {}),
          };
        }),
      freshness: 'Current',
    })),
  }));
  return {
    contentType: `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
    body: {
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${version}`,
      metadata: {},
      items,
    },
  };
}
