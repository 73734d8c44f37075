// A TKC's guest cluster as its own API space: a Node per running node VM (Ready once its kubelet and
// the CNI agent are up), the kube-system pods a TKGS cluster runs (the control plane's static pods on
// each control-plane node; the CNI agent, kube-proxy and the CSI node plugin on every node; CoreDNS,
// the CNI controller, the vSphere CPI and CSI controllers once), and a StorageClass per storage class
// the vSphere Namespace offers.
import { randomSuffix, rfc3339 } from '../../api/environment';
import type { KubeObject } from '../../api/types';
import type { World } from '../world';
import { storageClassName, type NamespaceSpec } from '../supervisor/namespaces';
import { tkcSpec } from './admission';
import { defaultPodSecurity } from './podSecurity';

/** The API space of a TKC's guest cluster. */
export const guestSpace = (namespace: string, name: string): string => `tkc:${namespace}:${name}`;

export interface GuestNode {
  name: string;
  role: 'controlplane' | 'worker';
  ip: string;
  pool?: string;
  /** when its VM powered on */
  since: string;
  /** whether its VM runs (a node whose VM stopped goes NotReady) */
  up: boolean;
  /** the VM class's CPUs and memory, which the kubelet reports as capacity */
  cpus: number;
  memoryMiB: number;
  /** the full version its machine runs (`v1.21.6+vmware.1-tkg.1.b3d708a`), during an upgrade an older one */
  version?: string;
}

export interface GuestState {
  exists: boolean;
  nodesReady: number;
  addonsReady: boolean;
}

/** A node is Ready this long after its VM powered on (cloud-init, kubeadm join, the CNI agent). */
export const NODE_READY_MS = 60_000;

const SYSTEM_NAMESPACES = ['vmware-system-auth', 'vmware-system-cloud-provider', 'vmware-system-csi'];
export const COMPONENT_LABEL = 'tkgs.lab/component';
const COMPONENT = COMPONENT_LABEL;

interface Component {
  namespace: string;
  name: string;
  image: string;
  containers: number;
  /** static pods are named after their node; node agents and deployments take a random suffix */
  kind: 'static' | 'agent' | 'deployment';
  controlPlaneOnly?: boolean;
  replicas?: number;
  hostNetwork?: boolean;
}

function components(cni: string, minor: number): Component[] {
  const k8s = (n: string) => `localhost:5000/vmware.io/${n}`;
  return [
    {
      namespace: 'kube-system',
      name: 'etcd',
      image: k8s('etcd'),
      containers: 1,
      kind: 'static',
      controlPlaneOnly: true,
      hostNetwork: true,
    },
    {
      namespace: 'kube-system',
      name: 'kube-apiserver',
      image: k8s('kube-apiserver'),
      containers: 1,
      kind: 'static',
      controlPlaneOnly: true,
      hostNetwork: true,
    },
    {
      namespace: 'kube-system',
      name: 'kube-controller-manager',
      image: k8s('kube-controller-manager'),
      containers: 1,
      kind: 'static',
      controlPlaneOnly: true,
      hostNetwork: true,
    },
    {
      namespace: 'kube-system',
      name: 'kube-scheduler',
      image: k8s('kube-scheduler'),
      containers: 1,
      kind: 'static',
      controlPlaneOnly: true,
      hostNetwork: true,
    },
    {
      namespace: 'kube-system',
      name: 'docker-registry',
      image: k8s('docker-registry'),
      containers: 1,
      kind: 'static',
      hostNetwork: true,
    },
    cni === 'calico'
      ? {
          namespace: 'kube-system',
          name: 'calico-node',
          image: k8s('calico-node'),
          containers: 1,
          kind: 'agent',
          hostNetwork: true,
        }
      : {
          namespace: 'kube-system',
          name: 'antrea-agent',
          image: k8s('antrea'),
          containers: 2,
          kind: 'agent',
          hostNetwork: true,
        },
    cni === 'calico'
      ? {
          namespace: 'kube-system',
          name: 'calico-kube-controllers',
          image: k8s('calico-kube-controllers'),
          containers: 1,
          kind: 'deployment',
          replicas: 1,
        }
      : {
          namespace: 'kube-system',
          name: 'antrea-controller',
          image: k8s('antrea'),
          containers: 1,
          kind: 'deployment',
          replicas: 1,
          hostNetwork: true,
        },
    {
      namespace: 'kube-system',
      name: 'kube-proxy',
      image: k8s('kube-proxy'),
      containers: 1,
      kind: 'agent',
      hostNetwork: true,
    },
    {
      namespace: 'kube-system',
      name: 'coredns',
      image: k8s('coredns'),
      containers: 1,
      kind: 'deployment',
      replicas: 2,
    },
    ...(minor >= 20
      ? [
          {
            namespace: 'kube-system',
            name: 'metrics-server',
            image: k8s('metrics-server'),
            containers: 1,
            kind: 'deployment' as const,
            replicas: 1,
          },
        ]
      : []),
    {
      namespace: 'vmware-system-auth',
      name: 'guest-cluster-auth-svc',
      image: k8s('guest-cluster-auth-service'),
      containers: 1,
      kind: 'agent',
      controlPlaneOnly: true,
      hostNetwork: true,
    },
    {
      namespace: 'vmware-system-cloud-provider',
      name: 'guest-cluster-cloud-provider',
      image: k8s('guest-cluster-cloud-provider'),
      containers: 1,
      kind: 'deployment',
      replicas: 1,
      hostNetwork: true,
    },
    {
      namespace: 'vmware-system-csi',
      name: 'vsphere-csi-controller',
      image: k8s('vsphere-csi-controller'),
      containers: 6,
      kind: 'deployment',
      replicas: 1,
    },
    {
      namespace: 'vmware-system-csi',
      name: 'vsphere-csi-node',
      image: k8s('vsphere-csi-node'),
      containers: 3,
      kind: 'agent',
    },
  ];
}

