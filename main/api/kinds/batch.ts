// batch/v1 Job: run pods to completion. The API server generates the selector from the Job's uid
// (controller-uid) unless manualSelector is set; the controller lives in main/sim/workloads/job.ts.
import { KUBERNETES } from './flavors';
import type { KindDefinition } from '../registry';
import { age, humanDuration } from '../printers/duration';
import { arr, bool, int, obj, enumOf, timestamp } from '../schema';
import { condition, labelSelector, objectMeta } from './meta';
import { defaultPodSpec, podSpec } from './pod';
import type { KubeObject, StatusCause } from '../types';
import { formatLabelSelector, type LabelSelectorObject } from '../selectors';

export type JobSpec = {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  selector?: LabelSelectorObject;
  manualSelector?: boolean;
  ttlSecondsAfterFinished?: number;
  template?: {
    metadata?: { labels?: Record<string, string> };
    spec?: { restartPolicy?: string; containers?: { name?: string; image?: string }[] };
  };
};
export type JobStatus = {
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
};

const jobSpec = (o: KubeObject) => (o.spec ?? {}) as JobSpec;
const jobStatus = (o: KubeObject) => (o.status ?? {}) as JobStatus;

/** COMPLETIONS as the API server prints it: 1/1, 0/3, or "0/1 of 3" for a work queue with parallelism. */
function completionsText(o: KubeObject): string {
  const s = jobSpec(o);
  const succeeded = jobStatus(o).succeeded ?? 0;
  if (s.completions !== undefined) return `${succeeded}/${s.completions}`;
  const parallelism = s.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationText(o: KubeObject, now: Date): string {
  const st = jobStatus(o);
  if (!st.startTime) return '';
  const start = Date.parse(st.startTime);
  const end = st.completionTime ? Date.parse(st.completionTime) : now.getTime();
  return humanDuration(end - start);
}

/** PrepareForCreate's generated selector: controller-uid on the selector, controller-uid and job-name on the template. */
function generateSelector(job: KubeObject): void {
  const s = (job.spec ??= {}) as JobSpec;
  if (s.manualSelector === true) return;
  const uid = job.metadata.uid ?? '';
  const t = (s.template ??= {});
  const labels = ((t.metadata ??= {}).labels ??= {});
  labels['controller-uid'] ??= uid;
  labels['job-name'] ??= job.metadata.name ?? '';
  const sel = (s.selector ??= {});
  (sel.matchLabels ??= {})['controller-uid'] ??= uid;
  // a Job without labels takes its template's, as defaulting on decode gives it
  if (!Object.keys(job.metadata.labels ?? {}).length) job.metadata.labels = { ...labels };
}

function jobErrors(o: KubeObject, old?: KubeObject): StatusCause[] {
  const s = jobSpec(o);
  const causes: StatusCause[] = [];
  const policy = s.template?.spec?.restartPolicy;
  if (policy !== 'OnFailure' && policy !== 'Never')
    causes.push({
      field: 'spec.template.spec.restartPolicy',
      reason: policy ? 'FieldValueNotSupported' : 'FieldValueRequired',
      message: policy
        ? `Unsupported value: "${policy}": supported values: "OnFailure", "Never"`
        : 'Required value: valid values: "OnFailure", "Never"',
    });
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit'] as const) {
    const v = s[f];
    if (v !== undefined && v < (f === 'activeDeadlineSeconds' ? 1 : 0))
      causes.push({
        field: `spec.${f}`,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${v}: must be greater than ${f === 'activeDeadlineSeconds' ? 'zero' : 'or equal to 0'}`,
      });
  }
  if (s.manualSelector === true) {
    if (!s.selector)
      causes.push({ field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' });
    const have = s.template?.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(s.selector?.matchLabels ?? {}))
      if (have[k] !== v) {
        causes.push({
          field: 'spec.template.metadata.labels',
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(have)}: \`selector\` does not match template \`labels\``,
        });
        break;
      }
  }
  if (old) {
    const was = jobSpec(old);
    for (const f of ['completions', 'selector', 'template'] as const) {
      if (JSON.stringify(s[f]) === JSON.stringify(was[f])) continue;
      const shown = f === 'completions' ? String(s[f]) : 'core.PodTemplateSpec{...}';
      causes.push({
        field: `spec.${f}`,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${f === 'selector' ? 'v1.LabelSelector{...}' : shown}: field is immutable`,
      });
    }
  }
  return causes;
}

const jobTemplate = obj(
  { metadata: objectMeta, spec: podSpec },
  'Describes the pod that will be created when executing a job.',
);

export const jobKind: KindDefinition = {
  flavors: KUBERNETES,
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  categories: ['all'],
  namespaced: true,
  statusSubresource: true,
  description: 'Job represents the configuration of a single job.',
  schema: obj({
    spec: obj(
      {
        parallelism: int(
          'Specifies the maximum desired number of pods the job should run at any given time.',
        ),
        completions: int(
          'Specifies the desired number of successfully finished pods the job should be run with.',
        ),
        activeDeadlineSeconds: int(
          'Specifies the duration in seconds relative to the startTime that the job may be continuously active before the system tries to terminate it.',
        ),
        backoffLimit: int('Specifies the number of retries before marking this job failed. Defaults to 6'),
        selector: labelSelector,
        manualSelector: bool('manualSelector controls generation of pod labels and pod selectors.'),
        template: jobTemplate,
        ttlSecondsAfterFinished: int(
          'ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution (either Complete or Failed).',
        ),
        completionMode: enumOf(['NonIndexed', 'Indexed']),
        suspend: bool(),
      },
      undefined,
      { required: ['template'] },
    ),
    status: obj({
      conditions: arr(condition, "The latest available observations of an object's current state."),
      startTime: timestamp('Represents time when the job controller started processing a job.'),
      completionTime: timestamp('Represents time when the job was completed.'),
      active: int('The number of actively running pods.'),
      succeeded: int('The number of pods which reached phase Succeeded.'),
      failed: int('The number of pods which reached phase Failed.'),
    }),
  }),
  // the columns a 1.21 API server sends (STATUS came with 1.28)
  columns: [
    {
      name: 'Completions',
      type: 'string',
      description: 'The number of pods which reached phase Succeeded.',
      value: completionsText,
    },
    {
      name: 'Duration',
      type: 'string',
      description: 'Time required to complete the job.',
      value: (o, c) => durationText(o, c.now),
    },
    {
      name: 'Age',
      type: 'string',
      description:
        'CreationTimestamp is a timestamp representing the server time when this object was created.',
      value: (o, c) => age(o.metadata.creationTimestamp, c.now),
    },
    {
      name: 'Containers',
      type: 'string',
      priority: 1,
      description: 'Names of each container in the template.',
      value: (o) => (jobSpec(o).template?.spec?.containers ?? []).map((c) => c.name).join(','),
    },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      description: 'Images referenced by each container in the template.',
      value: (o) => (jobSpec(o).template?.spec?.containers ?? []).map((c) => c.image).join(','),
    },
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      description: 'A label query over pods that should match the pod count.',
      value: (o) => formatLabelSelector(jobSpec(o).selector),
    },
  ],
  defaults(job) {
    const s = (job.spec ??= {}) as JobSpec;
    if (s.completions === undefined && s.parallelism === undefined) {
      s.completions = 1;
      s.parallelism = 1;
    }
    s.parallelism ??= 1;
    s.backoffLimit ??= 6;
    const labels = s.template?.metadata?.labels;
    if (labels && !Object.keys(job.metadata.labels ?? {}).length) job.metadata.labels = { ...labels };
    if (s.template?.spec) defaultPodSpec(s.template.spec as Record<string, unknown>);
  },
  prepareForCreate: generateSelector,
  validate: (o, { old }) => jobErrors(o, old),
};
