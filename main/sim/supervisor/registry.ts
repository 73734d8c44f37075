// The embedded Harbor registry of a Supervisor (vSphere 7: Workload Management › Image Registry › Enable
// Harbor). A Registry object in vCenter asks for it; admission refuses it where Harbor cannot run — on
// the vSphere networking stack there are no vSphere Pods, and Harbor runs as vSphere Pods. The controller
//   1. takes the next free address of the Supervisor's ingress CIDRs for Harbor's UI and registry;
//   2. makes the system namespace vmware-system-registry-<id> (a resource pool under Namespaces and a
//      Supervisor namespace) and Harbor's pods in it, which the Supervisor schedules and the Spherelets
//      run as vSphere Pods in CRXs like any other (pods.ts counts this namespace as a vSphere Namespace);
//   3. once every pod runs and Harbor has initialised, reports RUNNING (WARNING while a pod is down, and
//      recreates a pod that was evicted), and keeps a project per vSphere Namespace, created and removed
//      with the namespace, its members following the namespace's permissions.
// Deleting the Registry (disable) removes the projects with their images, the pods, namespace and pool.
// The Registry is its own object rather than fields on the Supervisor: it has its own lifecycle, finalizer
// and teardown, and vCenter's API keeps it apart from the cluster's Workload Management settings too.
import type { AdmissionPlugin } from '../../api/admission';
import type { ApiClient } from '../../api/client';
import { rfc3339 } from '../../api/environment';
import { statusFailure } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import { lifecycle } from '../lifecycle';
import { keyFor, splitKey, type Controller } from '../runtime/controllers';
import { formatIp, parseCidr } from '../vcenter/ipv4';
import { GROUP, VCENTER } from '../vcenter/kinds';
import { namespacesPoolName } from '../vcenter/scenario';
import type { World } from '../world';
import type { SupervisorSpec } from './admission';
import { SUPERVISOR_SPACE, type SupervisorStatus } from './controller';
import {
  HARBOR_COMPONENTS,
  HARBOR_VERSION,
  harborImage,
  projectSpec,
  REGISTRY_NAMESPACE_PREFIX,
  registrySpec,
  registryStatus,
} from './harbor';
import { syncProjects, storageUsed } from './harborProjects';
import { supervisorOf } from './namespaces';
import type { RegistryStatus } from './registryKinds';
import { freeSegment, heldSegments } from './segments';

const FINALIZER = 'vcenter.lab/image-registry';
const COMPONENT_LABEL = 'vmware-system-registry/component';

const refuse = (message: string) => statusFailure(422, 'Invalid', message, { kind: 'registries' });

/** vCenter's checks when the administrator enables Harbor; the message says what to do instead. */
export function registryAdmission(client: (space: string) => ApiClient): AdmissionPlugin {
  const isRegistry = (k: { group: string; kind: string }, cluster: string) =>
    k.group === GROUP && k.kind === 'Registry' && cluster === VCENTER;
  return {
    name: 'ImageRegistry',
    mutate(a) {
      if (a.operation !== 'CREATE' || !isRegistry(a.kind, a.cluster) || !a.object) return;
      a.object.metadata.finalizers = [...new Set([...(a.object.metadata.finalizers ?? []), FINALIZER])];
    },
    validate(a) {
      if (!isRegistry(a.kind, a.cluster) || !a.object || a.subresource) return;
      const spec = (a.object.spec ?? {}) as Partial<{ cluster: string; storagePolicy: string }>;
      if (a.operation === 'UPDATE') {
        const old = (a.oldObject?.spec ?? {}) as typeof spec;
        if (old.cluster !== spec.cluster || old.storagePolicy !== spec.storagePolicy)
          throw refuse(
            'the cluster and storage policy of an enabled registry cannot change: disable it first',
          );
        return;
      }
      if (a.operation !== 'CREATE') return;
      const vc = client(VCENTER);
      const cluster = spec.cluster ?? '';
      if (a.name !== cluster)
        throw refuse(`a registry is named after its cluster: name it "${cluster}", not "${a.name}"`);
      const sup = supervisorOf(vc, cluster);
      if (!sup || sup.metadata.deletionTimestamp)
        throw refuse(
          `Workload Management is not enabled on ${cluster || 'that cluster'}: the embedded Harbor registry runs on a Supervisor`,
        );
      if ((sup.spec as SupervisorSpec).networkProvider === 'VSPHERE_NETWORK')
        throw refuse(
          `the embedded Harbor registry is not available on ${cluster}: its Supervisor runs on the vSphere networking stack, which has no Spherelet and no vSphere Pods, and Harbor runs as vSphere Pods (it needs a Supervisor on NSX-T). Use an external registry for Tanzu Kubernetes clusters instead`,
        );
      const phase = (sup.status as SupervisorStatus | undefined)?.configStatus;
      if (phase !== 'RUNNING')
        throw refuse(
          `the Supervisor on ${cluster} is not running yet (${phase ?? 'CONFIGURING'}): enable Harbor once it runs`,
        );
      if (!spec.storagePolicy || !vc.tryGet('storagepolicies', '', spec.storagePolicy)) {
        const policies = vc.list('storagepolicies').items.map((p) => p.metadata.name!);
        throw refuse(
          `${spec.storagePolicy ? `storage policy "${spec.storagePolicy}" not found` : 'a storage policy is required'} (storage policies: ${policies.join(', ') || 'none'})`,
        );
      }
    },
  };
}

