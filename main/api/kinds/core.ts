// core/v1 kinds other than Pod: Namespace, ConfigMap, Secret, ServiceAccount, Service, Event,
// PersistentVolumeClaim, Endpoints.
import { KUBERNETES } from './flavors';
import type { KindDefinition } from '../registry';
import { age } from '../printers/duration';
import {
  arr,
  bool,
  enumOf,
  int,
  intOrString,
  mapOf,
  obj,
  quantity,
  str,
  stringMap,
  timestamp,
  anyObject,
} from '../schema';
import { condition, labelSelector } from './meta';
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

type ServicePort = {
  name?: string;
  protocol?: string;
  port?: number;
  targetPort?: number | string;
  nodePort?: number;
};
type ServiceSpec = {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  externalIPs?: string[];
  externalName?: string;
  ports?: ServicePort[];
  selector?: Record<string, string>;
};
const serviceSpec = (o: KubeObject) => (o.spec ?? {}) as ServiceSpec;

/** EXTERNAL-IP as kubectl prints it for each type of Service. */
function serviceExternalIP(o: KubeObject): string {
  const s = serviceSpec(o);
  const external = s.externalIPs ?? [];
  switch (s.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = (
        (o.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)
          ?.loadBalancer?.ingress ?? []
      )
        .map((i) => i.ip || i.hostname || '')
        .filter(Boolean);
      const all = [...ingress, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return s.externalName ?? '';
    default:
      return '<unknown>';
  }
}

export const serviceKind: KindDefinition = {
  flavors: KUBERNETES,
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  categories: ['all'],
  namespaced: true,
  statusSubresource: true,
  generation: false,
  description:
    'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
  schema: obj({
    spec: obj({
      ports: arr(
        obj(
          {
            name: str('The name of this port within the service.'),
            protocol: enumOf(['TCP', 'UDP', 'SCTP'], 'The IP protocol for this port.'),
            appProtocol: str(),
            port: int('The port that will be exposed by this service.', { minimum: 1, maximum: 65535 }),
            targetPort: intOrString(
              'Number or name of the port to access on the pods targeted by the service.',
            ),
            nodePort: int(
              'The port on each node on which this service is exposed when type is NodePort or LoadBalancer.',
            ),
          },
          undefined,
          { required: ['port'] },
        ),
        'The list of ports that are exposed by this service.',
      ),
      selector: stringMap('Route service traffic to pods with label keys and values matching this selector.'),
      clusterIP: str('clusterIP is the IP address of the service and is usually assigned randomly.'),
      clusterIPs: arr(str()),
      type: enumOf(
        ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
        'type determines how the Service is exposed.',
      ),
      externalIPs: arr(str()),
      sessionAffinity: enumOf(['None', 'ClientIP']),
      loadBalancerIP: str(),
      loadBalancerSourceRanges: arr(str()),
      externalName: str(),
      externalTrafficPolicy: enumOf(['Cluster', 'Local']),
      internalTrafficPolicy: enumOf(['Cluster', 'Local']),
      healthCheckNodePort: int(),
      publishNotReadyAddresses: bool(),
      sessionAffinityConfig: anyObject(),
      ipFamilies: arr(str()),
      ipFamilyPolicy: str(),
      allocateLoadBalancerNodePorts: bool(),
      loadBalancerClass: str(),
    }),
    status: obj({
      loadBalancer: obj({
        ingress: arr(obj({ ip: str(), hostname: str(), ipMode: str(), ports: arr(anyObject()) })),
      }),
      conditions: arr(condition),
    }),
  }),
  columns: [
    {
      name: 'Type',
      type: 'string',
      description: 'The type of the service',
      value: (o) => serviceSpec(o).type ?? '',
    },
    {
      name: 'Cluster-IP',
      type: 'string',
      description: 'The cluster IP of the service',
      value: (o) => serviceSpec(o).clusterIP || '<none>',
    },
    {
      name: 'External-IP',
      type: 'string',
      description: 'The external IP of the service',
      value: serviceExternalIP,
    },
    {
      name: 'Port(s)',
      type: 'string',
      description: 'The ports of the service',
      value: (o) =>
        (serviceSpec(o).ports ?? [])
          .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
          .join(',') || '<none>',
    },
    ageColumn,
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      description: 'The selector of the service',
      value: (o) =>
        Object.entries(serviceSpec(o).selector ?? {})
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
    },
  ],
  fieldSelectors: {
    'spec.clusterIP': (o) => serviceSpec(o).clusterIP ?? '',
    'spec.type': (o) => serviceSpec(o).type ?? '',
  },
  defaults(svc) {
    const s = (svc.spec ??= {}) as ServiceSpec & Record<string, unknown>;
    s.type ??= 'ClusterIP';
    s.sessionAffinity ??= 'None';
    for (const p of s.ports ?? []) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
    if (s.type === 'ExternalName') return;
    // cluster IPs and node ports are allocated by the API space's Service allocator (admission), which
    // knows what every other Service holds
    if (!s.clusterIP && s.clusterIPs?.length) s.clusterIP = s.clusterIPs[0];
    s.ipFamilies ??= ['IPv4'];
    s.ipFamilyPolicy ??= 'SingleStack';
    s.internalTrafficPolicy ??= 'Cluster';
    if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ??= 'Cluster';
    if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true;
  },
  initialStatus: () => ({ loadBalancer: {} }),
  validate(svc) {
    const s = serviceSpec(svc);
    if (s.type === 'ExternalName') {
      return s.externalName
        ? []
        : [{ field: 'spec.externalName', reason: 'FieldValueRequired', message: 'Required value' }];
    }
    if (!(s.ports ?? []).length && s.clusterIP !== 'None')
      return [{ field: 'spec.ports', reason: 'FieldValueRequired', message: 'Required value' }];
    return [];
  },
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

const resourceList = (description: string) => mapOf(quantity(), description);

/** PersistentVolumeClaimSpec, shared with StatefulSets' volumeClaimTemplates. */
export const persistentVolumeClaimSpec = obj(
  {
    accessModes: arr(str(), 'accessModes contains the desired access modes the volume should have.'),
    selector: labelSelector,
    resources: obj(
      {
        limits: resourceList('Limits describes the maximum amount of compute resources allowed.'),
        requests: resourceList('Requests describes the minimum amount of compute resources required.'),
      },
      'resources represents the minimum resources the volume should have.',
    ),
    volumeName: str('volumeName is the binding reference to the PersistentVolume backing this claim.'),
    storageClassName: str('storageClassName is the name of the StorageClass required by the claim.'),
    volumeMode: enumOf(
      ['Filesystem', 'Block'],
      'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.',
    ),
    dataSource: obj(
      { apiGroup: str(), kind: str(), name: str() },
      'This field can be used to specify either an existing VolumeSnapshot object or an existing PVC.',
    ),
  },
  'PersistentVolumeClaimSpec describes the common attributes of storage devices and allows a Source for provider-specific attributes',
);

export const persistentVolumeClaimStatus = obj(
  {
    phase: enumOf(
      ['Pending', 'Bound', 'Lost'],
      'phase represents the current phase of PersistentVolumeClaim.',
    ),
    accessModes: arr(str(), 'accessModes contains the actual access modes the volume backing the PVC has.'),
    capacity: resourceList('capacity represents the actual resources of the underlying volume.'),
    conditions: arr(condition),
  },
  'PersistentVolumeClaimStatus is the current status of a persistent volume claim.',
);

type ClaimSpec = {
  accessModes?: string[];
  resources?: { requests?: Record<string, unknown> };
  volumeName?: string;
  storageClassName?: string;
  volumeMode?: string;
};
const claimSpec = (o: KubeObject) => (o.spec ?? {}) as ClaimSpec;
const accessModeNames: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
];

