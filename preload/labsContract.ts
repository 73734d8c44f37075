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

const ExamTaskReport = z.object({
  id: z.string(),
  title: z.string(),
  points: z.number(),
  scored: z.number(),
  checks: z.array(
    z.object({ id: z.string(), description: z.string(), passed: z.boolean(), found: z.string() }),
  ),
});

/** An exam attempt: its tasks, its wall-time deadline, and once finished its score and per-task report. */
export const ExamAttemptView = z.object({
  id: z.number(),
  seed: z.string(),
  taskIds: z.array(z.string()),
  /** wall time (ms) */
  startedAt: z.number(),
  deadline: z.number(),
  finishedAt: z.number().optional(),
  score: z.number().optional(),
  maxScore: z.number().optional(),
  report: z.object({ overtime: z.boolean(), tasks: z.array(ExamTaskReport) }).optional(),
});
export type ExamAttemptView = z.infer<typeof ExamAttemptView>;

/** The attempt under way as the learner sees it: the tasks' text, no hints, no solutions. */
export const ExamUnderWay = z.object({
  attempt: ExamAttemptView,
  tasks: z.array(z.object({ id: z.string(), title: z.string(), text: z.string(), points: z.number() })),
  /** ms of wall time left */
  remainingMs: z.number(),
});
export type ExamUnderWay = z.infer<typeof ExamUnderWay>;

export const ExamStatus = z.object({
  /** null when this build has no exam pool */
  exam: z.object({ title: z.string(), minutes: z.number(), tasks: z.number(), pool: z.number() }).nullable(),
  current: ExamUnderWay.nullable(),
  /** every attempt, newest first */
  history: z.array(ExamAttemptView),
});
export type ExamStatus = z.infer<typeof ExamStatus>;

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
    output: z.object({ lab: z.string(), step: z.number(), finished: z.boolean() }).nullable(),
  },
  /** checks this lab's current step automatically as the lab changes (labs.checked events); null stops */
  /** exam mode: the exam, the attempt under way (graded on the spot once its time is up), the history */
  'exam.status': { input: z.object({}).strict(), output: ExamStatus },
  /** a new attempt: the environment prepared afresh, the tasks drawn (an open attempt is finished first) */
  'exam.start': { input: z.object({}).strict(), output: ExamUnderWay },
  /** grades the attempt under way against the live lab and closes it */
  'exam.finish': { input: z.object({}).strict(), output: ExamAttemptView },
  'labs.watch': {
    input: z.object({ lab: labRef.nullable() }).strict(),
    output: z.object({ ok: z.literal(true) }),
  },
} as const;

/** The automatic check's result, pushed when it changes. */
export const LabsCheckedEvent = z.object({ type: z.literal('labs.checked'), result: LabStepResult });
