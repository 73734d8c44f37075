// vSphere Namespaces on a Supervisor. Admission makes vCenter's checks when the administrator creates or
// updates one (govc namespace.*, the app's form); the controller then keeps, for each namespace:
//   - a resource pool under the cluster's Namespaces pool, with the namespace's CPU and memory limits;
//   - a Kubernetes namespace on the Supervisor, with its NSX segment (NSX-T) noted on it;
//   - a StorageClass per assigned storage policy, and a ResourceQuota with the storage limits
//     (`<class>.storageclass.storage.k8s.io/requests.storage`) and object limits (`count/<resource>`);
//   - a VirtualMachineClassBinding per VM class and a ContentSourceBinding per content library;
// and, once per Supervisor, the VirtualMachineClasses and VirtualMachineImages those refer to.
// Removing the namespace removes all of it: the Kubernetes namespace with everything in it first.
import type { AdmissionPlugin } from '../../api/admission';
import type { ApiClient } from '../../api/client';
import { invalid } from '../../api/errors';
import { DEFAULT_CLASS_ANNOTATION } from '../../api/kinds/storage';
import type { KubeObject, StatusCause } from '../../api/types';
import { keyFor, splitKey, type Controller } from '../runtime/controllers';
import { GROUP, OBJECT_LIMITS, VCENTER, type NamespaceRole } from '../vcenter/kinds';
import { namespacesPoolName } from '../vcenter/scenario';
import type { World } from '../world';
import type { SupervisorSpec } from './admission';
import { SUPERVISOR_SPACE, type SupervisorStatus } from './controller';
import { VMOP_GROUP } from './kinds';
import { freeSegment, heldSegments } from './segments';

export interface NamespaceSpec {
  cluster: string;
  description?: string;
  storagePolicies?: string[];
  vmClasses?: string[];
  contentLibraries?: string[];
  limits?: {
    cpuMHz?: number;
    memoryMiB?: number;
    storageGiB?: Record<string, number>;
    objects?: Record<string, number>;
  };
  access?: { principal: string; group?: boolean; role: NamespaceRole }[];
}

export interface NamespaceStatus {
  configStatus?: 'CONFIGURING' | 'RUNNING' | 'REMOVING' | 'ERROR';
  resourcePool?: string;
  folder?: string;
  segment?: string;
  /** further /28s NCP added once the segment was full */
  extraSegments?: string[];
  messages?: { severity: string; details: string }[];
}

const FINALIZER = 'vcenter.lab/namespace';
/** Kubernetes namespaces a vSphere Namespace may not take: the Supervisor's own. */
const RESERVED = /^(default|kube-.*|vmware-system-.*|svc-.*|tkg-system|tanzu-.*)$/;
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Every namespace gets a /28 of the Supervisor's pod CIDRs (NSX-T): 16 addresses, 14 for pods. */

/** The StorageClass a storage policy appears as: lower case, anything but letters and digits a dash. */
export const storageClassName = (policy: string): string =>
  policy
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** The resource names object limits appear under in a ResourceQuota. */
export const objectQuotaKey = (resource: string): string => {
  const group: Record<string, string> = {
    deployments: 'apps',
    replicasets: 'apps',
    statefulsets: 'apps',
    daemonsets: 'apps',
    jobs: 'batch',
    cronjobs: 'batch',
    ingresses: 'networking.k8s.io',
  };
  return `count/${resource}${group[resource] ? `.${group[resource]}` : ''}`;
};

export const quotaName = (ns: string): string => `${ns}-storagequota`;

const cause = (field: string, message: string): StatusCause => ({
  field,
  reason: 'FieldValueInvalid',
  message,
});

export function supervisorOf(vc: ApiClient, cluster: string): KubeObject | undefined {
  return vc.list('supervisors').items.find((s) => (s.spec as SupervisorSpec).cluster === cluster);
}

