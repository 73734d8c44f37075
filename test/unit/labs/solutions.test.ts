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

describe('a lab run twice', () => {
  it('finds the same things both times (stepped clock, seeded randomness)', async () => {
    const def = shippedLabs().find('04-vsphere-pods')!;
    const run = async () => {
      const me = learner();
      try {
        await me.labs.start(def.id);
        const found: string[] = [];
        for (const [i, step] of def.steps.entries()) {
          await me.type(step.solution);
          found.push(...me.labs.check(def.id, i + 1).checks.map((c) => `${c.id}: ${c.found}`));
        }
        found.push(await me.type('lab explain pod demo/web'));
        return found;
      } finally {
        me.lab.close();
      }
    };
    const first = await run();
    expect(first.join('\n')).toMatch(/DRS final placement: esxi-0\d\.lab\.local/);
    expect(await run()).toEqual(first);
  });
});