/** Brings the guest cluster in step with the running nodes; says how far it has come. */
export function syncGuest(w: World, tkc: KubeObject, nodes: GuestNode[], version: string): GuestState {
  const ns = tkc.metadata.namespace!;
  const space = guestSpace(ns, tkc.metadata.name!);
  const now = w.now();
  if (!w.api.hasApiSpace(space)) {
    // the API server exists once the first control-plane node runs
    if (!nodes.some((n) => n.role === 'controlplane'))
      return { exists: false, nodesReady: 0, addonsReady: false };
    w.api.addApiSpace(space, 'guest');
  }
  const g = w.k8s(space);
  for (const n of SYSTEM_NAMESPACES)
    if (!g.tryGet('namespaces', '', n))
      g.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } });
  const minor = Number(/^v?\d+\.(\d+)/.exec(version)?.[1] ?? 21);
  defaultPodSecurity(g, minor);

  // Nodes
  const byName = new Map(nodes.map((n) => [n.name, n]));
  let ready = 0;
  const existingNodes = g.list('nodes').items;
  const cidrs = new Set(existingNodes.map((x) => (x.spec as { podCIDR?: string } | undefined)?.podCIDR));
  for (const n of nodes) {
    const kubelet = (n.version ?? version).replace(/-.*$/, '');
    const distribution = (n.version ?? version).replace(/\+/g, '_');
    const isReady = n.up && now >= Date.parse(n.since) + NODE_READY_MS;
    if (isReady) ready++;
    const labels: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': n.name,
      'kubernetes.io/os': 'linux',
      'run.tanzu.vmware.com/kubernetesDistributionVersion': distribution,
      ...(n.role === 'controlplane'
        ? { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '' }
        : {
            'run.tanzu.vmware.com/tkr': distribution,
            ...(n.pool ? { 'run.tanzu.vmware.com/node-pool': n.pool } : {}),
          }),
    };
    const stamp = rfc3339(new Date(Date.parse(n.since) + NODE_READY_MS));
    const lost = 'Kubelet stopped posting node status.';
    const conditions = [
      n.up
        ? ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available']
        : ['MemoryPressure', 'Unknown', 'NodeStatusUnknown', lost],
      n.up
        ? ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure']
        : ['DiskPressure', 'Unknown', 'NodeStatusUnknown', lost],
      n.up
        ? ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available']
        : ['PIDPressure', 'Unknown', 'NodeStatusUnknown', lost],
      !n.up
        ? ['Ready', 'Unknown', 'NodeStatusUnknown', lost]
        : isReady
          ? ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status. AppArmor enabled']
          : [
              'Ready',
              'False',
              'KubeletNotReady',
              'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
            ],
    ].map(([type, status, reason, message]) => ({
      type,
      status,
      lastHeartbeatTime: isReady ? stamp : n.since,
      lastTransitionTime: isReady && type === 'Ready' ? stamp : n.since,
      reason,
      message,
    }));
    // what the VM class gives, less the kubelet's reservations
    const capacity = {
      cpu: String(n.cpus),
      memory: `${n.memoryMiB * 1024}Ki`,
      pods: '110',
      'ephemeral-storage': '16454244Ki',
    };
    const allocatable = {
      cpu: String(n.cpus),
      memory: `${Math.max(0, n.memoryMiB - 100) * 1024}Ki`,
      pods: '110',
      'ephemeral-storage': '15164005166',
    };
    const status = {
      capacity,
      allocatable,
      conditions,
      addresses: [
        { type: 'InternalIP', address: n.ip },
        { type: 'Hostname', address: n.name },
      ],
      nodeInfo: {
        kubeletVersion: kubelet,
        kubeProxyVersion: kubelet,
        osImage: 'VMware Photon OS/Linux',
        kernelVersion: '4.19.225-3.ph3-esx',
        containerRuntimeVersion: 'containerd://1.5.9',
        operatingSystem: 'linux',
        architecture: 'amd64',
        machineID: n.name
          .replace(/[^0-9a-f]/g, '')
          .padEnd(32, '0')
          .slice(0, 32),
        systemUUID: n.name
          .replace(/[^0-9a-f]/g, '')
          .padEnd(32, '0')
          .slice(0, 32),
        bootID: '',
      },
    };
    let node = g.tryGet('nodes', '', n.name);
    let podCIDR = '';
    if (!node) {
      for (let i = 1; i < 256 && !podCIDR; i++)
        if (!cidrs.has(`192.168.${i}.0/24`)) podCIDR = `192.168.${i}.0/24`;
      cidrs.add(podCIDR);
    }
    if (!node)
      node = g.create({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: n.name, labels },
        spec: {
          providerID: `vsphere://${n.name}`,
          podCIDR,
          podCIDRs: [podCIDR],
          ...(n.role === 'controlplane'
            ? { taints: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] }
            : {}),
        },
      });
    if (node.metadata.labels?.['run.tanzu.vmware.com/kubernetesDistributionVersion'] !== distribution)
      node = g.update({
        ...node,
        metadata: { ...node.metadata, labels: { ...node.metadata.labels, ...labels } },
      });
    const was = JSON.stringify((node.status as { conditions?: unknown } | undefined)?.conditions ?? []);
    // the node lifecycle controller's taint on a node that stopped reporting
    const taints = ((node.spec as { taints?: { key: string; effect: string }[] }).taints ?? []).filter(
      (t) => t.key !== 'node.kubernetes.io/unreachable',
    );
    if (!n.up) taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' });
    if (JSON.stringify(taints) !== JSON.stringify((node.spec as { taints?: unknown[] }).taints ?? [])) {
      const spec = { ...(node.spec as object), taints } as Record<string, unknown>;
      if (!taints.length) delete spec.taints;
      node = g.update({ ...node, spec });
    }
    if (
      was !== JSON.stringify(conditions) ||
      JSON.stringify((node.status as { allocatable?: unknown } | undefined)?.allocatable) !==
        JSON.stringify(allocatable) ||
      JSON.stringify((node.status as { nodeInfo?: unknown } | undefined)?.nodeInfo) !==
        JSON.stringify(status.nodeInfo)
    )
      g.updateStatus({ ...node, status: { ...(node.status as object), ...status } });
  }
  for (const node of g.list('nodes').items)
    if (!byName.has(node.metadata.name!)) g.delete('nodes', '', node.metadata.name!);

  // System pods
  const spec = tkcSpec(tkc);
  const cni = spec.settings?.network?.cni?.name ?? 'antrea';
  const readyNodes = nodes.filter((n) => n.up && now >= Date.parse(n.since) + NODE_READY_MS);
  let podsMissing = 0;
  for (const c of components(cni, minor)) {
    const existing = g.list('pods', {
      namespace: c.namespace,
      labelSelector: `${COMPONENT}=${c.name}`,
    }).items;
    const onNode = new Map(existing.map((p) => [(p.spec as { nodeName?: string }).nodeName ?? '', p]));
    // a deployment's replicas spread over the workers, two on one when there is one worker; they fall
    // back to the control plane while there are no workers (they tolerate it)
    const spread = (pool: GuestNode[]) =>
      pool.length ? Array.from({ length: c.replicas ?? 1 }, (_, i) => pool[i % pool.length]!) : [];
    const workers = readyNodes.filter((n) => n.role === 'worker');
    const placed =
      c.kind === 'deployment'
        ? spread(workers.length ? workers : readyNodes)
        : readyNodes.filter((n) => !c.controlPlaneOnly || n.role === 'controlplane');
    const want =
      c.kind === 'deployment'
        ? (c.replicas ?? 1)
        : nodes.filter((n) => !c.controlPlaneOnly || n.role === 'controlplane').length;
    podsMissing += Math.max(0, want - placed.length);
    const hash = c.kind === 'deployment' ? podTemplateHash(c.name, space) : '';
    for (let i = 0; i < placed.length; i++) {
      const node = placed[i]!;
      if (c.kind === 'deployment' ? existing.length > i : onNode.has(node.name)) continue;
      const podName =
        c.kind === 'static'
          ? `${c.name}-${node.name}`
          : c.kind === 'agent'
            ? `${c.name}-${randomSuffix(w.random)}`
            : `${c.name}-${hash}-${randomSuffix(w.random)}`;
      const pod = g.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName,
          namespace: c.namespace,
          labels: {
            [COMPONENT]: c.name,
            ...(c.kind === 'static' ? { component: c.name, tier: 'control-plane' } : { 'k8s-app': c.name }),
          },
        },
        spec: {
          nodeName: node.name,
          ...(c.hostNetwork ? { hostNetwork: true } : {}),
          priorityClassName: 'system-node-critical',
          tolerations: [{ operator: 'Exists' }],
          containers: Array.from({ length: c.containers }, (_, j) => ({
            name: j === 0 ? c.name : `${c.name}-${j}`,
            image: `${c.image}:${(byName.get(node.name)?.version ?? version).replace(/-.*$/, '').replace('+', '_')}`,
          })),
        },
      });
      const started = rfc3339(new Date(now));
      const ip = c.hostNetwork ? node.ip : podIp(space, podName);
      g.updateStatus({
        ...pod,
        status: {
          phase: 'Running',
          conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
            type,
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: started,
          })),
          hostIP: node.ip,
          podIP: ip,
          podIPs: [{ ip }],
          startTime: started,
          qosClass: 'Burstable',
          containerStatuses: (pod.spec as { containers: { name: string; image: string }[] }).containers.map(
            (ct) => ({
              name: ct.name,
              image: ct.image,
              imageID: '',
              ready: true,
              started: true,
              restartCount: 0,
              state: { running: { startedAt: started } },
            }),
          ),
        },
      });
    }
    // pods on nodes that are gone
    for (const p of existing) {
      const nodeName = (p.spec as { nodeName?: string }).nodeName ?? '';
      if (!byName.has(nodeName)) g.delete('pods', c.namespace, p.metadata.name!);
    }
  }

  // Storage classes: the namespace's, as pvCSI offers them
  const vns = w.vc.tryGet('vspherenamespaces', '', ns);
  const classes = ((vns?.spec as NamespaceSpec | undefined)?.storagePolicies ?? []).map(storageClassName);
  const exposed = spec.settings?.storage?.classes?.length
    ? classes.filter((c) => spec.settings!.storage!.classes!.includes(c))
    : classes;
  for (const name of exposed) {
    const isDefault = spec.settings?.storage?.defaultClass === name;
    const sc = g.tryGet('storageclasses', '', name);
    const annotations = isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : undefined;
    if (!sc)
      g.create({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name, ...(annotations ? { annotations } : {}) },
        provisioner: 'csi.vsphere.vmware.com',
        parameters: { svStorageClass: name },
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'Immediate',
        allowVolumeExpansion: true,
      });
  }
  return { exists: true, nodesReady: ready, addonsReady: podsMissing === 0 && ready === nodes.length };
}

/** The pod-template hash of a system deployment: stable per cluster. */
function podTemplateHash(name: string, space: string): string {
  let h = 2166136261;
  for (const ch of `${space}/${name}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 10; i++) {
    s += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length) || Math.imul(h + i + 1, 2654435761) >>> 0;
  }
  return s;
}

/** A pod address from the cluster's pod CIDR (192.168.0.0/16 by default), stable per pod. */
function podIp(space: string, pod: string): string {
  let h = 2166136261;
  for (const ch of `${space}/${pod}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `192.168.${(h >>> 8) & 255}.${2 + (h % 250)}`;
}
