// The vCenter inventory as API kinds (group vcenter.lab, in the `vcenter` API space): desired state in
// spec (what the administrator or the lab asked for), what the simulation made of it in status.
import type { KindDefinition, PrinterColumn, Registry } from '../../api/registry';
import { ageColumn, pathColumns } from '../../api/printers/columns';
import { anyObject, arr, bool, enumOf, int, mapOf, obj, str, stringMap, timestamp } from '../../api/schema';
import { condition } from '../../api/kinds/meta';

export const VCENTER = 'vcenter';
export const GROUP = 'vcenter.lab';

/** An inventory column: empty for a missing value, a list joined with commas. */
const col = pathColumns((v) =>
  v === undefined || v === null ? '' : Array.isArray(v) ? v.join(',') : String(v),
);

const inventory = (
  kind: string,
  plural: string,
  schema: KindDefinition['schema'],
  columns: PrinterColumn[],
  extra: Partial<KindDefinition> = {},
): KindDefinition => ({
  group: GROUP,
  version: 'v1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced: false,
  nameFormat: 'vsphere',
  flavors: [VCENTER],
  statusSubresource: true,
  schema,
  columns: [...columns, ageColumn()],
  ...extra,
});

export const datacenterKind = inventory('Datacenter', 'datacenters', obj({ spec: obj({}) }), []);

export const computeClusterKind = inventory(
  'ComputeCluster',
  'computeclusters',
  obj({
    spec: obj({
      datacenter: str('The datacenter holding this cluster.'),
      drs: obj({
        enabled: bool(),
        automationLevel: enumOf(['fullyAutomated', 'partiallyAutomated', 'manual']),
        migrationThreshold: int('1 (conservative) to 5 (aggressive)', { minimum: 1, maximum: 5 }),
      }),
      ha: obj({ enabled: bool(), restartDelaySeconds: int() }),
    }),
    status: obj({
      hosts: int(),
      drs: obj({ lastBalanceAt: timestamp(), connectedHosts: arr(str()), lastRecommendation: str() }),
      conditions: arr(condition),
    }),
  }),
  [
    col('Datacenter', 'spec.datacenter'),
    col('DRS', 'spec.drs.automationLevel'),
    col('HA', 'spec.ha.enabled'),
  ],
);

export const hostSystemKind = inventory(
  'HostSystem',
  'hostsystems',
  obj({
    spec: obj({
      cluster: str(),
      cpu: obj({ sockets: int(), coresPerSocket: int(), mhzPerCore: int() }),
      memoryMB: int(),
      version: str(),
      build: str(),
      managementIP: str(),
      /** the lab's fault injection: a powered-off host is a failed host */
      powerState: enumOf(['poweredOn', 'poweredOff']),
      /** asked for by host.maintenance.enter / exit */
      maintenanceMode: bool(),
    }),
    status: obj({
      state: enumOf(['connected', 'entering-maintenance', 'maintenance', 'failed']),
      cpuMHz: obj({ capacity: int(), used: int() }),
      memoryMB: obj({ capacity: int(), used: int() }),
      spherelet: obj({ installed: bool(), version: str() }),
      conditions: arr(condition),
    }),
  }),
  [
    col('Cluster', 'spec.cluster'),
    col('State', 'status.state'),
    col('Spherelet', 'status.spherelet.installed'),
  ],
);

export const resourcePoolKind = inventory(
  'ResourcePool',
  'resourcepools',
  obj({
    spec: obj({
      cluster: str(),
      /** parent pool; empty for a cluster's root pool "Resources" */
      parent: str(),
      /** vSphere Namespace the pool belongs to, if any */
      namespace: str(),
      cpu: obj({
        reservationMHz: int(),
        limitMHz: int('-1 for unlimited'),
        shares: enumOf(['low', 'normal', 'high']),
      }),
      memory: obj({
        reservationMB: int(),
        limitMB: int('-1 for unlimited'),
        shares: enumOf(['low', 'normal', 'high']),
      }),
    }),
  }),
  [
    col('Cluster', 'spec.cluster'),
    col('Parent', 'spec.parent'),
    col('CPU-Limit-MHz', 'spec.cpu.limitMHz'),
    col('Memory-Limit-MB', 'spec.memory.limitMB'),
  ],
);

