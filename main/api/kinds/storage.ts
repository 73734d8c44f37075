// storage.k8s.io/v1 StorageClass: on a Supervisor one per storage policy assigned to a namespace (made by
// the namespace controller), in a guest cluster one per policy the namespace offers it.
import { KUBERNETES } from './flavors';
import type { KindDefinition } from '../registry';
import { age } from '../printers/duration';
import { arr, bool, enumOf, obj, str, stringMap } from '../schema';
import type { KubeObject } from '../types';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

const field = (o: KubeObject, key: string): unknown => (o as unknown as Record<string, unknown>)[key];

export const storageClassKind: KindDefinition = {
  flavors: KUBERNETES,
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  shortNames: ['sc'],
  namespaced: false,
  generation: false,
  description:
    'StorageClass describes the parameters for a class of storage for which PersistentVolumes can be dynamically provisioned.',
  schema: obj({
    provisioner: str('provisioner indicates the type of the provisioner.'),
    parameters: stringMap(
      'parameters holds the parameters for the provisioner that should create volumes of this storage class.',
    ),
    reclaimPolicy: enumOf(
      ['Delete', 'Retain'],
      'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.',
    ),
    mountOptions: arr(str()),
    allowVolumeExpansion: bool('allowVolumeExpansion shows whether the storage class allow volume expand.'),
    volumeBindingMode: enumOf(
      ['Immediate', 'WaitForFirstConsumer'],
      'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.',
    ),
    allowedTopologies: arr(obj({})),
  }),
  // the server marks the default class in the name cell, as kube-apiserver's printer does
  nameCell: (o) =>
    o.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true' ||
    o.metadata.annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true'
      ? `${o.metadata.name} (default)`
      : (o.metadata.name ?? ''),
  columns: [
    { name: 'Provisioner', type: 'string', value: (o) => String(field(o, 'provisioner') ?? '') },
    { name: 'ReclaimPolicy', type: 'string', value: (o) => String(field(o, 'reclaimPolicy') ?? 'Delete') },
    {
      name: 'VolumeBindingMode',
      type: 'string',
      value: (o) => String(field(o, 'volumeBindingMode') ?? 'Immediate'),
    },
    {
      name: 'AllowVolumeExpansion',
      type: 'string',
      value: (o) => String(field(o, 'allowVolumeExpansion') === true),
    },
    { name: 'Age', type: 'string', value: (o, c) => age(o.metadata.creationTimestamp, c.now) },
  ],
  defaults(sc) {
    const o = sc as unknown as Record<string, unknown>;
    o.reclaimPolicy ??= 'Delete';
    o.volumeBindingMode ??= 'Immediate';
  },
};
