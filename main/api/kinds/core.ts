// core/v1 kinds other than Pod: Namespace, ConfigMap, Secret, ServiceAccount, Event.
import { KUBERNETES } from './flavors';
import type { KindDefinition } from '../registry';
import { age } from '../printers/duration';
import { arr, bool, enumOf, int, obj, str, stringMap, timestamp, anyObject } from '../schema';
import { condition } from './meta';
import type { KubeObject } from '../types';

const ageColumn = {
  name: 'Age',
  type: 'string' as const,
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  value: (o: KubeObject, c: { now: Date }) => age(o.metadata.creationTimestamp, c.now),
};

const field = (o: KubeObject, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

export const namespaceKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  namespaced: false,
  nameFormat: 'label',
  statusSubresource: true,
  generation: false,
  description: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  schema: obj({
    spec: obj({
      finalizers: arr(
        str(),
        'Finalizers is an opaque list of values that must be empty to permanently remove object from storage.',
      ),
    }),
    status: obj({ phase: enumOf(['Active', 'Terminating']), conditions: arr(condition) }),
  }),
  columns: [
    {
      name: 'Status',
      type: 'string',
      description: 'The status of the namespace',
      value: (o) => (field(o, 'status.phase') as string) ?? '',
    },
    ageColumn,
  ],
  fieldSelectors: { 'status.phase': (o) => (field(o, 'status.phase') as string) ?? '' },
  defaults(ns) {
    const spec = (ns.spec ??= {}) as { finalizers?: string[] };
    spec.finalizers ??= ['kubernetes'];
    const labels = (ns.metadata.labels ??= {});
    labels['kubernetes.io/metadata.name'] = ns.metadata.name ?? '';
  },
  initialStatus: () => ({ phase: 'Active' }),
};

export const configMapKind: KindDefinition = {
  flavors: KUBERNETES,
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  namespaced: true,
  description: 'ConfigMap holds configuration data for pods to consume.',
  schema: obj({
    data: stringMap('Data contains the configuration data.'),
    binaryData: stringMap('BinaryData contains the binary data.'),
    immutable: bool(
      'Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated.',
    ),
  }),
  columns: [
    {
      name: 'Data',
      type: 'integer',
      description: 'Number of data entries',
      value: (o) =>
        Object.keys((o.data ?? {}) as object).length + Object.keys((o.binaryData ?? {}) as object).length,
    },
    ageColumn,
  ],
};

export const secretKind: KindDefinition = {
  flavors: KUBERNETES,
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  description: 'Secret holds secret data of a certain type.',
  schema: obj({
    data: stringMap('Data contains the secret data. Each value must be base64 encoded.'),
    stringData: stringMap('stringData allows specifying non-binary secret data in string form.'),
    type: str('Used to facilitate programmatic handling of secret data.'),
    immutable: bool(),
  }),
  columns: [
    {
      name: 'Type',
      type: 'string',
      description: 'The type of the secret',
      value: (o) => (o.type as string) ?? '',
    },
    {
      name: 'Data',
      type: 'integer',
      description: 'Number of data entries',
      value: (o) => Object.keys((o.data ?? {}) as object).length,
    },
    ageColumn,
  ],
  fieldSelectors: { type: (o) => (o.type as string) ?? '' },
  defaults(secret) {
    secret.type ??= 'Opaque';
    // stringData is write-only: merged into data, base64-encoded, and never stored.
    const sd = secret.stringData as Record<string, string> | undefined;
    if (sd) {
      const data = (secret.data ??= {}) as Record<string, string>;
      for (const [k, v] of Object.entries(sd)) data[k] = Buffer.from(v, 'utf8').toString('base64');
      delete secret.stringData;
    }
  },
};

export const serviceAccountKind: KindDefinition = {
  flavors: KUBERNETES,
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  namespaced: true,
  description:
    'ServiceAccount binds together a name, a principal that can be authenticated, and a set of secrets.',
  schema: obj({
    secrets: arr(obj({ name: str(), namespace: str(), kind: str(), apiVersion: str(), uid: str() })),
    imagePullSecrets: arr(obj({ name: str() })),
    automountServiceAccountToken: bool(),
  }),
  columns: [
    {
      name: 'Secrets',
      type: 'string',
      description: 'Number of secrets',
      value: (o) => ((o.secrets ?? []) as unknown[]).length,
    },
    ageColumn,
  ],
};

