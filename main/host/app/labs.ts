// The labs panel's side of the engine: the guided labs of main/labs over the app's open lab — the
// catalogue with progress, a lab's steps, start/reset, check, hints, the reference solution as commands
// to paste, resume — and the automatic check of the lab the panel shows: its current step is checked
// again when objects change (Labs.autoCheck) or the learner's shell history grows (a command run), and
// the result is pushed when it differs from the last one.
import { join } from 'node:path';
import type { Lab } from '../../sim/lab';
import type { ScenarioSource } from '../../shell/commands/lab';
import { Workspace } from '../../store/files';
import {
  LabCatalogue,
  Labs,
  type ExamAttempt,
  type ExamView,
  type LabDef,
  type LabProgress,
  type StepResult,
} from '../../labs';
import type { Disposable } from '../../api/types';
import type { EngineEvent, Input, Output } from '../../../preload/contract';
import type { ExamAttemptView, ExamUnderWay, LabProgressView, LabView } from '../../../preload/labsContract';
import { appRoot } from '../appInfo';
import { shippedScenarios } from '../scenarios';

type LabsMethod =
  | 'labs.list'
  | 'labs.get'
  | 'labs.start'
  | 'labs.check'
  | 'labs.hints'
  | 'labs.solution'
  | 'labs.resume'
  | 'labs.watch'
  | 'exam.status'
  | 'exam.start'
  | 'exam.finish';

export type LabsHandlers = {
  [M in LabsMethod]: (input: Input<M>) => Output<M> | Promise<Output<M>>;
};

const HISTORY = '/.bash_history';

/**
 * The reference solution's lines grouped into what a learner pastes at once: a heredoc with its body
 * and delimiter, or lines continued with a backslash, are one command.
 */
export function solutionCommands(lines: string[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let delimiter: string | undefined;
  for (const line of lines) {
    current.push(line);
    if (delimiter !== undefined) {
      if (line.replace(/^\t+/, '') === delimiter) delimiter = undefined;
    } else {
      const heredoc = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line);
      if (heredoc) delimiter = heredoc[2];
    }
    if (delimiter === undefined && !/\\$/.test(line)) {
      if (current.some((l) => l.trim() !== '')) out.push(current.join('\n'));
      current = [];
    }
  }
  if (current.some((l) => l.trim() !== '')) out.push(current.join('\n'));
  return out;
}

const progressView = (p: LabProgress | undefined): { progress?: LabProgressView } =>
  p
    ? {
        progress: {
          currentStep: p.currentStep,
          completed: p.completed,
          hintsShown: p.hintsShown,
          startedAt: p.startedAt,
          updatedAt: p.updatedAt,
          ...(p.finishedAt === undefined ? {} : { finishedAt: p.finishedAt }),
        },
      }
    : {};

const attemptView = (a: ExamAttempt): ExamAttemptView => ({
  id: a.id,
  seed: a.seed,
  taskIds: a.taskIds,
  startedAt: a.startedAt,
  deadline: a.deadline,
  ...(a.finishedAt === undefined
    ? {}
    : { finishedAt: a.finishedAt, score: a.score, maxScore: a.maxScore, report: a.report }),
});

const examView = (v: ExamView): ExamUnderWay => ({
  attempt: attemptView(v.attempt),
  tasks: v.tasks,
  remainingMs: v.remainingMs,
});

export class LabsHost {
  private catalogue: LabCatalogue | undefined;
  private engine: Labs | undefined;
  private watched: string | undefined;
  private sub: Disposable | undefined;
  private lastHistory = '';
  private lastSent = '';
  /** a lab is being started: its environment is being rebuilt, nothing is checked meanwhile */
  private starting = false;

  constructor(
    private readonly lab: Lab,
    private readonly emit: (e: EngineEvent) => void,
    private readonly scenarios: ScenarioSource = shippedScenarios,
    private readonly root = join(appRoot, 'resources', 'labs'),
  ) {}

  /** main/labs over this lab; the catalogue is read on first use. */
  get labs(): Labs {
    if (!this.engine) {
      this.catalogue ??= LabCatalogue.load(this.root);
      this.engine = new Labs(this.lab, { catalogue: this.catalogue, scenarios: this.scenarios });
    }
    return this.engine;
  }