export function registryController(w: World): Controller {
  const all = () => w.vc.list('registries').items.map((r) => keyFor(VCENTER, '', r.metadata.name!));
  return {
    name: 'image-registry',
    watches: [
      { group: GROUP, kind: 'Registry' },
      { group: GROUP, kind: 'Supervisor', map: all },
      { group: GROUP, kind: 'VSphereNamespace', map: all },
      {
        group: GROUP,
        kind: 'HarborProject',
        map: (o) => [keyFor(VCENTER, '', projectSpec(o).registry)],
      },
      {
        group: '',
        kind: 'Pod',
        map: (o, cluster) =>
          cluster === SUPERVISOR_SPACE && o.metadata.namespace?.startsWith(REGISTRY_NAMESPACE_PREFIX)
            ? all()
            : [],
      },
    ],
    reconcile(key) {
      const { cluster, name } = splitKey(key);
      if (cluster !== VCENTER) return;
      const reg = w.vc.tryGet('registries', '', name);
      if (!reg) return;
      return reg.metadata.deletionTimestamp ? remove(w, reg) : configure(w, reg);
    },
  };
}

/** The next address of the ingress CIDRs that neither the API endpoint nor a load balancer holds. */
function allocateAddress(w: World, sup: KubeObject, self: string): string | undefined {
  const spec = sup.spec as SupervisorSpec;
  const taken = new Set<string>();
  const st = (sup.status ?? {}) as SupervisorStatus;
  if (st.apiEndpoint) taken.add(st.apiEndpoint);
  for (const r of w.vc.list('registries').items)
    if (r.metadata.name !== self && registryStatus(r).ip) taken.add(registryStatus(r).ip!);
  if (w.api.hasApiSpace(SUPERVISOR_SPACE))
    for (const svc of w.k8s(SUPERVISOR_SPACE).list('services').items)
      for (const i of (svc.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined)
        ?.loadBalancer?.ingress ?? [])
        if (i.ip) taken.add(i.ip);
  for (const text of spec.ingressCIDRs ?? []) {
    const r = parseCidr(text);
    if (!r) continue;
    for (let ip = r.first + 1; ip < r.last; ip++) if (!taken.has(formatIp(ip))) return formatIp(ip);
  }
  return undefined;
}

function harborPod(ns: string, component: string, registry: string): KubeObject {
  const big = component === 'harbor-database' || component === 'harbor-registry';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: component,
      namespace: ns,
      labels: { app: 'harbor', [COMPONENT_LABEL]: component.replace(/^harbor-/, ''), registry },
    },
    spec: {
      restartPolicy: 'Always',
      containers: [
        {
          name: component.replace(/^harbor-/, ''),
          image: harborImage(component),
          resources: {
            requests: { cpu: '100m', memory: big ? '256Mi' : '128Mi' },
            limits: { cpu: '1', memory: big ? '1Gi' : '512Mi' },
          },
        },
      ],
    },
  };
}

/** Running and Ready: a pod whose host failed keeps its phase but is no longer Ready. */
const podReady = (p: KubeObject): boolean => {
  const s = (p.status ?? {}) as { phase?: string; conditions?: { type: string; status: string }[] };
  return s.phase === 'Running' && s.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
};

/** Why a pod is not running, as kubectl get pods would say it. */
function podState(p: KubeObject | undefined): string {
  if (!p) return 'missing';
  const s = (p.status ?? {}) as {
    phase?: string;
    containerStatuses?: { state?: { waiting?: { reason?: string } } }[];
  };
  const waiting = s.containerStatuses?.find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
  if (waiting) return waiting;
  if (s.phase === 'Running')
    return `not ready on ${(p.spec as { nodeName?: string }).nodeName ?? 'its node'}`;
  return s.phase ?? 'Pending';
}

