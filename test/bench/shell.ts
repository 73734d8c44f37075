// The shell suite, inside one session (no process start): `kubectl get pods -A` over 10,000 pods, Tab
// completion of a pod name among them, and a long heredoc pasted into the terminal.
import { performance } from 'node:perf_hooks';
import { ApiClient } from '../../main/api/client';
import { systemUser } from '../../main/api/types';
import { createShell } from '../../main/shell';
import { complete } from '../../main/shell/completion';
import { Lab } from '../../main/sim/lab';
import { defaultScenario } from '../helpers/scenario';
import { figure, median, verdict } from './report';

export default async function shellSuite(): Promise<void> {
  // the default scenario: administrator@vsphere.local is a vSphere administrator, who may list every pod
  const lab = Lab.open({
    path: ':memory:',
    scenario: defaultScenario(),
  });
  try {
    const c = new ApiClient(lab.api, systemUser, 'supervisor');
    for (let n = 0; n < 10; n++)
      c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}` } });
    for (let i = 0; i < 10_000; i++) {
      c.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `web-${String(i).padStart(5, '0')}`,
          namespace: i < 5000 ? 'default' : `team-${i % 10}`,
        },
        spec: { containers: [{ name: 'n', image: 'nginx' }] },
      });
    }
    lab.store.flush();
    let newlines = 0;
    const session = createShell(lab, {
      write: (d) => {
        for (let i = d.indexOf('\n'); i >= 0; i = d.indexOf('\n', i + 1)) newlines++;
      },
      terminal: false,
    });
    const times: number[] = [];
    let printed = 0;
    for (let i = 0; i < 6; i++) {
      newlines = 0;
      const t0 = performance.now();
      await session.runScript('kubectl get pods -A');
      times.push(performance.now() - t0);
      printed = newlines;
    }
    const get = median(times.slice(1));
    // the table must really be there: a header and a row per pod
    figure(
      'kubectl get pods -A over 10,000 pods (in one session)',
      get,
      'ms',
      `median of 5, ${printed} lines printed (target ≤ 150 ms) ${verdict(get <= 150 && printed === 10_001)}`,
      1,
    );
    const ctx = {
      api: lab.api,
      workspace: session.workspace,
      cwd: '/',
      commands: ['kubectl'],
      user: systemUser,
      space: 'supervisor',
      namespace: 'default',
    };
    const tab: number[] = [];
    let found = 0;
    for (let i = 0; i < 11; i++) {
      const t0 = performance.now();
      found = complete('kubectl get pods web-0499', 24, ctx).candidates.length;
      tab.push(performance.now() - t0);
    }
    const t = median(tab.slice(1));
    figure(
      'Tab completion of a pod name among 5,000 in the namespace',
      t,
      'ms',
      `median of 10, ${found} candidates (target ≤ 20 ms) ${verdict(t <= 20)}`,
      2,
    );
    // a large manifest pasted into the terminal as a heredoc: every key through the editor
    const paste = createShell(lab, { write: () => {} });
    paste.start();
    const body = Array.from({ length: 3000 }, (_, i) => `  key${i}: value-${i}`);
    const t1 = performance.now();
    paste.feed(['cat <<EOF > big.yaml', ...body, 'EOF', ''].join('\r'));
    await paste.idle();
    const pasted = performance.now() - t1;
    const lines = paste.workspace.read('/big.yaml').split('\n').length - 1;
    figure(
      'paste of a 3,000-line heredoc into the terminal',
      pasted,
      'ms',
      `${lines} lines written (no target)`,
      0,
    );
  } finally {
    lab.close();
  }
}
