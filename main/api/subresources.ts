// Subresources beyond status: scale (autoscaling/v1 Scale over a kind's replica fields) and log (a pod's
// container output, from a log source the simulation provides).
import { badRequest, invalid, notFound } from './errors';
import type { ResolvedKind } from './registry';
import { simpleJsonPath } from './table';
import { formatLabelSelector, type LabelSelectorObject } from './selectors';
import type { KubeObject } from './types';

export interface LogRequest {
  cluster: string;
  pod: KubeObject;
  container: string;
  tailLines?: number;
  previous?: boolean;
  timestamps?: boolean;
}

/** Returns a container's log text, or throws an ApiError (a container still waiting, say). */
export type LogSource = (r: LogRequest) => string;

/** Without a simulation behind it: pods that never started have no log yet, others an empty one. */
export const defaultLogSource: LogSource = ({ pod, container }) => {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Pending' || !phase) {
    throw badRequest(
      `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`,
    );
  }
  return '';
};

export function scaleOf(kind: ResolvedKind, obj: KubeObject): KubeObject {
  const s = kind.scale!;
  const selector = s.labelSelectorPath
    ? simpleJsonPath(obj, s.labelSelectorPath)
    : (obj.spec as { selector?: unknown } | undefined)?.selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: Number(simpleJsonPath(obj, s.specReplicasPath) ?? 0) },
    status: {
      replicas: Number(simpleJsonPath(obj, s.statusReplicasPath) ?? 0),
      selector:
        typeof selector === 'string'
          ? selector
          : formatLabelSelector(selector as LabelSelectorObject | undefined).replace('<none>', ''),
    },
  };
}

/** The merge patch that sets a kind's replicas from a Scale's spec.replicas. */
export function replicasPatch(
  kind: ResolvedKind,
  name: string,
  replicas: unknown,
  resourceVersion?: string,
): Record<string, unknown> {
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale', 'autoscaling', name, [
      {
        field: 'spec.replicas',
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ]);
  }
  const path = kind.scale!.specReplicasPath.replace(/^\./, '').split('.');
  const patch: Record<string, unknown> = {};
  let cur = patch;
  path.forEach((p, i) => {
    if (i === path.length - 1) cur[p] = replicas;
    else cur = cur[p] = {} as Record<string, unknown>;
  });
  if (resourceVersion) patch.metadata = { resourceVersion };
  return patch;
}

export function containerOf(pod: KubeObject, requested: string | undefined): string {
  const names = ((pod.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map(
    (c) => c.name,
  );
  if (requested) {
    if (!names.includes(requested))
      throw badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  if (names.length === 1) return names[0]!;
  if (names.length === 0) throw notFound({ group: '', resource: 'containers', name: '' });
  throw badRequest(
    `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`,
  );
}
