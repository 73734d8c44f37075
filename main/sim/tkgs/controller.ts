// The TKG Service's cluster lifecycle, as Cluster API and the VM Service carry it out on a Supervisor:
// a TanzuKubernetesCluster becomes a Cluster API Cluster, a KubeadmControlPlane and a MachineDeployment
// per node pool; each Machine is a VM Operator VirtualMachine cloned from the TKr's node image, which is
// a VM in vCenter (DRS places it in the namespace's resource pool); a VirtualMachineService gives the
// control plane a load-balanced API endpoint; and the guest cluster is an API space of its own, with its
// nodes and kube-system pods. Status shows it all as the real columns do: creating → running.
import { randomSuffix, rfc3339 } from '../../api/environment';
import type { KubeObject, OwnerReference } from '../../api/types';
import { lifecycle } from '../lifecycle';
import { keyFor, splitKey, type Controller } from '../runtime/controllers';
import { formatIp, parseCidr } from '../vcenter/ipv4';
import { GROUP, VCENTER } from '../vcenter/kinds';
import { vmStatus } from '../vcenter/model';
import type { World } from '../world';
import type { SupervisorSpec } from '../supervisor/admission';
import { SUPERVISOR_SPACE } from '../supervisor/controller';
import { VMOP_GROUP } from '../supervisor/kinds';
import { freeSegment, heldSegments } from '../supervisor/segments';
import { tkcSpec, type Topology } from './admission';
import { tkrVersion } from './catalogue';
import { CAPI_GROUP, conditionsOf, KCP_GROUP, RUN_GROUP } from './kinds';
import { COMPONENT_LABEL, guestSpace, NODE_READY_MS, syncGuest } from './guest';

export { guestSpace };

export const TKC_FINALIZER = 'tanzukubernetescluster.run.tanzu.vmware.com';
const CLUSTER_LABEL = 'cluster.x-k8s.io/cluster-name';
const POOL_LABEL = 'run.tanzu.vmware.com/node-pool';
const ROLE_LABEL = 'capw.vmware.com/cluster.role';
/** on a Machine: the TKr version it was made from, which its node runs */
const FULL_VERSION = 'run.tanzu.vmware.com/kubernetes-version';
/** NCP's note of the node segments it gave a cluster, on the Cluster API Cluster */
export const SEGMENT_ANNOTATION = 'ncp/subnet-';

interface Cond {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  severity?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

const owner = (o: KubeObject, controller = true): OwnerReference => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name!,
  uid: o.metadata.uid!,
  controller,
  blockOwnerDeletion: true,
});

/** A node as the controller sees it: its Machine, its VM Operator VM, its vCenter VM. */
interface NodeView {
  machine: KubeObject;
  vm?: KubeObject;
  vcVm?: KubeObject;
  role: 'controlplane' | 'worker';
  pool?: string;
  running: boolean;
}

export function tkcController(w: World): Controller {
  const k = w.k8s(SUPERVISOR_SPACE);
  const tkcOf = (o: KubeObject) => o.metadata.labels?.[CLUSTER_LABEL];
  const mapOwned = (o: KubeObject, cluster: string) =>
    cluster === SUPERVISOR_SPACE && tkcOf(o)
      ? [keyFor(SUPERVISOR_SPACE, o.metadata.namespace, tkcOf(o)!)]
      : [];
  return {
    name: 'tanzukubernetescluster',
    watches: [
      { group: RUN_GROUP, kind: 'TanzuKubernetesCluster' },
      { group: CAPI_GROUP, kind: 'Machine', map: mapOwned },
      { group: VMOP_GROUP, kind: 'VirtualMachine', map: mapOwned },
      { group: '', kind: 'Service', map: mapOwned },
      {
        group: GROUP,
        kind: 'VirtualMachine',
        map: (o, cluster) => {
          if (cluster !== VCENTER) return [];
          const labels = (o.spec as { labels?: Record<string, string> }).labels ?? {};
          const ns = (o.spec as { namespace?: string }).namespace;
          return labels[CLUSTER_LABEL] && ns ? [keyFor(SUPERVISOR_SPACE, ns, labels[CLUSTER_LABEL])] : [];
        },
      },
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      if (cluster !== SUPERVISOR_SPACE || !w.api.hasApiSpace(SUPERVISOR_SPACE)) return;
      const tkc = k.tryGet('tanzukubernetesclusters', namespace, name);
      if (!tkc) return;
      if (tkc.metadata.deletionTimestamp) return teardown(w, tkc);
      if (!(tkc.metadata.finalizers ?? []).includes(TKC_FINALIZER)) {
        k.update({
          ...tkc,
          metadata: { ...tkc.metadata, finalizers: [...(tkc.metadata.finalizers ?? []), TKC_FINALIZER] },
        });
        return { requeueAfterMs: 0 };
      }
      return build(w, tkc);
    },
  };
}

