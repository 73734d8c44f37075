// Derived views the UI draws: the topology model (with each node VM's TKC and the guest pods on it),
// the inventory tree as the vSphere Client's Hosts and Clusters view, and the tasks and events panel.
import type { KubeObject } from '../../api/types';
import type { Lab } from '../../sim/lab';
import { topology as topologyModel } from '../../sim/topology';
import type { Activity, InventoryNode, Operation, Topology } from '../../../preload/contract';
import { listOrEmpty, supervisorAs, type SignedIn } from './identity';

const CLUSTER_LABEL = 'cluster.x-k8s.io/cluster-name';
const TKC = 'tanzukubernetesclusters.run.tanzu.vmware.com';

/** The topology model, with guest pods placed inside their TKC node VMs. */
export function topologyView(lab: Lab): Topology {
  const t = topologyModel(lab.world);
  const vmLabels = new Map<string, Record<string, string>>();
  for (const vm of lab.world.vc.list('virtualmachines').items) {
    const labels = (vm.spec as { labels?: Record<string, string> }).labels;
    if (labels) vmLabels.set(vm.metadata.name!, labels);
  }
  const guestPods = new Map<string, Topology['hosts'][number]['pods']>();
  for (const space of lab.store.apiSpaces()) {
    if (!space.name.startsWith('tkc:')) continue;
    for (const pod of lab.world.k8s(space.name).list('pods').items) {
      const node = (pod.spec as { nodeName?: string }).nodeName;
      if (!node) continue;
      const list = guestPods.get(node) ?? [];
      list.push({
        namespace: pod.metadata.namespace!,
        name: pod.metadata.name!,
        phase: (pod.status as { phase?: string } | undefined)?.phase ?? 'Pending',
      });
      guestPods.set(node, list);
    }
  }
  return {
    ...t,
    hosts: t.hosts.map((h) => ({
      ...h,
      vms: h.vms.map((vm) => {
        const tkc = vm.role.startsWith('tkc-') ? vmLabels.get(vm.name)?.[CLUSTER_LABEL] : undefined;
        return { ...vm, ...(tkc ? { tkc } : {}), pods: guestPods.get(vm.name) ?? vm.pods };
      }),
    })),
  };
}

const stateOf = (o: KubeObject): string | undefined => {
  const s = (o.status ?? {}) as { phase?: string; state?: string; configStatus?: string };
  return s.phase ?? s.configStatus ?? s.state;
};

/** Datacenter › cluster › hosts from vCenter; Namespaces › namespace › pods, TKCs, VMs as the user sees them. */
export function inventoryView(lab: Lab, who: SignedIn): InventoryNode[] {
  const vc = lab.world.vc;
  const hosts = vc.list('hostsystems').items;
  const clusters = vc.list('computeclusters').items;
  const datacenters = vc.list('datacenters').items;
  const hostState = (h: KubeObject) => {
    const st = (h.status ?? {}) as { state?: string };
    return st.state ?? 'connected';
  };
  const clusterOf = (h: KubeObject) => (h.spec as { cluster?: string }).cluster;
  const dcOf = (c: KubeObject) => (c.spec as { datacenter?: string }).datacenter;
  const tree: InventoryNode[] = datacenters.map((dc) => ({
    kind: 'Datacenter',
    name: dc.metadata.name!,
    children: clusters
      .filter((c) => !dcOf(c) || dcOf(c) === dc.metadata.name || datacenters.length === 1)
      .map((c) => ({
        kind: 'ComputeCluster',
        name: c.metadata.name!,
        children: hosts
          .filter((h) => !clusterOf(h) || clusterOf(h) === c.metadata.name || clusters.length === 1)
          .map((h) => ({ kind: 'HostSystem', name: h.metadata.name!, state: hostState(h) })),
      })),
  }));
  const sup = supervisorAs(lab, who);
  const namespaces = vc.list('vspherenamespaces').items;
  const pods = lab.api.hasApiSpace('supervisor') ? listOrEmpty(sup, 'pods') : [];
  const tkcs = lab.api.registry.byKind('run.tanzu.vmware.com', 'TanzuKubernetesCluster')
    ? listOrEmpty(sup, TKC)
    : [];
  const vms = listOrEmpty(sup, 'virtualmachines.vmoperator.vmware.com');
  const inNs = (list: KubeObject[], ns: string, kind: string) =>
    list
      .filter((o) => o.metadata.namespace === ns)
      .map((o) => ({ kind, name: o.metadata.name!, namespace: ns, state: stateOf(o) }));
  tree.push({
    kind: 'Namespaces',
    name: 'Namespaces',
    children: namespaces.map((n) => {
      const ns = n.metadata.name!;
      return {
        kind: 'VSphereNamespace',
        name: ns,
        state: stateOf(n),
        children: [
          ...inNs(tkcs, ns, 'TanzuKubernetesCluster'),
          ...inNs(vms, ns, 'VirtualMachine'),
          ...inNs(pods, ns, 'Pod'),
        ],
      };
    }),
  });
  return tree;
}

