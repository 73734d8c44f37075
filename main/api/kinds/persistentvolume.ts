// core/v1 PersistentVolume: a piece of storage in the cluster, provisioned by an administrator or
// dynamically through a StorageClass (on a Supervisor, a CNS volume made by the vSphere CSI driver).
// Columns are those a 1.21 API server sends.
import { KUBERNETES } from './flavors';
import type { KindDefinition } from '../registry';
import { age } from '../printers/duration';
import { parseQuantity, quantityString } from '../quantity';
import { arr, bool, enumOf, mapOf, obj, quantity, str, stringMap } from '../schema';
import type { KubeObject, StatusCause } from '../types';

export type PersistentVolumeSpec = {
  capacity?: Record<string, unknown>;
  accessModes?: string[];
  claimRef?: { apiVersion?: string; kind?: string; namespace?: string; name?: string; uid?: string };
  persistentVolumeReclaimPolicy?: string;
  storageClassName?: string;
  volumeMode?: string;
  csi?: {
    driver?: string;
    volumeHandle?: string;
    fsType?: string;
    volumeAttributes?: Record<string, string>;
  };
  hostPath?: { path?: string };
  nfs?: { server?: string; path?: string };
  local?: { path?: string };
};
export const pvSpec = (o: KubeObject) => (o.spec ?? {}) as PersistentVolumeSpec;

const ACCESS_MODES: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
];

/** `RWO,RWX` as kubectl and the server's printer abbreviate access modes, in their fixed order. */
export const accessModesText = (modes: readonly string[] | undefined): string =>
  ACCESS_MODES.filter(([m]) => (modes ?? []).includes(m))
    .map(([, short]) => short)
    .join(',');

/** The volume sources a PersistentVolume may have; exactly one is required. */
const SOURCES = ['csi', 'hostPath', 'nfs', 'local'] as const;