/** vCenter's checks on a namespace's configuration; an empty list means it may be written. */
export function validateNamespace(
  vc: ApiClient,
  name: string,
  s: NamespaceSpec,
  creating: boolean,
): StatusCause[] {
  const causes: StatusCause[] = [];
  if (creating) {
    if (!NAME.test(name) || name.length > 63)
      causes.push(
        cause(
          'metadata.name',
          `Invalid value: "${name}": a namespace name must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (at most 63)`,
        ),
      );
    else if (RESERVED.test(name))
      causes.push(
        cause(
          'metadata.name',
          `Invalid value: "${name}": the name ${name} is reserved for the Supervisor's own namespaces`,
        ),
      );
  }
  const sup = s.cluster ? supervisorOf(vc, s.cluster) : undefined;
  if (!s.cluster) causes.push(cause('spec.cluster', 'Required value: the cluster of the Supervisor'));
  else if (!vc.tryGet('computeclusters', '', s.cluster))
    causes.push(cause('spec.cluster', `Invalid value: "${s.cluster}": cluster ${s.cluster} not found`));
  else if (!sup || sup.metadata.deletionTimestamp)
    causes.push(
      cause(
        'spec.cluster',
        `Invalid value: "${s.cluster}": cluster ${s.cluster} does not have vSphere Namespaces enabled`,
      ),
    );
  else if ((sup.status as SupervisorStatus | undefined)?.configStatus !== 'RUNNING' && creating)
    causes.push(
      cause(
        'spec.cluster',
        `Invalid value: "${s.cluster}": the Supervisor is not running yet (${(sup.status as SupervisorStatus | undefined)?.configStatus ?? 'CONFIGURING'})`,
      ),
    );
  for (const p of s.storagePolicies ?? [])
    if (!vc.tryGet('storagepolicies', '', p))
      causes.push(cause('spec.storagePolicies', `Invalid value: "${p}": storage policy ${p} not found`));
  for (const c of s.vmClasses ?? [])
    if (!vc.tryGet('vmclasses', '', c))
      causes.push(cause('spec.vmClasses', `Invalid value: "${c}": VM class ${c} not found`));
  for (const l of s.contentLibraries ?? [])
    if (!vc.tryGet('contentlibraries', '', l))
      causes.push(cause('spec.contentLibraries', `Invalid value: "${l}": content library ${l} not found`));
  const lim = s.limits ?? {};
  for (const [k, v] of [
    ['cpuMHz', lim.cpuMHz],
    ['memoryMiB', lim.memoryMiB],
  ] as const)
    if (v !== undefined && (!Number.isInteger(v) || v < 0))
      causes.push(cause(`spec.limits.${k}`, `Invalid value: ${v}: must be a whole number, 0 or more`));
  for (const [p, v] of Object.entries(lim.storageGiB ?? {})) {
    if (!(s.storagePolicies ?? []).includes(p))
      causes.push(
        cause(
          'spec.limits.storageGiB',
          `Invalid value: "${p}": storage policy ${p} is not assigned to the namespace`,
        ),
      );
    if (!Number.isInteger(v) || v < 0)
      causes.push(
        cause('spec.limits.storageGiB', `Invalid value: ${v}: must be a whole number of GiB, 0 or more`),
      );
  }
  for (const [k, v] of Object.entries(lim.objects ?? {})) {
    if (!(OBJECT_LIMITS as readonly string[]).includes(k))
      causes.push(
        cause(
          'spec.limits.objects',
          `Unsupported value: "${k}": supported values: ${OBJECT_LIMITS.map((x) => `"${x}"`).join(', ')}`,
        ),
      );
    if (!Number.isInteger(v) || v < 0)
      causes.push(cause('spec.limits.objects', `Invalid value: ${v}: must be a whole number, 0 or more`));
  }
  for (const a of s.access ?? []) {
    const exists = a.group ? vc.tryGet('ssogroups', '', a.principal) : vc.tryGet('ssousers', '', a.principal);
    if (!exists)
      causes.push(
        cause(
          'spec.access',
          `Invalid value: "${a.principal}": SSO ${a.group ? 'group' : 'user'} ${a.principal} not found`,
        ),
      );
    if (!['view', 'edit', 'owner'].includes(a.role))
      causes.push(
        cause('spec.access', `Unsupported value: "${a.role}": supported values: "view", "edit", "owner"`),
      );
  }
  return causes;
}

