import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../main/api/types';
import type { Lab } from '../../main/sim/lab';
import { adminClient, newLab } from '../helpers/lab';
import { haveKubectl, inApp, serveLab, type Served, warnSkipped } from '../helpers/kubectl';
import { finishPod, kubelet } from '../helpers/kubelet';

warnSkipped('the differential suite of the workload controllers');

const CAUSE = 'kubernetes.io/change-cause';
const template = (app: string, image: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: app, image, ports: [{ containerPort: 80 }] }], ...extra },
});
const deployment = (name: string, replicas: number, image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', annotations: { [CAUSE]: `create ${name}` } },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name, image), ...extra },
});

/** Workloads as the controllers leave them: rolled out, rolling, stuck, stateful, finished and running Jobs. */
function fixture(lab: Lab): void {
  const c = adminClient(lab);
  const image = (p: KubeObject) => (p.spec as { containers: { image: string }[] }).containers[0]!.image;
  kubelet(lab, c, { startupMs: 2000, ready: (p) => image(p) !== 'nginx:broken' });
  c.create(deployment('web', 3, 'nginx:1.24'));
  c.create(deployment('api', 2, 'nginx:1.25'));
  c.create(deployment('worker', 1, 'busybox:1.36', { strategy: { type: 'Recreate' } }));
  c.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] },
  });
  c.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db', namespace: 'default' },
    spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
  });
  c.create({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      replicas: 2,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: template('db', 'postgres:14'),
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: 'gold',
            resources: { requests: { storage: '1Gi' } },
          },
        },
      ],
    },
  });
  const pvc = c.create({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'shared', namespace: 'default', labels: { team: 'a' } },
    spec: {
      accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
      storageClassName: 'gold',
      volumeName: 'pvc-0b5e7a2c-3f1d-4e8a-9c6b-1d2e3f4a5b6c',
      resources: { requests: { storage: '5Gi' } },
    },
  });
  c.updateStatus({
    ...pvc,
    status: { phase: 'Bound', accessModes: ['ReadWriteOnce', 'ReadWriteMany'], capacity: { storage: '5Gi' } },
  });
  const job = (name: string, spec: Record<string, unknown>) =>
    c.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'default' },
      spec: {
        template: { spec: { containers: [{ name, image: 'perl:5.34' }], restartPolicy: 'Never' } },
        ...spec,
      },
    });
  job('pi', { completions: 2 });
  job('queue', { parallelism: 2 });
  lab.advance(10_000);
  for (const p of c.list('pods', { namespace: 'default', labelSelector: 'job-name=pi' }).items)
    finishPod(c, p, 'Succeeded', lab.clock.now());
  c.patch('deployments', 'default', 'web', 'merge', {
    metadata: { annotations: { [CAUSE]: 'update web to 1.25' } },
    spec: { template: template('web', 'nginx:1.25') },
  });
  c.patch('deployments', 'default', 'api', 'merge', { spec: { template: template('api', 'nginx:broken') } });
  lab.advance(60_000);
}

describe.skipIf(!haveKubectl)(
  'the workload controllers’ objects read by the lab shell and by the real kubectl',
  () => {
    let lab: Lab;
    let s: Served;
    beforeAll(async () => {
      lab = newLab();
      fixture(lab);
      s = await serveLab(lab);
    });
    afterAll(async () => {
      await s?.close();
      lab?.close();
    });

    const same = async (line: string) => {
      const argv = line.match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"|"$/g, ''));
      const real = await s.kubectl(argv);
      const ours = await inApp(lab, `kubectl ${line}`);
      expect({ code: ours.code, stdout: ours.stdout, stderr: ours.stderr }).toEqual({
        code: real.code,
        stdout: real.stdout,
        stderr: real.stderr,
      });
      return real;
    };

    const corpus = [
      'get deploy,rs,sts,job,pvc,endpoints',
      'get deploy,rs,sts,job,pvc,endpoints -o wide',
      'get all',
      'get pvc --show-labels',
      'get ep web db',
      'get rs -l app=web',
      'get jobs pi -o yaml',
      'get sts db -o json',
      'rollout status deployment/web',
      'rollout status deployment/api --watch=false',
      'rollout status deployment/worker',
      'rollout history deployment/web',
      'rollout history deployment/web --revision=1',
      'rollout history deployment/api',
    ];
    for (const line of corpus) it(`kubectl ${line}`, async () => void (await same(line)));

    it('the real kubectl’s rollout undo goes through the controller; history and status agree afterwards', async () => {
      expect((await s.kubectl(['rollout', 'undo', 'deployment/web'])).stdout).toBe(
        'deployment.apps/web rolled back\n',
      );
      lab.advance(60_000);
      const r = await same('rollout status deployment/web');
      expect(r.stdout).toBe('deployment "web" successfully rolled out\n');
      expect((await same('rollout history deployment/web')).stdout).toBe(
        'deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         update web to 1.25\n3         create web\n\n',
      );
      await same('get deploy,rs -o wide');
    });

    it('kubectl create job sends a protobuf Job the API server takes and the controller runs', async () => {
      expect(
        (await s.kubectl(['create', 'job', 'once', '--image=busybox:1.36', '--', 'echo', 'hi'])).stdout,
      ).toBe('job.batch/once created\n');
      const j = JSON.parse((await s.kubectl(['get', 'job', 'once', '-o', 'json'])).stdout) as KubeObject;
      expect(j.spec).toMatchObject({
        backoffLimit: 6,
        completions: 1,
        parallelism: 1,
        selector: { matchLabels: { 'controller-uid': j.metadata.uid } },
        template: {
          metadata: { labels: { 'controller-uid': j.metadata.uid, 'job-name': 'once' } },
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'once', image: 'busybox:1.36', command: ['echo', 'hi'] }],
          },
        },
      });
      lab.advance(5000);
      await same('get jobs once');
      await same('get pods -l job-name=once -o name');
    });
  },
);
