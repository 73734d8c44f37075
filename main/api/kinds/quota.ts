// core/v1 ResourceQuota and LimitRange. On a Supervisor the namespace controller writes them from the
// vSphere Namespace's limits (storage per storage class, object counts); the quota controller keeps
// status.used, and quota admission refuses what would go past status.hard.
import { KUBERNETES } from './flavors';
import type { KindDefinition } from '../registry';
import { age } from '../printers/duration';
import { arr, enumOf, mapOf, obj, quantity, str } from '../schema';
import type { KubeObject } from '../types';

const ageColumn = {
  name: 'Age',
  type: 'string' as const,
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  value: (o: KubeObject, c: { now: Date }) => age(o.metadata.creationTimestamp, c.now),
};

interface QuotaStatus {
  hard?: Record<string, string>;
  used?: Record<string, string>;
}

/** kube-apiserver's Request and Limit cells: `name: used/hard` for each resource in status.hard, sorted. */
function quotaCell(o: KubeObject, limits: boolean): string {
  const st = (o.status ?? {}) as QuotaStatus;
  return Object.keys(st.hard ?? {})
    .sort()
    .filter((r) => (r.split('.').length > 1 && r.split('.')[0] === 'limits') === limits)
    .map((r) => `${r}: ${st.used?.[r] ?? '0'}/${st.hard![r]}`)
    .join(', ');
}

export const resourceQuotaKind: KindDefinition = {
  flavors: KUBERNETES,
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  shortNames: ['quota'],
  namespaced: true,
  statusSubresource: true,
  description: 'ResourceQuota sets aggregate quota restrictions enforced per namespace',
  schema: obj({
    spec: obj({
      hard: mapOf(quantity(), 'hard is the set of desired hard limits for each named resource.'),
      scopes: arr(str()),
      scopeSelector: obj({
        matchExpressions: arr(obj({ scopeName: str(), operator: str(), values: arr(str()) })),
      }),
    }),
    status: obj({
      hard: mapOf(quantity(), 'Hard is the set of enforced hard limits for each named resource.'),
      used: mapOf(quantity(), 'Used is the current observed total usage of the resource in the namespace.'),
    }),
  }),
  columns: [
    ageColumn,
    {
      name: 'Request',
      type: 'string',
      description: 'Request represents a minimum amount of cpu/memory that a container may consume.',
      value: (o) => quotaCell(o, false),
    },
    {
      name: 'Limit',
      type: 'string',
      description:
        'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
      value: (o) => quotaCell(o, true),
    },
  ],
};

export const limitRangeKind: KindDefinition = {
  flavors: KUBERNETES,
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  shortNames: ['limits'],
  namespaced: true,
  description: 'LimitRange sets resource usage limits for each kind of resource in a Namespace.',
  schema: obj({
    spec: obj({
      limits: arr(
        obj({
          type: enumOf(['Pod', 'Container', 'PersistentVolumeClaim']),
          max: mapOf(quantity()),
          min: mapOf(quantity()),
          default: mapOf(quantity()),
          defaultRequest: mapOf(quantity()),
          maxLimitRequestRatio: mapOf(quantity()),
        }),
      ),
    }),
  }),
  columns: [
    {
      name: 'Created At',
      type: 'date',
      description:
        'CreationTimestamp is a timestamp representing the server time when this object was created.',
      value: (o) => o.metadata.creationTimestamp ?? '',
    },
  ],
};
