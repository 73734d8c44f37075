import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../main/sim/lab';
import { adminClient, newLab, pod } from '../helpers/lab';
import { haveKubectl, inApp, serveLab, type Served, warnSkipped } from '../helpers/kubectl';
import { defaultScenario, runningSupervisor } from '../helpers/scenario';

warnSkipped('the differential kubectl get suite');

describe.skipIf(!haveKubectl)(
  'kubectl reads (get, api-resources, api-versions) in the lab shell equal the real kubectl',
  () => {
    let lab: Lab;
    let s: Served;
    beforeAll(async () => {
      lab = newLab({ scenario: defaultScenario() });
      runningSupervisor(lab);
      const c = adminClient(lab);
      for (const ns of ['demo', 'empty'])
        c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      c.create(pod('web-1', 'demo', { labels: { app: 'web' } }));
      c.create(pod('web-2', 'demo', { labels: { app: 'web', tier: 'front' } }));
      c.create(pod('db-1', 'demo', { labels: { app: 'db' } }));
      c.create(pod('web', 'default'));
      c.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'demo' },
        data: { color: 'blue' },
      });
      // strings a YAML 1.1 reader would take for something else: kubectl's YAML quotes them
      c.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'ambiguous', namespace: 'empty', labels: { enabled: 'true', mode: 'on' } },
        data: {
          a: 'on',
          b: 'y',
          c: 'NO',
          d: '2026-01-05',
          e: '1.5',
          f: '0x1F',
          g: '~',
          h: '',
          i: '1_000',
          j: '12:30',
          k: 'multi\nline\n',
          l: ' lead',
          m: 'a: b',
          n: '- x',
          o: '.inf',
          p: '0o17',
          q: '+1',
          r: '1e3',
        },
      });
      lab.advance(125_000);
      s = await serveLab(lab);
    });
    afterAll(async () => {
      await s?.close();
      lab?.close();
    });

    const corpus = [
      'get pods',
      'get pods -n demo',
      'get po -n demo -o wide',
      'get pods -A',
      'get pods -A --show-labels',
      'get pods -n demo -l app=web',
      'get pods -n demo -l tier',
      'get pods -n demo --field-selector metadata.name=db-1',
      'get pods -n demo -o name',
      'get pod web-1 -n demo -o json',
      'get pods -n demo -o json',
      'get pod web-1 web-2 -n demo',
      'get ns',
      'get namespaces --no-headers',
      'get nodes',
      'get no -o wide',
      'get cm -n demo',
      'get pods -n empty',
      'get pod nope',
      'get pod web nope',
      'get widgets',
      'get pods -n demo -l "app in (web"',
      'get pods --field-selector spec.unknown=x',
      'get pods --bogus',
      'get pods -x',
      '-n demo get pods',
      '--namespace=demo get pod web-1 -o name',
      '-n demo get pods -n default',
      '-ndemo get cm',
      '--foo get pods',
      '-n',
      'get pods/web-1 -n demo',
      'get pod/web-1 configmap/settings -n demo',
      'get pod/web-1 pod/nope -n demo -o name',
      'get pods,cm -n demo',
      'get pods,configmaps -n demo -o name',
      'get cm,pods settings -n demo',
      'get pods pod/web-1 -n demo',
      'get pods,widgets -n demo',
      'get all -n demo',
      'get pods,cm -n empty',
      'get ,',
      'get pods/',
      'get /web',
      'get pod/web/x',
      'get pods, -n demo',
      'get cm ambiguous -n empty -o yaml',
      'get pod web-1 -n demo -o yaml',
      'api-resources',
      'api-resources -o wide',
      'api-resources -o name',
      'api-resources --namespaced=false',
      'api-resources --api-group=apps --no-headers',
      'api-versions',
      'explain configmap',
      'explain pods',
      'explain pod.spec.restartPolicy',
      'explain pod.spec.containers.ports',
      'explain deploy.spec.replicas',
      'explain deployment.spec.strategy',
      'explain ns.status',
      'explain pod.nope',
      'explain nope',
    ];

    for (const line of corpus) {
      it(`kubectl ${line}`, async () => {
        const argv = line.match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"|"$/g, ''));
        const real = await s.kubectl(argv);
        const ours = await inApp(lab, `kubectl ${line}`);
        expect({ code: ours.code, stdout: ours.stdout, stderr: ours.stderr }).toEqual({
          code: real.code,
          stdout: real.stdout,
          stderr: real.stderr,
        });
      });
    }
  },
);
