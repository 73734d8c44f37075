// rbac.authorization.k8s.io/v1 (Role, ClusterRole and their bindings) and policy/v1beta1
// PodSecurityPolicy, as a guest cluster serves them: what a learner binds to let a Deployment's pods past
// the PodSecurityPolicy admission controller (`kubectl create clusterrolebinding … --clusterrole=psp:…`).
// The Supervisor's own permissions come from vCenter (see sim/supervisor/authorizer), so these kinds are
// the guest clusters'.
import type { KindDefinition, PrinterColumn } from '../registry';
import { arr, bool, int, obj, str, stringMap } from '../schema';
import type { KubeObject } from '../types';
import { ageColumn } from '../printers/columns';

const GROUP = 'rbac.authorization.k8s.io';
const GUEST = ['guest'];

const createdAt: PrinterColumn = {
  name: 'Created At',
  type: 'date',
  value: (o) => o.metadata.creationTimestamp ?? null,
};

const policyRule = obj(
  {
    apiGroups: arr(str(), 'APIGroups is the name of the APIGroup that contains the resources.'),
    resources: arr(str(), 'Resources is a list of resources this rule applies to.'),
    resourceNames: arr(str(), 'ResourceNames is an optional white list of names that the rule applies to.'),
    nonResourceURLs: arr(
      str(),
      'NonResourceURLs is a set of partial urls that a user should have access to.',
    ),
    verbs: arr(str(), 'Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule.'),
  },
  'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.',
  { required: ['verbs'] },
);

const roleRef = obj(
  {
    apiGroup: str('APIGroup is the group for the resource being referenced'),
    kind: str('Kind is the type of resource being referenced'),
    name: str('Name is the name of resource being referenced'),
  },
  'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
  { required: ['apiGroup', 'kind', 'name'] },
);

const subject = obj(
  {
    apiGroup: str('APIGroup holds the API group of the referenced subject.'),
    kind: str(
      'Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount".',
    ),
    name: str('Name of the object being referenced.'),
    namespace: str('Namespace of the referenced object.'),
  },
  'Subject contains a reference to the object or user identities a role binding applies to.',
  { required: ['kind', 'name'] },
);

export interface RbacSubject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

const subjectsOf = (o: KubeObject): RbacSubject[] => (o.subjects as RbacSubject[] | undefined) ?? [];
const joined = (names: string[]): string | null => (names.length ? names.join(', ') : null);

/** A binding's subjects of one kind, as the -o wide columns list them (service accounts as ns/name). */
const subjectsColumn = (name: string, kind: string): PrinterColumn => ({
  name,
  type: 'string',
  priority: 1,
  value: (o) =>
    joined(
      subjectsOf(o)
        .filter((s) => s.kind === kind)
        .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name)),
    ),
});

const bindingColumns: PrinterColumn[] = [
  {
    name: 'Role',
    type: 'string',
    value: (o) => {
      const r = o.roleRef as { kind?: string; name?: string } | undefined;
      return `${r?.kind ?? ''}/${r?.name ?? ''}`;
    },
  },
  ageColumn(),
  subjectsColumn('Users', 'User'),
  subjectsColumn('Groups', 'Group'),
  subjectsColumn('ServiceAccounts', 'ServiceAccount'),
];

const roleKind = (cluster: boolean): KindDefinition => ({
  flavors: GUEST,
  group: GROUP,
  version: 'v1',
  kind: cluster ? 'ClusterRole' : 'Role',
  plural: cluster ? 'clusterroles' : 'roles',
  singular: cluster ? 'clusterrole' : 'role',
  namespaced: !cluster,
  nameFormat: 'path',
  description: cluster
    ? 'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.'
    : 'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
  schema: obj({
    rules: arr(policyRule, `Rules holds all the PolicyRules for this ${cluster ? 'ClusterRole' : 'Role'}`),
    ...(cluster
      ? {
          aggregationRule: obj({
            clusterRoleSelectors: arr(obj({ matchLabels: stringMap() })),
          }),
        }
      : {}),
  }),
  columns: [createdAt],
});

