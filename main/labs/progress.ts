// The learner's progress, kept in the lab database (tables lab_progress and exam_attempts, migration 5
// of main/store): which lab was started when, the step they are on, the steps done, and every exam
// attempt with its report. Resets and snapshots of the environment leave these alone.
import type { Store } from '../store/store';

export interface LabProgress {
  labId: string;
  /** lab time (ms) the lab was last started or reset */
  startedAt: number;
  /** the length of the learner's history file then: commands before it do not count */
  historyFrom: number;
  /** index of the step the learner is on (0-based); equals the step count once all are done */
  currentStep: number;
  /** ids of the steps whose checks have passed */
  completed: string[];
  hintsShown: number;
  updatedAt: number;
  finishedAt?: number;
}

export interface ExamTaskReport {
  id: string;
  title: string;
  points: number;
  scored: number;
  checks: { id: string; description: string; passed: boolean; found: string }[];
}

export interface ExamAttempt {
  id: number;
  seed: string;
  taskIds: string[];
  /** wall time (ms) */
  startedAt: number;
  deadline: number;
  /** lab time (ms) at the start */
  labTime: number;
  /** the length of the learner's history file at the start */
  historyFrom: number;
  finishedAt?: number;
  score?: number;
  maxScore?: number;
  report?: { overtime: boolean; tasks: ExamTaskReport[] };
}

type ProgressRow = {
  lab_id: string;
  started_at: number;
  current_step: number;
  completed: string;
  hints_shown: number;
  updated_at: number;
  finished_at: number | null;
  history_from: number;
};

type AttemptRow = {
  id: number;
  seed: string;
  tasks: string;
  started_at: number;
  deadline: number;
  lab_time: number;
  finished_at: number | null;
  score: number | null;
  max_score: number | null;
  report: string | null;
  history_from: number;
};

const toProgress = (r: ProgressRow): LabProgress => ({
  labId: r.lab_id,
  startedAt: r.started_at,
  historyFrom: r.history_from,
  currentStep: r.current_step,
  completed: JSON.parse(r.completed) as string[],
  hintsShown: r.hints_shown,
  updatedAt: r.updated_at,
  ...(r.finished_at === null ? {} : { finishedAt: r.finished_at }),
});

const toAttempt = (r: AttemptRow): ExamAttempt => ({
  id: r.id,
  seed: r.seed,
  taskIds: JSON.parse(r.tasks) as string[],
  startedAt: r.started_at,
  deadline: r.deadline,
  labTime: r.lab_time,
  historyFrom: r.history_from,
  ...(r.finished_at === null
    ? {}
    : {
        finishedAt: r.finished_at,
        score: r.score ?? 0,
        maxScore: r.max_score ?? 0,
        report: JSON.parse(r.report ?? '{"overtime":false,"tasks":[]}') as ExamAttempt['report'],
      }),
});

export class ProgressStore {
  constructor(private readonly store: Store) {}

  private write<T>(fn: () => T): T {
    const r = this.store.transaction(fn);
    if (!this.store.inWrite) this.store.flush();
    return r;
  }

  get(labId: string): LabProgress | undefined {
    const r = this.store.db.prepare('SELECT * FROM lab_progress WHERE lab_id = ?').get(labId) as
      ProgressRow | undefined;
    return r && toProgress(r);
  }

  all(): LabProgress[] {
    return (this.store.db.prepare('SELECT * FROM lab_progress ORDER BY lab_id').all() as ProgressRow[]).map(
      toProgress,
    );
  }

  /** The lab starts over: step 1, nothing done. */
  start(labId: string, labTime: number, historyFrom: number): LabProgress {
    this.write(() =>
      this.store.db
        .prepare(
          `INSERT INTO lab_progress (lab_id, started_at, history_from, current_step, completed, hints_shown, updated_at, finished_at)
           VALUES (?, ?, ?, 0, '[]', 0, ?, NULL)
           ON CONFLICT (lab_id) DO UPDATE SET started_at = excluded.started_at, history_from = excluded.history_from,
             current_step = 0, completed = '[]', hints_shown = 0, updated_at = excluded.updated_at, finished_at = NULL`,
        )
        .run(labId, labTime, historyFrom, labTime),
    );
    return this.get(labId)!;
  }

  save(p: LabProgress): void {
    this.write(() =>
      this.store.db
        .prepare(
          `UPDATE lab_progress SET current_step = ?, completed = ?, hints_shown = ?, updated_at = ?, finished_at = ? WHERE lab_id = ?`,
        )
        .run(
          p.currentStep,
          JSON.stringify(p.completed),
          p.hintsShown,
          p.updatedAt,
          p.finishedAt ?? null,
          p.labId,
        ),
    );
  }

  /** The lab most recently worked on, to resume where the learner stopped. */
  latest(): LabProgress | undefined {
    const r = this.store.db
      .prepare('SELECT * FROM lab_progress ORDER BY updated_at DESC, lab_id LIMIT 1')
      .get() as ProgressRow | undefined;
    return r && toProgress(r);
  }

  startExam(a: Omit<ExamAttempt, 'id'>): ExamAttempt {
    const id = this.write(
      () =>
        this.store.db
          .prepare(
            'INSERT INTO exam_attempts (seed, tasks, started_at, deadline, lab_time) VALUES (?, ?, ?, ?, ?)',
          )
          .run(a.seed, JSON.stringify(a.taskIds), a.startedAt, a.deadline, a.labTime).lastInsertRowid,
    );
    return this.attempt(Number(id))!;
  }

  finishExam(
    id: number,
    finishedAt: number,
    score: number,
    maxScore: number,
    report: ExamAttempt['report'],
  ): ExamAttempt {
    this.write(() =>
      this.store.db
        .prepare(
          'UPDATE exam_attempts SET finished_at = ?, score = ?, max_score = ?, report = ? WHERE id = ?',
        )
        .run(finishedAt, score, maxScore, JSON.stringify(report), id),
    );
    return this.attempt(id)!;
  }

  attempt(id: number): ExamAttempt | undefined {
    const r = this.store.db.prepare('SELECT * FROM exam_attempts WHERE id = ?').get(id) as
      AttemptRow | undefined;
    return r && toAttempt(r);
  }

  attempts(): ExamAttempt[] {
    return (this.store.db.prepare('SELECT * FROM exam_attempts ORDER BY id').all() as AttemptRow[]).map(
      toAttempt,
    );
  }

  /** The attempt under way, if any. */
  openAttempt(): ExamAttempt | undefined {
    const r = this.store.db
      .prepare('SELECT * FROM exam_attempts WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1')
      .get() as AttemptRow | undefined;
    return r && toAttempt(r);
  }
}
