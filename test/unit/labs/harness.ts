// A lab with the labs engine and a learner's terminal over it: commands are typed (so they land in
// ~/.bash_history as a learner's would), the clock is stepped and the seed fixed.
import { fileURLToPath } from 'node:url';
import { createShell } from '../../../main/shell';
import { shippedScenarios } from '../../../main/host/scenarios';
import { LabCatalogue, Labs } from '../../../main/labs';
import type { Lab } from '../../../main/sim/lab';
import { newLab } from '../../helpers/lab';
import { defaultScenario } from '../../helpers/scenario';

export const labsRoot = fileURLToPath(new URL('../../../resources/labs', import.meta.url));

let catalogue: LabCatalogue | undefined;
export const shippedLabs = (): LabCatalogue => (catalogue ??= LabCatalogue.load(labsRoot));

export interface Learner {
  lab: Lab;
  labs: Labs;
  /** types lines into the terminal as a learner would (heredocs included) and waits for them to run */
  type(text: string): Promise<string>;
  wall: { now: number };
}

export function learner(): Learner {
  const lab = newLab({ scenario: defaultScenario() });
  const wall = { now: Date.UTC(2026, 5, 1, 12, 0, 0) };
  const labs = new Labs(lab, { catalogue: shippedLabs(), scenarios: shippedScenarios, wall: () => wall.now });
  let out = '';
  const session = createShell(lab, {
    write: (d) => (out += d),
    terminal: false,
    scenarios: shippedScenarios,
  });
  session.env.set('KUBECTL_VSPHERE_PASSWORD', 'VMware1!');
  return {
    lab,
    labs,
    wall,
    async type(text) {
      out = '';
      session.feed(`${text.replace(/\n+$/, '').replace(/\n/g, '\r')}\r`);
      await session.idle();
      // what the commands printed, without the line editor's echo of what was typed
      return (
        out
          .split('\n')
          // eslint-disable-next-line no-control-regex -- the terminal's escape sequences
          .map((line) => line.replace(/^[^]*\x1b\[\d+C/, ''))
          .join('\n')
      );
    },
  };
}