const objectReference = obj(
  {
    apiVersion: str('API version of the referent.'),
    kind: str('Kind of the referent.'),
    namespace: str('Namespace of the referent.'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
    resourceVersion: str('Specific resourceVersion to which this reference is made, if any.'),
    fieldPath: str(),
  },
  'ClaimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
);

export const persistentVolumeKind: KindDefinition = {
  flavors: KUBERNETES,
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  shortNames: ['pv'],
  namespaced: false,
  statusSubresource: true,
  generation: false,
  description:
    'PersistentVolume (PV) is a storage resource provisioned by an administrator. It is analogous to a node.',
  schema: obj({
    spec: obj(
      {
        capacity: mapOf(
          quantity(),
          "capacity is the description of the persistent volume's resources and capacity.",
        ),
        accessModes: arr(str(), 'accessModes contains all ways the volume can be mounted.'),
        claimRef: objectReference,
        persistentVolumeReclaimPolicy: enumOf(
          ['Delete', 'Recycle', 'Retain'],
          'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
        ),
        storageClassName: str(
          'storageClassName is the name of StorageClass to which this persistent volume belongs.',
        ),
        mountOptions: arr(str(), 'mountOptions is the list of mount options.'),
        volumeMode: enumOf(
          ['Filesystem', 'Block'],
          'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.',
        ),
        nodeAffinity: obj({ required: obj({}, undefined, { 'x-kubernetes-preserve-unknown-fields': true }) }),
        csi: obj(
          {
            driver: str('driver is the name of the driver to use for this volume.'),
            volumeHandle: str(
              'volumeHandle is the unique volume name returned by the CSI volume plugin’s CreateVolume.',
            ),
            readOnly: bool(),
            fsType: str('fsType to mount.'),
            volumeAttributes: stringMap('volumeAttributes of the volume to publish.'),
          },
          'csi represents storage that is handled by an external CSI driver.',
          { required: ['driver', 'volumeHandle'] },
        ),
        hostPath: obj({ path: str(), type: str() }, 'hostPath represents a directory on the host.', {
          required: ['path'],
        }),
        nfs: obj(
          { server: str(), path: str(), readOnly: bool() },
          'nfs represents an NFS mount on the host.',
          {
            required: ['server', 'path'],
          },
        ),
        local: obj(
          { path: str(), fsType: str() },
          'local represents directly-attached storage with node affinity.',
          {
            required: ['path'],
          },
        ),
      },
      'spec defines a specification of a persistent volume owned by the cluster.',
    ),
    status: obj(
      {
        phase: enumOf(
          ['Pending', 'Available', 'Bound', 'Released', 'Failed'],
          'phase indicates if a volume is available, bound to a claim, or released by a claim.',
        ),
        message: str(
          'message is a human-readable message indicating details about why the volume is in this state.',
        ),
        reason: str(
          'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
        ),
      },
      'status represents the current information/status for the persistent volume.',
    ),
  }),
  columns: [
    {
      name: 'Capacity',
      type: 'string',
      description: "capacity is the description of the persistent volume's resources and capacity.",
      value: (o) => {
        const q = parseQuantity(pvSpec(o).capacity?.storage);
        return q ? quantityString(q) : '0';
      },
    },
    {
      name: 'Access Modes',
      type: 'string',
      description: 'accessModes contains all ways the volume can be mounted.',
      value: (o) => accessModesText(pvSpec(o).accessModes),
    },
    {
      name: 'Reclaim Policy',
      type: 'string',
      description:
        'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
      value: (o) => pvSpec(o).persistentVolumeReclaimPolicy ?? '',
    },
    {
      name: 'Status',
      type: 'string',
      description: 'phase indicates if a volume is available, bound to a claim, or released by a claim.',
      value: (o) =>
        o.metadata.deletionTimestamp
          ? 'Terminating'
          : ((o.status as { phase?: string } | undefined)?.phase ?? ''),
    },
    {
      name: 'Claim',
      type: 'string',
      description:
        'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
      value: (o) => {
        const ref = pvSpec(o).claimRef;
        return ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '';
      },
    },
    {
      name: 'StorageClass',
      type: 'string',
      description: 'StorageClass of the pv',
      value: (o) =>
        o.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ??
        pvSpec(o).storageClassName ??
        '',
    },
    {
      name: 'Reason',
      type: 'string',
      description: 'reason is a brief CamelCase string that describes any failure.',
      value: (o) => (o.status as { reason?: string } | undefined)?.reason ?? '',
    },
    {
      name: 'Age',
      type: 'string',
      description:
        'CreationTimestamp is a timestamp representing the server time when this object was created.',
      value: (o, c) => age(o.metadata.creationTimestamp, c.now),
    },
    {
      name: 'VolumeMode',
      type: 'string',
      priority: 1,
      description: 'volumeMode defines if a volume is intended to be used with a formatted filesystem.',
      value: (o) => pvSpec(o).volumeMode ?? '<unset>',
    },
  ],
  defaults(pv) {
    const s = (pv.spec ??= {}) as PersistentVolumeSpec;
    s.persistentVolumeReclaimPolicy ??= 'Retain';
    s.volumeMode ??= 'Filesystem';
  },
  initialStatus: () => ({ phase: 'Pending' }),
  validate(pv, { old }) {
    const s = pvSpec(pv);
    const causes: StatusCause[] = [];
    if (!(s.accessModes ?? []).length)
      causes.push({ field: 'spec.accessModes', reason: 'FieldValueRequired', message: 'Required value' });
    for (const m of s.accessModes ?? [])
      if (!ACCESS_MODES.some(([n]) => n === m))
        causes.push({
          field: 'spec.accessModes',
          reason: 'FieldValueNotSupported',
          message: `Unsupported value: "${m}": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce"`,
        });
    if (s.capacity?.storage === undefined)
      causes.push({ field: 'spec.capacity', reason: 'FieldValueRequired', message: 'Required value' });
    const sources = SOURCES.filter((k) => s[k] !== undefined);
    if (sources.length === 0)
      causes.push({
        field: 'spec',
        reason: 'FieldValueRequired',
        message: 'Required value: must specify a volume type',
      });
    for (const extra of sources.slice(1))
      causes.push({
        field: `spec.${extra}`,
        reason: 'FieldValueForbidden',
        message: 'Forbidden: may not specify more than 1 volume type',
      });
    if (old) {
      const source = (o: KubeObject) => JSON.stringify(SOURCES.map((k) => pvSpec(o)[k]));
      if (source(pv) !== source(old))
        causes.push({
          field: 'spec.persistentvolumesource',
          reason: 'FieldValueForbidden',
          message: 'Forbidden: spec.persistentvolumesource is immutable after creation',
        });
    }
    return causes;
  },
};
