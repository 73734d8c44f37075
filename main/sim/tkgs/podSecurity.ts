// Pod security in a guest cluster, as each TKr runs it:
//   - up to v1.24, the PodSecurityPolicy admission controller. A pod is admitted only under a policy that
//     the requesting user or the pod's service account may `use` (RBAC). A learner (cluster-admin) may
//     use every policy, so a bare pod runs; a Deployment's pods are created by the ReplicaSet controller
//     under the pod's service account, which is bound to none until someone binds a PSP role, so they
//     are refused: the classic surprise, solved with a binding to `psp:vmware-system-privileged`.
//   - v1.25, Pod Security Admission in warn mode: `restricted` violations come back as warnings.
//   - v1.26 and later, Pod Security Admission enforcing `restricted`, unless a namespace is labelled
//     otherwise (`pod-security.kubernetes.io/enforce=privileged`).
// The TKG Service's system namespaces are exempt, as they are on the real clusters.
import { forbidden } from '../../api/errors';
import type { AdmissionPlugin } from '../../api/admission';
import type { ApiClient } from '../../api/client';
import { pspSpec, type PspSpec, type RbacSubject } from '../../api/kinds/rbac';
import type { KubeObject, UserInfo } from '../../api/types';
import type { World } from '../world';
import { tkcOfSpace } from '../supervisor/access';
import { tkcSpec } from './admission';

export const PSP_ANNOTATION = 'kubernetes.io/psp';
const EXEMPT = /^(kube-system|vmware-system-.*|tkg-system)$/;
const RBAC = 'rbac.authorization.k8s.io';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs?: string[];
}
interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type?: string };
}
interface Container {
  name: string;
  image?: string;
  securityContext?: SecurityContext;
  ports?: { hostPort?: number }[];
}
interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  serviceAccountName?: string;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: SecurityContext;
  volumes?: Record<string, unknown>[];
}

/** The Kubernetes minor version a guest cluster runs (its TKr's), or undefined for another space. */
export function guestMinor(w: World, space: string): number | undefined {
  const t = tkcOfSpace(space);
  if (!t || w.api.flavorOf(space) !== 'guest') return undefined;
  const tkc = w.k8s('supervisor').tryGet('tanzukubernetesclusters.run.tanzu.vmware.com', t.namespace, t.name);
  if (!tkc) return undefined;
  const ver =
    (tkc.status as { version?: string } | undefined)?.version ??
    tkcSpec(tkc).topology?.controlPlane?.tkr?.reference?.name ??
    '';
  const m = /^v?1\.(\d+)/.exec(ver);
  return m ? Number(m[1]) : undefined;
}

/** Whether a subject (user and groups) may `verb` on `resource` named `name`, by the cluster's RBAC. */
export function rbacAllows(
  g: RbacView,
  who: { user: string; groups: readonly string[] },
  namespace: string,
  group: string,
  resource: string,
  verb: string,
  name: string,
): boolean {
  const matches = (s: RbacSubject, bindingNs: string) =>
    (s.kind === 'User' && s.name === who.user) ||
    (s.kind === 'Group' && who.groups.includes(s.name)) ||
    (s.kind === 'ServiceAccount' &&
      who.user === `system:serviceaccount:${s.namespace ?? bindingNs}:${s.name}`);
  const ruleAllows = (r: Rule) =>
    (r.verbs ?? []).some((v) => v === '*' || v === verb) &&
    (r.apiGroups ?? []).some((x) => x === '*' || x === group) &&
    (r.resources ?? []).some((x) => x === '*' || x === resource) &&
    (!r.resourceNames?.length || r.resourceNames.includes(name));
  const roleAllows = (kind: string, roleName: string, ns: string) => {
    const role = g.role(kind, kind === 'ClusterRole' ? '' : ns, roleName);
    return ((role?.rules as Rule[] | undefined) ?? []).some(ruleAllows);
  };
  const bound = (b: KubeObject, ns: string) => {
    const ref = b.roleRef as { kind?: string; name?: string } | undefined;
    return (
      ((b.subjects as RbacSubject[] | undefined) ?? []).some((s) => matches(s, ns)) &&
      roleAllows(ref?.kind ?? '', ref?.name ?? '', ns)
    );
  };
  if (g.clusterRoleBindings().some((b) => bound(b, ''))) return true;
  return namespace ? g.roleBindings(namespace).some((b) => bound(b, namespace)) : false;
}

