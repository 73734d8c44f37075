// kubectl's describers of PersistentVolumeClaim and PersistentVolume: the claim with the pods that
// mount it (Used By), the volume with its source (CSI, NFS, host path, local), and their events.
import { parseQuantity, quantityString } from '../../../../api/quantity';
import { tabbedString, type PrefixWriter } from '../../../printers/tabwriter';
import { CORE, type DescribeClient, describeEvents, eventsOrNone, searchEvents } from './client';
import type { Described } from './describers';
import {
  annotationsMultiline,
  arr,
  bool,
  byString,
  goList,
  labelsMultiline,
  obj,
  objs,
  type Obj,
  since,
  sortedKeys,
  str,
  strMap,
} from './format';

const meta = (o: Obj) => obj(o.metadata);

const MODES: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];
const accessModes = (modes: unknown) => {
  const list = arr(modes).map(String);
  return MODES.filter(([m]) => list.includes(m))
    .map(([, s]) => s)
    .join(',');
};
/** Quantity.String() of a resource list's storage; "0" when there is none. */
const storageOf = (list: unknown) => {
  const q = parseQuantity(obj(list).storage);
  return q ? quantityString(q) : '0';
};
/** Go's %v of a []string. */

function get(
  c: DescribeClient,
  resource: string,
  namespace: string,
  name: string,
): { value: Obj } | Described {
  const got = c.get(CORE(resource), namespace, name);
  return 'error' in got ? { error: got.error } : { value: got.value as unknown as Obj };
}

function events(c: DescribeClient, o: Obj, kind: string): Obj[] | undefined {
  if (!c.showEvents) return undefined;
  const m = meta(o);
  return eventsOrNone(
    searchEvents(c, { namespace: str(m.namespace), name: str(m.name), kind, uid: str(m.uid) }),
  );
}

/** Status, or Terminating with how long and the grace period, as both describers print it. */
function status(w: PrefixWriter, o: Obj, now: Date): void {
  const m = meta(o);
  if (m.deletionTimestamp) {
    w.write(0, `Status:\tTerminating (lasts ${since(m.deletionTimestamp, now)})\n`);
    if (typeof m.deletionGracePeriodSeconds === 'number')
      w.write(0, `Termination Grace Period:\t${m.deletionGracePeriodSeconds}s\n`);
  } else w.write(0, `Status:\t${str(obj(o.status).phase)}\n`);
}

export function describePersistentVolumeClaim(c: DescribeClient, namespace: string, name: string): Described {
  const got = get(c, 'persistentvolumeclaims', namespace, name);
  if (!('value' in got)) return got;
  const pvc = got.value;
  const spec = obj(pvc.spec);
  const annotations = strMap(meta(pvc).annotations);
  // Used By: the pods of the namespace that mount the claim
  const pods = c.list(CORE('pods'), namespace);
  const users = ('error' in pods ? [] : (pods.value as unknown as Obj[]))
    .filter((p) =>
      objs(obj(p.spec).volumes).some((v) => str(obj(v.persistentVolumeClaim).claimName) === name),
    )
    .map((p) => str(meta(p).name))
    .sort(byString);
  const evs = events(c, pvc, 'PersistentVolumeClaim');
  return {
    text: tabbedString((w) => {
      w.write(0, `Name:\t${name}\n`);
      w.write(0, `Namespace:\t${str(meta(pvc).namespace)}\n`);
      w.write(
        0,
        `StorageClass:\t${annotations['volume.beta.kubernetes.io/storage-class'] ?? str(spec.storageClassName)}\n`,
      );
      status(w, pvc, c.now);
      w.write(0, `Volume:\t${str(spec.volumeName)}\n`);
      labelsMultiline(w, 'Labels', strMap(meta(pvc).labels));
      annotationsMultiline(w, 'Annotations', annotations);
      w.write(0, `Finalizers:\t${goList(meta(pvc).finalizers)}\n`);
      const bound = Boolean(str(spec.volumeName));
      w.write(0, `Capacity:\t${bound ? storageOf(obj(pvc.status).capacity) : ''}\n`);
      w.write(0, `Access Modes:\t${bound ? accessModes(obj(pvc.status).accessModes) : ''}\n`);
      if (typeof spec.volumeMode === 'string') w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
      const source = spec.dataSource === undefined ? undefined : obj(spec.dataSource);
      if (source) {
        w.write(0, 'DataSource:\n');
        if (typeof source.apiGroup === 'string') w.write(1, `APIGroup:\t${source.apiGroup}\n`);
        w.write(1, `Kind:\t${str(source.kind)}\n`);
        w.write(1, `Name:\t${str(source.name)}\n`);
      }
      w.write(0, 'Used By:\t');
      if (!users.length) w.writeLine('<none>');
      users.forEach((u, i) => w.write(0, `${i ? '\t' : ''}${u}\n`));
      if (evs) describeEvents(evs, w, c.now);
    }),
  };
}