const bindingKind = (cluster: boolean): KindDefinition => ({
  flavors: GUEST,
  group: GROUP,
  version: 'v1',
  kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
  plural: cluster ? 'clusterrolebindings' : 'rolebindings',
  singular: cluster ? 'clusterrolebinding' : 'rolebinding',
  namespaced: !cluster,
  nameFormat: 'path',
  description: cluster
    ? 'ClusterRoleBinding references a ClusterRole, but not contain it. It can reference a ClusterRole in the global namespace, and adds who information via Subject.'
    : 'RoleBinding references a role, but does not contain it. It can reference a Role in the same namespace or a ClusterRole in the global namespace.',
  schema: obj(
    {
      subjects: arr(subject, 'Subjects holds references to the objects the role applies to.'),
      roleRef,
    },
    undefined,
    { required: ['roleRef'] },
  ),
  columns: bindingColumns,
  validate(o, ctx) {
    const errs: { field: string; reason: string; message: string }[] = [];
    const r = (o.roleRef ?? {}) as { apiGroup?: string; kind?: string; name?: string };
    if (ctx.old && JSON.stringify(ctx.old.roleRef) !== JSON.stringify(o.roleRef))
      errs.push({
        field: 'roleRef',
        reason: 'FieldValueInvalid',
        message: `Invalid value: rbac.RoleRef{APIGroup:${JSON.stringify(r.apiGroup ?? '')}, Kind:${JSON.stringify(r.kind ?? '')}, Name:${JSON.stringify(r.name ?? '')}}: cannot change roleRef`,
      });
    if (r.apiGroup !== GROUP)
      errs.push({
        field: 'roleRef.apiGroup',
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: ${JSON.stringify(r.apiGroup ?? '')}: supported values: "${GROUP}"`,
      });
    const kinds = cluster ? ['ClusterRole'] : ['Role', 'ClusterRole'];
    if (!kinds.includes(r.kind ?? ''))
      errs.push({
        field: 'roleRef.kind',
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: ${JSON.stringify(r.kind ?? '')}: supported values: ${kinds.map((k) => `"${k}"`).join(', ')}`,
      });
    if (!r.name)
      errs.push({ field: 'roleRef.name', reason: 'FieldValueRequired', message: 'Required value' });
    subjectsOf(o).forEach((s, i) => {
      if (!['User', 'Group', 'ServiceAccount'].includes(s.kind))
        errs.push({
          field: `subjects[${i}].kind`,
          reason: 'FieldValueNotSupported',
          message: `Unsupported value: ${JSON.stringify(s.kind)}: supported values: "ServiceAccount", "User", "Group"`,
        });
      if (!s.name)
        errs.push({ field: `subjects[${i}].name`, reason: 'FieldValueRequired', message: 'Required value' });
      if (s.kind === 'ServiceAccount' && cluster && !s.namespace)
        errs.push({
          field: `subjects[${i}].namespace`,
          reason: 'FieldValueRequired',
          message: 'Required value',
        });
    });
    return errs;
  },
});

export const roleKindDef = roleKind(false);
export const clusterRoleKind = roleKind(true);
export const roleBindingKind = bindingKind(false);
export const clusterRoleBindingKind = bindingKind(true);

const idRange = arr(obj({ min: int(), max: int() }));
const strategy = (what: string) =>
  obj({ rule: str(`rule is the strategy that will dictate ${what}.`), ranges: idRange });

export const podSecurityPolicyKind: KindDefinition = {
  flavors: GUEST,
  group: 'policy',
  version: 'v1beta1',
  kind: 'PodSecurityPolicy',
  plural: 'podsecuritypolicies',
  singular: 'podsecuritypolicy',
  shortNames: ['psp'],
  namespaced: false,
  description:
    'PodSecurityPolicy governs the ability to make requests that affect the Security Context that will be applied to a pod and container. Deprecated in 1.21.',
  schema: obj({
    spec: obj(
      {
        privileged: bool('privileged determines if a pod can request to be run as privileged.'),
        allowPrivilegeEscalation: bool(
          'allowPrivilegeEscalation determines if a pod can request to allow privilege escalation.',
        ),
        defaultAllowPrivilegeEscalation: bool(),
        allowedCapabilities: arr(str()),
        defaultAddCapabilities: arr(str()),
        requiredDropCapabilities: arr(str()),
        volumes: arr(
          str(),
          'volumes is an allowlist of volume plugins. Empty indicates that no volumes may be used.',
        ),
        hostNetwork: bool(),
        hostPID: bool(),
        hostIPC: bool(),
        hostPorts: arr(obj({ min: int(), max: int() })),
        readOnlyRootFilesystem: bool(),
        runAsUser: strategy('what RunAsUser is used in the SecurityContext'),
        runAsGroup: strategy('what RunAsGroup is used in the SecurityContext'),
        seLinux: obj({
          rule: str(),
          seLinuxOptions: obj({ user: str(), role: str(), type: str(), level: str() }),
        }),
        supplementalGroups: strategy('what supplemental groups are used by the SecurityContext'),
        fsGroup: strategy('what FSGroup is used by the SecurityContext'),
      },
      'spec defines the policy enforced.',
    ),
  }),
  columns: [
    { name: 'Priv', type: 'string', value: (o) => String(pspSpec(o).privileged ?? false) },
    {
      name: 'Caps',
      type: 'string',
      value: (o) => (pspSpec(o).allowedCapabilities ?? []).join(','),
    },
    { name: 'SELinux', type: 'string', value: (o) => pspSpec(o).seLinux?.rule ?? '' },
    { name: 'RunAsUser', type: 'string', value: (o) => pspSpec(o).runAsUser?.rule ?? '' },
    { name: 'FSGroup', type: 'string', value: (o) => pspSpec(o).fsGroup?.rule ?? '' },
    { name: 'SupGroup', type: 'string', value: (o) => pspSpec(o).supplementalGroups?.rule ?? '' },
    {
      name: 'ReadOnlyRootFS',
      type: 'string',
      value: (o) => String(pspSpec(o).readOnlyRootFilesystem ?? false),
    },
    { name: 'Volumes', type: 'string', value: (o) => (pspSpec(o).volumes ?? []).join(',') },
  ],
};

export interface PspSpec {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  allowedCapabilities?: string[];
  requiredDropCapabilities?: string[];
  volumes?: string[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  readOnlyRootFilesystem?: boolean;
  runAsUser?: { rule?: string };
  seLinux?: { rule?: string };
  supplementalGroups?: { rule?: string };
  fsGroup?: { rule?: string };
}
export const pspSpec = (o: KubeObject): PspSpec => (o.spec ?? {}) as PspSpec;

export const rbacKinds = [
  roleKindDef,
  clusterRoleKind,
  roleBindingKind,
  clusterRoleBindingKind,
  podSecurityPolicyKind,
];
