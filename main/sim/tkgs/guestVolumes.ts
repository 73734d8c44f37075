// Persistent volumes in a guest cluster, through the paravirtual CSI driver (pvCSI): a guest claim of one
// of the guest's storage classes becomes a claim in the TKC's vSphere Namespace on the Supervisor (named
// `<guest cluster uid>-<claim uid>`, of the Supervisor storage class the guest class maps to), so it
// counts against the namespace's storage quota and CNS makes the volume; once that claim is bound, the
// guest gets a PersistentVolume for it and its claim binds. A Supervisor refusal (an exceeded quota)
// leaves the guest claim Pending with ProvisioningFailed, retried with back-off. Deleting the guest
// claim releases its volume, and with reclaimPolicy Delete the Supervisor claim goes too.
import { ApiError } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import { splitKey, type Controller } from '../runtime/controllers';
import type { World } from '../world';
import { recordEvent } from '../supervisor/services';
import { GUEST_CLUSTER, guestOrBackRef, guestSides } from './guestRefs';

const DRIVER = 'csi.vsphere.vmware.com';
const PROVISIONER = `${DRIVER}_pvcsi`;
const GUEST_CLAIM = 'run.tanzu.vmware.com/guest-claim';
const BOUND_BY = 'pv.kubernetes.io/bind-completed';

type ClaimSpec = {
  accessModes?: string[];
  resources?: { requests?: { storage?: string } };
  storageClassName?: string;
  volumeName?: string;
  volumeMode?: string;
};
const claimSpec = (o: KubeObject) => (o.spec ?? {}) as ClaimSpec;
const phaseOf = (o: KubeObject | undefined) => (o?.status as { phase?: string } | undefined)?.phase;

