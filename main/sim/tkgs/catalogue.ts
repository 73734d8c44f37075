// The TanzuKubernetesRelease catalogue: the TKG Service makes a TKr of every node image in the
// Supervisor's Kubernetes service content library (VirtualMachineImages named `…-v1.21.6---vmware.1-…`),
// READY and COMPATIBLE as the Supervisor's vSphere version allows, and UPDATES AVAILABLE as the real
// service lists them: the newest patch of the next minor and, if newer, of the same minor.
import type { ApiClient } from '../../api/client';
import type { KubeObject } from '../../api/types';
import { keyFor, type Controller } from '../runtime/controllers';
import { GROUP } from '../vcenter/kinds';
import { hostSpec } from '../vcenter/model';
import type { World } from '../world';
import type { SupervisorSpec } from '../supervisor/admission';
import { SUPERVISOR_SPACE } from '../supervisor/controller';
import { VMOP_GROUP } from '../supervisor/kinds';
import { syncClusterCatalogue } from '../supervisor/namespaces';
import { conditionsOf, RUN_GROUP } from './kinds';

const CATALOGUE = keyFor(SUPERVISOR_SPACE, '', 'tkr-catalogue');

/** `v1.21.6---vmware.1-tkg.1.b3d708a` → `1.21.6+vmware.1-tkg.1.b3d708a`, as TKGS names and versions map. */
export const tkrVersion = (name: string): string => name.replace(/^v/, '').replace(/---/g, '+');
/** `v1.21.6+vmware.1-tkg.1.b3d708a` or `1.21.6+…` → `v1.21.6---vmware.1-tkg.1.b3d708a`. */
export const tkrName = (version: string): string => `v${version.replace(/^v/, '').replace(/\+/g, '---')}`;

/** The TKr a node image carries, from the image's name; undefined for an image that is not one. */
export function tkrOfImage(image: string): string | undefined {
  return /-(v\d+\.\d+\.\d+---[a-z0-9.-]+)$/.exec(image)?.[1];
}