/** Admission for vSphere Namespaces: vCenter's checks, the finalizer, and a cluster that never changes. */
export function namespaceAdmission(client: (space: string) => ApiClient): AdmissionPlugin {
  const isNamespace = (k: { group: string; kind: string }, cluster: string) =>
    k.group === GROUP && k.kind === 'VSphereNamespace' && cluster === VCENTER;
  return {
    name: 'VSphereNamespaces',
    mutate(a) {
      if (a.operation !== 'CREATE' || !isNamespace(a.kind, a.cluster) || !a.object) return;
      a.object.metadata.finalizers = [...new Set([...(a.object.metadata.finalizers ?? []), FINALIZER])];
    },
    validate(a) {
      if (
        !isNamespace(a.kind, a.cluster) ||
        !a.object ||
        a.operation === 'DELETE' ||
        a.subresource === 'status'
      )
        return;
      if (a.oldObject?.metadata.deletionTimestamp) return;
      const spec = (a.object.spec ?? {}) as NamespaceSpec;
      const causes = validateNamespace(client(VCENTER), a.name, spec, a.operation === 'CREATE');
      if (a.operation === 'CREATE' && client(SUPERVISOR_SPACE).tryGet('namespaces', '', a.name))
        causes.push(
          cause(
            'metadata.name',
            `Invalid value: "${a.name}": a namespace of that name already exists on the Supervisor`,
          ),
        );
      if (
        a.operation === 'UPDATE' &&
        (a.oldObject?.spec as NamespaceSpec | undefined)?.cluster !== spec.cluster
      )
        causes.push({
          field: 'spec.cluster',
          reason: 'FieldValueForbidden',
          message: 'Forbidden: a namespace cannot move to another cluster',
        });
      if (causes.length) throw invalid('VSphereNamespace', GROUP, a.name, causes);
    },
  };
}

/** The role an SSO user holds on a vSphere Namespace, through themselves or a group; undefined when none. */
export function roleOn(
  ns: KubeObject | undefined,
  principal: string,
  groups: readonly string[],
): NamespaceRole | undefined {
  const order: NamespaceRole[] = ['view', 'edit', 'owner'];
  let best: NamespaceRole | undefined;
  for (const a of (ns?.spec as NamespaceSpec | undefined)?.access ?? []) {
    const mine = a.group ? groups.includes(a.principal) : a.principal === principal;
    if (mine && (!best || order.indexOf(a.role) > order.indexOf(best))) best = a.role;
  }
  return best;
}

export function namespaceController(w: World): Controller {
  const all = () => w.vc.list('vspherenamespaces').items.map((n) => keyFor(VCENTER, '', n.metadata.name!));
  return {
    name: 'vsphere-namespaces',
    watches: [
      { group: GROUP, kind: 'VSphereNamespace' },
      // a Supervisor coming up or going away, and catalogue changes, touch every namespace
      { group: GROUP, kind: 'Supervisor', map: all },
      { group: GROUP, kind: 'VmClass', map: all },
      { group: GROUP, kind: 'ContentLibrary', map: all },
    ],
    reconcile(key) {
      const { cluster, name } = splitKey(key);
      if (cluster !== VCENTER) return;
      const ns = w.vc.tryGet('vspherenamespaces', '', name);
      if (!ns) return;
      return ns.metadata.deletionTimestamp ? remove(w, ns) : configure(w, ns);
    },
  };
}

function setStatus(w: World, ns: KubeObject, st: NamespaceStatus): void {
  const clean = JSON.parse(JSON.stringify(st)) as object;
  if (JSON.stringify(ns.status ?? {}) !== JSON.stringify(clean)) w.vc.updateStatus({ ...ns, status: clean });
}