/** What RBAC decisions read in a cluster: its bindings, roles and pod security policies. */
export interface RbacView {
  clusterRoleBindings(): KubeObject[];
  roleBindings(namespace: string): KubeObject[];
  role(kind: string, namespace: string, name: string): KubeObject | undefined;
  podSecurityPolicies(): KubeObject[];
}

/** A cluster's RBAC objects read through a client, each list once: the admission keeps a view until one of them is written. */
export function rbacView(g: ApiClient): RbacView {
  const memo = new Map<string, unknown>();
  const once = <T>(key: string, read: () => T): T => {
    if (!memo.has(key)) memo.set(key, read());
    return memo.get(key) as T;
  };
  return {
    clusterRoleBindings: () => once('crb', () => g.list(`clusterrolebindings.${RBAC}`).items),
    roleBindings: (ns) => once(`rb/${ns}`, () => g.list(`rolebindings.${RBAC}`, { namespace: ns }).items),
    role: (kind, ns, name) =>
      once(`${kind}/${ns}/${name}`, () =>
        kind === 'ClusterRole'
          ? g.tryGet(`clusterroles.${RBAC}`, '', name)
          : kind === 'Role'
            ? g.tryGet(`roles.${RBAC}`, ns, name)
            : undefined,
      ),
    podSecurityPolicies: () => once('psp', () => g.list('podsecuritypolicies.policy').items),
  };
}

const allContainers = (s: PodSpec): { c: Container; path: string }[] => [
  ...(s.initContainers ?? []).map((c, i) => ({ c, path: `spec.initContainers[${i}]` })),
  ...(s.containers ?? []).map((c, i) => ({ c, path: `spec.containers[${i}]` })),
];

const volumeType = (v: Record<string, unknown>): string =>
  Object.keys(v).find((k) => k !== 'name') ?? 'emptyDir';

/** What a policy refuses in a pod, in the admission controller's words (empty: the pod fits). */
function pspViolations(spec: PodSpec, p: PspSpec): string[] {
  const out: string[] = [];
  if (spec.hostNetwork && !p.hostNetwork)
    out.push('spec.securityContext.hostNetwork: Invalid value: true: Host network is not allowed to be used');
  if (spec.hostPID && !p.hostPID)
    out.push('spec.securityContext.hostPID: Invalid value: true: Host PID is not allowed to be used');
  if (spec.hostIPC && !p.hostIPC)
    out.push('spec.securityContext.hostIPC: Invalid value: true: Host IPC is not allowed to be used');
  const allowedVolumes = p.volumes ?? [];
  (spec.volumes ?? []).forEach((v, i) => {
    const t = volumeType(v);
    if (!allowedVolumes.includes('*') && !allowedVolumes.includes(t))
      out.push(`spec.volumes[${i}]: Invalid value: "${t}": ${t} volumes are not allowed to be used`);
  });
  for (const { c, path } of allContainers(spec)) {
    const sc = c.securityContext ?? {};
    if (sc.privileged && !p.privileged)
      out.push(
        `${path}.securityContext.privileged: Invalid value: true: Privileged containers are not allowed`,
      );
    if (sc.allowPrivilegeEscalation && p.allowPrivilegeEscalation === false)
      out.push(
        `${path}.securityContext.allowPrivilegeEscalation: Invalid value: true: Allowing privilege escalation for containers is not allowed`,
      );
    const allowedCaps = p.allowedCapabilities ?? [];
    for (const cap of sc.capabilities?.add ?? [])
      if (!allowedCaps.includes('*') && !allowedCaps.includes(cap))
        out.push(
          `${path}.securityContext.capabilities.add: Invalid value: "${cap}": capability may not be added`,
        );
    if (p.runAsUser?.rule === 'MustRunAsNonRoot') {
      const uid = sc.runAsUser ?? spec.securityContext?.runAsUser;
      if (uid === 0)
        out.push(
          `${path}.securityContext.runAsUser: Invalid value: 0: running with the root UID is forbidden`,
        );
      if ((sc.runAsNonRoot ?? spec.securityContext?.runAsNonRoot) === false)
        out.push(`${path}.securityContext.runAsNonRoot: Invalid value: false: must be true`);
    }
  }
  return out;
}

