// Puts a lab's environment in place: the environment starts over from the lab's scenario, the
// workspace's kubeconfig goes back to the administrator's, and the lab's setup commands run through a
// lab shell on a stepped clock (so `sleep 20m` in a setup takes no real time) without touching the
// learner's history.
import { createShell } from '../shell';
import type { ScenarioSource } from '../shell/commands/lab';
import type { Lab } from '../sim/lab';
import { Workspace } from '../store/files';
import type { LabStart } from './format';

export class LabSetupError extends Error {}

/** The password of every SSO user in the shipped scenarios; setups log in with it. */
const SCENARIO_PASSWORD = 'VMware1!';

export async function startEnvironment(lab: Lab, start: LabStart, scenarios: ScenarioSource): Promise<void> {
  const scenario = scenarios.load(start.scenario);
  if (!scenario) throw new LabSetupError(`no scenario "${start.scenario}" (see lab scenario ls)`);
  lab.reset(scenario);
  const ws = new Workspace(lab.store, () => lab.clock.nowMs());
  // a new shell writes the administrator's kubeconfig where there is none
  if (ws.stat('/.kube/config')) ws.remove('/.kube/config');
  let output = '';
  const session = createShell(lab, { write: (d) => (output += d), terminal: false, scenarios, history: [] });
  if (!start.setup?.length) return;
  session.env.set('KUBECTL_VSPHERE_PASSWORD', SCENARIO_PASSWORD);
  const mode = lab.clock.getMode();
  if (mode.kind !== 'stepped') lab.clock.setMode({ kind: 'stepped' });
  try {
    for (const line of start.setup) {
      const status = await session.runScript(line);
      if (status !== 0)
        throw new LabSetupError(`the lab's setup failed at: ${line}\n(status ${status})\n${output}`);
    }
  } finally {
    if (mode.kind !== 'stepped') lab.clock.setMode(mode);
    lab.saveState();
  }
}