function volumeSource(w: PrefixWriter, spec: Obj): void {
  if (spec.hostPath !== undefined) {
    const s = obj(spec.hostPath);
    w.write(
      2,
      `Type:\tHostPath (bare host directory volume)\n    Path:\t${str(s.path)}\n    HostPathType:\t${typeof s.type === 'string' ? s.type : '<none>'}\n`,
    );
  } else if (spec.nfs !== undefined) {
    const s = obj(spec.nfs);
    w.write(
      2,
      `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${str(s.server)}\n    Path:\t${str(s.path)}\n    ReadOnly:\t${bool(s.readOnly)}\n`,
    );
  } else if (spec.local !== undefined) {
    w.write(
      2,
      `Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t${str(obj(spec.local).path)}\n`,
    );
  } else if (spec.csi !== undefined) {
    const s = obj(spec.csi);
    w.write(
      2,
      `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${str(s.driver)}\n    FSType:\t${str(s.fsType)}\n    VolumeHandle:\t${str(s.volumeHandle)}\n    ReadOnly:\t${bool(s.readOnly)}\n`,
    );
    const attributes = strMap(s.volumeAttributes);
    w.write(2, 'VolumeAttributes:\t');
    const keys = sortedKeys(attributes);
    if (!keys.length) w.writeLine('<none>');
    keys.forEach((k, i) => {
      if (i) w.write(2, '\t');
      const line = `${k}=${attributes[k]}`;
      w.write(2, `${line.length > 140 ? `${line.slice(0, 140)}...` : line}\n`);
    });
  }
}

/** printVolumeNodeAffinity: the required node selector terms, one expression per line. */
function nodeAffinity(w: PrefixWriter, affinity: unknown): void {
  w.write(0, 'Node Affinity:\t');
  const required = obj(affinity).required;
  if (required === undefined || required === null) {
    w.writeLine('<none>');
    return;
  }
  w.writeLine('');
  w.write(1, 'Required Terms:\t');
  const terms = objs(obj(required).nodeSelectorTerms);
  if (!terms.length) {
    w.writeLine('<none>');
    return;
  }
  w.writeLine('');
  terms.forEach((term, i) => {
    w.write(2, `Term ${i}:\t`);
    const reqs = objs(term.matchExpressions);
    if (!reqs.length) w.writeLine('<none>');
    reqs.forEach((r, j) => {
      if (j) w.write(2, '\t');
      const values = arr(r.values).map(String);
      w.write(
        0,
        `${str(r.key)} ${str(r.operator).toLowerCase()}${values.length ? ` [${values.join(', ')}]` : ''}\n`,
      );
    });
  });
}

export function describePersistentVolume(c: DescribeClient, _namespace: string, name: string): Described {
  const got = get(c, 'persistentvolumes', '', name);
  if (!('value' in got)) return got;
  const pv = got.value;
  const spec = obj(pv.spec);
  const annotations = strMap(meta(pv).annotations);
  const evs = events(c, pv, 'PersistentVolume');
  return {
    text: tabbedString((w) => {
      w.write(0, `Name:\t${name}\n`);
      labelsMultiline(w, 'Labels', strMap(meta(pv).labels));
      annotationsMultiline(w, 'Annotations', annotations);
      w.write(0, `Finalizers:\t${goList(meta(pv).finalizers)}\n`);
      w.write(
        0,
        `StorageClass:\t${annotations['volume.beta.kubernetes.io/storage-class'] ?? str(spec.storageClassName)}\n`,
      );
      status(w, pv, c.now);
      const ref = spec.claimRef === undefined ? undefined : obj(spec.claimRef);
      w.write(0, `Claim:\t${ref ? `${str(ref.namespace)}/${str(ref.name)}` : ''}\n`);
      w.write(0, `Reclaim Policy:\t${str(spec.persistentVolumeReclaimPolicy)}\n`);
      w.write(0, `Access Modes:\t${accessModes(spec.accessModes)}\n`);
      if (typeof spec.volumeMode === 'string') w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
      w.write(0, `Capacity:\t${storageOf(spec.capacity)}\n`);
      nodeAffinity(w, spec.nodeAffinity);
      w.write(0, `Message:\t${str(obj(pv.status).message)}\n`);
      w.write(0, 'Source:\n');
      volumeSource(w, spec);
      if (evs) describeEvents(evs, w, c.now);
    }),
  };
}