const objectReference = obj({
  kind: str(),
  namespace: str(),
  name: str(),
  uid: str(),
  apiVersion: str(),
  resourceVersion: str(),
  fieldPath: str(),
});

function eventObject(e: KubeObject): string {
  const ref = (e.involvedObject ?? {}) as { kind?: string; name?: string };
  return `${(ref.kind ?? '').toLowerCase()}/${ref.name ?? ''}`;
}

function lastSeen(e: KubeObject, { now }: { now: Date }): string {
  const t = (e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp) as
    string | undefined;
  return age(t, now);
}

export const eventKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  generation: false,
  description: 'Event is a report of an event somewhere in the cluster.',
  schema: obj(
    {
      involvedObject: objectReference,
      reason: str(
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      ),
      message: str('A human-readable description of the status of this operation.'),
      source: obj({ component: str(), host: str() }),
      firstTimestamp: timestamp(),
      lastTimestamp: timestamp(),
      eventTime: str(),
      count: int(),
      type: str('Type of this event (Normal, Warning), new types could be added in the future'),
      action: str(),
      related: objectReference,
      reportingComponent: str(),
      reportingInstance: str(),
      series: anyObject(),
    },
    undefined,
    { required: ['involvedObject'] },
  ),
  columns: [
    { name: 'Last Seen', type: 'string', description: 'Time when this Event was last seen', value: lastSeen },
    {
      name: 'Type',
      type: 'string',
      description: 'Type of this event (Normal, Warning)',
      value: (e) => (e.type as string) ?? '',
    },
    {
      name: 'Reason',
      type: 'string',
      description: 'Why the action was taken',
      value: (e) => (e.reason as string) ?? '',
    },
    { name: 'Object', type: 'string', description: 'The object this Event is about', value: eventObject },
    {
      name: 'Subobject',
      type: 'string',
      priority: 1,
      description: 'The subobject this Event is about',
      value: (e) => (field(e, 'involvedObject.fieldPath') as string) ?? '',
    },
    {
      name: 'Source',
      type: 'string',
      priority: 1,
      description: 'The component reporting this Event',
      value: (e) => [field(e, 'source.component'), field(e, 'source.host')].filter(Boolean).join(', '),
    },
    {
      name: 'Message',
      type: 'string',
      description: 'A human-readable description of the status of this operation',
      value: (e) => (e.message as string) ?? '',
    },
    {
      name: 'First Seen',
      type: 'string',
      priority: 1,
      description: 'Time when this Event was first seen',
      value: (e, c) => age(e.firstTimestamp ?? e.metadata.creationTimestamp, c.now),
    },
    {
      name: 'Count',
      type: 'string',
      priority: 1,
      description: 'Number of times this Event has occurred',
      value: (e) => String(e.count ?? 1),
    },
    {
      name: 'Name',
      type: 'string',
      priority: 1,
      description: 'The name of this Event',
      value: (e) => e.metadata.name ?? '',
    },
  ],
  fieldSelectors: {
    'involvedObject.kind': (e) => field(e, 'involvedObject.kind') as string,
    'involvedObject.name': (e) => field(e, 'involvedObject.name') as string,
    'involvedObject.namespace': (e) => field(e, 'involvedObject.namespace') as string,
    'involvedObject.uid': (e) => field(e, 'involvedObject.uid') as string,
    'involvedObject.apiVersion': (e) => field(e, 'involvedObject.apiVersion') as string,
    'involvedObject.fieldPath': (e) => field(e, 'involvedObject.fieldPath') as string,
    'involvedObject.resourceVersion': (e) => field(e, 'involvedObject.resourceVersion') as string,
    reason: (e) => e.reason as string,
    type: (e) => e.type as string,
    source: (e) => field(e, 'source.component') as string,
    reportingComponent: (e) => e.reportingComponent as string,
  },
};