  private view(def: LabDef): LabView {
    return {
      id: def.id,
      order: def.order,
      title: def.title,
      level: def.level,
      minutes: def.minutes,
      summary: def.summary,
      steps: def.steps.length,
      intro: def.intro,
      stepList: def.steps.map((s) => ({
        id: s.id,
        title: s.title,
        text: s.text,
        hints: s.hints.length,
        checks: s.checks.map((c) => ({ id: c.id, description: c.description })),
      })),
      ...progressView(this.labs.progress.get(def.id)),
    };
  }

  private result(r: StepResult): Output<'labs.check'> {
    return { ...r, ...progressView(this.labs.progress.get(r.labId)) };
  }

  readonly handlers: LabsHandlers = {
    'labs.list': () => this.labs.list(),
    'labs.get': (i) => this.view(this.labs.get(i.lab)),
    'labs.start': async (i) => {
      const def = this.labs.get(i.lab);
      this.starting = true;
      try {
        await this.labs.start(def.id);
      } finally {
        this.starting = false;
      }
      this.lastSent = '';
      this.lastHistory = this.historySignature();
      return this.view(def);
    },
    'labs.check': (i) => this.result(this.labs.check(i.lab, i.step)),
    'labs.hints': (i) => this.labs.hints(i.lab, i.step),
    'labs.solution': (i) => solutionCommands(this.labs.solution(i.lab, i.step)),
    'labs.resume': () => {
      const r = this.labs.resume();
      return r ? { lab: r.lab.id, step: r.step, finished: r.progress.finishedAt !== undefined } : null;
    },
    'exam.status': () => {
      const current = this.labs.exam.current();
      const def = this.catalogue?.exam;
      return {
        exam: def
          ? {
              title: def.title,
              minutes: def.minutes,
              tasks: Math.min(def.tasks, def.pool.length),
              pool: def.pool.length,
            }
          : null,
        current: current && current.attempt.finishedAt === undefined ? examView(current) : null,
        history: this.labs.exam.attempts().reverse().map(attemptView),
      };
    },
    'exam.start': async () => {
      this.starting = true;
      try {
        return examView(await this.labs.exam.start());
      } finally {
        this.starting = false;
      }
    },
    'exam.finish': () => attemptView(this.labs.exam.finish()),
    'labs.watch': (i) => {
      this.watch(i.lab === null ? undefined : this.labs.get(i.lab).id);
      return { ok: true };
    },
  };

  /** Checks `id`'s current step as the lab changes, until another lab (or none) is watched. */
  private watch(id: string | undefined): void {
    if (id === this.watched) return;
    this.sub?.dispose();
    this.sub = undefined;
    this.watched = id;
    this.lastSent = '';
    this.lastHistory = this.historySignature();
    if (!id) return;
    this.sub = this.labs.autoCheck(id, (r) => this.send(r));
  }

  private historySignature(): string {
    const st = new Workspace(this.lab.store, () => this.lab.clock.nowMs()).stat(HISTORY);
    return st ? `${st.size}/${st.mtime}` : '';
  }

  /** Sends an automatic check's result when it says something new. */
  private send(r: StepResult): void {
    if (this.starting || r.labId !== this.watched || !this.labs.progress.get(r.labId)) return;
    const key = JSON.stringify([r.step, r.passed, r.checks.map((c) => [c.id, c.passed, c.found])]);
    if (key === this.lastSent) return;
    this.lastSent = key;
    this.emit({ type: 'labs.checked', result: this.result(r) });
  }

  /** On the host's tick: a command the learner ran (the history file grew) may pass a step. */
  poll(): void {
    if (!this.watched || this.starting || !this.lab.store.db.open) return;
    const h = this.historySignature();
    if (h === this.lastHistory) return;
    this.lastHistory = h;
    if (this.labs.progress.get(this.watched)) this.send(this.labs.check(this.watched));
  }

  dispose(): void {
    this.sub?.dispose();
    this.sub = undefined;
  }
}