export const permissionKind = inventory(
  'Permission',
  'permissions',
  obj({
    spec: obj({
      /** inventory path of the object the role is granted on, `/` for the root */
      entity: str(),
      principal: str('user or group, as devops@vsphere.local'),
      group: bool('the principal is a group'),
      role: str('Admin, ReadOnly, NoAccess, or a custom role'),
      propagate: bool(),
    }),
  }),
  [
    col('Entity', 'spec.entity'),
    col('Principal', 'spec.principal'),
    col('Role', 'spec.role'),
    col('Propagate', 'spec.propagate'),
  ],
);

export const datastoreKind = inventory(
  'Datastore',
  'datastores',
  obj({ spec: obj({ type: str(), capacityGB: int(), datacenter: str() }), status: obj({ freeGB: int() }) }),
  [col('Type', 'spec.type'), col('Capacity-GB', 'spec.capacityGB'), col('Free-GB', 'status.freeGB')],
);

export const storagePolicyKind = inventory(
  'StoragePolicy',
  'storagepolicies',
  obj({ spec: obj({ description: str(), datastores: arr(str()) }) }),
  [col('Datastores', 'spec.datastores')],
);

export const distributedSwitchKind = inventory(
  'DistributedVirtualSwitch',
  'distributedvirtualswitches',
  obj({ spec: obj({ datacenter: str(), version: str(), hosts: arr(str()) }) }),
  [col('Version', 'spec.version')],
);

export const networkKind = inventory(
  'Network',
  'networks',
  obj({
    spec: obj({
      type: enumOf(['DistributedVirtualPortgroup', 'Network', 'OpaqueNetwork']),
      switch: str(),
      vlan: int(),
      subnet: str('CIDR of the network, for address checks'),
      gateway: str(),
    }),
  }),
  [col('Type', 'spec.type'), col('Switch', 'spec.switch'), col('Subnet', 'spec.subnet')],
);

export const nsxEdgeClusterKind = inventory(
  'NsxEdgeCluster',
  'nsxedgeclusters',
  obj({ spec: obj({ nsxManager: str(), edgeNodes: arr(str()), tier0Gateway: str() }) }),
  [col('NSX-Manager', 'spec.nsxManager'), col('Edge-Nodes', 'spec.edgeNodes')],
);

export const loadBalancerKind = inventory(
  'LoadBalancer',
  'loadbalancers',
  obj({
    spec: obj({
      type: enumOf(['HAProxy', 'AviLoadBalancer']),
      address: str('management address and port of the load balancer'),
      /** virtual-server IP ranges, as 192.168.30.64/26 or 192.168.30.64-192.168.30.127 */
      virtualIPRanges: arr(str()),
      username: str(),
    }),
  }),
  [col('Type', 'spec.type'), col('Address', 'spec.address'), col('VIP-Ranges', 'spec.virtualIPRanges')],
);

export const contentLibraryKind = inventory(
  'ContentLibrary',
  'contentlibraries',
  obj({
    spec: obj({
      type: enumOf(['LOCAL', 'SUBSCRIBED']),
      subscriptionURL: str(),
      datastore: str(),
      items: arr(obj({ name: str(), type: str(), version: str(), description: str() })),
    }),
  }),
  [
    col('Type', 'spec.type'),
    { name: 'Items', type: 'integer', value: (o) => ((o.spec as { items?: unknown[] })?.items ?? []).length },
  ],
);

export const ssoUserKind = inventory(
  'SsoUser',
  'ssousers',
  obj({
    spec: obj({ domain: str(), passwordSha256: str(), firstName: str(), lastName: str(), email: str() }),
  }),
  [col('Domain', 'spec.domain')],
);

export const ssoGroupKind = inventory(
  'SsoGroup',
  'ssogroups',
  obj({ spec: obj({ domain: str(), description: str(), members: arr(str()) }) }),
  [col('Domain', 'spec.domain'), col('Members', 'spec.members')],
);

/** A vCenter SSO session behind a bearer token; only the token's SHA-256 is kept (the object's name). */
export const ssoSessionKind = inventory(
  'SsoSession',
  'ssosessions',
  obj({ spec: obj({ principal: str(), groups: arr(str()), expiresAt: timestamp() }) }),
  [col('Principal', 'spec.principal'), col('Expires', 'spec.expiresAt')],
  { nameFormat: 'subdomain' },
);

