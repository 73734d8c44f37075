// The embedded Harbor's projects: one per vSphere Namespace of the Supervisor, named after it, created
// once Harbor runs (or the namespace is made) and deleted, with its images, when the namespace goes. Its
// members follow the namespace's permissions (owner → master, edit → developer, view → guest).
import type { KubeObject, OwnerReference } from '../../api/types';
import { GROUP } from '../vcenter/kinds';
import type { World } from '../world';
import { membersFor, projectSpec, projectStatus, registrySpec } from './harbor';
import type { NamespaceSpec, NamespaceStatus } from './namespaces';

/** Images take room once per digest, as Harbor stores each blob once. */
export function storageUsed(w: World, registry: string): number {
  const blobs = new Map<string, number>();
  for (const p of w.vc.list('harborprojects').items)
    if (projectSpec(p).registry === registry)
      for (const r of projectSpec(p).repositories ?? [])
        for (const t of r.tags) blobs.set(t.digest, t.sizeMB);
  return [...blobs.values()].reduce((a, b) => a + b, 0);
}

/** A project per running vSphere Namespace of the registry's cluster; a namespace gone takes its project. */
export function syncProjects(w: World, reg: KubeObject, owner: OwnerReference): void {
  const registry = reg.metadata.name!;
  const live = new Map(
    w.vc
      .list('vspherenamespaces')
      .items.filter(
        (n) =>
          !n.metadata.deletionTimestamp &&
          (n.spec as NamespaceSpec).cluster === registrySpec(reg).cluster &&
          (n.status as NamespaceStatus | undefined)?.configStatus === 'RUNNING',
      )
      .map((n) => [n.metadata.name!, n]),
  );
  for (const p of w.vc.list('harborprojects').items) {
    if (projectSpec(p).registry !== registry || p.metadata.deletionTimestamp) continue;
    if (live.has(p.metadata.name!)) continue;
    // the namespace is gone (or going): so is its project, with its images
    const ns = w.vc.tryGet('vspherenamespaces', '', p.metadata.name!);
    if (ns && !ns.metadata.deletionTimestamp) continue;
    w.vc.delete('harborprojects', '', p.metadata.name!);
    w.recorder.event(
      w.vc,
      reg,
      'Normal',
      'ProjectDeleted',
      `Harbor project ${p.metadata.name} deleted with its vSphere Namespace`,
      'wcp',
    );
  }
  for (const [name, ns] of live) {
    let p = w.vc.tryGet('harborprojects', '', name);
    if (p?.metadata.deletionTimestamp) continue;
    if (!p) {
      p = w.vc.create({
        apiVersion: `${GROUP}/v1`,
        kind: 'HarborProject',
        metadata: { name, ownerReferences: [owner] },
        spec: { registry, namespace: name, repositories: [] },
      });
      w.recorder.event(
        w.vc,
        reg,
        'Normal',
        'ProjectCreated',
        `Harbor project ${name} created for vSphere Namespace ${name}`,
        'wcp',
      );
    }
    const members = membersFor(ns);
    if (JSON.stringify(projectStatus(p).members ?? []) !== JSON.stringify(members))
      w.vc.updateStatus({ ...p, status: { members } });
  }
}