export function guestVolumeController(w: World): Controller {
  const failures = new Map<string, number>();
  return {
    name: 'guest-pvcsi',
    watches: [
      {
        group: '',
        kind: 'PersistentVolumeClaim',
        map: guestOrBackRef(w, GUEST_CLAIM),
      },
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      const sides = guestSides(w, cluster);
      if (!sides) return;
      const { tkc: t, g, k } = sides;
      const tkc = k.tryGet('tanzukubernetesclusters.run.tanzu.vmware.com', t.namespace, t.name);
      const claim = g.tryGet('persistentvolumeclaims', namespace, name);
      if (!claim || claim.metadata.deletionTimestamp) {
        failures.delete(key);
        // released: the guest volume and, as its policy says, the Supervisor claim behind it
        for (const pv of g.list('persistentvolumes').items) {
          const ref = (pv.spec as { claimRef?: { namespace?: string; name?: string } }).claimRef;
          if (ref?.namespace !== namespace || ref?.name !== name) continue;
          if (
            claim &&
            pv.metadata.uid &&
            (pv.spec as { claimRef?: { uid?: string } }).claimRef?.uid !== claim.metadata.uid
          )
            continue;
          const handle = (pv.spec as { csi?: { volumeHandle?: string } }).csi?.volumeHandle;
          if (
            (pv.spec as { persistentVolumeReclaimPolicy?: string }).persistentVolumeReclaimPolicy !== 'Retain'
          ) {
            if (handle && k.tryGet('persistentvolumeclaims', t.namespace, handle))
              k.delete('persistentvolumeclaims', t.namespace, handle);
            g.delete('persistentvolumes', '', pv.metadata.name!);
          }
        }
        return;
      }
      if (phaseOf(claim) === 'Bound' || !tkc) return;
      const className = claimSpec(claim).storageClassName ?? defaultClass(w, cluster);
      const sc = className ? g.tryGet('storageclasses', '', className) : undefined;
      if (!sc || (sc as { provisioner?: string }).provisioner !== DRIVER) return;
      const svClass =
        (sc as { parameters?: Record<string, string> }).parameters?.svStorageClass ?? className!;
      const supName = `${tkc.metadata.uid}-${claim.metadata.uid}`;
      let sup = k.tryGet('persistentvolumeclaims', t.namespace, supName);
      if (!sup) {
        if (!claim.metadata.annotations?.['volume.beta.kubernetes.io/storage-provisioner'])
          g.update({
            ...claim,
            metadata: {
              ...claim.metadata,
              annotations: {
                ...claim.metadata.annotations,
                'volume.beta.kubernetes.io/storage-provisioner': DRIVER,
                'volume.kubernetes.io/storage-provisioner': DRIVER,
              },
            },
          });
        recordEvent(
          w,
          g,
          cluster,
          claim,
          'Normal',
          'Provisioning',
          `External provisioner is provisioning volume for claim "${namespace}/${name}"`,
          `${PROVISIONER}`,
        );
        try {
          sup = k.create({
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: {
              name: supName,
              namespace: t.namespace,
              labels: { 'run.tanzu.vmware.com/cluster': t.name },
              annotations: { [GUEST_CLAIM]: `${namespace}/${name}`, [GUEST_CLUSTER]: cluster },
              ownerReferences: [
                {
                  apiVersion: tkc.apiVersion,
                  kind: tkc.kind,
                  name: tkc.metadata.name!,
                  uid: tkc.metadata.uid!,
                },
              ],
            },
            spec: {
              accessModes: claimSpec(claim).accessModes ?? ['ReadWriteOnce'],
              resources: { requests: { storage: claimSpec(claim).resources?.requests?.storage ?? '1Gi' } },
              storageClassName: svClass,
              volumeMode: claimSpec(claim).volumeMode ?? 'Filesystem',
            },
          });
          failures.delete(key);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          const n = (failures.get(key) ?? 0) + 1;
          failures.set(key, n);
          recordEvent(
            w,
            g,
            cluster,
            claim,
            'Warning',
            'ProvisioningFailed',
            `failed to provision volume with StorageClass "${className}": rpc error: code = Internal desc = Failed to create volume on namespace: ${t.namespace} in supervisor cluster. Error: ${e.status.message}`,
            PROVISIONER,
          );
          return { requeueAfterMs: Math.min(5_000 * 2 ** (n - 1), 300_000) };
        }
      }
      if (phaseOf(sup) !== 'Bound') return;
      const pvName = `pvc-${claim.metadata.uid}`;
      const capacity =
        (sup.status as { capacity?: { storage?: string } } | undefined)?.capacity?.storage ??
        claimSpec(claim).resources?.requests?.storage ??
        '1Gi';
      if (!g.tryGet('persistentvolumes', '', pvName)) {
        g.create({
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: {
            name: pvName,
            annotations: { 'pv.kubernetes.io/provisioned-by': DRIVER },
          },
          spec: {
            accessModes: claimSpec(claim).accessModes ?? ['ReadWriteOnce'],
            capacity: { storage: capacity },
            claimRef: {
              apiVersion: 'v1',
              kind: 'PersistentVolumeClaim',
              namespace,
              name,
              uid: claim.metadata.uid,
              resourceVersion: claim.metadata.resourceVersion,
            },
            csi: { driver: DRIVER, fsType: 'ext4', volumeHandle: supName },
            persistentVolumeReclaimPolicy:
              (sc as { reclaimPolicy?: string }).reclaimPolicy === 'Retain' ? 'Retain' : 'Delete',
            storageClassName: className,
            volumeMode: claimSpec(claim).volumeMode ?? 'Filesystem',
          },
        });
        recordEvent(
          w,
          g,
          cluster,
          claim,
          'Normal',
          'ProvisioningSucceeded',
          `Successfully provisioned volume ${pvName}`,
          PROVISIONER,
        );
      }
      const pv = g.get('persistentvolumes', '', pvName);
      if (phaseOf(pv) !== 'Bound') g.updateStatus({ ...pv, status: { phase: 'Bound' } });
      const fresh = g.get('persistentvolumeclaims', namespace, name);
      const bound = g.update({
        ...fresh,
        metadata: { ...fresh.metadata, annotations: { ...fresh.metadata.annotations, [BOUND_BY]: 'yes' } },
        spec: { ...(fresh.spec as object), volumeName: pvName, storageClassName: className },
      });
      g.updateStatus({
        ...bound,
        status: {
          phase: 'Bound',
          accessModes: claimSpec(claim).accessModes ?? ['ReadWriteOnce'],
          capacity: { storage: capacity },
        },
      });
      return undefined;
    },
  };
}

/** The guest's default storage class, as the DefaultStorageClass admission would have set it. */
function defaultClass(w: World, space: string): string | undefined {
  return w
    .k8s(space)
    .list('storageclasses')
    .items.find((s) => s.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true')
    ?.metadata.name;
}