function build(w: World, tkc: KubeObject): { requeueAfterMs: number } | undefined {
  const k = w.k8s(SUPERVISOR_SPACE);
  const ns = tkc.metadata.namespace!;
  const name = tkc.metadata.name!;
  const spec = tkcSpec(tkc);
  const cp = spec.topology?.controlPlane ?? {};
  const tkr = cp.tkr?.reference?.name ?? '';
  const version = `v${tkrVersion(tkr)}`;
  const labels = { [CLUSTER_LABEL]: name };
  const now = w.now();

  // 1. Cluster API: the Cluster, its control plane, a MachineDeployment per node pool
  let capiCluster = k.tryGet('clusters', ns, name);
  if (!capiCluster) {
    const net = spec.settings?.network ?? {};
    capiCluster = k.create({
      apiVersion: `${CAPI_GROUP}/v1alpha3`,
      kind: 'Cluster',
      metadata: { name, namespace: ns, labels, ownerReferences: [owner(tkc)] },
      spec: {
        clusterNetwork: {
          pods: { cidrBlocks: net.pods?.cidrBlocks ?? [] },
          services: { cidrBlocks: net.services?.cidrBlocks ?? [] },
          serviceDomain: net.serviceDomain ?? 'cluster.local',
        },
        controlPlaneRef: {
          apiVersion: `${KCP_GROUP}/v1alpha3`,
          kind: 'KubeadmControlPlane',
          name: `${name}-control-plane`,
          namespace: ns,
        },
        infrastructureRef: {
          apiVersion: 'infrastructure.cluster.vmware.com/v1alpha3',
          kind: 'WCPCluster',
          name,
          namespace: ns,
        },
      },
    });
  }
  const kcpName = `${name}-control-plane`;
  let kcp = k.tryGet('kubeadmcontrolplanes', ns, kcpName);
  if (!kcp)
    kcp = k.create({
      apiVersion: `${KCP_GROUP}/v1alpha3`,
      kind: 'KubeadmControlPlane',
      metadata: { name: kcpName, namespace: ns, labels, ownerReferences: [owner(capiCluster)] },
      spec: { replicas: cp.replicas ?? 1, version: version.replace(/-.*$/, '') },
    });
  else if (
    (kcp.spec as { replicas?: number }).replicas !== (cp.replicas ?? 1) ||
    (kcp.spec as { version?: string }).version !== version.replace(/-.*$/, '')
  )
    kcp = k.update({
      ...kcp,
      spec: { ...(kcp.spec as object), replicas: cp.replicas ?? 1, version: version.replace(/-.*$/, '') },
    });
  const pools = spec.topology?.nodePools ?? [];
  const mds = new Map<string, KubeObject>();
  for (const md of k.list('machinedeployments', { namespace: ns, labelSelector: `${CLUSTER_LABEL}=${name}` })
    .items)
    mds.set(md.metadata.labels?.[POOL_LABEL] ?? '', md);
  for (const pool of pools) {
    const md = mds.get(pool.name!);
    const replicas = pool.replicas ?? 1;
    if (!md)
      mds.set(
        pool.name!,
        k.create({
          apiVersion: `${CAPI_GROUP}/v1alpha3`,
          kind: 'MachineDeployment',
          metadata: {
            name: `${name}-${pool.name}-${randomSuffix(w.random)}`,
            namespace: ns,
            labels: { ...labels, [POOL_LABEL]: pool.name! },
            ownerReferences: [owner(capiCluster)],
          },
          spec: {
            clusterName: name,
            replicas,
            template: { metadata: {}, spec: { version: version.replace(/-.*$/, '') } },
          },
        }),
      );
    else if ((md.spec as { replicas?: number }).replicas !== replicas)
      mds.set(pool.name!, k.update({ ...md, spec: { ...(md.spec as object), replicas } }));
  }
  for (const [pool, md] of mds)
    if (!pools.some((p) => p.name === pool)) {
      k.delete('machinedeployments', ns, md.metadata.name!);
      mds.delete(pool);
    }

  // 2. Node segments: NCP gives the cluster /28s of the pod CIDRs for its node VMs
  const nodesWanted = (cp.replicas ?? 1) + pools.reduce((s, p) => s + (p.replicas ?? 1), 0);
  capiCluster = ensureSegments(w, capiCluster, nodesWanted + 1);

  // 3. Machines: the control plane's, then each pool's, each a VM cloned from the node image
  const machines = k.list('machines', { namespace: ns, labelSelector: `${CLUSTER_LABEL}=${name}` }).items;
  const views: NodeView[] = machines.map((m) => {
    const vm = k.tryGet('virtualmachines', ns, m.metadata.name!);
    const vcVm = w.vc.tryGet('virtualmachines', '', vcVmName(ns, m.metadata.name!));
    return {
      machine: m,
      vm,
      vcVm,
      role: m.metadata.labels?.[ROLE_LABEL] === 'controlplane' ? 'controlplane' : 'worker',
      pool: m.metadata.labels?.[POOL_LABEL],
      running: vcVm ? vmStatus(vcVm).phase === 'Running' : false,
    };
  });
  const cpNodes = views.filter((v) => v.role === 'controlplane');
  // the control plane comes up one node first (kubeadm init), the others join once it runs
  const cpInitialized = cpNodes.some((v) => v.running);
  const wantCp = cp.replicas ?? 1;
  const newCpMachine = () =>
    views.push(
      makeMachine(
        w,
        tkc,
        capiCluster,
        kcp,
        `${name}-control-plane-${randomSuffix(w.random)}`,
        'controlplane',
        undefined,
        cp,
        version,
      ),
    );
  if (cpNodes.length < wantCp && (cpNodes.length === 0 || cpInitialized))
    for (let i = cpNodes.length; i < (cpNodes.length === 0 ? 1 : wantCp); i++) newCpMachine();
  // an upgrade (a new TKr) rolls machines one at a time, a new one before an old one goes: the control
  // plane first (KubeadmControlPlane's rollout), then each node pool (a MachineDeployment's, maxSurge 1)
  const desired = version.replace(/-.*$/, '');
  const live = (v: NodeView) => !v.machine.metadata.deletionTimestamp;
  const outdated = (v: NodeView) => (v.machine.spec as { version?: string }).version !== desired;
  const nodeReady = (v: NodeView) =>
    v.running &&
    v.vcVm !== undefined &&
    now >= Date.parse(vmStatus(v.vcVm).poweredOnAt ?? '') + NODE_READY_MS;
  const oldest = (vs: NodeView[]) =>
    vs
      .slice()
      .sort((a, b) =>
        a.machine.metadata.creationTimestamp! < b.machine.metadata.creationTimestamp! ? -1 : 1,
      )[0]!;
  const roll = (group: NodeView[], want: number, make: () => void): boolean => {
    const old = group.filter(outdated);
    if (!old.length) return false;
    const fresh = group.filter((v) => !outdated(v));
    if (!fresh.every(nodeReady) || !group.every((v) => v.running)) return true;
    if (group.length <= want) make();
    else {
      const victim = oldest(old);
      drainNode(w, tkc, victim.machine.metadata.name!);
      deleteMachine(w, victim);
    }
    return true;
  };
  const cpRolling = cpInitialized && roll(cpNodes.filter(live), wantCp, newCpMachine);
  if (cpInitialized)
    for (const pool of pools) {
      const md = mds.get(pool.name!)!;
      const have = views.filter((v) => v.role === 'worker' && v.pool === pool.name && live(v));
      const want = pool.replicas ?? 1;
      const hash = machineSetHash(md);
      const newWorker = () =>
        views.push(
          makeMachine(
            w,
            tkc,
            capiCluster,
            md,
            `${md.metadata.name}-${hash}-${randomSuffix(w.random)}`,
            'worker',
            pool.name,
            pool,
            version,
          ),
        );
      if (have.some(outdated)) {
        if (!cpRolling) roll(have, want, newWorker);
        continue;
      }
      for (let i = have.length; i < want; i++) newWorker();
      // scale in: the newest machines go first
      const extra = have
        .slice()
        .sort((a, b) =>
          a.machine.metadata.creationTimestamp! < b.machine.metadata.creationTimestamp! ? 1 : -1,
        );
      for (const v of extra.slice(0, Math.max(0, have.length - want))) deleteMachine(w, v);
    }
  // machines of a pool no longer in the spec
  for (const v of views)
    if (v.role === 'worker' && !pools.some((p) => p.name === v.pool)) deleteMachine(w, v);

  // 4. Each machine's VMs: the vCenter VM follows the VM Operator VM; status flows back
  // the node addresses the cluster's VMs hold (a machine's VM goes with it)
  const taken = new Set(views.flatMap((v) => (v.vcVm?.spec as { ips?: string[] } | undefined)?.ips ?? []));
  for (const v of views) syncMachine(w, tkc, capiCluster, v, taken);

  // 5. The control plane's API endpoint: a VirtualMachineService and its load-balanced Service
  const vip = ensureEndpoint(w, tkc);
  capiStatus(w, capiCluster, kcp, mds, views, vip, version.replace(/-.*$/, ''));

  // 6. The guest cluster
  const running = views.filter((v) => v.running && !v.machine.metadata.deletionTimestamp);
  // a node exists once its VM first ran; it stays (NotReady) while the VM is down, as after a host failure
  const joined = views.filter(
    (v) =>
      !v.machine.metadata.deletionTimestamp &&
      v.vcVm &&
      (v.running || (v.machine.status as { nodeRef?: unknown } | undefined)?.nodeRef),
  );
  const guest = syncGuest(
    w,
    tkc,
    joined.map((v) => ({
      name: v.machine.metadata.name!,
      role: v.role,
      ip: vmIp(v) ?? '',
      pool: v.pool,
      since: (v.vcVm && vmStatus(v.vcVm).poweredOnAt) || rfc3339(new Date(now)),
      up: v.running,
      cpus: (v.vcVm!.spec as { numCPUs?: number }).numCPUs ?? 2,
      memoryMiB: (v.vcVm!.spec as { memoryMB?: number }).memoryMB ?? 4096,
      version: v.machine.metadata.annotations?.[FULL_VERSION],
    })),
    version,
  );

  // 7. Status as the real controller reports it
  const readyCp = running.filter((v) => v.role === 'controlplane').length;
  const workerWant = pools.reduce((s, p) => s + (p.replicas ?? 1), 0);
  const readyWorkers = running.filter((v) => v.role === 'worker').length;
  const allNodes = views.filter((v) => !v.machine.metadata.deletionTimestamp);
  const settled =
    readyCp === wantCp &&
    readyWorkers === workerWant &&
    allNodes.length === wantCp + workerWant &&
    guest.nodesReady === wantCp + workerWant;
  const addonsReady = settled && guest.addonsReady;
  const rel = k.tryGet('tanzukubernetesreleases', '', tkr);
  const relCompatible = conditionsOf(rel ?? tkc).find((c) => c.type === 'Compatible');
  const relUpdates = rel ? conditionsOf(rel).find((c) => c.type === 'UpdatesAvailable') : undefined;
  const cond = (type: string, ok: boolean, reason?: string, message?: string, severity = 'Info'): Cond =>
    ok
      ? { type, status: 'True' }
      : { type, status: 'False', severity, reason, ...(message ? { message } : {}) };
  // a node VM vCenter cannot place (capacity, or the namespace's resource pool limit) fails the cluster
  const current = views.filter((v) => !v.machine.metadata.deletionTimestamp);
  const cpStuck = current
    .filter((v) => v.role === 'controlplane')
    .map(placementFailure)
    .find(Boolean);
  const poolStuck = current
    .filter((v) => v.role === 'worker')
    .map(placementFailure)
    .find(Boolean);
  const cpCond = cpStuck
    ? cond('ControlPlaneReady', false, 'VMProvisionFailed', cpStuck, 'Error')
    : !cpInitialized
      ? cond(
          'ControlPlaneReady',
          false,
          'WaitingForControlPlaneInitialized',
          'Waiting for control plane to be initialized',
        )
      : cond(
          'ControlPlaneReady',
          readyCp === wantCp,
          'WaitingForControlPlane',
          'Waiting for control planes to be ready',
        );
  const poolsCond = cond(
    'NodePoolsReady',
    readyWorkers === workerWant && allNodes.length === wantCp + workerWant,
    'NodePoolsUpdating',
    'Node pools are being updated',
  );
  const conditions: Cond[] = [
    cond('AddonsReady', addonsReady, 'WaitingForAddons'),
    cpCond,
    poolStuck
      ? cond('NodePoolsReady', false, 'VMProvisionFailed', poolStuck, 'Error')
      : cond('NodePoolsReady', poolsCond.status === 'True', 'NodePoolsUpdating'),
    cond(
      'NodesHealthy',
      guest.nodesReady === allNodes.length && allNodes.length > 0,
      'WaitingForNodesHealthy',
    ),
    cond('ProviderServiceAccountsReady', true),
    cond('RoleBindingSynced', true),
    cond('ServiceDiscoveryReady', true),
    cond('StorageClassSynced', guest.exists, 'StorageClassSyncFailed'),
    {
      type: 'TanzuKubernetesReleaseCompatible',
      status: (relCompatible?.status as Cond['status']) ?? 'Unknown',
    },
    relUpdates && relUpdates.status === 'True'
      ? { type: 'UpdatesAvailable', status: 'True', message: relUpdates.message }
      : {
          type: 'UpdatesAvailable',
          status: 'False',
          severity: 'Info',
          reason: 'AlreadyUpToDate',
          message: '',
        },
  ];
  const firstFalse = conditions.slice(0, 8).find((c) => c.status !== 'True');
  const ready: Cond = firstFalse
    ? {
        type: 'Ready',
        status: 'False',
        severity: firstFalse.severity ?? 'Info',
        reason: firstFalse.reason,
        ...(firstFalse.message ? { message: firstFalse.message } : {}),
      }
    : { type: 'Ready', status: 'True' };
  const old = tkc.status as { phase?: string; conditions?: Cond[] } | undefined;
  const upgrading = allNodes.some(
    (v) => (v.machine.spec as { version?: string }).version !== version.replace(/-.*$/, ''),
  );
  const phase =
    cpStuck || poolStuck
      ? 'failed'
      : settled && !upgrading
        ? 'running'
        : old?.phase === 'running' || old?.phase === 'updating'
          ? 'updating'
          : 'creating';
  const stamp = rfc3339(new Date(now));
  const stamped = [ready, ...conditions].map((c) => ({
    ...c,
    lastTransitionTime:
      old?.conditions?.find((h) => h.type === c.type && h.status === c.status)?.lastTransitionTime ?? stamp,
  }));
  const status = {
    ...(vip ? { apiEndpoints: [{ host: vip, port: 6443 }] } : {}),
    version: version.replace(/^v/, '').replace(/-.*$/, ''),
    phase,
    addons: [
      { name: 'authsvc', type: 'AuthService' },
      { name: 'vmware-guest-cluster', type: 'CPI' },
      { name: spec.settings?.network?.cni?.name ?? 'antrea', type: 'CNI' },
      { name: 'pvcsi', type: 'CSI' },
      { name: 'CoreDNS', type: 'DNS' },
      { name: 'kube-proxy', type: 'Proxy' },
      { name: 'defaultpsp', type: 'PSP' },
    ].map((a) => ({
      ...a,
      version,
      conditions: [
        {
          type: 'Provisioned',
          status: addonsReady ? 'True' : 'False',
          ...(addonsReady ? {} : { severity: 'Info', reason: 'WaitingForCluster' }),
          lastTransitionTime: stamp,
        },
      ],
    })),
    conditions: stamped,
    totalWorkerReplicas: workerWant,
  };
  if (JSON.stringify(normalise(tkc.status)) !== JSON.stringify(normalise(status)))
    k.updateStatus({ ...tkc, status: JSON.parse(JSON.stringify(status)) as object });
  if (!settled || upgrading) return { requeueAfterMs: 5_000 };
  return undefined;
}

