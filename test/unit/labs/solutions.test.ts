// Every shipped lab, end to end through the learner's terminal on a fresh lab: before a step's
// solution its checks do not all pass (and the failing check names its hint); after it, they do.
import { afterEach, describe, expect, it } from 'vitest';
import { learner, shippedLabs, type Learner } from './harness';

let l: Learner | undefined;
afterEach(() => {
  l?.lab.close();
  l = undefined;
});

describe('every lab, by its reference solution', () => {
  for (const def of shippedLabs().labs) {
    it(`${def.id}: each step fails before its solution and passes after it`, async () => {
      l = learner();
      await l.labs.start(def.id);
      for (const [i, step] of def.steps.entries()) {
        const before = l.labs.check(def.id, i + 1);
        expect(before.passed, `${def.id} step ${i + 1} passed before its solution`).toBe(false);
        const failing = before.checks.find((c) => !c.passed)!;
        expect(before.hint).toBe(step.checks.find((c) => c.id === failing.id)!.hint);
        const out = await l.type(step.solution);
        const after = l.labs.check(def.id, i + 1);
        expect(
          after.checks.filter((c) => !c.passed),
          `${def.id} step ${i + 1} (${step.id}) after its solution; the terminal said:\n${out}`,
        ).toEqual([]);
        expect(after.passed).toBe(true);
      }
      const p = l.labs.progress.get(def.id)!;
      expect(p.completed).toEqual(def.steps.map((s) => s.id));
      expect(p.currentStep).toBe(def.steps.length);
      expect(p.finishedAt).toBeDefined();
    });
  }
});
