// Scenario files shipped in resources/scenarios/, found from the app's root in every runtime.
import { join } from 'node:path';
import { readScenario, type Scenario } from '../sim/vcenter/scenario';
import { appRoot } from './appInfo';

export const scenarioPath = (name: string): string => join(appRoot, 'resources', 'scenarios', `${name}.yaml`);

/** The inventory a new lab starts from. */
export const defaultScenario = (): Scenario => readScenario(scenarioPath('default'));