/** Cluster API's own view: the Cluster's phase, the control plane's and each MachineDeployment's replicas. */
function capiStatus(
  w: World,
  capiCluster: KubeObject,
  kcp: KubeObject,
  mds: Map<string, KubeObject>,
  views: NodeView[],
  vip: string | undefined,
  version: string,
): void {
  const k = w.k8s(SUPERVISOR_SPACE);
  const live = views.filter((v) => !v.machine.metadata.deletionTimestamp);
  const cps = live.filter((v) => v.role === 'controlplane');
  const initialized = cps.some((v) => v.running);
  const set = (o: KubeObject, status: Record<string, unknown>) => {
    if (JSON.stringify(o.status ?? {}) !== JSON.stringify(status)) k.updateStatus({ ...o, status });
  };
  const counts = (vs: NodeView[]) => {
    const ready = vs.filter((v) => v.running).length;
    const updated = vs.filter((v) => (v.machine.spec as { version?: string }).version === version).length;
    return {
      replicas: vs.length,
      updatedReplicas: updated,
      readyReplicas: ready,
      unavailableReplicas: vs.length - ready,
    };
  };
  const wantCp = (kcp.spec as { replicas?: number }).replicas ?? 1;
  set(kcp, {
    selector: `${CLUSTER_LABEL}=${capiCluster.metadata.name},cluster.x-k8s.io/control-plane`,
    ...counts(cps),
    initialized,
    ready: initialized && Boolean(vip),
  });
  for (const [pool, md] of mds) {
    const vs = live.filter((v) => v.role === 'worker' && v.pool === pool);
    const c = counts(vs);
    const want = (md.spec as { replicas?: number }).replicas ?? 1;
    set(md, {
      ...c,
      availableReplicas: c.readyReplicas,
      selector: `${CLUSTER_LABEL}=${capiCluster.metadata.name},${POOL_LABEL}=${pool}`,
      phase:
        c.replicas < want
          ? 'ScalingUp'
          : c.replicas > want
            ? 'ScalingDown'
            : c.readyReplicas === want
              ? 'Running'
              : 'ScalingUp',
    });
  }
  set(capiCluster, {
    phase: initialized ? 'Provisioned' : 'Provisioning',
    infrastructureReady: true,
    controlPlaneInitialized: initialized,
    controlPlaneReady: initialized && cps.filter((v) => v.running).length === wantCp,
  });
}

