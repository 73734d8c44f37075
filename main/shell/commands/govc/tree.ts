// The vCenter inventory as govc sees it: a tree of managed objects with inventory paths and managed
// object references, read from the `vcenter` API space. /Datacenter/{vm,network,host,datastore}; a
// cluster holds its hosts, the networks they reach and its root pool "Resources"; VMs live in VM folders.
import type { ApiClient } from '../../../api/client';
import type { KubeObject } from '../../../api/types';
import { hostSpec, vmSpec as baseVmSpec, vmStatus } from '../../../sim/vcenter/model';

const vmSpec = (vm: KubeObject) =>
  baseVmSpec(vm) as ReturnType<typeof baseVmSpec> & { resourcePool?: string };

export interface MoRef {
  type: string;
  value: string;
}

export interface InvNode {
  type: string;
  name: string;
  ref: MoRef;
  /** the canonical inventory path */
  path: string;
  parent?: InvNode;
  obj?: KubeObject;
  /** what govc's lister shows under this object; undefined when the type cannot be traversed */
  children?: () => InvNode[];
  /** what a container view holds directly (the inventory's containment) */
  contents: () => InvNode[];
}

/** A number of 4 digits for a managed object reference, stable for the object's life (its uid). */
export function moNumber(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return 1000 + (h % 9000);
}

/** `Resources (Workload-Cluster)` → `Resources`: inventory names are unique in the lab, not in vCenter. */
export const poolDisplayName = (pool: KubeObject): string => {
  const cluster = (pool.spec as { cluster?: string }).cluster;
  const name = pool.metadata.name!;
  return cluster && name.endsWith(` (${cluster})`) ? name.slice(0, -(cluster.length + 3)) : name;
};

const node = (
  type: string,
  name: string,
  value: string,
  parent: InvNode | undefined,
  obj?: KubeObject,
): InvNode => ({
  type,
  name,
  ref: { type, value },
  path: parent ? (parent.path === '/' ? `/${name}` : `${parent.path}/${name}`) : '/',
  parent,
  obj,
  contents: () => [],
});

export class Inventory {
  readonly root: InvNode;
  readonly datacenters: InvNode[] = [];
  readonly hosts: InvNode[] = [];
  readonly clusters: InvNode[] = [];
  readonly vms: InvNode[] = [];
  readonly datastores: InvNode[] = [];
  readonly networks: InvNode[] = [];
  readonly pools: InvNode[] = [];
  private readonly byRef = new Map<string, InvNode>();
  private readonly folders = new Map<
    InvNode,
    { vm: InvNode; host: InvNode; datastore: InvNode; network: InvNode }
  >();

