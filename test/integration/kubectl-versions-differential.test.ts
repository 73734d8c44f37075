// A kind served in two versions (test/helpers/widget.ts: stored as v2, served as v1 too), driven by the
// real kubectl and by the lab shell's kubectl against two labs with the same seed: same output, same
// exit status, step by step — writes in v1, reads in either version, discovery, explain --api-version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../main/sim/lab';
import { createShell } from '../../main/shell';
import { newLab } from '../helpers/lab';
import { haveKubectl, serveLab, type Served, warnSkipped } from '../helpers/kubectl';
import { WIDGET_GROUP, widgetKind } from '../helpers/widget';

warnSkipped('the differential suite of a kind served in two versions');

const manifest = (version: string, name: string, spec: string) =>
  `apiVersion: ${WIDGET_GROUP}/${version}\nkind: Widget\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

const steps: { args: string[]; stdin?: string }[] = [
  { args: ['apply', '-f', '-'], stdin: manifest('v1', 'a', '  color: red\n  size: 3\n') },
  { args: ['apply', '-f', '-'], stdin: manifest('v1', 'a', '  color: red\n  sise: 4\n') },
  { args: ['create', '-f', '-'], stdin: manifest('v1', 'c', '  size: 1\n  dimensions:\n    size: 1\n') },
  { args: ['apply', '-f', '-'], stdin: manifest('v2', 'b', '  dimensions:\n    size: 2\n    depth: 7\n') },
  { args: ['apply', '-f', '-'], stdin: manifest('v1', 'a', '  color: blue\n  size: 3\n') },
  { args: ['apply', '-f', '-'], stdin: manifest('v1', 'd', '  size: -1\n') },
  { args: ['get', 'widgets'] },
  { args: ['get', 'widgets.v1.widgets.lab.test'] },
  { args: ['get', 'widgets.v2.widgets.lab.test', '-o', 'wide'] },
  { args: ['get', 'widgets.v1.widgets.lab.test', 'b', '-o', 'yaml'] },
  { args: ['get', 'widget', 'a', '-o', 'json'] },
  { args: ['get', 'wdg.v1.widgets.lab.test', 'a', '-o', 'jsonpath={.apiVersion} {.spec}'] },
  { args: ['patch', 'widgets.v1.widgets.lab.test', 'a', '--type=merge', '-p', '{"spec":{"size":5}}'] },
  { args: ['patch', 'widgets.v1.widgets.lab.test', 'a', '--type=merge', '-p', '{"spec":{"sise":5}}'] },
  {
    args: [
      'patch',
      'widgets.v1.widgets.lab.test',
      'a',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/size","value":6}]',
    ],
  },
  { args: ['get', 'widgets.v2.widgets.lab.test', 'a', '-o', 'jsonpath={.spec}'] },
  { args: ['api-versions'] },
  { args: ['api-resources', `--api-group=${WIDGET_GROUP}`] },
  { args: ['explain', 'widgets'] },
  { args: ['explain', 'widgets', `--api-version=${WIDGET_GROUP}/v1`] },
  { args: ['explain', 'widgets.spec', '--api-version', `${WIDGET_GROUP}/v1`] },
  { args: ['explain', `widgets.${WIDGET_GROUP}.spec.dimensions`] },
  { args: ['explain', 'widgets', `--api-version=${WIDGET_GROUP}/v9`] },
  { args: ['explain', 'widgets', '--api-version=v1'] },
  { args: ['explain', 'widgets', '--api-version=a/b/c'] },
  { args: ['delete', 'widgets.v1.widgets.lab.test', 'a'] },
  { args: ['delete', '-f', '-'], stdin: manifest('v1', 'b', '  size: 2\n') },
  { args: ['get', 'widgets', '-o', 'name'] },
];

describe.skipIf(!haveKubectl)('a kind served in two versions: the lab shell equals the real kubectl', () => {
  let real: Lab;
  let ours: Lab;
  let s: Served;
  beforeAll(async () => {
    real = newLab({ seed: 'diff', kinds: (r) => r.register(widgetKind) });
    ours = newLab({ seed: 'diff', kinds: (r) => r.register(widgetKind) });
    s = await serveLab(real);
    // serving the real lab opened a login session: the first lab shell opens one in ours
    createShell(ours, { write: () => {}, terminal: false });
  });
  afterAll(async () => {
    await s?.close();
    real?.close();
    ours?.close();
  });

  it('prints the same for every step', async () => {
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
      expect(got).toEqual({ args: step.args.join(' '), code: r.code, stdout: r.stdout, stderr: r.stderr });
    }
  });
});