/** What a policy changes in a pod it admits (MustRunAsNonRoot sets runAsNonRoot, escalation defaults off). */
function applyPolicy(spec: PodSpec, p: PspSpec): boolean {
  let changed = false;
  for (const { c } of allContainers(spec)) {
    const sc = { ...(c.securityContext ?? {}) };
    if (p.allowPrivilegeEscalation === false && sc.allowPrivilegeEscalation === undefined) {
      sc.allowPrivilegeEscalation = false;
      changed = true;
    }
    if (
      p.runAsUser?.rule === 'MustRunAsNonRoot' &&
      sc.runAsNonRoot === undefined &&
      spec.securityContext?.runAsNonRoot === undefined &&
      sc.runAsUser === undefined &&
      spec.securityContext?.runAsUser === undefined
    ) {
      sc.runAsNonRoot = true;
      changed = true;
    }
    if (p.requiredDropCapabilities?.length) {
      const drop = new Set(sc.capabilities?.drop ?? []);
      for (const d of p.requiredDropCapabilities)
        if (!drop.has(d)) {
          drop.add(d);
          changed = true;
        }
      sc.capabilities = { ...(sc.capabilities ?? {}), drop: [...drop] };
    }
    c.securityContext = sc;
  }
  return changed;
}

/** Pod Security Standards' restricted profile: what a pod breaks, as the admission message lists it. */
export function restrictedViolations(spec: PodSpec): string[] {
  const out: string[] = [];
  const cs = allContainers(spec).map((x) => x.c);
  const names = (f: (c: Container) => boolean) =>
    cs
      .filter(f)
      .map((c) => `"${c.name}"`)
      .join(', ');
  const plural = (n: string) => (n.includes(',') ? 'containers' : 'container');
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC)
    out.push(
      `host namespaces (${[
        spec.hostNetwork ? 'hostNetwork=true' : '',
        spec.hostPID ? 'hostPID=true' : '',
        spec.hostIPC ? 'hostIPC=true' : '',
      ]
        .filter(Boolean)
        .join(', ')})`,
    );
  const priv = names((c) => c.securityContext?.privileged === true);
  if (priv) out.push(`privileged (${plural(priv)} ${priv} must not set securityContext.privileged=true)`);
  const esc = names((c) => c.securityContext?.allowPrivilegeEscalation !== false);
  if (esc)
    out.push(
      `allowPrivilegeEscalation != false (${plural(esc)} ${esc} must set securityContext.allowPrivilegeEscalation=false)`,
    );
  const caps = names((c) => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL'));
  if (caps)
    out.push(
      `unrestricted capabilities (${plural(caps)} ${caps} must set securityContext.capabilities.drop=["ALL"])`,
    );
  const podNonRoot = spec.securityContext?.runAsNonRoot === true;
  const root = names((c) => !(c.securityContext?.runAsNonRoot ?? podNonRoot));
  if (root)
    out.push(
      `runAsNonRoot != true (pod or ${plural(root)} ${root} must set securityContext.runAsNonRoot=true)`,
    );
  const podSeccomp = spec.securityContext?.seccompProfile?.type;
  const seccomp = names((c) => {
    const t = c.securityContext?.seccompProfile?.type ?? podSeccomp;
    return t !== 'RuntimeDefault' && t !== 'Localhost';
  });
  if (seccomp)
    out.push(
      `seccompProfile (pod or ${plural(seccomp)} ${seccomp} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`,
    );
  return out;
}

