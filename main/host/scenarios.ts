// Scenario files shipped in resources/scenarios/, found from the app's root in every runtime.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readScenario, type Scenario } from '../sim/vcenter/scenario';
import type { ScenarioSource } from '../shell/commands/lab';
import { appRoot } from './appInfo';

const scenarioDir = join(appRoot, 'resources', 'scenarios');

export const scenarioPath = (name: string): string => join(scenarioDir, `${name}.yaml`);

/** The inventory a new lab starts from. */
export const defaultScenario = (): Scenario => readScenario(scenarioPath('default'));

/** Every shipped scenario, for `lab scenario ls|load` and `lab reset`. */
export const shippedScenarios: ScenarioSource = {
  list: () =>
    readdirSync(scenarioDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => {
        const s = readScenario(join(scenarioDir, f));
        return { name: s.name, title: s.title ?? '' };
      }),
  load: (name) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return undefined;
    try {
      return readScenario(scenarioPath(name));
    } catch {
      return undefined;
    }
  },
};
