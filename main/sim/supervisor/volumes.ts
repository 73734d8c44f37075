// Persistent volumes on the Supervisor, as kube-controller-manager's persistent volume controller, the
// CSI external-provisioner and the storage protection controllers keep them:
//   - a claim binds to an available PersistentVolume that fits (or the one it names), or is provisioned
//     through its StorageClass: the PV controller notes the provisioner on the claim and waits
//     (ExternalProvisioning); for csi.vsphere.vmware.com the external-provisioner has CNS create the volume
//     (Provisioning, then ProvisioningSucceeded or ProvisioningFailed with back-off), writes the PV
//     `pvc-<claim uid>` bound to the claim, and the PV controller binds both ways;
//   - a claim whose class does not exist stays Pending with the PV controller's ProvisioningFailed event;
//     one without a class waits for a matching PV (FailedBinding), both every resync;
//   - a released volume is deleted with its CNS volume (reclaimPolicy Delete) or kept (Retain);
//   - the kubernetes.io/pvc-protection and kubernetes.io/pv-protection finalizers hold a claim a scheduled
//     pod uses, and a bound volume, until they are free.
import type { AdmissionPlugin } from '../../api/admission';
import { cmpQuantity, parseQuantity } from '../../api/quantity';
import { fromSelectorObject, matchesLabels, type LabelSelectorObject } from '../../api/selectors';
import type { KubeObject } from '../../api/types';
import { pvSpec } from '../../api/kinds/persistentvolume';
import { lifecycle } from '../lifecycle';
import { keyFor, splitKey, type Controller, type ControllerRuntime } from '../runtime/controllers';
import type { World } from '../world';
import {
  CSI_DRIVER,
  datastoreSpaceController,
  deleteCnsVolume,
  provisionerComponent,
  provisionVolume,
} from './cns';
import { SUPERVISOR_SPACE } from './controller';
import { recordEvent, withoutFinalizer } from './services';

const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
const PV_PROTECTION = 'kubernetes.io/pv-protection';
const PV_CONTROLLER = 'persistentvolume-controller';
const BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
const BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
const STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';

type ClaimSpec = {
  accessModes?: string[];
  resources?: { requests?: { storage?: unknown } };
  volumeName?: string;
  storageClassName?: string;
  volumeMode?: string;
  selector?: LabelSelectorObject;
};
const claimSpec = (o: KubeObject) => (o.spec ?? {}) as ClaimSpec;
const phaseOf = (o: KubeObject) => (o.status as { phase?: string } | undefined)?.phase;
const claimClass = (o: KubeObject) =>
  o.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? claimSpec(o).storageClassName ?? '';
const volumeClass = (o: KubeObject) =>
  o.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pvSpec(o).storageClassName ?? '';
const claimKey = (ns: string | undefined, name: string | undefined) =>
  keyFor(SUPERVISOR_SPACE, ns, name ?? '');

/** StorageObjectInUseProtection: new claims and volumes get their protection finalizer. */
export function storageProtectionAdmission(): AdmissionPlugin {
  return {
    name: 'StorageObjectInUseProtection',
    mutate(a) {
      if (a.operation !== 'CREATE' || !a.object || a.cluster !== SUPERVISOR_SPACE || a.kind.group !== '')
        return;
      const finalizer =
        a.kind.kind === 'PersistentVolumeClaim'
          ? PVC_PROTECTION
          : a.kind.kind === 'PersistentVolume'
            ? PV_PROTECTION
            : '';
      if (!finalizer) return;
      const m = a.object.metadata;
      if (!(m.finalizers ?? []).includes(finalizer)) m.finalizers = [...(m.finalizers ?? []), finalizer];
    },
  };
}

/** Pods scheduled to a node that mount a claim keep it (the PVC protection controller's test). */
function claimInUse(w: World, claim: KubeObject): boolean {
  return w
    .k8s(SUPERVISOR_SPACE)
    .list('pods', { namespace: claim.metadata.namespace })
    .items.some(
      (p) =>
        Boolean((p.spec as { nodeName?: string }).nodeName) && podClaims(p).includes(claim.metadata.name!),
    );
}