function configure(w: World, ns: KubeObject): { requeueAfterMs: number } | undefined {
  const name = ns.metadata.name!;
  const spec = ns.spec as NamespaceSpec;
  const st: NamespaceStatus = { ...(ns.status as NamespaceStatus | undefined) };
  const sup = supervisorOf(w.vc, spec.cluster);
  const supSt = (sup?.status ?? {}) as SupervisorStatus;
  if (!sup || supSt.configStatus !== 'RUNNING') {
    st.configStatus = sup ? 'CONFIGURING' : 'ERROR';
    st.messages = [
      {
        severity: sup ? 'INFO' : 'ERROR',
        details: sup
          ? 'Waiting for the Supervisor to be running'
          : `Workload Management is not enabled on ${spec.cluster}`,
      },
    ];
    setStatus(w, ns, st);
    return undefined;
  }
  const nsx = (sup.spec as SupervisorSpec).networkProvider !== 'VSPHERE_NETWORK';
  const owner = {
    apiVersion: `${GROUP}/v1`,
    kind: 'VSphereNamespace',
    name,
    uid: ns.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };

  // 1. The resource pool, with the namespace's limits.
  const lim = spec.limits ?? {};
  const poolSpec = {
    cluster: spec.cluster,
    parent: namespacesPoolName(spec.cluster),
    namespace: name,
    cpu: { reservationMHz: 0, limitMHz: lim.cpuMHz ?? -1, shares: 'normal' },
    memory: { reservationMB: 0, limitMB: lim.memoryMiB ?? -1, shares: 'normal' },
  };
  const pool = w.vc.tryGet('resourcepools', '', name);
  if (!pool)
    w.vc.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'ResourcePool',
      metadata: { name, ownerReferences: [owner] },
      spec: poolSpec,
    });
  else if (JSON.stringify(pool.spec) !== JSON.stringify(poolSpec)) w.vc.update({ ...pool, spec: poolSpec });
  st.resourcePool = name;
  st.folder = `Namespaces/${name}`;
  if (nsx && !st.segment) st.segment = freeSegment(sup, heldSegments(w, { namespace: name }));

  // 2. The Kubernetes namespace on the Supervisor.
  const k = w.k8s(SUPERVISOR_SPACE);
  const annotations: Record<string, string> = {
    'vmware-system-resource-pool': name,
    'vmware-system-vm-folder': st.folder,
    ...(lim.cpuMHz !== undefined ? { 'vmware-system-resource-pool-cpu-limit': String(lim.cpuMHz) } : {}),
    ...(lim.memoryMiB !== undefined
      ? { 'vmware-system-resource-pool-memory-limit': `${lim.memoryMiB}Mi` }
      : {}),
    ...(st.segment ? { 'ncp/subnet-0': st.segment } : {}),
    // the further /28s NCP added to a namespace whose segment filled up
    ...Object.fromEntries((st.extraSegments ?? []).map((seg, i) => [`ncp/subnet-${i + 1}`, seg])),
  };
  const labels = { vSphereClusterID: `domain-${spec.cluster}` };
  const kns = k.tryGet('namespaces', '', name);
  if (!kns) k.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } });
  else if (kns.metadata.deletionTimestamp) return { requeueAfterMs: 1000 };
  else if (
    JSON.stringify(kns.metadata.annotations ?? {}) !== JSON.stringify(annotations) ||
    kns.metadata.labels?.vSphereClusterID !== labels.vSphereClusterID
  )
    k.update({
      ...kns,
      metadata: { ...kns.metadata, labels: { ...kns.metadata.labels, ...labels }, annotations },
    });

  // 3. Storage classes (shared by every namespace that has the policy) and the quota.
  syncStorageClasses(w);
  const hard: Record<string, string> = {};
  for (const [policy, gib] of Object.entries(lim.storageGiB ?? {}))
    hard[`${storageClassName(policy)}.storageclass.storage.k8s.io/requests.storage`] = `${gib}Gi`;
  for (const [resource, n] of Object.entries(lim.objects ?? {})) hard[objectQuotaKey(resource)] = String(n);
  const quota = k.tryGet('resourcequotas', name, quotaName(name));
  if (Object.keys(hard).length === 0) {
    if (quota) k.delete('resourcequotas', name, quotaName(name));
  } else if (!quota)
    k.create({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: quotaName(name), namespace: name },
      spec: { hard },
    });
  else if (JSON.stringify((quota.spec as { hard?: unknown }).hard) !== JSON.stringify(hard))
    k.update({ ...quota, spec: { ...(quota.spec as object), hard } });

  // 4. VM classes and content libraries.
  syncClusterCatalogue(w);
  syncBindings(
    w,
    name,
    'virtualmachineclassbindings',
    'VirtualMachineClassBinding',
    spec.vmClasses ?? [],
    (c) => ({ classRef: { apiVersion: `${VMOP_GROUP}/v1alpha1`, kind: 'VirtualMachineClass', name: c } }),
  );
  syncBindings(
    w,
    name,
    'contentsourcebindings',
    'ContentSourceBinding',
    (spec.contentLibraries ?? []).map((l) => contentSourceName(w, l)).filter((x): x is string => Boolean(x)),
    (c) => ({ contentSourceRef: { apiVersion: `${VMOP_GROUP}/v1alpha1`, kind: 'ContentSource', name: c } }),
  );

  st.configStatus = 'RUNNING';
  st.messages = [];
  setStatus(w, ns, st);
  return undefined;
}