function configure(w: World, reg: KubeObject): { requeueAfterMs: number } | undefined {
  const name = reg.metadata.name!;
  const spec = registrySpec(reg);
  const st: RegistryStatus = { ...registryStatus(reg) };
  const now = w.now();
  const stamp = (ms: number) => rfc3339(new Date(ms));
  const sup = supervisorOf(w.vc, spec.cluster);
  // Workload Management disabled: Harbor goes with the Supervisor
  if (!sup || sup.metadata.deletionTimestamp) {
    w.vc.delete('registries', '', name);
    return undefined;
  }
  if ((sup.spec as SupervisorSpec).networkProvider === 'VSPHERE_NETWORK') {
    setStatus(w, reg, {
      ...st,
      health: 'ERROR',
      messages: [
        {
          severity: 'ERROR',
          details:
            'Harbor needs vSphere Pods, which a Supervisor on the vSphere networking stack does not have',
        },
      ],
    });
    return undefined;
  }
  if (!st.health) {
    st.health = 'STARTING';
    w.recorder.event(
      w.vc,
      reg,
      'Normal',
      'EnablingImageRegistry',
      `Enabling the embedded Harbor registry on ${spec.cluster} (storage policy ${spec.storagePolicy})`,
      'wcp',
    );
  }
  st.version = HARBOR_VERSION;
  st.namespace ??= `${REGISTRY_NAMESPACE_PREFIX}${1_000_000_000 + w.random.int(8_999_999_999)}`;
  st.ip ??= allocateAddress(w, sup, name);
  if (!st.ip) {
    setStatus(w, reg, {
      ...st,
      health: 'ERROR',
      messages: [
        { severity: 'ERROR', details: `no free address left in the ingress CIDRs of ${spec.cluster}` },
      ],
    });
    return undefined;
  }
  st.uiAccessUrl = `https://${st.ip}`;
  st.segment ??= freeSegment(sup, heldSegments(w, { registry: name }), true);
  const ns = st.namespace;

  // 1. The system namespace: a resource pool under Namespaces, and the Supervisor namespace.
  const owner = {
    apiVersion: `${GROUP}/v1`,
    kind: 'Registry',
    name,
    uid: reg.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
  if (!w.vc.tryGet('resourcepools', '', ns))
    w.vc.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'ResourcePool',
      metadata: { name: ns, ownerReferences: [owner] },
      spec: {
        cluster: spec.cluster,
        parent: namespacesPoolName(spec.cluster),
        namespace: ns,
        cpu: { reservationMHz: 0, limitMHz: -1, shares: 'normal' },
        memory: { reservationMB: 0, limitMB: -1, shares: 'normal' },
      },
    });
  const k = w.k8s(SUPERVISOR_SPACE);
  const kns = k.tryGet('namespaces', '', ns);
  if (!kns)
    k.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: { vSphereClusterID: `domain-${spec.cluster}` },
        annotations: {
          'vmware-system-resource-pool': ns,
          'vmware-system-vm-folder': `Namespaces/${ns}`,
          ...(st.segment ? { 'ncp/subnet-0': st.segment } : {}),
        },
      },
    });
  else if (kns.metadata.deletionTimestamp) return { requeueAfterMs: 1000 };

  // 2. Harbor's pods, as vSphere Pods; one evicted (its host failed, or went into maintenance) comes back.
  const pods = new Map(
    k
      .list('pods', { namespace: ns })
      .items.filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => [p.metadata.name!, p]),
  );
  for (const c of HARBOR_COMPONENTS) if (!pods.has(c)) pods.set(c, k.create(harborPod(ns, c, name)));
  const down = HARBOR_COMPONENTS.filter((c) => !podReady(pods.get(c)!));
  st.podsTotal = HARBOR_COMPONENTS.length;
  st.podsReady = st.podsTotal - down.length;

  // 3. Health: Harbor initialises (database schema, core, job service) once its pods first all run.
  let wake: number | undefined;
  if (!down.length && !st.initDoneAt) st.initDoneAt = stamp(now + lifecycle.harborInit);
  const initialised = Boolean(st.initDoneAt) && Date.parse(st.initDoneAt!) <= now;
  if (st.initDoneAt && !initialised) wake = Date.parse(st.initDoneAt) - now;
  const byReason = new Map<string, string[]>();
  for (const c of down) {
    const reason = podState(pods.get(c));
    byReason.set(reason, [...(byReason.get(reason) ?? []), c]);
  }
  const why = [...byReason]
    .map(([reason, cs]) => `${cs.join(', ')} ${cs.length === 1 ? 'is' : 'are'} not running (${reason})`)
    .join('; ');
  if (!initialised) {
    st.health = 'STARTING';
    st.messages = [
      {
        severity: 'INFO',
        details: down.length
          ? `${st.podsReady}/${st.podsTotal} Harbor pods running`
          : 'Harbor is initialising its database and services',
      },
    ];
  } else if (down.length) {
    if (st.health !== 'WARNING')
      w.recorder.event(
        w.vc,
        reg,
        'Warning',
        'ImageRegistryDegraded',
        `Harbor on ${spec.cluster}: ${why}`,
        'wcp',
      );
    st.health = 'WARNING';
    st.messages = [{ severity: 'WARNING', details: why }];
  } else {
    if (st.health !== 'RUNNING') {
      if (!st.runningSince)
        w.recorder.event(
          w.vc,
          reg,
          'Normal',
          'ImageRegistryRunning',
          `The embedded Harbor registry runs on ${spec.cluster} at ${st.uiAccessUrl}`,
          'wcp',
        );
      st.runningSince ??= stamp(now);
    }
    st.health = 'RUNNING';
    st.messages = [];
  }
  const cond = (type: string, ok: boolean, message: string) => ({
    type,
    status: ok ? 'True' : 'False',
    reason: ok ? type : `Not${type}`,
    message,
  });
  const conditions = [
    cond('PodsReady', !down.length, down.length ? why : `${st.podsTotal} Harbor pods running`),
    cond('Initialised', initialised, initialised ? 'Harbor is initialised' : 'Harbor is initialising'),
  ];
  const prev = new Map((st.conditions ?? []).map((c) => [c.type, c]));
  st.conditions = conditions.map((c) => {
    const old = prev.get(c.type);
    return { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : stamp(now) };
  });

  // 4. Projects: one per vSphere Namespace of the cluster, once Harbor runs.
  if (initialised) syncProjects(w, reg, owner);
  st.storageUsedMB = storageUsed(w, name);
  setStatus(w, reg, st);
  return wake === undefined ? undefined : { requeueAfterMs: wake };
}

