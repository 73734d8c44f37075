// Cloud Native Storage: the vSphere CSI driver's side of a Supervisor's persistent volumes. A claim's
// StorageClass names a storage policy (parameters.storagePolicyID); CNS creates a block volume (a
// first-class disk) on the policy's compatible datastore with the most free space, and the
// external-provisioner writes the PersistentVolume `pvc-<claim uid>` for it. vCenter shows each volume as
// a CnsVolume (the vSphere Client's Cloud Native Storage > Container Volumes), and a datastore's
// status.freeGB is its capacity less the CNS volumes on it.
import { parseQuantity, quantityString, quantityValue } from '../../api/quantity';
import type { KindDefinition, PrinterColumn } from '../../api/registry';
import { age } from '../../api/printers/duration';
import { enumOf, int, obj, str } from '../../api/schema';
import type { KubeObject } from '../../api/types';
import { keyFor, splitKey, type Controller } from '../runtime/controllers';
import { GROUP, VCENTER } from '../vcenter/kinds';
import type { World } from '../world';
import { SUPERVISOR_SPACE } from './controller';
import { storageClassName } from './namespaces';
import { labSupervisor } from './services';

export const CSI_DRIVER = 'csi.vsphere.vmware.com';
const MIB = 1024 * 1024;

export interface CnsVolumeSpec {
  /** the PersistentVolume the volume backs */
  volumeName: string;
  type: 'BLOCK' | 'FILE';
  datastore: string;
  storagePolicy: string;
  capacityMB: number;
  /** the vSphere cluster of the Supervisor whose claim made it */
  cluster?: string;
  namespace: string;
  claim: string;
}

const cnsSpec = (o: KubeObject) => o.spec as CnsVolumeSpec;
const col = (name: string, value: (s: CnsVolumeSpec) => string | number, priority = 0): PrinterColumn => ({
  name,
  type: 'string',
  priority,
  value: (o) => String(value(cnsSpec(o)) ?? ''),
});

/** A CNS volume as vCenter lists it; named by its volume ID, the PersistentVolume's volumeHandle. */
export const cnsVolumeKind: KindDefinition = {
  group: GROUP,
  version: 'v1',
  kind: 'CnsVolume',
  plural: 'cnsvolumes',
  singular: 'cnsvolume',
  namespaced: false,
  nameFormat: 'subdomain',
  flavors: [VCENTER],
  generation: false,
  description: 'A container volume Cloud Native Storage keeps for a Kubernetes PersistentVolume.',
  schema: obj({
    spec: obj({
      volumeName: str('the PersistentVolume backed by this volume'),
      type: enumOf(['BLOCK', 'FILE']),
      datastore: str(),
      storagePolicy: str(),
      capacityMB: int(),
      cluster: str(),
      namespace: str('the vSphere Namespace of the claim'),
      claim: str('the PersistentVolumeClaim'),
    }),
  }),
  columns: [
    col('Volume-Name', (s) => s.volumeName),
    col('Datastore', (s) => s.datastore),
    col('Storage-Policy', (s) => s.storagePolicy),
    col('Capacity-MB', (s) => s.capacityMB),
    col('Namespace', (s) => s.namespace),
    col('PVC', (s) => s.claim),
    { name: 'Age', type: 'string', value: (o, c) => age(o.metadata.creationTimestamp, c.now) },
  ],
};

/** FNV-1a with a seed: 32 stable bits of a text. */
function fnv(text: string, seed: number): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}
const hex = (text: string, n: number) =>
  Array.from({ length: Math.ceil(n / 8) }, (_, i) =>
    fnv(text, i * 0x9e3779b9)
      .toString(16)
      .padStart(8, '0'),
  )
    .join('')
    .slice(0, n);

