// core/v1 Node: what Spherelet-enabled ESXi hosts and control-plane VMs register as.
import { KUBERNETES } from './flavors';
import type { KindDefinition } from '../registry';
import { age } from '../printers/duration';
import { anyObject, arr, bool, listMap, mapOf, obj, quantity, str, enumOf, timestamp } from '../schema';
import { condition } from './meta';
import type { KubeObject } from '../types';

type NodeStatus = {
  conditions?: { type: string; status: string }[];
  addresses?: { type: string; address: string }[];
  nodeInfo?: {
    kubeletVersion?: string;
    osImage?: string;
    kernelVersion?: string;
    containerRuntimeVersion?: string;
  };
};
const status = (n: KubeObject) => (n.status ?? {}) as NodeStatus;
const address = (n: KubeObject, type: string) =>
  status(n).addresses?.find((a) => a.type === type)?.address ?? '<none>';

/**
 * STATUS as the API server's printer writes it: Ready, NotReady for a Ready condition that is False or
 * Unknown (a node that stopped reporting), Unknown with no Ready condition; SchedulingDisabled when cordoned.
 */
export function nodeStatusText(n: KubeObject): string {
  const ready = status(n).conditions?.find((c) => c.type === 'Ready');
  const text = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  return (n.spec as { unschedulable?: boolean } | undefined)?.unschedulable
    ? `${text},SchedulingDisabled`
    : text;
}

export function nodeRoles(n: KubeObject): string {
  const roles = Object.keys(n.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean)
    .sort();
  return roles.length ? roles.join(',') : '<none>';
}

export const nodeKind: KindDefinition = {
  flavors: KUBERNETES,
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  namespaced: false,
  statusSubresource: true,
  generation: false,
  description:
    'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
  schema: obj({
    spec: obj({
      podCIDR: str(),
      podCIDRs: arr(str()),
      providerID: str('ID of the node assigned by the cloud provider.'),
      unschedulable: bool('Unschedulable controls node schedulability of new pods.'),
      taints: arr(
        obj({
          key: str(),
          value: str(),
          effect: enumOf(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
          timeAdded: str(),
        }),
        "If specified, the node's taints.",
      ),
    }),
    status: obj({
      capacity: mapOf(quantity()),
      allocatable: mapOf(quantity()),
      phase: str(),
      conditions: listMap(
        obj({
          ...condition.properties,
          lastHeartbeatTime: timestamp('Last time we got an update on a given condition.'),
        }),
        'type',
      ),
      addresses: listMap(obj({ type: str(), address: str() }), 'type'),
      daemonEndpoints: anyObject(),
      nodeInfo: obj({
        machineID: str(),
        systemUUID: str(),
        bootID: str(),
        kernelVersion: str(),
        osImage: str(),
        containerRuntimeVersion: str(),
        kubeletVersion: str(),
        kubeProxyVersion: str(),
        operatingSystem: str(),
        architecture: str(),
      }),
      images: arr(anyObject()),
      volumesInUse: arr(str()),
    }),
  }),
  columns: [
    { name: 'Status', type: 'string', description: 'The status of the node', value: nodeStatusText },
    { name: 'Roles', type: 'string', description: 'The roles of the node', value: nodeRoles },
    {
      name: 'Age',
      type: 'string',
      description:
        'CreationTimestamp is a timestamp representing the server time when this object was created.',
      value: (n, c) => age(n.metadata.creationTimestamp, c.now),
    },
    {
      name: 'Version',
      type: 'string',
      description: 'Kubelet Version reported by the node.',
      value: (n) => status(n).nodeInfo?.kubeletVersion ?? '',
    },
    {
      name: 'Internal-IP',
      type: 'string',
      priority: 1,
      description: 'List of addresses reachable to the node.',
      value: (n) => address(n, 'InternalIP'),
    },
    {
      name: 'External-IP',
      type: 'string',
      priority: 1,
      description: 'List of addresses reachable to the node.',
      value: (n) => address(n, 'ExternalIP'),
    },
    {
      name: 'OS-Image',
      type: 'string',
      priority: 1,
      description: 'OS image reported by the node.',
      value: (n) => status(n).nodeInfo?.osImage ?? '<unknown>',
    },
    {
      name: 'Kernel-Version',
      type: 'string',
      priority: 1,
      description: 'Kernel version reported by the node.',
      value: (n) => status(n).nodeInfo?.kernelVersion ?? '<unknown>',
    },
    {
      name: 'Container-Runtime',
      type: 'string',
      priority: 1,
      description: 'Container runtime version reported by the node.',
      value: (n) => status(n).nodeInfo?.containerRuntimeVersion ?? '<unknown>',
    },
  ],
  fieldSelectors: {
    'spec.unschedulable': (n) => String(Boolean((n.spec as { unschedulable?: boolean })?.unschedulable)),
  },
};
