// The kinds of the Tanzu Kubernetes Grid Service as a vSphere 7.0 Update 3 Supervisor serves them:
// TanzuKubernetesCluster (run.tanzu.vmware.com/v1alpha2, stored) and TanzuKubernetesRelease; VM
// Operator's VirtualMachine and VirtualMachineService; and the Cluster API objects (v1alpha3, the
// release 7.0 U3 ran) a TKC owns. Printer columns are those CRDs' additionalPrinterColumns.
import type { KindDefinition, PrinterColumn, Registry } from '../../api/registry';
import { ageColumn, pathColumns } from '../../api/printers/columns';
import {
  anyObject,
  arr,
  bool,
  enumOf,
  int,
  mapOf,
  obj,
  quantity,
  str,
  stringMap,
  timestamp,
} from '../../api/schema';
import type { KubeObject } from '../../api/types';
import { VMOP_GROUP } from '../supervisor/kinds';
import { tanzuKubernetesClusterV1alpha1 } from './tkcV1alpha1';

export const RUN_GROUP = 'run.tanzu.vmware.com';
export const CAPI_GROUP = 'cluster.x-k8s.io';
export const KCP_GROUP = 'controlplane.cluster.x-k8s.io';
const SUPERVISOR_ONLY = ['supervisor'];

const AGE = ageColumn('date');
/** A JSONPath column as kubectl prints one: nothing for a missing value, JSON for an object. */
const col = pathColumns((v) =>
  v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v),
);
const intCol = (name: string, path: string): PrinterColumn => ({ ...col(name, path), type: 'integer' });

