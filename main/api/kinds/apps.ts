// apps/v1 Deployment and ReplicaSet: the workload controllers whose ownership chains exercise
// garbage collection. Their controllers live in main/sim.
import { KUBERNETES } from './flavors';
import type { KindDefinition, PrinterColumn } from '../registry';
import { age } from '../printers/duration';
import { arr, int, intOrString, listMap, obj, enumOf } from '../schema';
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
