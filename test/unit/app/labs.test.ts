// The labs panel's side of the engine (main/host/app/labs.ts) through the contract, on an in-memory lab:
// the catalogue with progress, start, check with the failing check's hint, hints, the solution as
// commands to paste (a heredoc is one), automatic checking pushed as the learner works in a terminal,
// and resume.
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../preload/contract';
import type {
  ExamAttemptView,
  ExamStatus,
  ExamUnderWay,
  LabCard,
  LabStepResult,
  LabView,
} from '../../../preload/labsContract';
import { AppEngine } from '../../../main/host/app/engine';
import { solutionCommands } from '../../../main/host/app/labs';
import type { Lab } from '../../../main/sim/lab';
import { newLab } from '../../helpers/lab';
import { defaultScenario } from '../../helpers/scenario';

let lab: Lab | undefined;
afterEach(() => lab?.close());

function open() {
  lab = newLab({ scenario: defaultScenario() });
  const engine = new AppEngine({ lab, labPath: ':memory:', version: '0.0.0' });
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  const output = (id: string) =>
    events
      .filter(
        (e): e is Extract<EngineEvent, { type: 'terminal.output' }> =>
          e.type === 'terminal.output' && e.id === id,
      )
      .map((e) => e.data)
      .join('');
  const checked = () =>
    events
      .filter((e): e is Extract<EngineEvent, { type: 'labs.checked' }> => e.type === 'labs.checked')
      .map((e) => e.result);
  /** types a line into the terminal as a learner does and waits for the prompt to come back */
  const run = async (id: string, line: string) => {
    const prompts = (output(id).match(/~ \$ /g) ?? []).length;
    await engine.call('terminal.input', { id, data: `${line}\r` });
    for (let i = 0; i < 500 && (output(id).match(/~ \$ /g) ?? []).length <= prompts; i++)
      await new Promise((r) => setTimeout(r, 10));
    engine.poll();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { engine, events, output, checked, run };
}

describe('the labs panel’s engine side', () => {
  it('lists the catalogue, starts lab 1, checks it with hints, and checks it automatically as the learner works', async () => {
    const { engine, checked, run } = open();
    const cards = (await engine.call('labs.list', {})) as LabCard[];
    expect(cards).toHaveLength(10);
    expect(cards[0]).toMatchObject({ id: '01-enable-workload-management', order: 1, steps: 3 });
    expect(cards[0]!.progress).toBeUndefined();
    expect(await engine.call('labs.resume', {})).toBeNull();

    const view = (await engine.call('labs.start', { lab: '1' })) as LabView;
    expect(view.progress).toMatchObject({ currentStep: 0, completed: [] });
    expect(view.stepList.map((s) => s.title)).toEqual([
      'Explore the inventory',
      'Enable Workload Management on NSX-T',
      'Watch the control plane come up',
    ]);
    expect(view.stepList[0]!.text).toContain('govc ls /Datacenter/host/Workload-Cluster');

    const first = (await engine.call('labs.check', { lab: '1' })) as LabStepResult;
    expect(first.passed).toBe(false);
    expect(first.hint).toMatch(/govc ls \/Datacenter\/host\/Workload-Cluster/);
    expect(((await engine.call('labs.hints', { lab: '1', step: 1 })) as string[]).length).toBe(2);

    await engine.call('labs.watch', { lab: '01-enable-workload-management' });
    const { id } = (await engine.call('terminal.open', { cols: 120 })) as { id: string };
    const solution = (await engine.call('labs.solution', { lab: '1', step: 1 })) as string[];
    expect(solution).toEqual([
      'govc ls /Datacenter/host/Workload-Cluster',
      'govc storage.policy.ls',
      'govc namespace.cluster.ls',
    ]);
    for (const line of solution) await run(id, line);
    expect(checked().find((r) => r.step === 1 && r.passed)).toMatchObject({ progress: { currentStep: 1 } });
    // then the step the learner is on is the one checked
    expect(checked().at(-1)).toMatchObject({ step: 2, passed: false });

    // the next step is now the one checked automatically: an object change passes it
    for (const line of (await engine.call('labs.solution', { lab: '1', step: 2 })) as string[])
      await run(id, line);
    expect(checked().find((r) => r.step === 2 && r.passed)).toMatchObject({ progress: { currentStep: 2 } });
    expect(await engine.call('labs.resume', {})).toEqual({
      lab: '01-enable-workload-management',
      step: 3,
      finished: false,
    });

    for (const line of (await engine.call('labs.solution', { lab: '1', step: 3 })) as string[])
      await run(id, line);
    const last = checked().find((r) => r.step === 3 && r.passed)!;
    expect(last).toBeDefined();
    expect(last.progress?.finishedAt).toBeDefined();
    const after = (await engine.call('labs.list', {})) as LabCard[];
    expect(after[0]!.progress?.completed).toEqual(['explore', 'enable', 'running']);

    // reset: the environment goes back to the lab's start, the steps start over
    const reset = (await engine.call('labs.start', { lab: '1' })) as LabView;
    expect(reset.progress).toMatchObject({ currentStep: 0, completed: [] });
    expect(((await engine.call('status', {})) as { supervisor: unknown }).supervisor).toBeNull();
  }, 60_000);

  it('runs an exam: drawn tasks without hints, graded with a per-task report, kept in the history', async () => {
    const { engine } = open();
    const before = (await engine.call('exam.status', {})) as ExamStatus;
    expect(before.exam).toMatchObject({ minutes: 45, tasks: 5 });
    expect(before.current).toBeNull();
    expect(before.history).toEqual([]);
    const started = (await engine.call('exam.start', {})) as ExamUnderWay;
    expect(started.tasks).toHaveLength(5);
    expect(started.remainingMs).toBeGreaterThan(44 * 60_000);
    expect(JSON.stringify(started)).not.toMatch(/hint|solution/);
    expect(((await engine.call('exam.status', {})) as ExamStatus).current?.attempt.id).toBe(
      started.attempt.id,
    );
    const done = (await engine.call('exam.finish', {})) as ExamAttemptView;
    expect(done.maxScore).toBeGreaterThan(0);
    expect(done.report?.tasks.map((t) => t.id)).toEqual(started.tasks.map((t) => t.id));
    const after = (await engine.call('exam.status', {})) as ExamStatus;
    expect(after.current).toBeNull();
    expect(after.history.map((a) => a.id)).toEqual([started.attempt.id]);
  }, 60_000);

  it('gives a heredoc as one command to paste', () => {
    expect(
      solutionCommands([
        'cat > a.yaml <<EOF',
        'kind: X',
        'EOF',
        'kubectl apply -f a.yaml',
        'echo a \\',
        '  b',
      ]),
    ).toEqual(['cat > a.yaml <<EOF\nkind: X\nEOF', 'kubectl apply -f a.yaml', 'echo a \\\n  b']);
  });

  it('refuses an unknown lab', async () => {
    const { engine } = open();
    await expect(engine.call('labs.get', { lab: '99' })).rejects.toThrow(/no lab "99"/);
  });
});