/** A stable UUID-shaped identifier from a text: CNS volume IDs, the provisioner's instance. */
export function stableUuid(text: string): string {
  const h = hex(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The external-provisioner's event source, `<driver>_<host>_<uuid>`: the CSI controller pod of the
 * Supervisor's vmware-system-csi namespace.
 */
export function provisionerComponent(w: World): string {
  const seed = labSupervisor(w)?.metadata.uid ?? 'supervisor';
  const pod = `vsphere-csi-controller-${hex(`${seed}/rs`, 10)}-${hex(`${seed}/pod`, 5)}`;
  return `${CSI_DRIVER}_${pod}_${stableUuid(`${seed}/provisioner`)}`;
}

/** MiB used on each datastore by CNS volumes. */
function usedMiB(w: World): Map<string, number> {
  const used = new Map<string, number>();
  for (const v of w.vc.list('cnsvolumes').items) {
    const s = cnsSpec(v);
    used.set(s.datastore, (used.get(s.datastore) ?? 0) + (s.capacityMB ?? 0));
  }
  return used;
}

const capacityGB = (ds: KubeObject) => (ds.spec as { capacityGB?: number }).capacityGB ?? 0;

/** The storage policy a StorageClass names: by its storagePolicyID, or by name. */
function policyOf(w: World, sc: KubeObject): KubeObject | undefined {
  const params = ((sc as unknown as { parameters?: Record<string, string> }).parameters ?? {}) as Record<
    string,
    string
  >;
  const id = params.storagePolicyID ?? params.storagepolicyid;
  const named = params.storagePolicyName ?? params.storagepolicyname ?? id;
  const all = w.vc.list('storagepolicies').items;
  return (
    (id && all.find((p) => p.metadata.uid === id)) ||
    (named && all.find((p) => p.metadata.name === named)) ||
    all.find((p) => storageClassName(p.metadata.name!) === sc.metadata.name)
  );
}

export type Provisioned = { volume: KubeObject; pv: KubeObject } | { error: string };

/** CreateVolume for a claim, then the PersistentVolume the external-provisioner writes for it. */
export function provisionVolume(w: World, claim: KubeObject, sc: KubeObject): Provisioned {
  const cs = claim.spec as {
    accessModes?: string[];
    resources?: { requests?: { storage?: unknown } };
    volumeMode?: string;
  };
  const rpc = (code: string, desc: string) => ({ error: `rpc error: code = ${code} desc = ${desc}` });
  if ((cs.accessModes ?? []).some((m) => m !== 'ReadWriteOnce'))
    return rpc(
      'InvalidArgument',
      'file volumes (ReadWriteMany, ReadOnlyMany) need vSAN File Services, which are not enabled for this Supervisor; use ReadWriteOnce',
    );
  const policy = policyOf(w, sc);
  if (!policy)
    return rpc(
      'InvalidArgument',
      `failed to create volume. Error: storage policy of StorageClass "${sc.metadata.name}" not found in vCenter`,
    );
  const bytes = quantityValue(
    parseQuantity(cs.resources?.requests?.storage) ?? { value: 0n, scale: 0, format: 'DecimalSI' },
  );
  const mib = Math.max(1, Math.ceil(bytes / MIB));
  const used = usedMiB(w);
  const candidates = ((policy.spec as { datastores?: string[] }).datastores ?? [])
    .map((n) => w.vc.tryGet('datastores', '', n))
    .filter((d): d is KubeObject => Boolean(d))
    .map((d) => ({ name: d.metadata.name!, free: capacityGB(d) * 1024 - (used.get(d.metadata.name!) ?? 0) }))
    .sort((a, b) => b.free - a.free || (a.name < b.name ? -1 : 1));
  const best = candidates[0];
  if (!best)
    return rpc(
      'Internal',
      `failed to create volume. Error: no compatible datastores found for storage policy "${policy.metadata.name}"`,
    );
  if (best.free < mib)
    return rpc(
      'Internal',
      `failed to create volume. Error: failed to create volume with fault: "(vim.fault.NoDiskSpace) Insufficient disk space on datastore '${best.name}': ${mib} MB requested, ${Math.max(0, best.free)} MB free"`,
    );
  const uid = claim.metadata.uid!;
  const pvName = `pvc-${uid}`;
  const volumeId = stableUuid(`cns/${uid}`);
  const sup = labSupervisor(w);
  const volumeSpec: CnsVolumeSpec = {
    volumeName: pvName,
    type: 'BLOCK',
    datastore: best.name,
    storagePolicy: policy.metadata.name!,
    capacityMB: mib,
    ...(sup ? { cluster: (sup.spec as { cluster?: string }).cluster } : {}),
    namespace: claim.metadata.namespace ?? '',
    claim: claim.metadata.name ?? '',
  };
  const volume =
    w.vc.tryGet('cnsvolumes', '', volumeId) ??
    w.vc.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'CnsVolume',
      metadata: { name: volumeId },
      spec: volumeSpec,
    });
  const k = w.k8s(SUPERVISOR_SPACE);
  const identity = `${Date.parse(sup?.metadata.creationTimestamp ?? '') || 0}-${fnv(provisionerComponent(w), 7) % 10000}-${CSI_DRIVER}`;
  const pv =
    k.tryGet('persistentvolumes', '', pvName) ??
    k.create({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': CSI_DRIVER } },
      spec: {
        accessModes: [...(cs.accessModes ?? [])],
        capacity: {
          storage: quantityString({ value: BigInt(mib) * BigInt(MIB), scale: 0, format: 'BinarySI' }),
        },
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          namespace: claim.metadata.namespace,
          name: claim.metadata.name,
          uid,
          resourceVersion: claim.metadata.resourceVersion,
        },
        csi: {
          driver: CSI_DRIVER,
          fsType: 'ext4',
          volumeAttributes: {
            'storage.kubernetes.io/csiProvisionerIdentity': identity,
            type: 'vSphere CNS Block Volume',
          },
          volumeHandle: volumeId,
        },
        persistentVolumeReclaimPolicy:
          (sc as unknown as { reclaimPolicy?: string }).reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata.name,
        volumeMode: cs.volumeMode ?? 'Filesystem',
      },
    });
  return { volume, pv };
}

/** DeleteVolume: the CNS volume goes, and its space with it. */
export function deleteCnsVolume(w: World, volumeId: string): void {
  if (w.vc.tryGet('cnsvolumes', '', volumeId)) w.vc.delete('cnsvolumes', '', volumeId);
}

/** Keeps every datastore's status.freeGB: its capacity less the CNS volumes on it. */
export function datastoreSpaceController(w: World): Controller {
  return {
    name: 'datastore-space',
    watches: [
      { group: GROUP, kind: 'Datastore' },
      {
        group: GROUP,
        kind: 'CnsVolume',
        map: (o) => [keyFor(VCENTER, '', cnsSpec(o).datastore ?? '')],
      },
    ],
    reconcile(key) {
      const { cluster, name } = splitKey(key);
      if (cluster !== VCENTER) return;
      const ds = w.vc.tryGet('datastores', '', name);
      if (!ds) return;
      const used = usedMiB(w).get(name) ?? 0;
      const free = capacityGB(ds) - Math.ceil(used / 1024);
      const st = (ds.status ?? {}) as { freeGB?: number };
      if ((st.freeGB ?? capacityGB(ds)) !== free)
        w.vc.updateStatus({ ...ds, status: { ...st, freeGB: free } });
    },
  };
}