/** Status without the addons' transition times, which move with every write otherwise. */
function normalise(st: unknown): unknown {
  const s = JSON.parse(JSON.stringify(st ?? {})) as {
    addons?: { conditions?: { lastTransitionTime?: string }[] }[];
  };
  for (const a of s.addons ?? []) for (const c of a.conditions ?? []) delete c.lastTransitionTime;
  return s;
}

/** The ten hex digits of a MachineSet's template hash (stable per MachineDeployment here). */
function machineSetHash(md: KubeObject): string {
  let h = 0;
  for (const ch of md.metadata.uid ?? md.metadata.name!) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return (h.toString(16) + 'a5c3e1f7b9').slice(0, 10);
}

/** The vCenter VM of a machine: named as the VirtualMachine, unique across namespaces here. */
export const vcVmName = (_ns: string, machine: string): string => machine;

function makeMachine(
  w: World,
  tkc: KubeObject,
  capiCluster: KubeObject,
  parent: KubeObject,
  machineName: string,
  role: 'controlplane' | 'worker',
  pool: string | undefined,
  t: Topology,
  version: string,
): NodeView {
  const k = w.k8s(SUPERVISOR_SPACE);
  const ns = tkc.metadata.namespace!;
  const name = tkc.metadata.name!;
  const labels: Record<string, string> = {
    [CLUSTER_LABEL]: name,
    [ROLE_LABEL]: role,
    ...(role === 'controlplane' ? { 'cluster.x-k8s.io/control-plane': '' } : { [POOL_LABEL]: pool! }),
  };
  const machine = k.create({
    apiVersion: `${CAPI_GROUP}/v1alpha3`,
    kind: 'Machine',
    metadata: {
      name: machineName,
      namespace: ns,
      labels,
      annotations: { [FULL_VERSION]: version },
      ownerReferences: [owner(parent)],
    },
    spec: {
      clusterName: name,
      version: version.replace(/-.*$/, ''),
      bootstrap: { dataSecretName: `${machineName}-bootstrap` },
      infrastructureRef: {
        apiVersion: 'infrastructure.cluster.vmware.com/v1alpha3',
        kind: 'WCPMachine',
        name: machineName,
        namespace: ns,
      },
    },
  });
  const image = nodeImage(w, t.tkr?.reference?.name ?? '');
  const vm = k.create({
    apiVersion: `${VMOP_GROUP}/v1alpha1`,
    kind: 'VirtualMachine',
    metadata: {
      name: machineName,
      namespace: ns,
      labels: { ...labels, 'capw.vmware.com/cluster.name': name },
      ownerReferences: [owner(machine)],
    },
    spec: {
      imageName: image,
      className: t.vmClass,
      powerState: 'poweredOn',
      storageClass: t.storageClass,
      networkInterfaces: [{ networkType: 'nsx-t', networkName: `${name}-vnet` }],
      resourcePolicyName: name,
      vmMetadata: { configMapName: `${machineName}-cloud-init`, transport: 'ExtraConfig' },
      ...(role === 'controlplane' ? { readinessProbe: { tcpSocket: { port: 6443 } } } : {}),
    },
  });
  void capiCluster;
  return { machine, vm, role, pool, running: false };
}

