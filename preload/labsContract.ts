// The guided labs' part of the contract (spread into preload/contract.ts): the catalogue with the
// learner's progress, a lab's steps, start/reset, check, hints, the reference solution as commands to
// paste, where to resume, and the automatic check's result pushed as the lab changes.
import { z } from 'zod';

const labRef = z.string().min(1).max(100);
const stepNo = z.number().int().min(1).max(100);

export const LabProgressView = z.object({
  /** index of the step the learner is on (0-based); equals the step count once all are done */
  currentStep: z.number(),
  completed: z.array(z.string()),
  hintsShown: z.number(),
  startedAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().optional(),
});
export type LabProgressView = z.infer<typeof LabProgressView>;

export const LabCard = z.object({
  id: z.string(),
  order: z.number(),
  title: z.string(),
  level: z.enum(['beginner', 'intermediate', 'advanced']),
  minutes: z.number(),
  summary: z.string(),
  steps: z.number(),
  progress: LabProgressView.optional(),
});
export type LabCard = z.infer<typeof LabCard>;

export const LabStepView = z.object({
  id: z.string(),
  title: z.string(),
  /** the step's Markdown */
  text: z.string(),
  hints: z.number(),
  checks: z.array(z.object({ id: z.string(), description: z.string() })),
});
export type LabStepView = z.infer<typeof LabStepView>;

export const LabView = LabCard.extend({ intro: z.string(), stepList: z.array(LabStepView) });
export type LabView = z.infer<typeof LabView>;

export const LabStepResult = z.object({
  labId: z.string(),
  step: z.number(),
  stepId: z.string(),
  title: z.string(),
  passed: z.boolean(),
  checks: z.array(
    z.object({
      id: z.string(),
      description: z.string(),
      passed: z.boolean(),
      found: z.string(),
      hint: z.string(),
    }),
  ),
  hint: z.string().optional(),
  /** the learner's progress after the check */
  progress: LabProgressView.optional(),
});
export type LabStepResult = z.infer<typeof LabStepResult>;

export const labsMethods = {
  'labs.list': { input: z.object({}).strict(), output: z.array(LabCard) },
  'labs.get': { input: z.object({ lab: labRef }).strict(), output: LabView },
  /** starts (or resets) a lab: its scenario and setup, progress back to step 1 */
  'labs.start': { input: z.object({ lab: labRef }).strict(), output: LabView },
  'labs.check': {
    input: z.object({ lab: labRef, step: stepNo.optional() }).strict(),
    output: LabStepResult,
  },
  'labs.hints': {
    input: z.object({ lab: labRef, step: stepNo }).strict(),
    output: z.array(z.string()),
  },
  /** the reference solution as commands to paste, one per entry (a heredoc is one entry of several lines) */
  'labs.solution': {
    input: z.object({ lab: labRef, step: stepNo }).strict(),
    output: z.array(z.string()),
  },
  /** the lab last worked on and the step the learner is on (1-based), or null */
  'labs.resume': {
    input: z.object({}).strict(),
    output: z.object({ lab: z.string(), step: z.number() }).nullable(),
  },
  /** checks this lab's current step automatically as the lab changes (labs.checked events); null stops */
  'labs.watch': {
    input: z.object({ lab: labRef.nullable() }).strict(),
    output: z.object({ ok: z.literal(true) }),
  },
} as const;

/** The automatic check's result, pushed when it changes. */
export const LabsCheckedEvent = z.object({ type: z.literal('labs.checked'), result: LabStepResult });
