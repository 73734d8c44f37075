// apps/v1 Deployment, ReplicaSet and StatefulSet: the workload controllers whose ownership chains
// exercise garbage collection. Their controllers live in main/sim/workloads.
import { KUBERNETES } from './flavors';
import type { KindDefinition, PrinterColumn } from '../registry';
import { age } from '../printers/duration';
import { arr, int, intOrString, listMap, obj, enumOf, str } from '../schema';
import {
  claimSpecErrors,
  defaultClaimSpec,
  persistentVolumeClaimSpec,
  persistentVolumeClaimStatus,
} from './core';
import { condition, labelSelector, objectMeta } from './meta';
import { defaultPodSpec, podSpec } from './pod';
import type { KubeObject, StatusCause } from '../types';
import { formatLabelSelector } from '../selectors';

/** Workload templates are defaulted like pods' specs. */
function defaultTemplate(o: KubeObject): void {
  const t = (o.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template;
  if (t?.spec) defaultPodSpec(t.spec);
}

const podTemplate = obj(
  { metadata: objectMeta, spec: podSpec },
  'Template describes the pods that will be created.',
);

const num = (o: KubeObject, path: string): number =>
  (path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o) as number) ??
  0;

const templateContainers = (o: KubeObject): { name?: string; image?: string }[] =>
  (o.spec as { template?: { spec?: { containers?: { name?: string; image?: string }[] } } })?.template?.spec
    ?.containers ?? [];

const wideColumns: PrinterColumn[] = [
  {
    name: 'Containers',
    type: 'string',
    priority: 1,
    description: 'Names of each container in the template.',
    value: (o) =>
      templateContainers(o)
        .map((c) => c.name)
        .join(','),
  },
  {
    name: 'Images',
    type: 'string',
    priority: 1,
    description: 'Images referenced by each container in the template.',
    value: (o) =>
      templateContainers(o)
        .map((c) => c.image)
        .join(','),
  },
  {
    name: 'Selector',
    type: 'string',
    priority: 1,
    description: 'Label selector for pods.',
    value: (o) => formatLabelSelector((o.spec as { selector?: never })?.selector),
  },
];

const ageColumn: PrinterColumn = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  value: (o, c) => age(o.metadata.creationTimestamp, c.now),
};

function selectorMatchesTemplate(o: KubeObject): StatusCause[] {
  const spec = (o.spec ?? {}) as {
    selector?: { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> } };
  };
  const want = spec.selector?.matchLabels ?? {};
  const have = spec.template?.metadata?.labels ?? {};
  if (!spec.selector)
    return [{ field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' }];
  for (const [k, v] of Object.entries(want)) {
    if (have[k] !== v) {
      return [
        {
          field: 'spec.template.metadata.labels',
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(have)}: \`selector\` does not match template \`labels\``,
        },
      ];
    }
  }
  return [];
}