function nodeImage(w: World, tkr: string): string {
  const rel = w.k8s(SUPERVISOR_SPACE).tryGet('tanzukubernetesreleases', '', tkr);
  return (rel?.spec as { nodeImageRef?: { name?: string } } | undefined)?.nodeImageRef?.name ?? tkr;
}

/** The VM Operator VM makes its vCenter VM; the vCenter VM's state flows back to it and to the Machine. */
function syncMachine(
  w: World,
  tkc: KubeObject,
  capiCluster: KubeObject,
  v: NodeView,
  taken: Set<string>,
): void {
  const k = w.k8s(SUPERVISOR_SPACE);
  const ns = tkc.metadata.namespace!;
  if (v.machine.metadata.deletionTimestamp || !v.vm) return;
  const vmName = vcVmName(ns, v.machine.metadata.name!);
  if (!v.vcVm) {
    const cls = k.tryGet('virtualmachineclasses', '', (v.vm.spec as { className?: string }).className ?? '');
    const hw = (cls?.spec as { hardware?: { cpus?: number; memory?: string } } | undefined)?.hardware ?? {};
    const memGi = Number(/^(\d+)Gi$/.exec(hw.memory ?? '')?.[1] ?? 4);
    const sup = w.vc.list('supervisors').items[0];
    const ip = nextNodeIp(capiCluster, taken);
    // a guaranteed class reserves what it gives (vCenter's VM class: reservations in percent)
    const vcClass = w.vc.tryGet('vmclasses', '', (v.vm.spec as { className?: string }).className ?? '');
    const res = (vcClass?.spec ?? {}) as { cpuReservation?: number; memoryReservation?: number };
    const mhzPerCore =
      (w.vc.list('hostsystems').items[0]?.spec as { cpu?: { mhzPerCore?: number } } | undefined)?.cpu
        ?.mhzPerCore ?? 2000;
    v.vcVm = w.vc.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'VirtualMachine',
      metadata: { name: vmName },
      spec: {
        cluster: (sup?.spec as SupervisorSpec | undefined)?.cluster,
        resourcePool: ns,
        folder: `Namespaces/${ns}`,
        role: v.role === 'controlplane' ? 'tkc-control-plane' : 'tkc-worker',
        namespace: ns,
        numCPUs: hw.cpus ?? 2,
        memoryMB: memGi * 1024,
        ...(res.cpuReservation
          ? { cpuReservationMHz: Math.round(((hw.cpus ?? 2) * mhzPerCore * res.cpuReservation) / 100) }
          : {}),
        ...(res.memoryReservation
          ? { memoryReservationMB: Math.round((memGi * 1024 * res.memoryReservation) / 100) }
          : {}),
        powerState: 'poweredOn',
        guestId: 'vmwarePhoton64Guest',
        ips: ip ? [ip] : [],
        labels: { [CLUSTER_LABEL]: tkc.metadata.name!, [ROLE_LABEL]: v.role },
        // the control plane's VMs are kept apart, as the cluster's VM-VM anti-affinity rule does
        ...(v.role === 'controlplane'
          ? { antiAffinityGroup: `${ns}/${tkc.metadata.name}-control-plane` }
          : {}),
      },
    });
  }
  const st = vmStatus(v.vcVm);
  v.running = st.phase === 'Running';
  const powerState = st.powerState ?? 'poweredOff';
  const vmSt = {
    ...(st.host ? { host: st.host } : {}),
    powerState,
    phase: st.phase === 'Pending' ? 'Creating' : 'Created',
    ...(v.running && st.ips?.[0] ? { vmIp: st.ips[0] } : {}),
    uniqueID: v.vcVm.metadata.uid?.slice(0, 8),
  };
  if (JSON.stringify(v.vm.status ?? {}) !== JSON.stringify(vmSt))
    v.vm = k.updateStatus({ ...v.vm, status: vmSt });
  const stuck = placementFailure(v);
  const phase = v.running
    ? 'Running'
    : stuck
      ? 'Failed'
      : st.phase === 'Pending'
        ? 'Pending'
        : 'Provisioning';
  const mSt = {
    phase,
    ...(stuck ? { failureReason: 'CreateError', failureMessage: stuck } : {}),
    bootstrapReady: true,
    infrastructureReady: v.running,
    // the node, once it joined, stays the machine's while its VM is down
    ...(v.running || (v.machine.status as { nodeRef?: unknown } | undefined)?.nodeRef
      ? { nodeRef: { apiVersion: 'v1', kind: 'Node', name: v.machine.metadata.name } }
      : {}),
    ...(v.running && st.ips?.[0] ? { addresses: [{ type: 'InternalIP', address: st.ips[0] }] } : {}),
  };
  const providerID = v.running ? `vsphere://${v.vcVm.metadata.uid}` : undefined;
  let machine = v.machine;
  if (providerID && (machine.spec as { providerID?: string }).providerID !== providerID)
    machine = k.update({ ...machine, spec: { ...(machine.spec as object), providerID } });
  if (JSON.stringify(machine.status ?? {}) !== JSON.stringify(mSt))
    machine = k.updateStatus({ ...machine, status: mSt });
  v.machine = machine;
}

