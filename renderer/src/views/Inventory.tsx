// The inventory tree, as the vSphere Client's Hosts and Clusters view: Datacenter › cluster › hosts,
// and Namespaces › namespace › TKCs, VMs, pods. A click describes the object.
import { useState } from 'react';
import type { InventoryNode } from '../../../preload/contract';
import { useT } from '../lib/i18n';
import type { Selection } from './Topology';

const icons: Record<string, string> = {
  Datacenter: 'DC',
  ComputeCluster: 'CL',
  HostSystem: 'H',
  Namespaces: 'NS',
  VSphereNamespace: 'ns',
  TanzuKubernetesCluster: 'TKC',
  VirtualMachine: 'VM',
  Pod: 'P',
};

function selectionOf(n: InventoryNode): Selection | undefined {
  switch (n.kind) {
    case 'HostSystem':
      return { kind: 'host', name: n.name };
    case 'VSphereNamespace':
      return { kind: 'namespace', name: n.name };
    case 'TanzuKubernetesCluster':
      return { kind: 'tkc', name: n.name, namespace: n.namespace };
    case 'VirtualMachine':
      return { kind: 'vm', name: n.name };
    case 'Pod':
      return { kind: 'pod', name: n.name, namespace: n.namespace ?? 'default' };
    default:
      return undefined;
  }
}

function Node({
  node,
  depth,
  onSelect,
}: {
  node: InventoryNode;
  depth: number;
  onSelect(s: Selection): void;
}) {
  const [open, setOpen] = useState(depth < 3);
  const kids = node.children ?? [];
  return (
    <li role="treeitem" aria-expanded={kids.length ? open : undefined}>
      <div className="tree-row" style={{ paddingLeft: depth * 14 }}>
        <button
          className="twisty"
          onClick={() => setOpen(!open)}
          aria-hidden={!kids.length}
          tabIndex={kids.length ? 0 : -1}
        >
          {kids.length ? (open ? '▾' : '▸') : ''}
        </button>
        <button
          className="tree-label"
          onClick={() => {
            const s = selectionOf(node);
            if (s) onSelect(s);
            else setOpen(!open);
          }}
        >
          <span className={`icon icon-${node.kind}`} aria-hidden>
            {icons[node.kind] ?? '•'}
          </span>{' '}
          {node.name}
          {node.state && <span className={`state state-${node.state.toLowerCase()}`}> {node.state}</span>}
        </button>
      </div>
      {open && kids.length > 0 && (
        <ul role="group">
          {kids.map((k) => (
            <Node
              key={`${k.kind}/${k.namespace ?? ''}/${k.name}`}
              node={k}
              depth={depth + 1}
              onSelect={onSelect}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

export function Inventory({ tree, onSelect }: { tree?: InventoryNode[]; onSelect(s: Selection): void }) {
  const t = useT();
  if (!tree?.length) return <p className="hint">{t('inventory.empty')}</p>;
  return (
    <ul className="tree" role="tree" data-testid="inventory">
      {tree.map((n) => (
        <Node key={`${n.kind}/${n.name}`} node={n} depth={0} onSelect={onSelect} />
      ))}
    </ul>
  );
}
