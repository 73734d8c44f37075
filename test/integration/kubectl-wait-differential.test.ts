import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../main/sim/lab';
import { createShell } from '../../main/shell';
import { adminClient, newLab, pod } from '../helpers/lab';
import { haveKubectl, inApp, serveLab, type Served, warnSkipped } from '../helpers/kubectl';
import { defaultScenario, runningSupervisor } from '../helpers/scenario';

warnSkipped('the differential kubectl wait suite');

/** Waits that end at once, or after a short --timeout (real seconds for kubectl, lab seconds in the lab). */
const corpus = [
  'wait --for=delete pod/nope -n demo',
  'wait --for=condition=Ready pod/nope -n demo',
  'wait --for=condition=Ready pod/web-1 -n demo --timeout=1s',
  'wait --for=jsonpath={.status.phase}=Pending pod/web-1 -n demo',
  'wait --for=jsonpath=.status.phase=Pending pod/web-1 -n demo',
  'wait --for=condition=Ready=false pod/web-1 -n demo --timeout=1s',
  'wait pod/web-1 -n demo',
  'wait --for=bogus pod/web-1 -n demo',
  'wait --for=condition=Ready pods --all -n demo --timeout=1s',
  'wait --for=condition=Ready pods -n demo',
  'wait --for=delete pods -l app=nope -n demo',
  'wait --for=condition=Ready pod -l app=web -n demo --timeout=0',
  'wait --for=jsonpath={.status.phase} pod/web-1 -n demo --timeout=1s',
  'wait --for=jsonpath={.status.phase}=Running pod/web-1 -n demo --timeout=1s',
  'wait --for=create pod/web-1 -n demo',
  'wait --for=jsonpath={.metadata.labels.app}=web pod/web-1 -n demo',
  'wait --for=jsonpath={.spec.containers[0].image}=nginx:1.25 pod/web-1 -n demo',
  'wait --for=jsonpath={.spec.containers[*].name}=nginx pod/web-1 -n demo',
  'wait --for=jsonpath={.nope}=x pod/web-1 -n demo --timeout=1s',
  'wait --for=jsonpath={.metadata} pod/web-1 -n demo',
  'wait --for=condition=Ready nodes --all',
  'wait --for=condition=ready node -l node-role.kubernetes.io/master',
  'wait --for=condition=Ready pod/web-1 -n demo --timeout=5',
  'wait --for=condition=Ready widgets/x',
  'wait --for=condition=Ready --bogus',
  'wait --for=condition=Ready',
];

describe.skipIf(!haveKubectl)('kubectl wait in the lab shell equals the real kubectl', () => {
  let lab: Lab;
  let s: Served;
  beforeAll(async () => {
    lab = newLab({ scenario: defaultScenario() });
    runningSupervisor(lab);
    const c = adminClient(lab);
    c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
    c.create(pod('web-1', 'demo', { labels: { app: 'web' } }));
    c.create(pod('db-1', 'demo', { labels: { app: 'db' } }));
    s = await serveLab(lab);
  });
  afterAll(async () => {
    await s?.close();
    lab?.close();
  });

  for (const line of corpus)
    it(`kubectl ${line}`, async () => {
      const real = await s.kubectl(line.split(' '));
      const before = lab.clock.nowMs();
      const ours = await inApp(lab, `kubectl ${line}`);
      expect(ours).toEqual({ code: real.code, stdout: real.stdout, stderr: real.stderr });
      // a timed wait spends its timeout in lab time, no more
      expect(lab.clock.nowMs() - before).toBe(/--timeout=1s/.test(line) && real.code !== 0 ? 1000 : 0);
    });
});

describe('kubectl wait over lab time', () => {
  it('advances a stepped clock until the condition holds, and prints when it does', async () => {
    const lab = newLab({ scenario: defaultScenario() });
    try {
      let out = '';
      const session = createShell(lab, { write: (d) => (out += d), terminal: false });
      const start = lab.clock.nowMs();
      // something in the lab makes the pod 30 seconds from now
      lab.clock.after(30_000, () => adminClient(lab).create(pod('later')));
      await session.runScript('kubectl wait --for=create pod/later --timeout=2m');
      expect({ status: session.lastStatus, out }).toEqual({ status: 0, out: 'pod/later condition met\n' });
      expect(lab.clock.nowMs() - start).toBe(30_000);
      out = '';
      lab.clock.after(45_000, () => adminClient(lab).delete('pods', 'default', 'later'));
      await session.runScript('kubectl wait --for=delete pod/later --timeout=40s 2> /err.txt');
      expect({ status: session.lastStatus, err: session.workspace.read('/err.txt') }).toEqual({
        status: 1,
        err: 'error: timed out waiting for the condition on pods/later\n',
      });
      await session.runScript('kubectl wait --for=delete pod/later');
      expect({ status: session.lastStatus, out }).toEqual({ status: 0, out: 'pod/later condition met\n' });
      expect(lab.clock.nowMs() - start).toBe(75_000);
    } finally {
      lab.close();
    }
  });
});