/** Why vCenter cannot place a machine's VM (no host has room, the namespace's pool is at its limit), if so. */
function placementFailure(v: NodeView): string | undefined {
  if (!v.vcVm || v.running) return undefined;
  const st = vmStatus(v.vcVm);
  const placement = st.placement as { host?: string | null; reason?: string } | undefined;
  if ((st.phase ?? 'Pending') !== 'Pending' || !placement || placement.host) return undefined;
  return `VirtualMachine ${v.vcVm.metadata.name} cannot be powered on: ${placement.reason ?? 'no host'}`;
}

function vmIp(v: NodeView): string | undefined {
  return v.vcVm ? (vmStatus(v.vcVm).ips?.[0] ?? (v.vcVm.spec as { ips?: string[] }).ips?.[0]) : undefined;
}

/**
 * What Cluster API does before it deletes a machine: cordon its node and evict the pods the cluster's
 * controllers will make again elsewhere (the system's own node agents and static pods stay).
 */
function drainNode(w: World, tkc: KubeObject, node: string): void {
  const space = guestSpace(tkc.metadata.namespace!, tkc.metadata.name!);
  if (!w.api.hasApiSpace(space)) return;
  const g = w.k8s(space);
  const n = g.tryGet('nodes', '', node);
  if (!n) return;
  if (!(n.spec as { unschedulable?: boolean }).unschedulable)
    g.update({ ...n, spec: { ...(n.spec as object), unschedulable: true } });
  for (const p of g.list('pods', { fieldSelector: `spec.nodeName=${node}` }).items) {
    const owner = (p.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (!owner || p.metadata.labels?.[COMPONENT_LABEL] !== undefined) continue;
    w.recorder.event(
      g,
      p,
      'Normal',
      'Killing',
      `Stopping container ${(p.spec as { containers: { name: string }[] }).containers[0]?.name ?? ''}`,
      'kubelet',
    );
    g.delete('pods', p.metadata.namespace!, p.metadata.name!);
  }
}

function deleteMachine(w: World, v: NodeView): void {
  const k = w.k8s(SUPERVISOR_SPACE);
  if (!v.machine.metadata.deletionTimestamp)
    k.delete('machines', v.machine.metadata.namespace!, v.machine.metadata.name!);
  if (v.vcVm) w.vc.delete('virtualmachines', '', v.vcVm.metadata.name!);
  v.machine = {
    ...v.machine,
    metadata: { ...v.machine.metadata, deletionTimestamp: rfc3339(new Date(w.now())) },
  };
}

/** Enough /28s on the cluster for its nodes (and the gateway), noted on the Cluster API Cluster. */
function ensureSegments(w: World, capiCluster: KubeObject, addresses: number): KubeObject {
  const ann = capiCluster.metadata.annotations ?? {};
  const have = Object.keys(ann).filter((a) => a.startsWith(SEGMENT_ANNOTATION)).length;
  const need = Math.ceil(addresses / 13);
  if (have >= need) return capiCluster;
  const sup = w.vc.list('supervisors').items[0];
  const held = heldSegments(w);
  const added: Record<string, string> = {};
  for (let i = have; i < need; i++) {
    const seg = freeSegment(sup, held);
    if (!seg) break;
    held.add(seg);
    added[`${SEGMENT_ANNOTATION}${i}`] = seg;
  }
  return w
    .k8s(SUPERVISOR_SPACE)
    .update({ ...capiCluster, metadata: { ...capiCluster.metadata, annotations: { ...ann, ...added } } });
}

/** The first address of the cluster's segments no node VM holds (past each segment's gateway). */
/**
 * The first address of the cluster's segments no node VM holds (past each segment's gateway); `taken`
 * holds the addresses of the cluster's VMs, and gets the one handed out.
 */
function nextNodeIp(capiCluster: KubeObject, taken: Set<string>): string | undefined {
  const ann = capiCluster.metadata.annotations ?? {};
  for (const [key, seg] of Object.entries(ann).sort()) {
    if (!key.startsWith(SEGMENT_ANNOTATION)) continue;
    const r = parseCidr(seg);
    if (!r) continue;
    for (let ip = r.first + 2; ip < r.last; ip++)
      if (!taken.has(formatIp(ip))) {
        taken.add(formatIp(ip));
        return formatIp(ip);
      }
  }
  return undefined;
}

/** The control plane's VirtualMachineService and the LoadBalancer Service behind it; its VIP, once given. */
function ensureEndpoint(w: World, tkc: KubeObject): string | undefined {
  const k = w.k8s(SUPERVISOR_SPACE);
  const ns = tkc.metadata.namespace!;
  const name = `${tkc.metadata.name}-control-plane-service`;
  const labels = { [CLUSTER_LABEL]: tkc.metadata.name! };
  const ports = [{ name: 'apiserver', protocol: 'TCP', port: 6443, targetPort: 6443 }];
  let vms = k.tryGet('virtualmachineservices', ns, name);
  if (!vms)
    vms = k.create({
      apiVersion: `${VMOP_GROUP}/v1alpha1`,
      kind: 'VirtualMachineService',
      metadata: { name, namespace: ns, labels, ownerReferences: [owner(tkc)] },
      spec: {
        type: 'LoadBalancer',
        ports,
        selector: { [ROLE_LABEL]: 'controlplane', 'capw.vmware.com/cluster.name': tkc.metadata.name! },
      },
    });
  let svc = k.tryGet('services', ns, name);
  if (!svc)
    svc = k.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels, ownerReferences: [owner(vms)] },
      spec: {
        type: 'LoadBalancer',
        ports: ports.map(({ name: n, protocol, port, targetPort }) => ({
          name: n,
          protocol,
          port,
          targetPort,
        })),
      },
    });
  const ip = (svc.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined)?.loadBalancer
    ?.ingress?.[0]?.ip;
  if (ip && JSON.stringify(vms.status ?? {}) !== JSON.stringify({ loadBalancer: { ingress: [{ ip }] } }))
    k.updateStatus({ ...vms, status: { loadBalancer: { ingress: [{ ip }] } } });
  return ip;
}