interface Condition {
  type: string;
  status: string;
  severity?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export const conditionsOf = (o: KubeObject): Condition[] =>
  ((o.status as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[];

/** `.status.conditions[?(@.type=='T')].<field>`, as a CRD column with a filter prints it. */
const conditionColumn = (
  name: string,
  type: string,
  field: 'status' | 'message' = 'status',
): PrinterColumn => ({
  name,
  type: 'string',
  jsonPath: `.status.conditions[?(@.type=='${type}')].${field}`,
  value: (o) => conditionsOf(o).find((c) => c.type === type)?.[field] ?? null,
});

/** Cluster API's condition: Kubernetes' with a severity. */
const capiCondition = obj({
  type: str('Type of condition in CamelCase or in foo.example.com/CamelCase.'),
  status: enumOf(['True', 'False', 'Unknown'], 'Status of the condition, one of True, False, Unknown.'),
  severity: enumOf(
    ['Error', 'Warning', 'Info', ''],
    'Severity provides an explicit classification of Reason code.',
  ),
  lastTransitionTime: timestamp('Last time the condition transitioned from one status to another.'),
  reason: str("The reason for the condition's last transition in CamelCase."),
  message: str('A human readable message indicating details about the transition.'),
});

const objectRef = obj({
  apiVersion: str(),
  kind: str(),
  name: str(),
  namespace: str(),
  uid: str(),
});

const volume = obj({
  name: str('Name is suffix used to name this PVC as: node.Name + "-" + Name'),
  mountPath: str('MountPath is the directory where the volume device is to be mounted'),
  capacity: mapOf(quantity(), 'Capacity is the PVC capacity'),
  storageClass: str('StorageClass is the name of the storage class to be used for the volume.'),
});

const tkrRef = obj(
  { reference: objectRef },
  'TKR points to TanzuKubernetesRelease intended to be used by the node pool (the control plane being special kind of a node pool).',
);

const topologySettings = {
  replicas: int('Replicas is the number of nodes. For control plane, defaults to 1 if nil.'),
  vmClass: str(
    'VMClass is the name of the VirtualMachineClass, which describes the virtual hardware settings, to be used each node in the pool.',
  ),
  storageClass: str(
    'StorageClass is the name of the storage class to be used for storage disks of the nodes.',
  ),
  volumes: arr(volume, 'Volumes is the set of PVCs to be created and attached to each node.'),
  tkr: tkrRef,
  nodeDrainTimeout: str(
    'NodeDrainTimeout is the total amount of time that the controller will spend on draining a node.',
  ),
};

const taint = obj({ key: str(), value: str(), effect: str(), timeAdded: timestamp() });

const networkSettings = obj({
  cni: obj({ name: str('Name is the name of the CNI plugin to use. Supported values: "calico", "antrea".') }),
  pods: obj({ cidrBlocks: arr(str()) }, 'Pods specify network settings for pods.'),
  services: obj({ cidrBlocks: arr(str()) }, 'Services specify network settings for services.'),
  serviceDomain: str(
    'ServiceDomain specifies service domain for Kubernetes services. Defaults to "cluster.local".',
  ),
  proxy: obj({ httpProxy: str(), httpsProxy: str(), noProxy: arr(str()) }),
  trust: obj({ additionalTrustedCAs: arr(obj({ name: str(), data: str() })) }),
});

const storageSettings = obj({
  classes: arr(
    str(),
    'Classes is a list of storage classes from the supervisor namespace to expose within a cluster.',
  ),
  defaultClass: str(
    'DefaultClass is the valid storage class name which is treated as the default storage class within a cluster.',
  ),
});

export const TKC_PHASES = [
  'creating',
  'failed',
  'running',
  'unhealthy',
  'updating',
  'updateFailed',
  'deleting',
  '',
];

export const tanzuKubernetesClusterKind: KindDefinition = {
  group: RUN_GROUP,
  version: 'v1alpha2',
  kind: 'TanzuKubernetesCluster',
  plural: 'tanzukubernetesclusters',
  singular: 'tanzukubernetescluster',
  shortNames: ['tkc'],
  namespaced: true,
  flavors: SUPERVISOR_ONLY,
  nameFormat: 'label',
  statusSubresource: true,
  description: 'TanzuKubernetesCluster is the schema for the Tanzu Kubernetes Grid service for vSphere API.',
  schema: obj({
    spec: obj(
      {
        topology: obj({
          controlPlane: obj(
            topologySettings,
            "ControlPlane specifies the topology of the cluster's control plane.",
          ),
          nodePools: arr(
            obj({
              name: str('Name is the name of the NodePool.'),
              labels: stringMap(),
              taints: arr(taint),
              ...topologySettings,
            }),
            "NodePools specifies the topology of cluster's worker node pools.",
          ),
        }),
        distribution: obj(
          {
            fullVersion: str(
              'Version specifies the fully-qualified desired Kubernetes distribution version of the cluster.',
            ),
            version: str(
              'VersionHint provides the version webhook with guidance about the desired Kubernetes distribution version of the cluster.',
            ),
          },
          'Distribution specifies the distribution for the Tanzu Kubernetes cluster. DEPRECATED: use topology.controlPlane.tkr and topology.nodePools[*].tkr instead.',
        ),
        settings: obj(
          { network: networkSettings, storage: storageSettings },
          'Settings specifies settings for the Tanzu Kubernetes cluster.',
        ),
      },
      'TanzuKubernetesClusterSpec defines the desired state of TanzuKubernetesCluster: its nodes, the software installed on those nodes and the way that software should be configured.',
    ),
    status: obj({
      apiEndpoints: arr(
        obj({ host: str(), port: int() }),
        'APIEndpoints represents the endpoints to communicate with the control plane.',
      ),
      version: str('Version holds the observed version of the Tanzu Kubernetes cluster.'),
      phase: enumOf(
        TKC_PHASES,
        'Phase of this TanzuKubernetesCluster. DEPRECATED: will be removed in v1alpha3',
      ),
      addons: arr(
        obj({ name: str(), type: str(), version: str(), conditions: arr(capiCondition) }),
        "Addons groups the statuses of a Tanzu Kubernetes cluster's add-ons.",
      ),
      conditions: arr(
        capiCondition,
        'Conditions defines current service state of the TanzuKubernetestCluster.',
      ),
      totalWorkerReplicas: int('Total number of replicas in worker node pools.'),
    }),
  }),
  columns: [
    intCol('Control Plane', 'spec.topology.controlPlane.replicas'),
    intCol('Worker', 'status.totalWorkerReplicas'),
    col('TKR Name', 'spec.topology.controlPlane.tkr.reference.name'),
    AGE,
    conditionColumn('Ready', 'Ready'),
    conditionColumn('TKR Compatible', 'TanzuKubernetesReleaseCompatible'),
    conditionColumn('Updates Available', 'UpdatesAvailable', 'message'),
  ],
  alsoServed: [
    tanzuKubernetesClusterV1alpha1({
      volume,
      network: networkSettings,
      storage: storageSettings,
      condition: capiCondition,
    }),
  ],
};

export const tanzuKubernetesReleaseKind: KindDefinition = {
  group: RUN_GROUP,
  version: 'v1alpha1',
  kind: 'TanzuKubernetesRelease',
  plural: 'tanzukubernetesreleases',
  singular: 'tanzukubernetesrelease',
  shortNames: ['tkr'],
  namespaced: false,
  flavors: SUPERVISOR_ONLY,
  statusSubresource: true,
  description:
    'TanzuKubernetesRelease is the schema for the tanzukubernetesreleases API: a Kubernetes distribution (its version, images and node OS image) a TanzuKubernetesCluster may run.',
  schema: obj({
    spec: obj({
      version: str(
        'Version is the fully qualified Semantic Versioning conformant version of the TanzuKubernetesRelease.',
      ),
      kubernetesVersion: str('KubernetesVersion is the version of Kubernetes the release carries.'),
      repository: str('Repository is the container image repository of the core images.'),
      images: arr(
        obj({ repository: str(), name: str(), tag: str() }),
        'Images is the list of core container images of the release.',
      ),
      nodeImageRef: objectRef,
    }),
    status: obj({ conditions: arr(capiCondition) }),
  }),
  columns: [
    col('Version', 'spec.version'),
    conditionColumn('Ready', 'Ready'),
    conditionColumn('Compatible', 'Compatible'),
    { ...AGE, name: 'Created' },
    conditionColumn('Updates Available', 'UpdatesAvailable', 'message'),
  ],
};

const vmop = (
  kind: string,
  plural: string,
  shortName: string,
  schema: KindDefinition['schema'],
  columns: PrinterColumn[],
): KindDefinition => ({
  group: VMOP_GROUP,
  version: 'v1alpha1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  shortNames: [shortName],
  namespaced: true,
  flavors: SUPERVISOR_ONLY,
  statusSubresource: true,
  schema,
  columns,
});

export const vmopVirtualMachineKind = vmop(
  'VirtualMachine',
  'virtualmachines',
  'vm',
  obj({
    spec: obj({
      imageName: str(
        'ImageName describes the name of a VirtualMachineImage that is to be used as the base Operating System image.',
      ),
      className: str(
        'ClassName describes the name of a VirtualMachineClass that is to be used as the overlaid resource configuration of VirtualMachine.',
      ),
      powerState: enumOf(
        ['poweredOn', 'poweredOff'],
        'PowerState describes the desired power state of a VirtualMachine.',
      ),
      storageClass: str(
        'StorageClass describes the name of a StorageClass that should be used to configure storage-related attributes of the VirtualMachine.',
      ),
      networkInterfaces: arr(obj({ networkType: str(), networkName: str() })),
      resourcePolicyName: str(),
      vmMetadata: obj({ configMapName: str(), transport: str() }),
      readinessProbe: obj({ tcpSocket: obj({ port: int() }) }),
      volumes: arr(anyObject()),
    }),
    status: obj({
      host: str(
        'Host describes the hostname or IP address of the infrastructure host that the VirtualMachine is executing on.',
      ),
      powerState: str(),
      phase: enumOf(['Creating', 'Created', 'Deleting', 'Deleted', 'Unknown', '']),
      conditions: arr(capiCondition),
      vmIp: str('VmIp describes the IP address of the VirtualMachine.'),
      uniqueID: str(),
      biosUUID: str(),
    }),
  }),
  [
    col('PowerState', 'status.powerState'),
    col('Class', 'spec.className', 1),
    col('Image', 'spec.imageName', 1),
    col('Primary-IP', 'status.vmIp', 1),
    AGE,
  ],
);

export const vmopVirtualMachineServiceKind = vmop(
  'VirtualMachineService',
  'virtualmachineservices',
  'vmservice',
  obj({
    spec: obj({
      type: enumOf(['ClusterIP', 'LoadBalancer', 'ExternalName']),
      ports: arr(obj({ name: str(), protocol: str(), port: int(), targetPort: int() })),
      selector: stringMap(),
      loadBalancerIP: str(),
      clusterIp: str(),
    }),
    status: obj({ loadBalancer: obj({ ingress: arr(obj({ ip: str(), hostname: str() })) }) }),
  }),
  [col('Type', 'spec.type'), AGE],
);

const capi = (
  group: string,
  kind: string,
  plural: string,
  shortName: string,
  schema: KindDefinition['schema'],
  columns: PrinterColumn[],
): KindDefinition => ({
  group,
  version: 'v1alpha3',
  kind,
  plural,
  singular: kind.toLowerCase(),
  shortNames: [shortName],
  categories: ['cluster-api'],
  namespaced: true,
  flavors: SUPERVISOR_ONLY,
  statusSubresource: true,
  schema,
  columns,
});

const capiStatusCommon = { conditions: arr(capiCondition), observedGeneration: int() };

export const capiClusterKind = capi(
  CAPI_GROUP,
  'Cluster',
  'clusters',
  'cl',
  obj({
    spec: obj({
      paused: bool(),
      clusterNetwork: obj({
        pods: obj({ cidrBlocks: arr(str()) }),
        services: obj({ cidrBlocks: arr(str()) }),
        serviceDomain: str(),
      }),
      controlPlaneEndpoint: obj({ host: str(), port: int() }),
      controlPlaneRef: objectRef,
      infrastructureRef: objectRef,
    }),
    status: obj({
      phase: str('Phase represents the current phase of cluster actuation.'),
      infrastructureReady: bool(),
      controlPlaneInitialized: bool(),
      controlPlaneReady: bool(),
      ...capiStatusCommon,
    }),
  }),
  [col('Phase', 'status.phase')],
);

export const capiMachineKind = capi(
  CAPI_GROUP,
  'Machine',
  'machines',
  'ma',
  obj({
    spec: obj({
      clusterName: str(),
      version: str(),
      providerID: str(),
      bootstrap: obj({ configRef: objectRef, dataSecretName: str() }),
      infrastructureRef: objectRef,
      failureDomain: str(),
    }),
    status: obj({
      nodeRef: objectRef,
      phase: str(),
      bootstrapReady: bool(),
      infrastructureReady: bool(),
      addresses: arr(obj({ type: str(), address: str() })),
      lastUpdated: timestamp(),
      ...capiStatusCommon,
    }),
  }),
  [
    col('ProviderID', 'spec.providerID'),
    col('Phase', 'status.phase'),
    col('Version', 'spec.version'),
    col('NodeName', 'status.nodeRef.name', 1),
  ],
);

export const capiMachineDeploymentKind = capi(
  CAPI_GROUP,
  'MachineDeployment',
  'machinedeployments',
  'md',
  obj({
    spec: obj({
      clusterName: str(),
      replicas: int(),
      selector: anyObject(),
      template: anyObject(),
    }),
    status: obj({
      replicas: int(),
      updatedReplicas: int(),
      readyReplicas: int(),
      availableReplicas: int(),
      unavailableReplicas: int(),
      phase: str(),
      selector: str(),
      ...capiStatusCommon,
    }),
  }),
  [
    col('Phase', 'status.phase'),
    intCol('Replicas', 'status.replicas'),
    intCol('Ready', 'status.readyReplicas'),
    intCol('Updated', 'status.updatedReplicas'),
    intCol('Unavailable', 'status.unavailableReplicas'),
  ],
);

export const kubeadmControlPlaneKind = capi(
  KCP_GROUP,
  'KubeadmControlPlane',
  'kubeadmcontrolplanes',
  'kcp',
  obj({
    spec: obj({
      replicas: int(),
      version: str(),
      infrastructureTemplate: objectRef,
      kubeadmConfigSpec: anyObject(),
    }),
    status: obj({
      selector: str(),
      replicas: int(),
      updatedReplicas: int(),
      readyReplicas: int(),
      unavailableReplicas: int(),
      initialized: bool(),
      ready: bool(),
      ...capiStatusCommon,
    }),
  }),
  [
    { ...col('Initialized', 'status.initialized'), type: 'boolean' },
    { ...col('API Server Available', 'status.ready'), type: 'boolean' },
    col('Version', 'spec.version'),
    intCol('Replicas', 'status.replicas'),
    intCol('Ready', 'status.readyReplicas'),
    intCol('Updated', 'status.updatedReplicas'),
    intCol('Unavailable', 'status.unavailableReplicas'),
  ],
);

export const tkgsKinds = [
  tanzuKubernetesClusterKind,
  tanzuKubernetesReleaseKind,
  vmopVirtualMachineKind,
  vmopVirtualMachineServiceKind,
  capiClusterKind,
  capiMachineKind,
  capiMachineDeploymentKind,
  kubeadmControlPlaneKind,
];

export function registerTkgsKinds(registry: Registry): void {
  for (const k of tkgsKinds) registry.register(k);
}
