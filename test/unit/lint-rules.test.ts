import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });
const rulesHit = async (filePath: string, code: string) =>
  (await eslint.lintText(code, { filePath }))[0]!.messages.map((m) => `${m.ruleId}: ${m.message}`);

describe('architecture lint rules', () => {
  it('forbid a lower layer from importing a higher one', async () => {
    const hits = await rulesHit(
      'main/store/bad.ts',
      "import { ApiServer } from '../api/server';\nexport const x = ApiServer;\n",
    );
    expect(hits.some((h) => h.includes('no-restricted-imports') && h.includes('layer rule'))).toBe(true);
    const sim = await rulesHit(
      'main/api/bad.ts',
      "import { Lab } from '../sim/lab';\nexport const x = Lab;\n",
    );
    expect(sim.some((h) => h.includes('layer rule'))).toBe(true);
  });

  it('allow a higher layer to import a lower one', async () => {
    expect(
      await rulesHit(
        'main/sim/ok.ts',
        "import { ApiServer } from '../api/server';\nexport const x = ApiServer;\n",
      ),
    ).toEqual([]);
  });

  it('forbid wall-clock time, real timers and Math.random in the simulation', async () => {
    const hits = await rulesHit(
      'main/sim/bad.ts',
      'export const a = Date.now();\nexport const b = Math.random();\nexport const c = new Date();\nsetTimeout(() => {}, 1);\nexport const ok = new Date(0);\n',
    );
    expect(hits).toHaveLength(4);
  });

  it('keep the renderer away from main/', async () => {
    const hits = await rulesHit(
      'renderer/src/bad.ts',
      "import { Lab } from '../../main/sim/lab';\nexport const x = Lab;\n",
    );
    expect(hits.some((h) => h.includes('only through preload'))).toBe(true);
  });
});