function selectorImmutable(o: KubeObject, old?: KubeObject): StatusCause[] {
  if (!old) return [];
  const a = JSON.stringify((o.spec as { selector?: unknown })?.selector);
  const b = JSON.stringify((old.spec as { selector?: unknown })?.selector);
  return a === b
    ? []
    : [
        {
          field: 'spec.selector',
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${a}: field is immutable`,
        },
      ];
}

export const replicaSetKind: KindDefinition = {
  flavors: KUBERNETES,
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  categories: ['all'],
  namespaced: true,
  statusSubresource: true,
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
  description: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
  schema: obj({
    spec: obj(
      {
        replicas: int(undefined, { minimum: 0 }),
        minReadySeconds: int(),
        selector: labelSelector,
        template: podTemplate,
      },
      undefined,
      { required: ['selector'] },
    ),
    status: obj({
      replicas: int(),
      fullyLabeledReplicas: int(),
      readyReplicas: int(),
      availableReplicas: int(),
      observedGeneration: int(),
      conditions: arr(condition),
    }),
  }),
  columns: [
    {
      name: 'Desired',
      type: 'integer',
      description: 'Number of desired pods.',
      value: (o) => num(o, 'spec.replicas'),
    },
    {
      name: 'Current',
      type: 'integer',
      description: 'Number of actual replicas.',
      value: (o) => num(o, 'status.replicas'),
    },
    {
      name: 'Ready',
      type: 'integer',
      description: 'Number of ready replicas.',
      value: (o) => num(o, 'status.readyReplicas'),
    },
    ageColumn,
    ...wideColumns,
  ],
  defaults(rs) {
    (rs.spec as { replicas?: number }).replicas ??= 1;
    defaultTemplate(rs);
  },
  initialStatus: () => ({ replicas: 0 }),
  validate: (o, { old }) => [...selectorMatchesTemplate(o), ...selectorImmutable(o, old)],
};

export const deploymentKind: KindDefinition = {
  flavors: KUBERNETES,
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  namespaced: true,
  statusSubresource: true,
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
  description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
  schema: obj({
    spec: obj(
      {
        replicas: int('Number of desired pods.', { minimum: 0 }),
        selector: labelSelector,
        template: podTemplate,
        strategy: obj({
          type: enumOf(['Recreate', 'RollingUpdate'], 'Type of deployment.'),
          rollingUpdate: obj({ maxUnavailable: intOrString(), maxSurge: intOrString() }),
        }),
        minReadySeconds: int(),
        revisionHistoryLimit: int(),
        paused: { type: 'boolean' },
        progressDeadlineSeconds: int(),
      },
      undefined,
      { required: ['selector', 'template'] },
    ),
    status: obj({
      observedGeneration: int(),
      replicas: int(),
      updatedReplicas: int(),
      readyReplicas: int(),
      availableReplicas: int(),
      unavailableReplicas: int(),
      conditions: listMap(condition, 'type'),
      collisionCount: int(),
    }),
  }),
  columns: [
    {
      name: 'Ready',
      type: 'string',
      description: 'Number of the pod with ready state',
      value: (o) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas')}`,
    },
    {
      name: 'Up-to-date',
      type: 'string',
      description:
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      value: (o) => num(o, 'status.updatedReplicas'),
    },
    {
      name: 'Available',
      type: 'string',
      description:
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      value: (o) => num(o, 'status.availableReplicas'),
    },
    ageColumn,
    ...wideColumns,
  ],
  defaults(d) {
    const spec = d.spec as Record<string, unknown>;
    spec.replicas ??= 1;
    spec.strategy ??= { type: 'RollingUpdate' };
    const strategy = spec.strategy as { type?: string; rollingUpdate?: Record<string, unknown> };
    if (strategy.type === 'RollingUpdate')
      strategy.rollingUpdate = { maxUnavailable: '25%', maxSurge: '25%', ...strategy.rollingUpdate };
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultTemplate(d);
  },
  validate: (o, { old }) => [...selectorMatchesTemplate(o), ...selectorImmutable(o, old)],
};

type StatefulSetSpec = {
  replicas?: number;
  podManagementPolicy?: string;
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  revisionHistoryLimit?: number;
  volumeClaimTemplates?: { metadata?: { name?: string }; spec?: Record<string, unknown>; status?: object }[];
  template?: { spec?: { restartPolicy?: string } };
};
const stsSpec = (o: KubeObject) => (o.spec ?? {}) as StatefulSetSpec;

/** What a StatefulSet update may change (1.21): replicas, template and updateStrategy. */
function statefulSetUpdateErrors(o: KubeObject, old?: KubeObject): StatusCause[] {
  if (!old) return [];
  const rest = (x: KubeObject) =>
    JSON.stringify({ ...stsSpec(x), replicas: undefined, template: undefined, updateStrategy: undefined });
  return rest(o) === rest(old)
    ? []
    : [
        {
          field: 'spec',
          reason: 'FieldValueForbidden',
          message:
            "Forbidden: updates to statefulset spec for fields other than 'replicas', 'template', and 'updateStrategy' are forbidden",
        },
      ];
}