/** The defaults the API server gives a claim's spec (in a PVC and in a StatefulSet's claim templates). */
export function defaultClaimSpec(spec: Record<string, unknown>): void {
  spec.volumeMode ??= 'Filesystem';
}

/** A claim's spec as validation sees it: access modes and a storage request are required. */
export function claimSpecErrors(spec: ClaimSpec, path: string) {
  const causes: { field: string; reason: string; message: string }[] = [];
  const modes = spec.accessModes ?? [];
  if (modes.length === 0)
    causes.push({
      field: `${path}.accessModes`,
      reason: 'FieldValueRequired',
      message: 'Required value: at least 1 access mode is required',
    });
  for (const m of modes)
    if (!accessModeNames.some(([n]) => n === m))
      causes.push({
        field: `${path}.accessModes`,
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${m}": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce"`,
      });
  if (spec.resources?.requests?.storage === undefined)
    causes.push({
      field: `${path}.resources[storage]`,
      reason: 'FieldValueRequired',
      message: 'Required value',
    });
  return causes;
}

export const persistentVolumeClaimKind: KindDefinition = {
  flavors: KUBERNETES,
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  namespaced: true,
  statusSubresource: true,
  generation: false,
  description: "PersistentVolumeClaim is a user's request for and claim to a persistent volume",
  schema: obj({ spec: persistentVolumeClaimSpec, status: persistentVolumeClaimStatus }),
  // the columns a 1.21 API server sends (VOLUMEATTRIBUTESCLASS came with 1.29)
  columns: [
    {
      name: 'Status',
      type: 'string',
      description: 'phase represents the current phase of PersistentVolumeClaim.',
      value: (o) =>
        o.metadata.deletionTimestamp ? 'Terminating' : ((field(o, 'status.phase') as string) ?? ''),
    },
    {
      name: 'Volume',
      type: 'string',
      description: 'volumeName is the binding reference to the PersistentVolume backing this claim.',
      value: (o) => claimSpec(o).volumeName ?? '',
    },
    {
      name: 'Capacity',
      type: 'string',
      description: 'capacity represents the actual resources of the underlying volume.',
      value: (o) => (claimSpec(o).volumeName ? String(field(o, 'status.capacity.storage') ?? '0') : ''),
    },
    {
      name: 'Access Modes',
      type: 'string',
      description: 'accessModes contains the actual access modes the volume backing the PVC has.',
      value: (o) => {
        if (!claimSpec(o).volumeName) return '';
        const modes = (field(o, 'status.accessModes') as string[] | undefined) ?? [];
        return accessModeNames
          .filter(([n]) => modes.includes(n))
          .map(([, short]) => short)
          .join(',');
      },
    },
    {
      name: 'StorageClass',
      type: 'string',
      description: 'storageClassName is the name of the StorageClass required by the claim.',
      value: (o) =>
        o.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ??
        claimSpec(o).storageClassName ??
        '',
    },
    ageColumn,
    {
      name: 'VolumeMode',
      type: 'string',
      priority: 1,
      description: 'volumeMode defines what type of volume is required by the claim.',
      value: (o) => claimSpec(o).volumeMode ?? '<unset>',
    },
  ],
  defaults(pvc) {
    defaultClaimSpec((pvc.spec ??= {}) as Record<string, unknown>);
  },
  initialStatus: () => ({ phase: 'Pending' }),
  validate(pvc, { old }) {
    const causes = claimSpecErrors(claimSpec(pvc), 'spec');
    if (old) {
      const without = (o: KubeObject) =>
        JSON.stringify({ ...claimSpec(o), resources: undefined, volumeName: undefined });
      if (
        without(pvc) !== without(old) ||
        (claimSpec(old).volumeName && claimSpec(pvc).volumeName !== claimSpec(old).volumeName)
      )
        causes.push({
          field: 'spec',
          reason: 'FieldValueForbidden',
          message: 'Forbidden: spec is immutable after creation except resources.requests for bound claims',
        });
    }
    return causes;
  },
};

type EndpointAddress = { ip?: string };
type EndpointSubset = {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: { name?: string; port?: number; protocol?: string }[];
};

/** The ENDPOINTS cell as the API server prints it: up to three ip:port, then "+ N more...". */
export function formatEndpoints(o: KubeObject): string {
  const subsets = (o.subsets ?? []) as EndpointSubset[];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  const add = (text: string) => {
    if (list.length < 3) list.push(text);
    count++;
  };
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    if (!ss.ports?.length) for (const a of addresses) add(a.ip ?? '');
    else
      for (const p of ss.ports)
        for (const a of addresses) {
          const ip = a.ip ?? '';
          add(`${ip.includes(':') ? `[${ip}]` : ip}:${p.port ?? 0}`);
        }
  }
  const text = list.join(',');
  return count > 3 ? `${text} + ${count - 3} more...` : text;
}

const endpointAddress = obj(
  {
    ip: str('The IP of this endpoint.'),
    hostname: str('The Hostname of this endpoint'),
    nodeName: str('Optional: Node hosting this endpoint.'),
    targetRef: obj({
      kind: str(),
      namespace: str(),
      name: str(),
      uid: str(),
      apiVersion: str(),
      resourceVersion: str(),
      fieldPath: str(),
    }),
  },
  'EndpointAddress is a tuple that describes single IP address.',
  { required: ['ip'] },
);

export const endpointsKind: KindDefinition = {
  flavors: KUBERNETES,
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  generation: false,
  description: 'Endpoints is a collection of endpoints that implement the actual service.',
  schema: obj({
    subsets: arr(
      obj({
        addresses: arr(
          endpointAddress,
          'IP addresses which offer the related ports that are marked as ready.',
        ),
        notReadyAddresses: arr(
          endpointAddress,
          'IP addresses which offer the related ports but are not currently marked as ready.',
        ),
        ports: arr(
          obj({
            name: str('The name of this port.'),
            port: int('The port number of the endpoint.'),
            protocol: enumOf(['TCP', 'UDP', 'SCTP'], 'The IP protocol for this port.'),
            appProtocol: str('The application protocol for this port.'),
          }),
          'Port numbers available on the related IP addresses.',
        ),
      }),
      'The set of all endpoints is the union of all subsets.',
    ),
  }),
  columns: [
    {
      name: 'Endpoints',
      type: 'string',
      description: 'The set of all endpoints is the union of all subsets.',
      value: formatEndpoints,
    },
    ageColumn,
  ],
  defaults(ep) {
    for (const ss of (ep.subsets ?? []) as EndpointSubset[])
      for (const p of ss.ports ?? []) p.protocol ??= 'TCP';
  },
};