/** One StorageClass per storage policy some namespace has; the first policy any has is the default. */
function syncStorageClasses(w: World): void {
  const k = w.k8s(SUPERVISOR_SPACE);
  const wanted = new Map<string, string>();
  for (const n of w.vc.list('vspherenamespaces').items) {
    if (n.metadata.deletionTimestamp) continue;
    for (const p of (n.spec as NamespaceSpec).storagePolicies ?? []) wanted.set(storageClassName(p), p);
  }
  for (const [cls, policy] of wanted) {
    if (k.tryGet('storageclasses', '', cls)) continue;
    const pol = w.vc.tryGet('storagepolicies', '', policy);
    k.create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: cls },
      provisioner: 'csi.vsphere.vmware.com',
      parameters: { storagePolicyID: pol?.metadata.uid ?? policy },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
      allowVolumeExpansion: true,
    } as KubeObject);
  }
  for (const sc of k.list('storageclasses').items)
    if (!wanted.has(sc.metadata.name!) && sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] !== 'true')
      k.delete('storageclasses', '', sc.metadata.name!);
}

/** The ContentSource a content library appears as on the Supervisor (named by the library's uid). */
function contentSourceName(w: World, library: string): string | undefined {
  return w.vc.tryGet('contentlibraries', '', library)?.metadata.uid;
}