const LIMIT = 200;

/** The newest vCenter tasks and Kubernetes events, newest first. */
export function activityView(lab: Lab, who: SignedIn): Activity[] {
  const out: Activity[] = [];
  for (const t of lab.world.vc.list('tasks').items) {
    const spec = t.spec as { description?: string; entity?: string };
    const st = (t.status ?? {}) as { state?: string; progress?: number; startTime?: string; error?: string };
    out.push({
      kind: 'task',
      time: st.startTime ?? t.metadata.creationTimestamp ?? '',
      target: spec.entity ?? '',
      text: `${spec.description ?? t.metadata.name}${st.error ? `: ${st.error}` : ''}`,
      type: st.state ?? 'running',
      ...(st.state === 'running' ? { progress: st.progress ?? 0 } : {}),
    });
  }
  const eventsOf = (items: KubeObject[]) => {
    for (const e of items as unknown as {
      involvedObject?: { kind?: string; name?: string; namespace?: string };
      reason?: string;
      message?: string;
      type?: string;
      lastTimestamp?: string;
      count?: number;
    }[]) {
      const io = e.involvedObject ?? {};
      out.push({
        kind: 'event',
        time: e.lastTimestamp ?? '',
        target: `${io.kind ?? ''}/${io.namespace ? `${io.namespace}/` : ''}${io.name ?? ''}`,
        text: `${e.reason ?? ''}: ${e.message ?? ''}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`,
        type: e.type ?? 'Normal',
      });
    }
  };
  eventsOf(lab.world.vc.list('events').items);
  if (lab.api.hasApiSpace('supervisor')) eventsOf(listOrEmpty(supervisorAs(lab, who), 'events'));
  return out.sort((a, b) => b.time.localeCompare(a.time)).slice(0, LIMIT);
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const steps = (o: KubeObject) =>
  (((o.status ?? {}) as { conditions?: Condition[] }).conditions ?? []).map((c) => ({
    name: c.type,
    done: c.status === 'True',
    message: c.message || c.reason || '',
  }));

/** The Supervisor's enablement and each TKC, step by step (their conditions), for the progress bars. */
export function operationsView(lab: Lab, who: SignedIn): Operation[] {
  const out: Operation[] = [];
  for (const sup of lab.world.vc.list('supervisors').items) {
    const st = (sup.status ?? {}) as { configStatus?: string };
    out.push({
      title: `Supervisor ${sup.metadata.name}`,
      phase: st.configStatus ?? 'CONFIGURING',
      steps: steps(sup),
    });
  }
  if (
    lab.api.hasApiSpace('supervisor') &&
    lab.api.registry.byKind('run.tanzu.vmware.com', 'TanzuKubernetesCluster')
  )
    for (const tkc of listOrEmpty(supervisorAs(lab, who), TKC)) {
      const st = (tkc.status ?? {}) as { phase?: string };
      out.push({
        title: `TanzuKubernetesCluster ${tkc.metadata.namespace}/${tkc.metadata.name}`,
        phase: st.phase ?? 'pending',
        steps: steps(tkc),
      });
    }
  return out;
}