export const virtualMachineKind = inventory(
  'VirtualMachine',
  'virtualmachines',
  obj({
    spec: obj({
      cluster: str(),
      resourcePool: str(),
      folder: str(),
      role: enumOf(['supervisor-control-plane', 'tkc-control-plane', 'tkc-worker', 'crx', 'vm']),
      namespace: str('the vSphere Namespace the VM belongs to, if any'),
      numCPUs: int(),
      memoryMB: int(),
      cpuReservationMHz: int(),
      memoryReservationMB: int(),
      /** VMs of one group are kept on distinct hosts while DRS can (a VM-VM anti-affinity rule) */
      antiAffinityGroup: str(),
      powerState: enumOf(['poweredOn', 'poweredOff']),
      ips: arr(str()),
      guestId: str(),
      /** the BIOS UUID; a Supervisor control-plane node is named by it, without dashes */
      uuid: str(),
      labels: stringMap(),
    }),
    status: obj({
      phase: enumOf([
        'Pending',
        'Deploying',
        'PoweringOn',
        'Running',
        'PoweredOff',
        'Crashed',
        'Restarting',
        'Migrating',
      ]),
      host: str(),
      /** the host the VM last left (vMotion, HA restart), so that host's usage is brought up to date */
      previousHost: str(),
      powerState: enumOf(['poweredOn', 'poweredOff']),
      ips: arr(str()),
      /** when the current phase (deploy, power-on, restart) completes, in lab time */
      phaseUntil: timestamp(),
      /** HA restarts a crashed VM at this lab time */
      restartAt: timestamp(),
      migration: obj({ to: str(), until: timestamp(), task: str(), reason: str() }),
      restarts: int(),
      poweredOnAt: timestamp(),
      placement: anyObject('the last DRS decision for this VM, with every host score'),
      conditions: arr(condition),
    }),
  }),
  [
    col('Role', 'spec.role'),
    col('Host', 'status.host'),
    col('Power', 'status.powerState'),
    col('Phase', 'status.phase'),
    col('IPs', 'status.ips', 1),
  ],
);

export const taskKind = inventory(
  'Task',
  'tasks',
  obj({
    spec: obj({
      description: str(),
      descriptionId: str(),
      entity: str(),
      entityType: str(),
      initiator: str(),
    }),
    status: obj({
      state: enumOf(['queued', 'running', 'success', 'error']),
      progress: int(),
      startTime: timestamp(),
      completeTime: timestamp(),
      error: str(),
      result: str(),
    }),
  }),
  [
    col('Description', 'spec.description'),
    col('Entity', 'spec.entity'),
    col('State', 'status.state'),
    col('Initiator', 'spec.initiator'),
  ],
  { nameFormat: 'subdomain' },
);

export const supervisorKind = inventory(
  'Supervisor',
  'supervisors',
  obj({
    spec: obj({
      cluster: str('the vSphere cluster Workload Management is enabled on'),
      networkProvider: enumOf(['NSXT_CONTAINER_PLUGIN', 'VSPHERE_NETWORK']),
      size: enumOf(['TINY', 'SMALL', 'MEDIUM', 'LARGE']),
      managementNetwork: obj({
        network: str(),
        startingAddress: str(),
        addressCount: int(),
        subnetMask: str(),
        gateway: str(),
      }),
      serviceCIDR: str(),
      podCIDRs: arr(str()),
      ingressCIDRs: arr(str()),
      egressCIDRs: arr(str()),
      edgeCluster: str(),
      workloadNetwork: obj({
        switch: str(),
        network: str(),
        loadBalancer: str(),
        virtualIPRanges: arr(str()),
      }),
      controlPlaneStoragePolicy: str(),
      ephemeralStoragePolicy: str(),
      imageStoragePolicy: str(),
      /** the subscribed content library the Tanzu Kubernetes Grid Service takes its node images (TKrs) from */
      defaultKubernetesServiceContentLibrary: str(),
    }),
    status: obj({
      configStatus: enumOf(['CONFIGURING', 'RUNNING', 'REMOVING', 'ERROR']),
      kubernetesStatus: enumOf(['READY', 'WARNING', 'ERROR']),
      apiEndpoint: str(),
      floatingIP: str(),
      controlPlaneReadyAt: timestamp(),
      sphereletsReadyAt: timestamp(),
      removeAt: timestamp(),
      floatingIPVM: str(),
      controlPlaneVMs: arr(str()),
      configuredAt: timestamp(),
      messages: arr(obj({ severity: str(), details: str() })),
      conditions: arr(condition),
    }),
  }),
  [
    col('Network', 'spec.networkProvider'),
    col('Config-Status', 'status.configStatus'),
    col('Kubernetes-Status', 'status.kubernetesStatus'),
    col('API-Endpoint', 'status.apiEndpoint'),
  ],
);