/** Compares versions number by number (`1.21.6+vmware.1-tkg.1` < `1.21.6+vmware.2-tkg.1`). */
export function compareVersions(a: string, b: string): number {
  const na = a.match(/\d+/g)?.map(Number) ?? [];
  const nb = b.match(/\d+/g)?.map(Number) ?? [];
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export const minorOf = (version: string): number => Number(/^v?\d+\.(\d+)/.exec(version)?.[1] ?? 0);

/**
 * Whether a Supervisor of this vSphere version runs a Kubernetes minor: 7.0 Update 3 runs v1.20 to
 * v1.24; from v1.25 the releases need vSphere 8, which no longer runs the v1.20 line.
 */
export function compatible(minor: number, vsphere: string): boolean {
  const major = Number(vsphere.split('.')[0] ?? 0);
  if (major >= 8) return minor >= 21;
  return minor >= 20 && minor <= 24;
}

/** The lowest ESXi version among the Supervisor's hosts: what the Supervisor can run. */
export function supervisorVersion(w: World): string {
  return supervisorVersionIn(w.vc);
}

/** The same, from a client of the vCenter API space. */
export function supervisorVersionIn(vc: ApiClient): string {
  const sup = vc.list('supervisors').items[0];
  const cluster = (sup?.spec as SupervisorSpec | undefined)?.cluster;
  const versions = vc
    .list('hostsystems')
    .items.filter((h) => hostSpec(h).cluster === cluster)
    .map((h) => (h.spec as { version?: string }).version ?? '7.0.3');
  return versions.sort(compareVersions)[0] ?? '7.0.3';
}

export const isCompatible = (tkr: KubeObject): boolean =>
  conditionsOf(tkr).find((c) => c.type === 'Compatible')?.status === 'True';

/** The TKrs by name. */
export function releases(w: World): KubeObject[] {
  return w.k8s(SUPERVISOR_SPACE).list('tanzukubernetesreleases').items;
}

/**
 * The newest compatible TKr a v1alpha1 version hint (`v1.21`, `v1.21.6`, `v1.21.6+vmware.1-tkg.1.b3d708a`)
 * names, as the mutating webhook resolves it.
 */
export function resolveHint(w: World, hint: string): KubeObject | undefined {
  const want = hint.replace(/^v/, '');
  return releases(w)
    .filter((t) => {
      const v = (t.spec as { version?: string }).version ?? '';
      return isCompatible(t) && (v === want || v.startsWith(`${want}.`) || v.startsWith(`${want}+`));
    })
    .sort((a, b) =>
      compareVersions((b.spec as { version: string }).version, (a.spec as { version: string }).version),
    )[0];
}

/** Versions a TKr's clusters could move to: the newest patch of the next minor, then of its own if newer. */
export function updatesFor(version: string, all: { version: string; compatible: boolean }[]): string[] {
  const minor = minorOf(version);
  const newest = (m: number) =>
    all
      .filter((t) => t.compatible && minorOf(t.version) === m)
      .sort((a, b) => compareVersions(b.version, a.version))[0]?.version;
  const out: string[] = [];
  const next = newest(minor + 1);
  if (next) out.push(next);
  const same = newest(minor);
  if (same && compareVersions(same, version) > 0) out.push(same);
  return out;
}

export function tkrController(w: World): Controller {
  const k = w.k8s(SUPERVISOR_SPACE);
  return {
    name: 'tkr-catalogue',
    watches: [
      {
        group: VMOP_GROUP,
        kind: 'VirtualMachineImage',
        map: (_o, cluster) => (cluster === SUPERVISOR_SPACE ? [CATALOGUE] : []),
      },
      { group: GROUP, kind: 'Supervisor', map: () => [CATALOGUE] },
    ],
    reconcile() {
      if (!w.api.hasApiSpace(SUPERVISOR_SPACE)) return;
      const sup = w.vc.list('supervisors').items[0];
      if ((sup?.status as { configStatus?: string } | undefined)?.configStatus !== 'RUNNING') return;
      syncClusterCatalogue(w);
      const vsphere = supervisorVersion(w);
      const images = k.list('virtualmachineimages').items;
      const wanted = new Map<string, KubeObject>();
      for (const img of images) {
        const name = tkrOfImage(img.metadata.name!);
        if (name) wanted.set(name, img);
      }
      const all = [...wanted.keys()].map((name) => ({
        name,
        version: tkrVersion(name),
        compatible: compatible(minorOf(tkrVersion(name)), vsphere),
      }));
      const now = new Date(w.now()).toISOString().replace(/\.\d+Z$/, 'Z');
      for (const t of all) {
        const img = wanted.get(t.name)!;
        const ubuntu = img.metadata.name!.includes('ubuntu');
        const kube = t.version.replace(/-.*$/, '');
        const spec = {
          version: t.version,
          kubernetesVersion: `v${kube}`,
          repository: 'vmware',
          images: [
            { name: 'etcd', repository: 'vmware', tag: etcdTag(minorOf(t.version)) },
            { name: 'coredns', repository: 'vmware', tag: corednsTag(minorOf(t.version)) },
          ],
          nodeImageRef: {
            apiVersion: `${VMOP_GROUP}/v1alpha1`,
            kind: 'VirtualMachineImage',
            name: img.metadata.name,
            uid: img.metadata.uid,
          },
        };
        const labels = {
          'os-arch': 'amd64',
          'os-name': ubuntu ? 'ubuntu' : 'photon',
          'os-type': 'linux',
          'os-version': ubuntu ? '20.04' : '3.0',
          ...(t.compatible ? {} : { incompatible: '' }),
        };
        const updates = updatesFor(t.version, all);
        const cond = (type: string, ok: boolean, reason?: string, message?: string) => ({
          type,
          status: ok ? 'True' : 'False',
          ...(ok ? {} : { severity: type === 'UpdatesAvailable' ? 'Info' : 'Warning', reason }),
          ...(message !== undefined ? { message } : {}),
        });
        const conditions = [
          cond('Compatible', t.compatible, 'Incompatible', t.compatible ? undefined : 'incompatible'),
          cond('Ready', t.compatible, 'Incompatible', t.compatible ? undefined : 'incompatible'),
          updates.length
            ? cond('UpdatesAvailable', true, undefined, `[${updates.join(' ')}]`)
            : cond('UpdatesAvailable', false, 'NoUpdates', ''),
        ];
        let cur = k.tryGet('tanzukubernetesreleases', '', t.name);
        if (!cur)
          cur = k.create({
            apiVersion: `${RUN_GROUP}/v1alpha1`,
            kind: 'TanzuKubernetesRelease',
            metadata: {
              name: t.name,
              labels,
              ownerReferences: [
                {
                  apiVersion: `${VMOP_GROUP}/v1alpha1`,
                  kind: 'VirtualMachineImage',
                  name: img.metadata.name!,
                  uid: img.metadata.uid!,
                },
              ],
            },
            spec,
          });
        else if (
          JSON.stringify(cur.spec) !== JSON.stringify(spec) ||
          JSON.stringify(cur.metadata.labels) !== JSON.stringify(labels)
        )
          cur = k.update({ ...cur, metadata: { ...cur.metadata, labels }, spec });
        // transition times move only when a condition's status does
        const had = conditionsOf(cur);
        const stamped = conditions.map((c) => ({
          ...c,
          lastTransitionTime:
            had.find((h) => h.type === c.type && h.status === c.status)?.lastTransitionTime ?? now,
        }));
        if (JSON.stringify(had) !== JSON.stringify(stamped))
          k.updateStatus({ ...cur, status: { conditions: stamped } });
      }
      for (const t of k.list('tanzukubernetesreleases').items)
        if (!wanted.has(t.metadata.name!)) k.delete('tanzukubernetesreleases', '', t.metadata.name!);
    },
  };
}

/** The etcd and CoreDNS tags each Kubernetes minor shipped with. */
function etcdTag(minor: number): string {
  return minor <= 21 ? 'v3.4.13_vmware.15' : minor <= 23 ? 'v3.5.4_vmware.6' : 'v3.5.6_vmware.9';
}
function corednsTag(minor: number): string {
  return minor <= 21 ? 'v1.8.0_vmware.5' : minor <= 23 ? 'v1.8.6_vmware.7' : 'v1.9.3_vmware.8';
}