const WORKLOADS: Record<string, (o: KubeObject) => PodSpec | undefined> = {
  Deployment: (o) => (o.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec,
  ReplicaSet: (o) => (o.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec,
  StatefulSet: (o) => (o.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec,
  DaemonSet: (o) => (o.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec,
  Job: (o) => (o.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec,
};

/** The identity a pod is admitted for: the user's, or for a controller's pod its service account's. */
function subjectOf(
  pod: KubeObject,
  user: UserInfo,
  ns: string,
): { user: string; groups: readonly string[] } | 'system' {
  const controlled = (pod.metadata.ownerReferences ?? []).some((r) => r.controller);
  if (user.groups.includes('system:masters') && !controlled) return 'system';
  if (user.groups.includes('system:masters') || user.username.startsWith('system:serviceaccount:')) {
    const sa = (pod.spec as PodSpec | undefined)?.serviceAccountName || 'default';
    return {
      user: `system:serviceaccount:${ns}:${sa}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
    };
  }
  return { user: user.username, groups: user.groups };
}

export function guestPodSecurityAdmission(w: World): AdmissionPlugin {
  // each guest cluster's RBAC objects as read last, until one of them changes (or a write rolls back)
  const views = new Map<string, RbacView>();
  const RBAC_KINDS = [
    ['policy', 'PodSecurityPolicy'],
    [RBAC, 'ClusterRoleBinding'],
    [RBAC, 'RoleBinding'],
    [RBAC, 'ClusterRole'],
    [RBAC, 'Role'],
  ] as const;
  // forgotten as a write of one is admitted (before it commits), and as one commits (the garbage
  // collector's deletes skip admission)
  const isRbac = (group: string, kind: string) => RBAC_KINDS.some(([g, k]) => g === group && k === kind);
  for (const [group, kind] of RBAC_KINDS)
    w.api.hub.inform(group, kind, (_type, _obj, cluster) => views.delete(cluster));
  w.api.objects.store.onRollback(() => views.clear());
  const viewOf = (space: string) => {
    let v = views.get(space);
    if (!v) views.set(space, (v = rbacView(w.k8s(space))));
    return v;
  };
  return {
    name: 'PodSecurity',
    mutate(a) {
      if (isRbac(a.kind.group, a.kind.kind)) views.delete(a.cluster);
      if (a.operation !== 'CREATE' || a.kind.group !== '' || a.kind.kind !== 'Pod' || a.subresource) return;
      const minor = guestMinor(w, a.cluster);
      if (minor === undefined || minor > 24 || EXEMPT.test(a.namespace) || !a.object) return;
      const pod = a.object;
      const subject = subjectOf(pod, a.user, a.namespace);
      if (subject === 'system') return;
      const rbac = viewOf(a.cluster);
      // a human here is cluster-admin (guest-cluster-auth-svc's binding), who may use every policy
      const human = !a.user.groups.includes('system:masters') && !a.user.username.startsWith('system:');
      const policies = rbac
        .podSecurityPolicies()
        .filter(
          (p) =>
            human ||
            rbacAllows(rbac, subject, a.namespace, 'policy', 'podsecuritypolicies', 'use', p.metadata.name!),
        )
        // as the controller orders them: policies that admit the pod unchanged first, then by name
        .sort((x, y) => (x.metadata.name! < y.metadata.name! ? -1 : 1));
      // the name as admission sees it: a generated name is not made yet (web-7d9c6f8b5-)
      const name = pod.metadata.generateName || pod.metadata.name || '';
      const refuse = (reasons: string[]) =>
        forbidden(
          `pods "${name}" is forbidden: PodSecurityPolicy: unable to admit pod: [${reasons.join(' ')}]`,
          { group: '', resource: 'pods', name },
        );
      const reasons: string[] = [];
      const fits = policies.filter((p) => {
        const v = pspViolations((pod.spec ?? {}) as PodSpec, pspSpec(p));
        reasons.push(...v);
        return v.length === 0;
      });
      const unchanged = fits.find((p) => {
        const copy = JSON.parse(JSON.stringify(pod.spec ?? {})) as PodSpec;
        return !applyPolicy(copy, pspSpec(p));
      });
      const chosen = unchanged ?? fits[0];
      if (!chosen) throw refuse(reasons);
      applyPolicy((pod.spec ?? {}) as PodSpec, pspSpec(chosen));
      pod.metadata.annotations = {
        ...(pod.metadata.annotations ?? {}),
        [PSP_ANNOTATION]: chosen.metadata.name!,
      };
    },
    validate(a) {
      if (a.operation !== 'CREATE' || a.subresource || EXEMPT.test(a.namespace) || !a.object) return;
      const podSpecOf =
        a.kind.group === '' && a.kind.kind === 'Pod'
          ? (o: KubeObject) => o.spec as PodSpec | undefined
          : ['apps', 'batch'].includes(a.kind.group)
            ? WORKLOADS[a.kind.kind]
            : undefined;
      if (!podSpecOf) return;
      const minor = guestMinor(w, a.cluster);
      if (minor === undefined || minor < 25) return;
      const g = w.k8s(a.cluster);
      const nsLabels = g.tryGet('namespaces', '', a.namespace)?.metadata.labels ?? {};
      const enforce =
        nsLabels['pod-security.kubernetes.io/enforce'] ?? (minor >= 26 ? 'restricted' : 'privileged');
      const warn = nsLabels['pod-security.kubernetes.io/warn'] ?? 'restricted';
      const spec = podSpecOf(a.object);
      if (!spec) return;
      const v = restrictedViolations(spec);
      if (!v.length) return;
      const name = a.object.metadata.name || a.object.metadata.generateName || '';
      if (a.kind.kind === 'Pod' && enforce === 'restricted')
        throw forbidden(
          `pods "${name}" is forbidden: violates PodSecurity "restricted:latest": ${v.join(', ')}`,
          { group: '', resource: 'pods', name },
        );
      if (warn === 'restricted' || (a.kind.kind !== 'Pod' && enforce === 'restricted'))
        a.warnings?.push(`would violate PodSecurity "restricted:latest": ${v.join(', ')}`);
    },
  };
}

/** The policies, roles and bindings a TKGS guest cluster starts with (the TKG Service's defaultpsp add-on). */
export function defaultPodSecurity(g: ApiClient, minor: number): void {
  const ensure = (ref: string, o: KubeObject) => {
    if (!g.tryGet(ref, o.metadata.namespace ?? '', o.metadata.name!)) g.create(o);
  };
  const clusterRole = (name: string, rules: Rule[]) =>
    ensure(`clusterroles.${RBAC}`, {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name },
      rules,
    } as KubeObject);
  const all: Rule = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
  clusterRole('cluster-admin', [all]);
  const workloads = [
    'pods',
    'deployments',
    'replicasets',
    'statefulsets',
    'daemonsets',
    'jobs',
    'cronjobs',
    'services',
    'configmaps',
    'secrets',
    'persistentvolumeclaims',
    'serviceaccounts',
    'ingresses',
  ];
  clusterRole('admin', [
    { apiGroups: ['', 'apps', 'batch', 'networking.k8s.io'], resources: workloads, verbs: ['*'] },
    { apiGroups: [RBAC], resources: ['roles', 'rolebindings'], verbs: ['*'] },
  ]);
  clusterRole('edit', [
    { apiGroups: ['', 'apps', 'batch', 'networking.k8s.io'], resources: workloads, verbs: ['*'] },
  ]);
  clusterRole('view', [
    {
      apiGroups: ['', 'apps', 'batch', 'networking.k8s.io'],
      resources: workloads.filter((r) => r !== 'secrets'),
      verbs: ['get', 'list', 'watch'],
    },
  ]);
  ensure(`clusterrolebindings.${RBAC}`, {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'cluster-admin' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: RBAC, kind: 'Group', name: 'system:masters' }],
  } as KubeObject);
  if (minor > 24) return;
  const psp = (name: string, spec: PspSpec) =>
    ensure('podsecuritypolicies.policy', {
      apiVersion: 'policy/v1beta1',
      kind: 'PodSecurityPolicy',
      metadata: {
        name,
        annotations: {
          'seccomp.security.alpha.kubernetes.io/allowedProfileNames': name.endsWith('privileged')
            ? '*'
            : 'docker/default,runtime/default',
        },
      },
      spec,
    } as KubeObject);
  psp('vmware-system-privileged', {
    privileged: true,
    allowPrivilegeEscalation: true,
    allowedCapabilities: ['*'],
    volumes: ['*'],
    hostNetwork: true,
    hostPID: true,
    hostIPC: true,
    readOnlyRootFilesystem: false,
    runAsUser: { rule: 'RunAsAny' },
    seLinux: { rule: 'RunAsAny' },
    supplementalGroups: { rule: 'RunAsAny' },
    fsGroup: { rule: 'RunAsAny' },
  });
  psp('vmware-system-restricted', {
    privileged: false,
    allowPrivilegeEscalation: false,
    requiredDropCapabilities: ['ALL'],
    volumes: ['configMap', 'emptyDir', 'projected', 'secret', 'downwardAPI', 'persistentVolumeClaim'],
    hostNetwork: false,
    hostPID: false,
    hostIPC: false,
    readOnlyRootFilesystem: false,
    runAsUser: { rule: 'MustRunAsNonRoot' },
    seLinux: { rule: 'RunAsAny' },
    supplementalGroups: { rule: 'MustRunAs' },
    fsGroup: { rule: 'MustRunAs' },
  });
  for (const p of ['vmware-system-privileged', 'vmware-system-restricted'])
    clusterRole(`psp:${p}`, [
      { apiGroups: ['policy'], resources: ['podsecuritypolicies'], resourceNames: [p], verbs: ['use'] },
    ]);
  // the system's own service accounts run privileged; nobody else is bound to a policy
  ensure(`rolebindings.${RBAC}`, {
    apiVersion: `${RBAC}/v1`,
    kind: 'RoleBinding',
    metadata: { name: 'psp:vmware-system-privileged-kube-system', namespace: 'kube-system' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'psp:vmware-system-privileged' },
    subjects: [{ apiGroup: RBAC, kind: 'Group', name: 'system:serviceaccounts:kube-system' }],
  } as KubeObject);
}