const podClaims = (p: KubeObject): string[] =>
  ((p.spec as { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] }).volumes ?? [])
    .map((v) => v.persistentVolumeClaim?.claimName)
    .filter((n): n is string => Boolean(n));

/** A volume fits a claim: same class and mode, every access mode, enough capacity, the selector. */
function fits(pv: KubeObject, claim: KubeObject): boolean {
  const c = claimSpec(claim);
  const v = pvSpec(pv);
  const want = parseQuantity(c.resources?.requests?.storage);
  const have = parseQuantity(v.capacity?.storage);
  if (!want || !have || cmpQuantity(have, want) < 0) return false;
  if (volumeClass(pv) !== claimClass(claim)) return false;
  if ((v.volumeMode ?? 'Filesystem') !== (c.volumeMode ?? 'Filesystem')) return false;
  if (!(c.accessModes ?? []).every((m) => (v.accessModes ?? []).includes(m))) return false;
  const sel = fromSelectorObject(c.selector);
  return !c.selector || matchesLabels(sel, pv.metadata.labels);
}

/** The smallest available volume that fits, or one pre-bound to this claim (findBestMatchForClaim). */
function bestMatch(w: World, claim: KubeObject): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const pv of w.k8s(SUPERVISOR_SPACE).list('persistentvolumes').items) {
    if (pv.metadata.deletionTimestamp) continue;
    const ref = pvSpec(pv).claimRef;
    if (ref) {
      const mine =
        ref.namespace === claim.metadata.namespace &&
        ref.name === claim.metadata.name &&
        (!ref.uid || ref.uid === claim.metadata.uid);
      if (mine && fits(pv, claim)) return pv;
      continue;
    }
    if (phaseOf(pv) !== 'Available' || !fits(pv, claim)) continue;
    const size = (o: KubeObject) => parseQuantity(pvSpec(o).capacity?.storage)!;
    if (!best || cmpQuantity(size(pv), size(best)) < 0) best = pv;
  }
  return best;
}

/** Binds volume and claim both ways, as the PV controller's bind() does. */
function bind(w: World, pv: KubeObject, claim: KubeObject): void {
  const k = w.k8s(SUPERVISOR_SPACE);
  let v = pv;
  const ref = pvSpec(v).claimRef;
  if (!ref?.uid) {
    v = k.update({
      ...v,
      metadata: { ...v.metadata, annotations: { ...v.metadata.annotations, [BOUND_BY_CONTROLLER]: 'yes' } },
      spec: {
        ...pvSpec(v),
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          namespace: claim.metadata.namespace,
          name: claim.metadata.name,
          uid: claim.metadata.uid,
          resourceVersion: claim.metadata.resourceVersion,
        },
      },
    });
  }
  if (phaseOf(v) !== 'Bound') k.updateStatus({ ...v, status: { phase: 'Bound' } });
  let c = claim;
  if (claimSpec(c).volumeName !== v.metadata.name || c.metadata.annotations?.[BIND_COMPLETED] !== 'yes') {
    const byController = claimSpec(c).volumeName !== v.metadata.name;
    c = k.update({
      ...c,
      metadata: {
        ...c.metadata,
        annotations: {
          ...c.metadata.annotations,
          [BIND_COMPLETED]: 'yes',
          ...(byController ? { [BOUND_BY_CONTROLLER]: 'yes' } : {}),
        },
      },
      spec: { ...claimSpec(c), volumeName: v.metadata.name },
    });
  }
  const status = {
    phase: 'Bound',
    accessModes: [...(pvSpec(v).accessModes ?? [])],
    capacity: { ...pvSpec(v).capacity },
  };
  if (JSON.stringify(c.status ?? {}) !== JSON.stringify(status)) k.updateStatus({ ...c, status });
}

