// Exam mode: seeded draws from the pool, a fresh environment per attempt, grading without hints, the
// score and per-task report, the time limit, and the history of attempts in the lab database.
import { afterEach, describe, expect, it } from 'vitest';
import { drawTasks } from '../../../main/labs/exam';
import { labsCommand } from '../../../main/labs/cli';
import { learner, shippedLabs, type Learner } from './harness';

let l: Learner | undefined;
afterEach(() => {
  l?.lab.close();
  l = undefined;
});

const exam = () => shippedLabs().exam!;

describe('exam mode', () => {
  it('draws the same tasks for the same seed, and other tasks for another', () => {
    const pool = exam().pool;
    const a = drawTasks(pool, 'seed-1', 5).map((t) => t.id);
    expect(drawTasks(pool, 'seed-1', 5).map((t) => t.id)).toEqual(a);
    expect(new Set(a).size).toBe(5);
    const others = ['seed-2', 'seed-3', 'seed-4'].map((s) =>
      drawTasks(pool, s, 5)
        .map((t) => t.id)
        .join(),
    );
    expect(others.some((o) => o !== a.join())).toBe(true);
    expect(drawTasks(pool, 'x', pool.length + 3)).toHaveLength(pool.length);
  });

  it('grades every task of the pool full marks by its reference solution', async () => {
    l = learner();
    const all = exam().pool.length;
    const v = await l.labs.exam.start({ seed: 'all', tasks: all });
    expect(v.tasks).toHaveLength(all);
    // the learner sees the tasks, never the checks' hints or the solutions
    expect(Object.keys(v.tasks[0]!).sort()).toEqual(['id', 'points', 'text', 'title']);
    for (const t of v.tasks) await l.type(l.labs.exam.solution(t.id)!);
    const done = l.labs.exam.finish();
    const failed = done.report!.tasks.filter((t) => t.scored !== t.points);
    expect(failed).toEqual([]);
    expect(done.score).toBe(done.maxScore);
    expect(done.maxScore).toBe(exam().pool.reduce((s, t) => s + t.points, 0));
  });

  it('scores an attempt with nothing done as zero, with a per-task report, and keeps every attempt', async () => {
    l = learner();
    const first = await l.labs.exam.start({ seed: 'seed-1' });
    expect(first.tasks.map((t) => t.id)).toEqual(
      drawTasks(exam().pool, 'seed-1', exam().tasks).map((t) => t.id),
    );
    expect(first.remainingMs).toBe(exam().minutes * 60_000);
    l.wall.now += 10 * 60_000;
    expect(l.labs.exam.current()!.remainingMs).toBe((exam().minutes - 10) * 60_000);
    const graded = l.labs.exam.finish();
    expect(graded.score).toBe(0);
    expect(graded.report!.overtime).toBe(false);
    expect(graded.report!.tasks.map((t) => t.id)).toEqual(first.tasks.map((t) => t.id));
    for (const t of graded.report!.tasks) {
      expect(t.scored).toBe(0);
      expect(t.checks.every((c) => !c.passed && c.found.length > 0)).toBe(true);
      expect(Object.keys(t.checks[0]!)).not.toContain('hint');
    }
    expect(l.labs.exam.current()).toBeUndefined();

    // a second attempt, given partial work: one task of two done
    const second = await l.labs.exam.start({ seed: 'seed-2', tasks: 2 });
    await l.type(l.labs.exam.solution(second.tasks[0]!.id)!);
    // time runs out: the attempt is graded as it stands, marked as over time
    l.wall.now += (exam().minutes + 1) * 60_000;
    const over = l.labs.exam.current()!;
    expect(over.attempt.finishedAt).toBeDefined();
    expect(over.attempt.report!.overtime).toBe(true);
    expect(over.attempt.score).toBe(second.tasks[0]!.points);
    expect(over.attempt.report!.tasks.map((t) => t.scored)).toEqual([second.tasks[0]!.points, 0]);

    expect(l.labs.exam.attempts().map((a) => [a.id, a.seed, a.score])).toEqual([
      [1, 'seed-1', 0],
      [2, 'seed-2', second.tasks[0]!.points],
    ]);
  });

  it('runs from the CLI: start, status, finish, history', async () => {
    l = learner();
    let out = '';
    const io = { out: (t: string) => (out += t), err: (t: string) => (out += t) };
    expect(await labsCommand(l.labs, ['exam', 'status'], io)).toBe(0);
    expect(out).toBe('No exam under way. Start one with: labs exam start\n');
    out = '';
    expect(
      await labsCommand(l.labs, ['exam', 'start', '--seed', 'cli', '--tasks', '3', '--minutes', '30'], io),
    ).toBe(0);
    expect(out).toMatch(/^exam attempt 1 started \(seed cli\), 30m00s to go\n\nTask 1 \(\d+ points?\): /);
    expect(out.match(/^Task \d/gm)).toHaveLength(3);
    out = '';
    await labsCommand(l.labs, ['exam', 'status'], io);
    expect(out).toMatch(/^exam attempt 1: 30m00s left\n {2}Task 1/);
    out = '';
    expect(await labsCommand(l.labs, ['exam', 'finish'], io)).toBe(0);
    expect(out).toMatch(/^exam attempt 1 \(seed cli\): 0\/\d+ points\n {2}FAIL 0\/\d+ {2}/);
    out = '';
    await labsCommand(l.labs, ['exam', 'history'], io);
    expect(out).toMatch(/^1 {2}2026-06-01T12:00:00\.000Z {2}seed cli {2}0\/\d+\n$/);
    out = '';
    expect(await labsCommand(l.labs, ['exam', 'finish'], io)).toBe(1);
    expect(out).toBe('error: no exam under way (start one with: labs exam start)\n');
  });
});
