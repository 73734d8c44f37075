// govc's finder over the lab inventory: paths with glob patterns are listed level by level ("list
// mode"), bare names are searched for recursively below the right folder ("find mode"), `PATH/...`
// searches everything below PATH, and `Type:value` names an object by its managed object reference.
// Errors read as govmomi's: `host 'x' not found`, `path 'x' resolves to multiple hosts`, …
import { GovcError } from './command';
import { goMatch } from './output';
import type { Inventory, InvNode } from './tree';

export interface Element {
  node: InvNode;
  path: string;
}

export interface Spec {
  relative: () => InvNode;
  listMode?: boolean;
  contents?: boolean;
  parents: string[];
  include?: string[];
}

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(seg);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

/** list.ToParts */
export function toParts(p: string): string[] {
  let c = cleanPath(p);
  if (c === '/') return [];
  if (c[0] !== '/' && c[0] !== '.') c = `./${c}`;
  const ps = c.split('/');
  if (ps[0] === '') ps.shift();
  return ps;
}

const base = (p: string) => (p === '/' ? '/' : p.slice(p.lastIndexOf('/') + 1));
const join = (prefix: string, name: string) => (prefix === '/' ? `/${name}` : `${prefix}/${name}`);

const match = (pattern: string, name: string): boolean => {
  try {
    return goMatch(pattern, name);
  } catch (e) {
    throw new GovcError((e as Error).message);
  }
};

export class Finder {
  constructor(
    readonly inv: Inventory,
    /** the datacenter in use: -dc, or the only one there is */
    readonly dc: InvNode | undefined,
  ) {}

  private traversable(s: Spec, n: InvNode): boolean {
    if (n.type === 'Datacenter') return !(s.include?.length === 1 && s.include[0] === 'Datacenter');
    if (n.type === 'Folder') return true;
    return s.parents.includes(n.type);
  }

  private lister(e: Element): Element[] {
    if (!e.node.children) throw new GovcError(`cannot traverse type ${e.node.type}`);
    return e.node.children().map((c) => ({ node: c, path: join(e.path, c.name) }));
  }

  private wanted(s: Spec, e: Element): boolean {
    return !s.include?.length || s.include.includes(e.node.type);
  }

  private list(s: Spec, root: Element, parts: string[]): Element[] {
    if (!parts.length && (!s.contents || !this.traversable(s, root.node))) return [root];
    const children = this.lister(root);
    if (!parts.length) return children;
    const [pattern, ...rest] = parts;
    const out: Element[] = [];
    for (const e of children) {
      if (!match(pattern!, base(e.path))) {
        if (e.path.endsWith(`/${parts.join('/')}`)) out.push(e);
        continue;
      }
      out.push(...this.list(s, e, rest));
    }
    return out;
  }

  private findIn(s: Spec, root: Element, parts: string[]): Element[] {
    const out: Element[] = [];
    if (parts.length && match(parts[0]!, base(root.path)) && this.wanted(s, root)) out.push(root);
    if (!this.traversable(s, root.node)) return out;
    for (const e of this.lister(root)) out.push(...this.findIn(s, e, parts));
    return out;
  }

  search(arg: string, s: Spec): Element[] {
    const isPath = arg.includes('/');
    if (!isPath) {
      const m = /^([A-Za-z]+):(.+)$/.exec(arg);
      const byRef = m ? this.inv.byReference(m[1]!, m[2]!) : undefined;
      if (byRef) return [{ node: byRef, path: byRef.path }];
    }
    let root: Element = { node: this.inv.root, path: '/' };
    let parts = toParts(arg);
    if (parts[0] === '..') throw new GovcError('cannot traverse up a tree');
    if (parts[0] === '.') {
      const pivot = s.relative();
      root = { node: pivot, path: pivot.path };
      parts = parts.slice(1);
    }
    const listMode = s.listMode ?? isPath;
    if (listMode) {
      const last = parts.length - 1;
      if (last >= 0 && parts[last] === '...') {
        if (last > 0) {
          const at = this.inv.byPath(join(root.path, parts.slice(0, last).join('/')));
          if (!at) return this.list(s, root, parts);
          root = { node: at, path: at.path };
        }
        parts = ['*'];
      } else return this.list(s, root, parts);
    }
    return this.findIn(s, root, parts);
  }

  private datacenter(): InvNode {
    if (!this.dc) throw new GovcError('please specify a datacenter');
    return this.dc;
  }