/** The claim side of the persistent volume controller, with the external-provisioner for vSphere CSI. */
export function claimBinderController(w: World): Controller {
  const k = w.k8s(SUPERVISOR_SPACE);
  /** provisioning under way: claim uid → when CNS answers */
  const inflight = new Map<string, number>();
  const failures = new Map<string, number>();
  /** the last periodic event about a claim: reason and when, so resyncs repeat it at the PV controller's pace */
  const noted = new Map<string, { reason: string; at: number }>();
  const pendingWith = (test: (c: KubeObject) => boolean) =>
    k
      .list('persistentvolumeclaims')
      .items.filter((c) => phaseOf(c) !== 'Bound' && test(c))
      .map((c) => claimKey(c.metadata.namespace, c.metadata.name));
  return {
    name: 'persistentvolume-binder-claims',
    watches: [
      { group: '', kind: 'PersistentVolumeClaim' },
      {
        group: '',
        kind: 'PersistentVolume',
        map: (pv, cluster) => {
          if (cluster !== SUPERVISOR_SPACE) return [];
          const ref = pvSpec(pv).claimRef;
          if (ref) return [claimKey(ref.namespace, ref.name)];
          return phaseOf(pv) === 'Available' ? pendingWith((c) => !claimSpec(c).volumeName) : [];
        },
      },
      {
        group: 'storage.k8s.io',
        kind: 'StorageClass',
        map: (sc, cluster) =>
          cluster === SUPERVISOR_SPACE ? pendingWith((c) => claimClass(c) === sc.metadata.name) : [],
      },
      {
        group: '',
        kind: 'Pod',
        map: (p, cluster) =>
          cluster === SUPERVISOR_SPACE ? podClaims(p).map((n) => claimKey(p.metadata.namespace, n)) : [],
      },
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      if (cluster !== SUPERVISOR_SPACE) return;
      const claim = k.tryGet('persistentvolumeclaims', namespace, name);
      if (!claim) {
        noted.delete(key);
        return;
      }
      const uid = claim.metadata.uid!;
      const now = w.now();
      const event = (
        type: 'Normal' | 'Warning',
        reason: string,
        message: string,
        component = PV_CONTROLLER,
      ) => recordEvent(w, k, SUPERVISOR_SPACE, claim, type, reason, message, component);
      /** an event the PV controller repeats every resync while the claim waits */
      const periodic = (type: 'Normal' | 'Warning', reason: string, message: string) => {
        const last = noted.get(key);
        if (!last || last.reason !== reason || now - last.at >= lifecycle.claimResync) {
          event(type, reason, message);
          noted.set(key, { reason, at: now });
        }
        return { requeueAfterMs: lifecycle.claimResync };
      };

      if (claim.metadata.deletionTimestamp) {
        if ((claim.metadata.finalizers ?? []).includes(PVC_PROTECTION) && !claimInUse(w, claim))
          k.update(withoutFinalizer(claim, PVC_PROTECTION));
        return;
      }
      const spec = claimSpec(claim);

      // bound: the volume must still be there, bound to this claim
      if (claim.metadata.annotations?.[BIND_COMPLETED] === 'yes' && spec.volumeName) {
        const pv = k.tryGet('persistentvolumes', '', spec.volumeName);
        if (!pv || (pvSpec(pv).claimRef?.uid && pvSpec(pv).claimRef?.uid !== uid)) {
          if (phaseOf(claim) !== 'Lost') {
            k.updateStatus({ ...claim, status: { ...(claim.status ?? {}), phase: 'Lost' } });
            event(
              'Warning',
              'ClaimLost',
              'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
            );
          }
          return;
        }
        bind(w, pv, claim);
        return;
      }

      // asks for a volume by name
      if (spec.volumeName) {
        const pv = k.tryGet('persistentvolumes', '', spec.volumeName);
        const ref = pv && pvSpec(pv).claimRef;
        if (pv && ref?.uid && ref.uid !== uid) {
          if (phaseOf(claim) !== 'Pending') k.updateStatus({ ...claim, status: { phase: 'Pending' } });
          return periodic(
            'Warning',
            'FailedBinding',
            `volume "${pv.metadata.name}" already bound to a different claim.`,
          );
        }
        if (pv && !pv.metadata.deletionTimestamp) bind(w, pv, claim);
        else if (phaseOf(claim) !== 'Pending') k.updateStatus({ ...claim, status: { phase: 'Pending' } });
        return;
      }

      // a volume that fits, else provisioning through the class
      const match = bestMatch(w, claim);
      if (match) {
        inflight.delete(uid);
        failures.delete(uid);
        bind(w, match, claim);
        return;
      }
      const className = claimClass(claim);
      if (!className)
        return periodic(
          'Normal',
          'FailedBinding',
          'no persistent volumes available for this claim and no storage class is set',
        );
      const sc = w.k8s(SUPERVISOR_SPACE).tryGet('storageclasses', '', className);
      if (!sc)
        return periodic(
          'Warning',
          'ProvisioningFailed',
          `storageclass.storage.k8s.io "${className}" not found`,
        );
      if ((sc as unknown as { volumeBindingMode?: string }).volumeBindingMode === 'WaitForFirstConsumer') {
        const consumer = k
          .list('pods', { namespace })
          .items.some((p) => (p.spec as { nodeName?: string }).nodeName && podClaims(p).includes(name));
        if (!consumer)
          return periodic(
            'Normal',
            'WaitForFirstConsumer',
            'waiting for first consumer to be created before binding',
          );
      }
      const provisioner = String((sc as unknown as { provisioner?: string }).provisioner ?? '');
      let cur = claim;
      if (cur.metadata.annotations?.[STORAGE_PROVISIONER] !== provisioner)
        cur = k.update({
          ...cur,
          metadata: {
            ...cur.metadata,
            annotations: { ...cur.metadata.annotations, [STORAGE_PROVISIONER]: provisioner },
          },
        });
      const wait = periodic(
        'Normal',
        'ExternalProvisioning',
        `waiting for a volume to be created, either by external provisioner "${provisioner}" or manually created by system administrator`,
      );
      if (provisioner !== CSI_DRIVER) return wait;
      if (k.tryGet('persistentvolumes', '', `pvc-${uid}`)) return; // written; binding follows its event

      // the external-provisioner (the Supervisor's CSI controller runs once Workload Management does)
      if (!labSupervisorRunning(w)) return wait;
      const csi = provisionerComponent(w);
      const at = inflight.get(uid);
      if (at === undefined) {
        event(
          'Normal',
          'Provisioning',
          `External provisioner is provisioning volume for claim "${namespace}/${name}"`,
          csi,
        );
        inflight.set(uid, now + lifecycle.cnsVolumeCreate);
        return { requeueAfterMs: lifecycle.cnsVolumeCreate };
      }
      if (now < at) return { requeueAfterMs: at - now };
      inflight.delete(uid);
      const result = provisionVolume(w, cur, sc);
      if ('error' in result) {
        const n = (failures.get(uid) ?? 0) + 1;
        failures.set(uid, n);
        event(
          'Warning',
          'ProvisioningFailed',
          `failed to provision volume with StorageClass "${className}": ${result.error}`,
          csi,
        );
        return { requeueAfterMs: Math.min(1_000 * 2 ** (n - 1), 300_000) };
      }
      failures.delete(uid);
      event(
        'Normal',
        'ProvisioningSucceeded',
        `Successfully provisioned volume ${result.pv.metadata.name}`,
        csi,
      );
      bind(w, result.pv, k.get('persistentvolumeclaims', namespace, name));
      return undefined;
    },
  };
}