  constructor(vc: ApiClient) {
    const list = (r: string) =>
      vc
        .list(r)
        .items.slice()
        .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const dcs = list('datacenters');
    const clusters = list('computeclusters');
    const hosts = list('hostsystems');
    const pools = list('resourcepools');
    const vms = list('virtualmachines');
    const datastores = list('datastores');
    const switches = list('distributedvirtualswitches');
    const portgroups = list('networks');

    this.root = node('Folder', 'Datacenters', 'group-d1', undefined);
    const rootChildren: InvNode[] = [];
    this.root.children = () => rootChildren;
    this.root.contents = () => rootChildren;
    this.add(this.root);

    const dcOf = (name: string | undefined) =>
      this.datacenters.find((d) => d.name === name) ?? this.datacenters[0];
    for (const d of dcs) {
      const n = moNumber(d.metadata.uid ?? d.metadata.name!);
      const dc = this.add(node('Datacenter', d.metadata.name!, `datacenter-${n}`, this.root, d));
      const f = {
        vm: this.add(node('Folder', 'vm', `group-v${n + 1}`, dc)),
        host: this.add(node('Folder', 'host', `group-h${n + 2}`, dc)),
        datastore: this.add(node('Folder', 'datastore', `group-s${n + 3}`, dc)),
        network: this.add(node('Folder', 'network', `group-n${n + 4}`, dc)),
      };
      const ordered = [f.vm, f.network, f.host, f.datastore];
      dc.children = () => ordered;
      dc.contents = () => ordered;
      this.folders.set(dc, f);
      this.datacenters.push(dc);
      rootChildren.push(dc);
    }
    const entries = new Map<InvNode, InvNode[]>();
    const childOf = (parent: InvNode, child: InvNode) => {
      let e = entries.get(parent);
      if (!e) {
        entries.set(parent, (e = []));
        parent.children = () => e!;
        parent.contents = () => e!;
      }
      e.push(child);
      return child;
    };
    for (const dc of this.datacenters)
      for (const f of Object.values(this.folders.get(dc)!)) entries.set(f, []);
    for (const [f, e] of entries) {
      f.children = () => e;
      f.contents = () => e;
    }

    // datastores and networks
    for (const ds of datastores) {
      const dc = dcOf((ds.spec as { datacenter?: string }).datacenter);
      if (!dc) continue;
      const n = this.add(
        node(
          'Datastore',
          ds.metadata.name!,
          `datastore-${moNumber(ds.metadata.uid!)}`,
          this.folders.get(dc)!.datastore,
          ds,
        ),
      );
      childOf(this.folders.get(dc)!.datastore, n);
      this.datastores.push(n);
    }
    const switchNodes = new Map<string, InvNode>();
    for (const sw of switches) {
      const dc = dcOf((sw.spec as { datacenter?: string }).datacenter);
      if (!dc) continue;
      const n = this.add(
        node(
          'VmwareDistributedVirtualSwitch',
          sw.metadata.name!,
          `dvs-${moNumber(sw.metadata.uid!)}`,
          this.folders.get(dc)!.network,
          sw,
        ),
      );
      childOf(this.folders.get(dc)!.network, n);
      switchNodes.set(sw.metadata.name!, n);
      n.children = () => this.networks.filter((p) => (p.obj?.spec as { switch?: string }).switch === n.name);
    }
    for (const pg of portgroups) {
      const spec = pg.spec as { type?: string; switch?: string };
      const sw = spec.switch ? switchNodes.get(spec.switch) : undefined;
      const dc = sw?.parent?.parent ?? this.datacenters[0];
      if (!dc) continue;
      const type = spec.type ?? 'DistributedVirtualPortgroup';
      const prefix = type === 'DistributedVirtualPortgroup' ? 'dvportgroup' : 'network';
      const n = this.add(
        node(
          type,
          pg.metadata.name!,
          `${prefix}-${moNumber(pg.metadata.uid!)}`,
          this.folders.get(dc)!.network,
          pg,
        ),
      );
      childOf(this.folders.get(dc)!.network, n);
      this.networks.push(n);
    }
    const networksOfHost = (host: string) =>
      this.networks.filter((p) => {
        const sw = (p.obj?.spec as { switch?: string }).switch;
        const swObj = switches.find((s) => s.metadata.name === sw);
        return ((swObj?.spec as { hosts?: string[] } | undefined)?.hosts ?? []).includes(host);
      });

    // clusters, hosts, resource pools
    for (const c of clusters) {
      const dc = dcOf((c.spec as { datacenter?: string }).datacenter);
      if (!dc) continue;
      const cn = this.add(
        node(
          'ClusterComputeResource',
          c.metadata.name!,
          `domain-c${moNumber(c.metadata.uid!)}`,
          this.folders.get(dc)!.host,
          c,
        ),
      );
      childOf(this.folders.get(dc)!.host, cn);
      this.clusters.push(cn);
      const own = hosts
        .filter((h) => hostSpec(h).cluster === c.metadata.name)
        .map((h) =>
          this.add(node('HostSystem', h.metadata.name!, `host-${moNumber(h.metadata.uid!)}`, cn, h)),
        );
      this.hosts.push(...own);
      const clusterPools = pools.filter((p) => (p.spec as { cluster?: string }).cluster === c.metadata.name);
      const rootPool = clusterPools.find((p) => !(p.spec as { parent?: string }).parent);
      let rootNode: InvNode | undefined;
      if (rootPool) {
        const poolNode = (p: KubeObject, parent: InvNode): InvNode => {
          const pn = this.add(
            node('ResourcePool', poolDisplayName(p), `resgroup-${moNumber(p.metadata.uid!)}`, parent, p),
          );
          this.pools.push(pn);
          const kids = clusterPools
            .filter((k) => (k.spec as { parent?: string }).parent === p.metadata.name)
            .map((k) => poolNode(k, pn));
          pn.children = () => kids;
          pn.contents = () => [
            ...kids,
            ...this.vms.filter(
              (v) =>
                vmSpec(v.obj!).resourcePool === p.metadata.name ||
                (!vmSpec(v.obj!).resourcePool &&
                  p === rootPool &&
                  vmSpec(v.obj!).cluster === c.metadata.name),
            ),
          ];
          return pn;
        };
        rootNode = poolNode(rootPool, cn);
      }
      const nets = own.length
        ? this.networks.filter((p) => own.some((h) => networksOfHost(h.name).includes(p)))
        : [];
      cn.children = () => [...own, ...nets, ...(rootNode ? [rootNode] : [])];
      cn.contents = () => [...own, ...(rootNode ? [rootNode] : [])];
      for (const h of own) {
        h.children = () => [
          ...this.datastores.filter((d) => d.parent?.parent === dc),
          ...networksOfHost(h.name),
          ...this.vms.filter((v) => vmStatus(v.obj!).host === h.name),
        ];
        h.contents = () => this.vms.filter((v) => vmStatus(v.obj!).host === h.name);
      }
    }

    // virtual machines in their VM folders
    for (const vm of vms) {
      const cluster = this.clusters.find((c) => c.name === vmSpec(vm).cluster);
      const dc = cluster?.parent?.parent ?? this.datacenters[0];
      if (!dc) continue;
      let folder = this.folders.get(dc)!.vm;
      for (const part of String((vm.spec as { folder?: string }).folder ?? '')
        .split('/')
        .filter(Boolean)) {
        let sub = (entries.get(folder) ?? []).find((x) => x.type === 'Folder' && x.name === part);
        if (!sub) {
          sub = this.add(node('Folder', part, `group-v${moNumber(`${folder.ref.value}/${part}`)}`, folder));
          childOf(folder, sub);
          entries.set(sub, []);
          const e = entries.get(sub)!;
          sub.children = () => e;
          sub.contents = () => e;
        }
        folder = sub;
      }
      const n = this.add(
        node('VirtualMachine', vm.metadata.name!, `vm-${moNumber(vm.metadata.uid!)}`, folder, vm),
      );
      childOf(folder, n);
      this.vms.push(n);
    }
  }

