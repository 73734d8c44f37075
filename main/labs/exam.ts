// Exam mode: a timed set of tasks drawn (seeded) from the exam pool, on one prepared environment,
// graded by the same checks the labs use but without hints. The score and a per-task report are kept
// with every attempt in the lab database. Time is wall time (the host's clock), as an exam's is.
import type { ScenarioSource } from '../shell/commands/lab';
import type { Lab } from '../sim/lab';
import { SeededRandom } from '../sim/runtime/random';
import { evaluateCheck, type HistoryEntry } from './checks';
import { startEnvironment } from './environment';
import type { ExamDef, ExamTaskDef } from './format';
import type { ExamAttempt, ExamTaskReport, ProgressStore } from './progress';

/** What a learner can get wrong with exam mode (no exam under way, none in this build). */
export class ExamError extends Error {}

export interface ExamOptions {
  seed?: string;
  /** how many tasks to draw (default: the exam's) */
  tasks?: number;
  /** the time allowed (default: the exam's) */
  minutes?: number;
}

/** The tasks an attempt was given, as the learner sees them: no hints, no solutions. */
export interface ExamTaskView {
  id: string;
  title: string;
  text: string;
  points: number;
}

export interface ExamView {
  attempt: ExamAttempt;
  tasks: ExamTaskView[];
  /** ms of wall time left (0 once over) */
  remainingMs: number;
}

/** The seeded draw: `count` distinct tasks of the pool, in the order drawn. */
export function drawTasks(pool: readonly ExamTaskDef[], seed: string, count: number): ExamTaskDef[] {
  const rnd = new SeededRandom(`exam:${seed}`);
  const left = [...pool];
  const out: ExamTaskDef[] = [];
  while (out.length < count && left.length)
    out.push(left.splice(Math.floor(rnd.next() * left.length), 1)[0]!);
  return out;
}

export class ExamEngine {
  constructor(
    private readonly lab: Lab,
    private readonly exam: ExamDef | undefined,
    private readonly progress: ProgressStore,
    private readonly scenarios: ScenarioSource,
    private readonly wall: () => number,
    /** the learner's commands from a length of the history file on, and that length now */
    private readonly readHistory: { since(from: number): HistoryEntry[]; length(): number },
  ) {}

  private def(): ExamDef {
    if (!this.exam) throw new ExamError('this build has no exam pool (resources/labs/exam.yaml)');
    return this.exam;
  }

  private view(a: ExamAttempt): ExamView {
    const pool = new Map(this.def().pool.map((t) => [t.id, t]));
    return {
      attempt: a,
      tasks: a.taskIds.map((id) => {
        const t = pool.get(id)!;
        return { id: t.id, title: t.title, text: t.text, points: t.points };
      }),
      remainingMs: a.finishedAt === undefined ? Math.max(0, a.deadline - this.wall()) : 0,
    };
  }

  /** Starts an attempt: the environment is prepared afresh and the tasks drawn. An open attempt is finished first. */
  async start(o: ExamOptions = {}): Promise<ExamView> {
    const exam = this.def();
    if (this.progress.openAttempt()) this.finish();
    const count = Math.min(o.tasks ?? exam.tasks, exam.pool.length);
    const seed = o.seed ?? String(this.wall());
    const tasks = drawTasks(exam.pool, seed, count);
    await startEnvironment(this.lab, exam.start, this.scenarios);
    const now = this.wall();
    const attempt = this.progress.startExam({
      seed,
      taskIds: tasks.map((t) => t.id),
      startedAt: now,
      deadline: now + (o.minutes ?? exam.minutes) * 60_000,
      labTime: this.lab.clock.nowMs(),
      historyFrom: this.readHistory.length(),
    });
    return this.view(attempt);
  }

  /** The attempt under way (finished and graded on the spot if its time is up), or undefined. */
  current(): ExamView | undefined {
    const a = this.progress.openAttempt();
    if (!a) return undefined;
    if (this.wall() >= a.deadline) return this.view(this.finish());
    return this.view(a);
  }

  /** Grades the attempt under way against the live environment and closes it. */
  finish(): ExamAttempt {
    const a = this.progress.openAttempt();
    if (!a) throw new ExamError('no exam under way (start one with: labs exam start)');
    const pool = new Map(this.def().pool.map((t) => [t.id, t]));
    const history = () => this.readHistory.since(a.historyFrom);
    const tasks: ExamTaskReport[] = a.taskIds.map((id) => {
      const t = pool.get(id)!;
      const checks = t.checks.map((c) => {
        const r = evaluateCheck(c, { lab: this.lab, history });
        return { id: r.id, description: r.description, passed: r.passed, found: r.found };
      });
      const passed = checks.filter((c) => c.passed).length;
      // all-or-nothing per check, points shared among the task's checks (rounded down)
      const scored = passed === checks.length ? t.points : Math.floor((t.points * passed) / checks.length);
      return { id: t.id, title: t.title, points: t.points, scored, checks };
    });
    const now = this.wall();
    const score = tasks.reduce((s, t) => s + t.scored, 0);
    const max = tasks.reduce((s, t) => s + t.points, 0);
    return this.progress.finishExam(a.id, now, score, max, { overtime: now > a.deadline, tasks });
  }

  attempts(): ExamAttempt[] {
    return this.progress.attempts();
  }

  /** The reference solution of a pool task (for authors and tests; exam mode never shows it). */
  solution(taskId: string): string | undefined {
    return this.def().pool.find((t) => t.id === taskId)?.solution;
  }
}
