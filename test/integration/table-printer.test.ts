import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../main/sim/lab';
import type { Table } from '../../main/api/table';
import { printTable } from '../../main/shell/printers/table';
import { adminClient, newLab, pod } from '../helpers/lab';
import { haveKubectl, serveLab, type Served, warnSkipped } from '../helpers/kubectl';
import { request } from '../helpers/requests';
import { defaultScenario, runningSupervisor } from '../helpers/scenario';

warnSkipped('the differential table-printer suite');

describe.skipIf(!haveKubectl)('the lab’s table printer prints what the real kubectl prints', () => {
  let lab: Lab;
  let s: Served;
  beforeAll(async () => {
    lab = newLab({ scenario: defaultScenario() });
    const c = adminClient(lab);
    runningSupervisor(lab);
    c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
    c.create(pod('web-1', 'demo', { labels: { app: 'web', tier: 'front' } }));
    c.create(pod('a-much-longer-pod-name', 'demo', { labels: { app: 'db' } }));
    c.create(pod('x', 'default'));
    c.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'demo' },
      data: { a: '1', b: '2' },
    });
    lab.advance(3 * 60_000 + 7_000);
    s = await serveLab(lab);
  });
  afterAll(async () => {
    await s?.close();
    lab?.close();
  });

  const cases: {
    args: string[];
    resource: string;
    namespace?: string;
    wide?: boolean;
    noHeaders?: boolean;
    showLabels?: boolean;
    all?: boolean;
  }[] = [
    { args: ['get', 'pods', '-n', 'demo'], resource: 'pods', namespace: 'demo' },
    { args: ['get', 'pods', '-n', 'demo', '-o', 'wide'], resource: 'pods', namespace: 'demo', wide: true },
    { args: ['get', 'pods', '-A'], resource: 'pods', all: true },
    { args: ['get', 'pods', '-A', '--show-labels'], resource: 'pods', all: true, showLabels: true },
    {
      args: ['get', 'pods', '-n', 'demo', '--no-headers'],
      resource: 'pods',
      namespace: 'demo',
      noHeaders: true,
    },
    { args: ['get', 'namespaces'], resource: 'namespaces' },
    { args: ['get', 'nodes'], resource: 'nodes' },
    { args: ['get', 'nodes', '-o', 'wide'], resource: 'nodes', wide: true },
    { args: ['get', 'configmaps', '-n', 'demo'], resource: 'configmaps', namespace: 'demo' },
  ];

  for (const tc of cases) {
    it(`kubectl ${tc.args.join(' ')}`, async () => {
      const real = await s.kubectl(tc.args);
      expect(real.code).toBe(0);
      const res = request(lab, 'list', tc.resource, {
        namespace: tc.all ? undefined : tc.namespace,
        table: true,
      });
      const ours = printTable(res.body as Table, {
        now: lab.clock.now(),
        wide: tc.wide,
        noHeaders: tc.noHeaders,
        showLabels: tc.showLabels,
        withNamespace: tc.all,
      });
      expect(ours).toBe(real.stdout);
    });
  }
});