  private folder(kind: 'vm' | 'host' | 'datastore' | 'network') {
    return () => this.inv.folderOf(this.datacenter(), kind);
  }

  /** ManagedObjectList / ManagedObjectListChildren (ls, permissions, find's ROOT). */
  managedObjectList(path: string, children: boolean, include: string[] = []): Element[] {
    const s: Spec = {
      relative: () => this.dc ?? this.inv.root,
      parents: ['ComputeResource', 'ClusterComputeResource', 'HostSystem', 'VirtualApp', 'StoragePod'],
      include,
    };
    if (children) {
      s.contents = true;
      s.listMode = true;
    }
    return this.search(path || '.', s);
  }

  /** The canonical element of an object (Finder.Element). */
  element(n: InvNode): Element {
    return { node: n, path: n.path };
  }

  hostSystemList(path: string): Element[] {
    const es = this.search(path, {
      relative: this.folder('host'),
      parents: ['ComputeResource', 'ClusterComputeResource'],
      include: ['HostSystem'],
    });
    const out: Element[] = [];
    for (const e of es) {
      if (e.node.type === 'HostSystem') out.push(e);
      else if (e.node.type === 'ClusterComputeResource' || e.node.type === 'ComputeResource')
        out.push(
          ...e.node
            .contents()
            .filter((c) => c.type === 'HostSystem')
            .map((c) => this.element(c)),
        );
    }
    if (!out.length) throw new GovcError(`host '${path}' not found`);
    return out;
  }

  hostSystem(path: string): Element {
    const hs = this.hostSystemList(path);
    if (hs.length > 1) throw new GovcError(`path '${path}' resolves to multiple hosts`);
    return hs[0]!;
  }

  /** VirtualMachineList; undefined where govc would raise NotFoundError (vm.info skips those). */
  virtualMachineList(path: string): Element[] | undefined {
    const es = this.search(path, { relative: this.folder('vm'), parents: ['VirtualApp'] }).filter(
      (e) => e.node.type === 'VirtualMachine',
    );
    return es.length ? es : undefined;
  }

  clusterList(path: string): Element[] {
    const es = this.search(path, {
      relative: this.folder('host'),
      parents: [],
      include: ['ClusterComputeResource'],
    }).filter((e) => e.node.type === 'ClusterComputeResource');
    if (!es.length) throw new GovcError(`cluster '${path}' not found`);
    return es;
  }

  /** ClusterComputeResourceOrDefault, as the -cluster flag resolves. */
  cluster(path: string): Element {
    if (!path) {
      let all: Element[];
      try {
        all = this.clusterList('*');
      } catch {
        throw new GovcError('no default cluster found');
      }
      if (all.length > 1)
        throw new GovcError('default cluster resolves to multiple instances, please specify');
      return all[0]!;
    }
    const cs = this.clusterList(path);
    if (cs.length > 1) throw new GovcError(`path '${path}' resolves to multiple clusters`);
    return cs[0]!;
  }

  network(path: string): Element {
    const kinds = [
      'Network',
      'OpaqueNetwork',
      'DistributedVirtualPortgroup',
      'DistributedVirtualSwitch',
      'VmwareDistributedVirtualSwitch',
    ];
    const es = this.search(path, { relative: this.folder('network'), parents: [] }).filter((e) =>
      kinds.includes(e.node.type),
    );
    if (!es.length) throw new GovcError(`network '${path}' not found`);
    if (es.length > 1) throw new GovcError(`path '${path}' resolves to multiple networks`);
    return es[0]!;
  }

  datacenterList(path: string): Element[] {
    const dcs = this.search(path, {
      relative: () => this.inv.root,
      parents: [],
      include: ['Datacenter'],
    }).filter((e) => e.node.type === 'Datacenter');
    if (!dcs.length) throw new GovcError(`datacenter '${path}' not found`);
    return dcs;
  }
}

/** The datacenter a command works in: -dc, or the only one; undefined when several and none named. */
export function resolveDatacenter(inv: Inventory, name: string): InvNode | undefined {
  if (name) {
    const dcs = new Finder(inv, undefined).datacenterList(name);
    if (dcs.length > 1) throw new GovcError(`path '${name}' resolves to multiple datacenters`);
    return dcs[0]!.node;
  }
  return inv.datacenters.length === 1 ? inv.datacenters[0] : undefined;
}
