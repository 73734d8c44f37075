import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../main/sim/lab';
import { createShell } from '../../main/shell';
import { newLab } from '../helpers/lab';
import { haveKubectl, serveLab, type Served, warnSkipped } from '../helpers/kubectl';

warnSkipped('the differential kubectl apply/create/delete suite');

const cm = (color: string, labels = '  labels:\n    team: a\n') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n${labels}data:\n  color: ${color}\n`;
const two = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm3\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n`;

/** Each step: kubectl arguments and the manifest given on stdin. */
const steps: { args: string[]; stdin?: string }[] = [
  { args: ['apply', '-f', '-'], stdin: cm('blue') },
  { args: ['apply', '-f', '-'], stdin: cm('blue') },
  { args: ['apply', '-f', '-'], stdin: cm('green') },
  { args: ['apply', '-f', '-'], stdin: cm('green', '') },
  { args: ['create', '-f', '-'], stdin: cm('red').replace('name: settings', 'name: cm2') },
  { args: ['create', '-f', '-'], stdin: cm('red').replace('name: settings', 'name: cm2') },
  { args: ['apply', '-f', '-'], stdin: two },
  { args: ['apply', '-f', '-'], stdin: two.replace('replicas: 2', 'replicas: 3') },
  // (an unknown kind is left out: the real kubectl then fetches OpenAPI v2 as protobuf, which the
  // endpoint does not serve yet; the lab shell prints what kubectl prints against a real API server)
  { args: ['apply', '-f', '-', '--dry-run=server'], stdin: cm('yellow') },
  { args: ['apply', '-f', '-', '--dry-run=client'], stdin: cm('yellow') },
  { args: ['apply', '-f', '-', '--dry-run=client'], stdin: cm('green', '') },
  { args: ['apply', '-f', '-', '--dry-run=client'], stdin: cm('x').replace('name: settings', 'name: cm9') },
  { args: ['create', '-f', '-', '--dry-run=client'], stdin: cm('x').replace('name: settings', 'name: cm9') },
  { args: ['apply', '-f', '-', '--dry-run=maybe'], stdin: cm('yellow') },
  { args: ['apply', '-f', '-'], stdin: '{}\n' },
  { args: ['delete', '-f', '-'], stdin: '{}\n' },
  { args: ['delete', '-f', '-'], stdin: 'kind: ConfigMap\nmetadata:\n  name: x\n' },
  { args: ['delete', '-f', '-'], stdin: 'metadata:\n  name: x\napiVersion: v1\n' },
  { args: ['apply', '-f', '-'], stdin: 'apiVersion: v1\n' },
  { args: ['create', '-f', '-'], stdin: 'kind: ConfigMap\nmetadata:\n  name: x\n' },
  { args: ['delete', 'cm', 'settings', '--dry-run=client'] },
  { args: ['get', 'cm', 'settings', '-o', 'json'] },
  { args: ['get', 'deploy', 'web', '-o', 'json'] },
  { args: ['label', 'cm', 'settings', 'tier=front'] },
  { args: ['label', 'cm', 'settings', 'tier=back'] },
  { args: ['label', 'cm', 'settings', 'tier=back', '--overwrite'] },
  { args: ['label', 'cm', 'settings', 'tier=back', '--overwrite'] },
  { args: ['label', 'cm/settings', 'tier-'] },
  { args: ['label', 'cm', 'settings', 'tier-'] },
  { args: ['label', 'cm', 'nope', 'x=y'] },
  { args: ['label', 'cm', 'settings'] },
  { args: ['annotate', 'cm', 'settings', 'note=hi'] },
  { args: ['annotate', 'cm', 'settings', 'note=ho'] },
  { args: ['patch', 'cm', 'settings', '-p', '{"data":{"b":"2"}}'] },
  { args: ['patch', 'cm', 'settings', '-p', '{"data":{"b":"2"}}'] },
  { args: ['patch', 'cm', 'settings', '--type=json', '-p', '[{"op":"remove","path":"/data/b"}]'] },
  { args: ['patch', 'cm', 'nope', '-p', '{}'] },
  { args: ['scale', 'deploy', 'web', '--replicas=5'] },
  { args: ['scale', 'deploy', 'nope', '--replicas=1'] },
  { args: ['scale', 'cm', 'settings', '--replicas=2'] },
  { args: ['scale', 'deploy', 'web', '--replicas=-1'] },
  { args: ['get', 'cm', 'settings', '-o', 'json'] },
  { args: ['get', 'deploy', 'web', '-o', 'json'] },
  { args: ['delete', 'cm', 'cm2', 'nope'] },
  { args: ['delete', '-f', '-'], stdin: two },
  { args: ['delete', 'cm', '-l', 'team=x'] },
  { args: ['delete', 'configmap/settings'] },
  { args: ['delete', 'widgets', 'x'] },
  { args: ['delete', 'cm/a/b'] },
  { args: ['delete', 'cm', 'cm/x'] },
];

describe.skipIf(!haveKubectl)(
  'kubectl apply, create and delete in the lab shell equal the real kubectl',
  () => {
    let real: Lab;
    let ours: Lab;
    let s: Served;
    beforeAll(async () => {
      real = newLab({ seed: 'diff' });
      ours = newLab({ seed: 'diff' });
      s = await serveLab(real);
      // serving the real lab opened a login session (one write, one draw of the seeded source): keep step
      // the first lab shell signs the administrator in (a session, like the one serveLab opened in real)
      createShell(ours, { write: () => {}, terminal: false });
    });
    afterAll(async () => {
      await s?.close();
      real?.close();
      ours?.close();
    });

    it('prints the same for every step and leaves the same objects', async () => {
      for (const step of steps) {
        const r = await s.kubectl(step.args, step.stdin === undefined ? {} : { stdin: step.stdin });
        let stdout = '';
        const session = createShell(ours, { write: (d) => (stdout += d), terminal: false });
        session.workspace.write('/stdin.yaml', step.stdin ?? '');
        const line = `kubectl ${step.args.map((a) => `'${a}'`).join(' ')} < /stdin.yaml 2> /stderr.txt`;
        await session.runScript(line);
        const got = {
          args: step.args.join(' '),
          code: session.lastStatus,
          stdout,
          stderr: session.workspace.read('/stderr.txt'),
        };
        // server-set fields (uid, resourceVersion, times) agree: both labs share the seed and the clock
        expect(got).toEqual({ args: step.args.join(' '), code: r.code, stdout: r.stdout, stderr: r.stderr });
      }
    });
  },
);
