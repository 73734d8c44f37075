// Guided labs and exam mode over one open lab: the engine API a labs panel (or the CLI) calls —
// catalogue, start/reset a lab (its scenario and setup), check a step, hints, the reference solution,
// progress kept in the lab database, automatic checking as state changes, and exam mode.
import type { Disposable } from '../api/types';
import type { ScenarioSource } from '../shell/commands/lab';
import type { Lab } from '../sim/lab';
import { Workspace } from '../store/files';
import type { LabCatalogue } from './catalogue';
import { evaluateCheck, parseHistory, type CheckResult, type HistoryEntry } from './checks';
import { startEnvironment } from './environment';
import { ExamEngine } from './exam';
import type { LabDef, StepDef } from './format';
import { ProgressStore, type LabProgress } from './progress';

export { LabCatalogue } from './catalogue';
export type { CheckResult } from './checks';
export { ExamError, type ExamView, type ExamTaskView, type ExamOptions } from './exam';
export { LabSetupError } from './environment';
export { LabFormatError } from './format';
export type { LabDef, StepDef, CheckDef, ExamDef } from './format';
export type { LabProgress, ExamAttempt, ExamTaskReport } from './progress';

export interface LabSummary {
  id: string;
  order: number;
  title: string;
  level: LabDef['level'];
  minutes: number;
  summary: string;
  steps: number;
  progress?: LabProgress;
}

export interface StepResult {
  labId: string;
  /** 1-based, as the learner counts */
  step: number;
  stepId: string;
  title: string;
  passed: boolean;
  checks: CheckResult[];
  /** the hint of the first failing check */
  hint?: string;
}

export class UnknownLabError extends Error {}

export interface LabsOptions {
  catalogue: LabCatalogue;
  /** the host's scenarios (resources/scenarios), which labs start from */
  scenarios: ScenarioSource;
  /** wall time for exam deadlines (default Date.now) */
  wall?: () => number;
  /** where the learner's shell keeps its history (default /.bash_history, HOME being /) */
  historyFile?: string;
}

export class Labs {
  readonly progress: ProgressStore;
  readonly exam: ExamEngine;
  private readonly workspace: Workspace;

  constructor(
    readonly lab: Lab,
    private readonly o: LabsOptions,
  ) {
    this.progress = new ProgressStore(lab.store);
    this.workspace = new Workspace(lab.store, () => lab.clock.nowMs());
    this.exam = new ExamEngine(
      lab,
      o.catalogue.exam,
      this.progress,
      o.scenarios,
      o.wall ?? (() => Date.now()),
      { since: (from) => this.history(from), length: () => this.historyLength() },
    );
  }

  /** The catalogue with the learner's progress. */
  list(): LabSummary[] {
    return this.o.catalogue.labs.map((l) => {
      const progress = this.progress.get(l.id);
      return {
        id: l.id,
        order: l.order,
        title: l.title,
        level: l.level,
        minutes: l.minutes,
        summary: l.summary,
        steps: l.steps.length,
        ...(progress ? { progress } : {}),
      };
    });
  }

  /** A lab by id, order number or unique prefix. */
  get(ref: string): LabDef {
    const lab = this.o.catalogue.find(ref);
    if (!lab) throw new UnknownLabError(`no lab "${ref}" (see labs ls)`);
    return lab;
  }

  private step(lab: LabDef, step: number): StepDef {
    const s = lab.steps[step - 1];
    if (!s) throw new UnknownLabError(`lab ${lab.id} has steps 1 to ${lab.steps.length}, not ${step}`);
    return s;
  }

  /** Starts (or resets) a lab: its scenario and setup, progress back to step 1. */
  async start(ref: string): Promise<LabProgress> {
    const lab = this.get(ref);
    await startEnvironment(this.lab, lab.start, this.o.scenarios);
    return this.progress.start(lab.id, this.lab.clock.nowMs(), this.historyLength());
  }

  /** The lab to resume: the one last worked on, with the step the learner is on. */
  resume(): { lab: LabDef; step: number; progress: LabProgress } | undefined {
    const p = this.progress.latest();
    const lab = p && this.o.catalogue.find(p.labId);
    if (!p || !lab) return undefined;
    return { lab, step: Math.min(p.currentStep + 1, lab.steps.length), progress: p };
  }

  private readHistoryFile(): string {
    try {
      return this.workspace.read(this.o.historyFile ?? '/.bash_history');
    } catch {
      return '';
    }
  }

  /** How long the learner's history file is now (a lab starts counting commands from here). */
  historyLength(): number {
    return this.readHistoryFile().length;
  }

  /** The learner's commands, with their lab time, from a length of the history file on. */
  history(from = 0): HistoryEntry[] {
    const text = this.readHistoryFile();
    // a history file rewritten shorter (cleared by hand) counts from its start
    return parseHistory(text.length >= from ? text.slice(from) : text);
  }

  /**
   * Checks one step (1-based; default: the step the learner is on) against the live lab and records
   * the result: a passed step is marked done and the learner moves past it.
   */
  check(ref: string, step?: number): StepResult {
    const lab = this.get(ref);
    const progress = this.progress.get(lab.id);
    const n = step ?? Math.min((progress?.currentStep ?? 0) + 1, lab.steps.length);
    const s = this.step(lab, n);
    const ctx = { lab: this.lab, history: () => this.history(progress?.historyFrom ?? 0) };
    this.lab.api.flush();
    const checks = s.checks.map((c) => evaluateCheck(c, ctx));
    const passed = checks.every((c) => c.passed);
    if (progress) {
      if (passed && !progress.completed.includes(s.id)) progress.completed.push(s.id);
      if (passed && progress.currentStep === n - 1) {
        // on to the first step not yet done
        let next = n;
        while (next < lab.steps.length && progress.completed.includes(lab.steps[next]!.id)) next++;
        progress.currentStep = next;
      }
      if (progress.completed.length === lab.steps.length && progress.finishedAt === undefined)
        progress.finishedAt = this.lab.clock.nowMs();
      progress.updatedAt = this.lab.clock.nowMs();
      this.progress.save(progress);
    }
    const failing = checks.find((c) => !c.passed);
    return {
      labId: lab.id,
      step: n,
      stepId: s.id,
      title: s.title,
      passed,
      checks,
      ...(failing ? { hint: failing.hint } : {}),
    };
  }

  /** Checks every step in order. */
  checkAll(ref: string): StepResult[] {
    const lab = this.get(ref);
    return lab.steps.map((_, i) => this.check(lab.id, i + 1));
  }

  /** A step's hints (counted in the progress, as the panel reveals them). */
  hints(ref: string, step: number): string[] {
    const lab = this.get(ref);
    const hints = this.step(lab, step).hints;
    const p = this.progress.get(lab.id);
    if (p) {
      p.hintsShown++;
      p.updatedAt = this.lab.clock.nowMs();
      this.progress.save(p);
    }
    return hints;
  }

  /** A step's reference solution, as the lines to put into the terminal. */
  solution(ref: string, step: number): string[] {
    return this.step(this.get(ref), step).solution.replace(/\n+$/, '').split('\n');
  }

  /**
   * Automatic checking: the step the learner is on is checked again whenever the lab's state changes
   * (coalesced, at most once per turn of the event loop); dispose to stop.
   */
  autoCheck(ref: string, listener: (r: StepResult) => void): Disposable {
    const id = this.get(ref).id;
    let queued = false;
    const sub = this.lab.store.onCommit(() => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        if (this.lab.store.db.open) listener(this.check(id));
      });
    });
    return { dispose: () => sub.dispose() };
  }
}