function setStatus(w: World, reg: KubeObject, st: RegistryStatus): void {
  const clean = JSON.parse(JSON.stringify(st)) as object;
  if (JSON.stringify(reg.status ?? {}) !== JSON.stringify(clean))
    w.vc.updateStatus({ ...reg, status: clean });
}

/** Disable: the projects and their images, then Harbor's pods, namespace and pool; then the Registry. */
function remove(w: World, reg: KubeObject): { requeueAfterMs: number } | undefined {
  const name = reg.metadata.name!;
  const st: RegistryStatus = { ...registryStatus(reg) };
  if (st.health !== 'DELETING') {
    setStatus(w, reg, { ...st, health: 'DELETING', messages: [] });
    w.recorder.event(
      w.vc,
      reg,
      'Normal',
      'DisablingImageRegistry',
      `Disabling the embedded Harbor registry on ${registrySpec(reg).cluster}`,
      'wcp',
    );
  }
  for (const p of w.vc.list('harborprojects').items)
    if (projectSpec(p).registry === name && !p.metadata.deletionTimestamp)
      w.vc.delete('harborprojects', '', p.metadata.name!);
  const ns = st.namespace;
  if (ns && w.api.hasApiSpace(SUPERVISOR_SPACE)) {
    const k = w.k8s(SUPERVISOR_SPACE);
    const kns = k.tryGet('namespaces', '', ns);
    if (kns && !kns.metadata.deletionTimestamp) k.delete('namespaces', '', ns);
    if (k.tryGet('namespaces', '', ns)) return { requeueAfterMs: 1000 };
    // the Spherelets remove the CRXs of the deleted pods
    const crxs = w.vc
      .list('virtualmachines')
      .items.filter(
        (v) =>
          (v.spec as { role?: string; namespace?: string }).role === 'crx' &&
          (v.spec as { namespace?: string }).namespace === ns,
      );
    if (crxs.length) return { requeueAfterMs: 1000 };
  }
  if (ns && w.vc.tryGet('resourcepools', '', ns)) w.vc.delete('resourcepools', '', ns);
  const latest = w.vc.get('registries', '', name);
  w.vc.patch('registries', '', name, 'merge', {
    metadata: {
      finalizers: (latest.metadata.finalizers ?? []).filter((f) => f !== FINALIZER),
      resourceVersion: latest.metadata.resourceVersion,
    },
  });
  w.recorder.event(
    w.vc,
    reg,
    'Normal',
    'ImageRegistryDisabled',
    `The embedded Harbor registry on ${registrySpec(reg).cluster} is disabled`,
    'wcp',
  );
  return undefined;
}