function labSupervisorRunning(w: World): boolean {
  return w.vc
    .list('supervisors')
    .items.some(
      (s) =>
        !s.metadata.deletionTimestamp &&
        (s.status as { configStatus?: string } | undefined)?.configStatus === 'RUNNING',
    );
}

/** The volume side of the persistent volume controller: phases, reclaiming, PV protection. */
export function volumeReclaimController(w: World): Controller {
  const k = w.k8s(SUPERVISOR_SPACE);
  const setStatus = (pv: KubeObject, status: { phase: string; message?: string }) => {
    if (JSON.stringify(pv.status ?? {}) !== JSON.stringify(status)) return k.updateStatus({ ...pv, status });
    return pv;
  };
  return {
    name: 'persistentvolume-binder-volumes',
    watches: [
      { group: '', kind: 'PersistentVolume' },
      {
        group: '',
        kind: 'PersistentVolumeClaim',
        map: (c, cluster) => {
          const v = claimSpec(c).volumeName;
          return cluster === SUPERVISOR_SPACE && v ? [keyFor(SUPERVISOR_SPACE, '', v)] : [];
        },
      },
    ],
    reconcile(key) {
      const { cluster, name } = splitKey(key);
      if (cluster !== SUPERVISOR_SPACE) return;
      let pv = k.tryGet('persistentvolumes', '', name);
      if (!pv) return;
      const s = pvSpec(pv);
      const ref = s.claimRef;
      const claim = ref ? k.tryGet('persistentvolumeclaims', ref.namespace ?? '', ref.name ?? '') : undefined;
      const mine = claim && (!ref?.uid || claim.metadata.uid === ref.uid);
      if (!ref || (!ref.uid && !claim)) pv = setStatus(pv, { phase: 'Available' });
      else if (mine)
        pv = setStatus(pv, { phase: claimSpec(claim).volumeName === name ? 'Bound' : 'Available' });
      else {
        // the claim is gone: the volume is released and reclaimed as its policy says
        pv = setStatus(pv, { phase: phaseOf(pv) === 'Failed' ? 'Failed' : 'Released' });
        if (s.persistentVolumeReclaimPolicy === 'Delete' && !pv.metadata.deletionTimestamp) {
          if (pv.metadata.annotations?.[PROVISIONED_BY] === CSI_DRIVER && s.csi?.driver === CSI_DRIVER) {
            if (s.csi.volumeHandle) deleteCnsVolume(w, s.csi.volumeHandle);
            k.delete('persistentvolumes', '', name);
            pv = k.tryGet('persistentvolumes', '', name);
            if (!pv) return;
          } else if (phaseOf(pv) !== 'Failed') {
            const message = `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
            pv = setStatus(pv, { phase: 'Failed', message });
            recordEvent(w, k, SUPERVISOR_SPACE, pv, 'Warning', 'VolumeFailedDelete', message, PV_CONTROLLER);
          }
        }
      }
      if (
        pv.metadata.deletionTimestamp &&
        (pv.metadata.finalizers ?? []).includes(PV_PROTECTION) &&
        phaseOf(pv) !== 'Bound'
      )
        k.update(withoutFinalizer(pv, PV_PROTECTION));
    },
  };
}

/** Registers the volume controllers and queues what a reopened lab left half-done. */
export function registerVolumeControllers(runtime: ControllerRuntime, w: World): void {
  const claims = claimBinderController(w);
  const volumes = volumeReclaimController(w);
  for (const c of [claims, volumes, datastoreSpaceController(w)]) runtime.register(c);
  if (!w.api.hasApiSpace(SUPERVISOR_SPACE)) return;
  const k = w.k8s(SUPERVISOR_SPACE);
  for (const c of k.list('persistentvolumeclaims').items)
    runtime.enqueue(claims.name, claimKey(c.metadata.namespace, c.metadata.name));
  for (const v of k.list('persistentvolumes').items)
    runtime.enqueue(volumes.name, keyFor(SUPERVISOR_SPACE, '', v.metadata.name!));
}