/** The object kinds a vSphere Namespace can limit the number of, by their Kubernetes resource names. */
export const OBJECT_LIMITS = [
  'pods',
  'services',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'persistentvolumeclaims',
  'configmaps',
  'secrets',
  'replicationcontrollers',
  'ingresses',
] as const;

export type NamespaceRole = 'view' | 'edit' | 'owner';

/**
 * A vSphere Namespace (vCenter's namespaces/instances): created by the vSphere administrator on a
 * Supervisor, with its limits, storage policies, VM classes, content libraries and SSO permissions.
 * The namespace controller gives it a resource pool and a Kubernetes namespace on the Supervisor.
 */
export const vsphereNamespaceKind = inventory(
  'VSphereNamespace',
  'vspherenamespaces',
  obj({
    spec: obj({
      cluster: str('the vSphere cluster whose Supervisor holds the namespace'),
      description: str(),
      storagePolicies: arr(str()),
      vmClasses: arr(str()),
      contentLibraries: arr(str()),
      limits: obj({
        cpuMHz: int('CPU limit of the namespace resource pool, MHz'),
        memoryMiB: int('memory limit of the namespace resource pool, MiB'),
        /** GiB per storage policy */
        storageGiB: mapOf(int()),
        /** counts per object kind (pods, services, persistentvolumeclaims, …) */
        objects: mapOf(int()),
      }),
      access: arr(
        obj({
          principal: str('user or group, as devops@vsphere.local'),
          group: bool(),
          role: enumOf(['view', 'edit', 'owner']),
        }),
      ),
    }),
    status: obj({
      configStatus: enumOf(['CONFIGURING', 'RUNNING', 'REMOVING', 'ERROR']),
      resourcePool: str(),
      folder: str(),
      /** the namespace's NSX segment: vSphere Pods take their IPs here */
      segment: str(),
      /** further /28s NCP added once the segment was full */
      extraSegments: arr(str()),
      messages: arr(obj({ severity: str(), details: str() })),
    }),
  }),
  [
    col('Cluster', 'spec.cluster'),
    col('Config-Status', 'status.configStatus'),
    col('Storage-Policies', 'spec.storagePolicies', 1),
  ],
  { nameFormat: 'label' },
);

/**
 * A VM class as vCenter keeps it (namespace-management virtual-machine-classes): the hardware and
 * reservations VMs of that class get. A Supervisor shows each as a VirtualMachineClass.
 */
export const vmClassKind = inventory(
  'VmClass',
  'vmclasses',
  obj({
    spec: obj({
      cpuCount: int(),
      memoryMiB: int(),
      /** reservations in percent of the class's CPU and memory (100 for the guaranteed classes) */
      cpuReservation: int(),
      memoryReservation: int(),
      description: str(),
    }),
  }),
  [
    { name: 'CPUs', type: 'integer', value: (o) => (o.spec as { cpuCount?: number })?.cpuCount ?? 0 },
    { name: 'Memory-MiB', type: 'integer', value: (o) => (o.spec as { memoryMiB?: number })?.memoryMiB ?? 0 },
  ],
  { nameFormat: 'subdomain' },
);

/** The default VM classes vCenter 7.0 Update 3 offers: best-effort and guaranteed, xsmall to 8xlarge. */
export const DEFAULT_VM_CLASSES: { size: string; cpus: number; memoryGiB: number }[] = [
  { size: 'xsmall', cpus: 2, memoryGiB: 2 },
  { size: 'small', cpus: 2, memoryGiB: 4 },
  { size: 'medium', cpus: 2, memoryGiB: 8 },
  { size: 'large', cpus: 4, memoryGiB: 16 },
  { size: 'xlarge', cpus: 4, memoryGiB: 32 },
  { size: '2xlarge', cpus: 8, memoryGiB: 64 },
  { size: '4xlarge', cpus: 16, memoryGiB: 128 },
  { size: '8xlarge', cpus: 32, memoryGiB: 128 },
];

export const vcenterKinds = [
  datacenterKind,
  computeClusterKind,
  hostSystemKind,
  resourcePoolKind,
  permissionKind,
  datastoreKind,
  storagePolicyKind,
  distributedSwitchKind,
  networkKind,
  nsxEdgeClusterKind,
  loadBalancerKind,
  contentLibraryKind,
  ssoUserKind,
  ssoGroupKind,
  ssoSessionKind,
  virtualMachineKind,
  taskKind,
  supervisorKind,
  vsphereNamespaceKind,
  vmClassKind,
];

export function registerVcenterKinds(registry: Registry): void {
  for (const k of vcenterKinds) registry.register(k);
}