/** Deleting: the nodes' VMs leave the inventory, the guest cluster goes, then the finalizer. */
function teardown(w: World, tkc: KubeObject): { requeueAfterMs: number } | undefined {
  const k = w.k8s(SUPERVISOR_SPACE);
  const ns = tkc.metadata.namespace!;
  const name = tkc.metadata.name!;
  if ((tkc.status as { phase?: string } | undefined)?.phase !== 'deleting')
    k.updateStatus({ ...tkc, status: { ...(tkc.status as object), phase: 'deleting' } });
  for (const vm of w.vc.list('virtualmachines').items) {
    const s = vm.spec as { labels?: Record<string, string>; namespace?: string };
    if (s.labels?.[CLUSTER_LABEL] === name && s.namespace === ns && !vm.metadata.deletionTimestamp)
      w.vc.delete('virtualmachines', '', vm.metadata.name!);
  }
  const space = guestSpace(ns, name);
  if (w.api.hasApiSpace(space)) w.api.removeApiSpace(space);
  const fresh = k.tryGet('tanzukubernetesclusters', ns, name);
  if (fresh)
    k.update({
      ...fresh,
      metadata: {
        ...fresh.metadata,
        finalizers: (fresh.metadata.finalizers ?? []).filter((f) => f !== TKC_FINALIZER),
      },
    });
  void lifecycle;
  return undefined;
}