/** VirtualMachineClasses from vCenter's VM classes; ContentSources and images from bound libraries. */
export function syncClusterCatalogue(w: World): void {
  const k = w.k8s(SUPERVISOR_SPACE);
  const classes = new Set<string>();
  for (const c of w.vc.list('vmclasses').items) {
    const s = c.spec as {
      cpuCount: number;
      memoryMiB: number;
      cpuReservation?: number;
      memoryReservation?: number;
      description?: string;
    };
    classes.add(c.metadata.name!);
    const mhz = 1000; // requests are expressed as a share of the class, as VM Operator writes them
    const reserved = (s.cpuReservation ?? 0) > 0 || (s.memoryReservation ?? 0) > 0;
    const want = {
      hardware: { cpus: s.cpuCount, memory: `${s.memoryMiB / 1024}Gi` },
      policies: {
        resources: reserved
          ? {
              requests: {
                cpu: `${Math.round((s.cpuCount * mhz * (s.cpuReservation ?? 0)) / 100)}m`,
                memory: `${Math.round((s.memoryMiB * (s.memoryReservation ?? 0)) / 100)}Mi`,
              },
            }
          : {},
      },
      ...(s.description ? { description: s.description } : {}),
    };
    const cur = k.tryGet('virtualmachineclasses', '', c.metadata.name!);
    if (!cur)
      k.create({
        apiVersion: `${VMOP_GROUP}/v1alpha1`,
        kind: 'VirtualMachineClass',
        metadata: { name: c.metadata.name },
        spec: want,
      });
    else if (JSON.stringify(cur.spec) !== JSON.stringify(want)) k.update({ ...cur, spec: want });
  }
  for (const c of k.list('virtualmachineclasses').items)
    if (!classes.has(c.metadata.name!)) k.delete('virtualmachineclasses', '', c.metadata.name!);

  // content sources and images for every library some namespace binds, and the TKGS library
  const bound = new Set<string>();
  for (const sup of w.vc.list('supervisors').items) {
    const lib = (sup.spec as SupervisorSpec).defaultKubernetesServiceContentLibrary;
    if (lib && !sup.metadata.deletionTimestamp) bound.add(lib);
  }
  for (const n of w.vc.list('vspherenamespaces').items)
    if (!n.metadata.deletionTimestamp)
      for (const l of (n.spec as NamespaceSpec).contentLibraries ?? []) bound.add(l);
  const images = new Set<string>();
  const sources = new Set<string>();
  for (const libName of bound) {
    const lib = w.vc.tryGet('contentlibraries', '', libName);
    if (!lib) continue;
    const source = lib.metadata.uid!;
    sources.add(source);
    const providerRef = {
      apiVersion: `${VMOP_GROUP}/v1alpha1`,
      kind: 'ContentLibraryProvider',
      name: source,
    };
    if (!k.tryGet('contentsources', '', source))
      k.create({
        apiVersion: `${VMOP_GROUP}/v1alpha1`,
        kind: 'ContentSource',
        metadata: { name: source },
        spec: { providerRef },
      });
    for (const item of (lib.spec as { items?: { name: string; type?: string; version?: string }[] }).items ??
      []) {
      images.add(item.name);
      if (k.tryGet('virtualmachineimages', '', item.name)) continue;
      const img = k.create({
        apiVersion: `${VMOP_GROUP}/v1alpha1`,
        kind: 'VirtualMachineImage',
        metadata: { name: item.name },
        spec: {
          type: (item.type ?? 'ovf').toUpperCase(),
          imageSourceType: 'Content Library',
          providerRef,
          productInfo: { version: item.version ?? '', fullVersion: item.version ?? '' },
          osInfo: { type: 'vmwarePhoton64Guest' },
        },
      });
      k.updateStatus({ ...img, status: { imageName: item.name, imageSupported: true } });
    }
  }
  for (const i of k.list('virtualmachineimages').items)
    if (!images.has(i.metadata.name!)) k.delete('virtualmachineimages', '', i.metadata.name!);
  for (const s of k.list('contentsources').items)
    if (!sources.has(s.metadata.name!)) k.delete('contentsources', '', s.metadata.name!);
}

function syncBindings(
  w: World,
  ns: string,
  plural: string,
  kind: string,
  names: string[],
  body: (name: string) => Record<string, unknown>,
): void {
  const k = w.k8s(SUPERVISOR_SPACE);
  const existing = new Set(k.list(plural, { namespace: ns }).items.map((b) => b.metadata.name!));
  for (const n of names)
    if (!existing.delete(n))
      k.create({
        apiVersion: `${VMOP_GROUP}/v1alpha1`,
        kind,
        metadata: { name: n, namespace: ns },
        ...body(n),
      });
  for (const n of existing) k.delete(plural, ns, n);
}

function remove(w: World, ns: KubeObject): { requeueAfterMs: number } | undefined {
  const name = ns.metadata.name!;
  const st: NamespaceStatus = { ...(ns.status as NamespaceStatus | undefined) };
  if (st.configStatus !== 'REMOVING') {
    st.configStatus = 'REMOVING';
    setStatus(w, ns, st);
  }
  // the Kubernetes namespace goes first, with every workload in it
  const k = w.k8s(SUPERVISOR_SPACE);
  const kns = k.tryGet('namespaces', '', name);
  if (kns) {
    if (!kns.metadata.deletionTimestamp) k.delete('namespaces', '', name);
    if (k.tryGet('namespaces', '', name)) return { requeueAfterMs: 1000 };
  }
  if (w.vc.tryGet('resourcepools', '', name)) w.vc.delete('resourcepools', '', name);
  const latest = w.vc.get('vspherenamespaces', '', name);
  w.vc.patch('vspherenamespaces', '', name, 'merge', {
    metadata: {
      finalizers: (latest.metadata.finalizers ?? []).filter((f) => f !== FINALIZER),
      resourceVersion: latest.metadata.resourceVersion,
    },
  });
  syncStorageClasses(w);
  syncClusterCatalogue(w);
  return undefined;
}