function statefulSetErrors(o: KubeObject): StatusCause[] {
  const s = stsSpec(o);
  const causes: StatusCause[] = [];
  const policy = s.template?.spec?.restartPolicy;
  if (policy && policy !== 'Always')
    causes.push({
      field: 'spec.template.spec.restartPolicy',
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${policy}": supported values: "Always"`,
    });
  (s.volumeClaimTemplates ?? []).forEach((t, i) =>
    causes.push(...claimSpecErrors(t.spec ?? {}, `spec.volumeClaimTemplates[${i}].spec`)),
  );
  return causes;
}

export const statefulSetKind: KindDefinition = {
  flavors: KUBERNETES,
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  shortNames: ['sts'],
  categories: ['all'],
  namespaced: true,
  statusSubresource: true,
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
  description:
    'StatefulSet represents a set of pods with consistent identities. Identities are defined as: - Network: A single stable DNS and hostname. - Storage: As many VolumeClaims as requested.',
  schema: obj({
    spec: obj(
      {
        replicas: int('replicas is the desired number of replicas of the given Template.', { minimum: 0 }),
        selector: labelSelector,
        template: podTemplate,
        volumeClaimTemplates: arr(
          obj({ metadata: objectMeta, spec: persistentVolumeClaimSpec, status: persistentVolumeClaimStatus }),
          'volumeClaimTemplates is a list of claims that pods are allowed to reference.',
        ),
        serviceName: str(
          'serviceName is the name of the service that governs this StatefulSet. This service must exist before the StatefulSet, and is responsible for the network identity of the set.',
        ),
        podManagementPolicy: enumOf(
          ['OrderedReady', 'Parallel'],
          'podManagementPolicy controls how pods are created during initial scale up, when replacing pods on nodes, or when scaling down.',
        ),
        updateStrategy: obj(
          {
            type: enumOf(
              ['RollingUpdate', 'OnDelete'],
              'Type indicates the type of the StatefulSetUpdateStrategy.',
            ),
            rollingUpdate: obj({
              partition: int(
                'Partition indicates the ordinal at which the StatefulSet should be partitioned for updates.',
              ),
              maxUnavailable: intOrString(),
            }),
          },
          'updateStrategy indicates the StatefulSetUpdateStrategy that will be employed to update Pods in the StatefulSet when a revision is made to Template.',
        ),
        revisionHistoryLimit: int(
          "revisionHistoryLimit is the maximum number of revisions that will be maintained in the StatefulSet's revision history.",
        ),
        minReadySeconds: int(),
      },
      undefined,
      { required: ['selector', 'template'] },
    ),
    status: obj({
      observedGeneration: int(),
      replicas: int('replicas is the number of Pods created by the StatefulSet controller.'),
      readyReplicas: int(
        'readyReplicas is the number of Pods created by the StatefulSet controller that have a Ready Condition.',
      ),
      currentReplicas: int(),
      updatedReplicas: int(),
      currentRevision: str(),
      updateRevision: str(),
      collisionCount: int(),
      availableReplicas: int(),
      conditions: arr(condition),
    }),
  }),
  columns: [
    {
      name: 'Ready',
      type: 'string',
      description: 'Number of the pod with ready state',
      value: (o) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas')}`,
    },
    ageColumn,
    ...wideColumns.slice(0, 2),
  ],
  defaults(sts) {
    const s = sts.spec as StatefulSetSpec;
    s.replicas ??= 1;
    s.podManagementPolicy ??= 'OrderedReady';
    s.updateStrategy ??= { type: 'RollingUpdate' };
    s.updateStrategy.type ??= 'RollingUpdate';
    if (s.updateStrategy.type === 'RollingUpdate') s.updateStrategy.rollingUpdate ??= { partition: 0 };
    s.revisionHistoryLimit ??= 10;
    for (const t of s.volumeClaimTemplates ?? []) {
      defaultClaimSpec((t.spec ??= {}));
      t.status ??= { phase: 'Pending' };
    }
    defaultTemplate(sts);
  },
  initialStatus: () => ({ replicas: 0 }),
  validate: (o, { old }) => [
    ...selectorMatchesTemplate(o),
    ...statefulSetErrors(o),
    ...statefulSetUpdateErrors(o, old),
  ],
};