  private add(n: InvNode): InvNode {
    this.byRef.set(`${n.ref.type}:${n.ref.value}`, n);
    return n;
  }

  byReference(type: string, value: string): InvNode | undefined {
    return this.byRef.get(`${type}:${value}`);
  }

  /** The node at an exact inventory path (no patterns), as SearchIndex.FindByInventoryPath. */
  byPath(path: string): InvNode | undefined {
    if (path === '/' || path === '') return this.root;
    let n: InvNode | undefined = this.root;
    for (const part of path.split('/').filter(Boolean)) {
      n =
        n.contents().find((c) => c.name === part) ??
        n.children?.().find((c) => c.name === part && c.parent === n);
      if (!n) return undefined;
    }
    return n;
  }

  nodeOf(type: string, name: string): InvNode | undefined {
    const all = [
      ...this.hosts,
      ...this.clusters,
      ...this.vms,
      ...this.datastores,
      ...this.networks,
      ...this.pools,
    ];
    return (
      all.find((n) => n.type === type && n.name === name) ??
      (type === 'Datacenter' ? this.datacenters.find((d) => d.name === name) : undefined)
    );
  }

  folderOf(dc: InvNode, kind: 'vm' | 'host' | 'datastore' | 'network'): InvNode {
    return this.folders.get(dc)![kind];
  }

  /** Ancestors from the root down to n, n included. */
  lineage(n: InvNode): InvNode[] {
    const out: InvNode[] = [];
    for (let x: InvNode | undefined = n; x; x = x.parent) out.unshift(x);
    return out;
  }

  /** Depth-first over the containment below n (n excluded), each object once. */
  descendants(n: InvNode): InvNode[] {
    const seen = new Set<string>();
    const out: InvNode[] = [];
    const walk = (x: InvNode) => {
      for (const c of x.contents()) {
        const key = `${c.ref.type}:${c.ref.value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(c);
        walk(c);
      }
    };
    walk(n);
    return out;
  }
}
