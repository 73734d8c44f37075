import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Authorizer } from '../../main/api/admission';
import { badRequest } from '../../main/api/errors';
import type { LogSource } from '../../main/api/subresources';
import type { KubeObject } from '../../main/api/types';
import type { Lab } from '../../main/sim/lab';
import { createShell } from '../../main/shell';
import { kubelet } from '../helpers/kubelet';
import { adminClient, newLab, pod } from '../helpers/lab';
import { haveKubectl, inApp, serveLab, type Served, warnSkipped } from '../helpers/kubectl';
import { defaultScenario, runningSupervisor } from '../helpers/scenario';

warnSkipped('the differential kubectl workloads suite');

const ADMIN = 'administrator@vsphere.local';
/** The administrator may do anything but delete Secrets (so can-i has a "no" to give). */
const authorizer: Authorizer = {
  authorize: (a) => ({
    allowed: !(a.user.username === ADMIN && a.verb === 'delete' && a.resource === 'secrets'),
  }),
};

/** Container logs as a simulation would give them: a few lines per container, once running. */
const logSource: LogSource = ({ pod: p, container, tailLines, timestamps }) => {
  const phase = (p.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Pending' || !phase)
    throw badRequest(
      `container "${container}" in pod "${p.metadata.name}" is waiting to start: ContainerCreating`,
    );
  let lines = [1, 2, 3].map(
    (i) =>
      `${timestamps ? `2026-01-05T09:0${i}:00.000000000Z ` : ''}${p.metadata.name}/${container} line ${i}`,
  );
  if (tailLines !== undefined) lines = lines.slice(Math.max(0, lines.length - tailLines));
  return lines.map((l) => `${l}\n`).join('');
};

const labels = { app: 'web' };
const template = (image: string, extra: Record<string, string> = {}) => ({
  metadata: { labels: { ...labels, ...extra } },
  spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80 }] }] },
});

/** The same world in both labs: Workload Management on, pods, a Deployment with two revisions. */
function fixture(lab: Lab): void {
  lab.api.logSource = logSource;
  runningSupervisor(lab);
  const c = adminClient(lab);
  // default is not a vSphere Namespace: the Spherelet leaves its pods alone, so a test kubelet runs the
  // ones the Deployments make there
  kubelet(lab, c, {
    // the web Deployment's pods start but stay unready, as the fixture's rollout states expect
    ready: (p) => !p.metadata.name!.startsWith('web-') && !p.metadata.name!.startsWith('multi'),
  });
  const running = (o: KubeObject, phase = 'Running') =>
    c.updateStatus({ ...o, status: { ...(o.status as object), phase } });
  running(c.create(pod('web-1', 'default', { labels })));
  running(c.create(pod('web-2', 'default', { labels: { ...labels, tier: 'front' } })));
  running(
    c.create({
      ...pod('multi'),
      spec: {
        containers: [
          { name: 'a', image: 'busybox' },
          { name: 'b', image: 'busybox' },
        ],
      },
    }),
  );
  running(c.create(pod('done', 'default', { labels: { job: 'once' } })), 'Succeeded');
  c.create({
    ...pod('onnode'),
    spec: { nodeName: 'esxi-03.lab.local', containers: [{ name: 'c', image: 'nginx' }] },
  });
  const d = c.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', annotations: { [REV]: '2' } },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: template('nginx:1.25') },
  });
  const owner = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid!, controller: true },
  ];
  for (const [name, rev, image, cause] of [
    ['web-6d4b75cb6d', '1', 'nginx:1.24', 'kubectl create deployment web --image=nginx:1.24'],
    ['web-7c5ddbdf54', '2', 'nginx:1.25', ''],
  ] as const) {
    const hash = name.slice(4);
    c.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: 'default',
        labels: { ...labels, 'pod-template-hash': hash },
        annotations: { [REV]: rev, ...(cause ? { 'kubernetes.io/change-cause': cause } : {}) },
        ownerReferences: owner,
      },
      spec: {
        replicas: rev === '2' ? 2 : 0,
        selector: { matchLabels: { ...labels, 'pod-template-hash': hash } },
        template: template(image, { 'pod-template-hash': hash }),
      },
    });
  }
  c.updateStatus({
    ...d,
    status: {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 1,
      availableReplicas: 1,
    },
  });
  const api = c.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'api' } },
      template: { ...template('nginx:1.25'), metadata: { labels: { app: 'api' } } },
    },
  });
  c.updateStatus({
    ...api,
    status: {
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
    },
  });
  lab.advance(60_000);
}
const REV = 'deployment.kubernetes.io/revision';

/** Each step: kubectl's arguments; `version` steps normalise the oracle's local build name. */
const steps: { args: string[]; version?: boolean; advance?: number }[] = [
  // create's generators, printed without sending
  {
    args: [
      'create',
      'deployment',
      'web2',
      '--image=nginx:1.25',
      '--replicas=3',
      '--port=80',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  {
    args: [
      'create',
      'deployment',
      'web2',
      '--image=nginx',
      '--dry-run=client',
      '-o',
      'json',
      '--',
      'sleep',
      '10',
    ],
  },
  {
    args: ['create', 'deploy', 'multi', '--image=nginx', '--image=redis:7', '--dry-run=client', '-o', 'json'],
  },
  {
    args: [
      'create',
      'deployment',
      'web2',
      '--image=nginx',
      '--save-config',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  {
    args: [
      'create',
      'deployment',
      'web2',
      '--image=nginx',
      '--dry-run=client',
      '-n',
      'kube-public',
      '-o',
      'yaml',
    ],
  },
  { args: ['create', 'deployment', 'web2', '--image=nginx', '--dry-run=client'] },
  { args: ['create', 'deployment', 'web2', '--image=nginx', '--dry-run=client', '-o', 'name'] },
  { args: ['create', 'service', 'clusterip', 'my-cs', '--tcp=5678:8080', '--dry-run=client', '-o', 'yaml'] },
  {
    args: [
      'create',
      'svc',
      'nodeport',
      'my-ns',
      '--tcp=80:http',
      '--node-port=30080',
      '--dry-run=client',
      '-o',
      'json',
    ],
  },
  { args: ['create', 'service', 'loadbalancer', 'lb', '--tcp=80,443', '--dry-run=client', '-o', 'yaml'] },
  {
    args: [
      'create',
      'service',
      'clusterip',
      'headless',
      '--clusterip=None',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  {
    args: [
      'create',
      'service',
      'externalname',
      'ext',
      '--external-name=db.example.com',
      '--dry-run=client',
      '-o',
      'json',
    ],
  },
  {
    args: [
      'create',
      'secret',
      'generic',
      'creds',
      '--from-literal=user=admin',
      '--from-literal=pass=s3cr=t',
      '--from-file=FILES/app.conf',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  {
    args: [
      'create',
      'secret',
      'generic',
      'creds',
      '--from-env-file=FILES/app.env',
      '--type=example.com/x',
      '--dry-run=client',
      '-o',
      'json',
    ],
  },
  {
    args: [
      'create',
      'secret',
      'docker-registry',
      'regcred',
      '--docker-username=u',
      '--docker-password=p<&>',
      '--docker-email=u@x.io',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  {
    args: [
      'create',
      'configmap',
      'settings',
      '--from-file=FILES',
      '--from-literal=mode=on',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  { args: ['create', 'cm', 'settings', '--from-file=conf=FILES/app.conf', '--dry-run=client', '-o', 'json'] },
  {
    args: [
      'create',
      'configmap',
      'settings',
      '--from-env-file=FILES/app.env',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  { args: ['create', 'namespace', 'team-a', '--dry-run=client', '-o', 'json'] },
  { args: ['create', 'ns', 'team-a', '--save-config', '--dry-run=client', '-o', 'yaml'] },
  { args: ['create', 'serviceaccount', 'builder', '--dry-run=client', '-o', 'yaml'] },
  // their mistakes
  { args: ['create', 'deployment', 'web2'] },
  { args: ['create', 'deployment', 'a', 'b', '--image=nginx'] },
  { args: ['create', 'deployment', 'web2', '--image=nginx', '--bogus'] },
  { args: ['create', 'deployment', 'web2', '--image=nginx', '--replicas=many'] },
  { args: ['create', 'deployment', 'web2', '--image=nginx', '-o', 'wide'] },
  { args: ['create', 'deployment', 'web2', '--image=nginx', '--dry-run=maybe'] },
  { args: ['create', 'deployment', 'web2', '--image=a', '--image=b', '--', 'sleep', '1'] },
  { args: ['create', 'service', 'clusterip', 'x'] },
  { args: ['create', 'service', 'clusterip', 'x', '--tcp=abc'] },
  { args: ['create', 'service', 'nodeport', 'x', '--tcp=80', '--clusterip=None'] },
  { args: ['create', 'service', 'bogus', 'x'] },
  { args: ['create', 'secret', 'generic', 'x', '--from-literal=novalue'] },
  { args: ['create', 'secret', 'generic', 'x', '--from-env-file=FILES/app.env', '--from-literal=a=b'] },
  { args: ['create', 'secret', 'docker-registry', 'x'] },
  { args: ['create', 'configmap', 'x', '--from-file=FILES/missing.txt'] },
  { args: ['create', 'configmap', 'x', '--from-literal=a=1', '--from-literal=a=2'] },
  { args: ['create', 'namespace'] },
  // and for real
  {
    args: ['create', 'deployment', 'web2', '--image=nginx:1.25', '--replicas=2', '--port=8080', '-o', 'json'],
  },
  { args: ['create', 'deployment', 'web2', '--image=nginx'] },
  { args: ['create', 'deployment', 'web3', '--image=nginx', '--dry-run=server', '-o', 'yaml'] },
  { args: ['create', 'service', 'clusterip', 'web2', '--tcp=80:8080', '-o', 'yaml'] },
  { args: ['create', 'service', 'nodeport', 'web2-np', '--tcp=80:8080', '-o', 'json'] },
  { args: ['create', 'secret', 'generic', 'creds', '--from-literal=user=admin'] },
  { args: ['create', 'configmap', 'settings', '--from-file=FILES', '-o', 'yaml'] },
  { args: ['create', 'namespace', 'team-a', '-o', 'name'] },
  { args: ['create', 'namespace', 'Team_A'] },
  { args: ['create', 'serviceaccount', 'builder', '-n', 'team-a'] },
  { args: ['create', 'serviceaccount', 'builder', '-n', 'team-a'] },
  { args: ['get', 'svc'] },
  // run
  { args: ['run', 'web', '--image=nginx', '--dry-run=client', '-o', 'yaml'] },
  {
    args: [
      'run',
      'web',
      '--image=nginx:1.25',
      '--labels=app=web,tier=front',
      '--port=80',
      '--env=A=1',
      '--env=B=two',
      '--restart=Never',
      '--dry-run=client',
      '-o',
      'yaml',
      '--',
      'sh',
      '-c',
      'echo hi',
    ],
  },
  {
    args: [
      'run',
      'web',
      '--image=busybox',
      '--command',
      '--annotations=team=a',
      '--dry-run=client',
      '-o',
      'json',
      '--',
      'sleep',
      '3600',
    ],
  },
  { args: ['run', 'web', '--image=nginx', '--dry-run=client'] },
  { args: ['run', 'web'] },
  { args: ['run', '--image=nginx'] },
  { args: ['run', 'web', '--image=NGINX'] },
  { args: ['run', 'web', '--image=nginx', '--restart=Sometimes'] },
  { args: ['run', 'web', '--image=nginx', '--env=1A=x'] },
  { args: ['run', 'web', '--image=nginx', '--labels=bad'] },
  { args: ['run', 'web', '--image=nginx', '--bogus'] },
  { args: ['run', 'nginx', '--image=nginx', '-o', 'json'] },
  { args: ['run', 'nginx', '--image=nginx'] },
  { args: ['run', 'box', '--image=busybox', '--restart=Never', '-o', 'yaml', '--', 'sleep', '60'] },
  // expose
  {
    args: [
      'expose',
      'deployment',
      'web',
      '--port=80',
      '--target-port=8080',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  { args: ['expose', 'deploy/web', '--dry-run=client', '-o', 'json'] },
  {
    args: [
      'expose',
      'pod',
      'web-2',
      '--port=80',
      '--name=front',
      '--type=NodePort',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  { args: ['expose', 'service', 'web2', '--name=web2-copy', '--dry-run=client', '-o', 'yaml'] },
  { args: ['expose', 'deployment', 'web', '--port=80,443', '--dry-run=client', '-o', 'yaml'] },
  { args: ['expose', 'deployment', 'web', '--port=80'] },
  { args: ['expose', 'deployment', 'web', '--port=80'] },
  { args: ['expose', 'pod', 'multi', '--port=80'] },
  { args: ['expose', 'cm', 'settings', '--port=80'] },
  { args: ['expose', 'deployment', 'nope', '--port=80'] },
  { args: ['expose', 'pod', 'web-1'] },
  { args: ['expose'] },
  // auth can-i
  { args: ['auth', 'can-i', 'get', 'pods'] },
  { args: ['auth', 'can-i', 'delete', 'secrets'] },
  { args: ['auth', 'can-i', 'delete', 'secret/creds', '-n', 'kube-system'] },
  { args: ['auth', 'can-i', 'list', 'deployments.apps', '-A'] },
  { args: ['auth', 'can-i', 'get', 'nodes'] },
  { args: ['auth', 'can-i', 'frob', 'pods'] },
  { args: ['auth', 'can-i', 'get', 'widgets'] },
  { args: ['auth', 'can-i', 'get', '/healthz'] },
  { args: ['auth', 'can-i', 'delete', 'secrets', '-q'] },
  { args: ['auth', 'can-i', 'get'] },
  // logs
  { args: ['logs', 'web-1'] },
  { args: ['logs', 'web-1', '--tail=2'] },
  { args: ['logs', 'pod/web-1', '--timestamps'] },
  { args: ['logs', 'multi'] },
  { args: ['logs', 'multi', '-c', 'b'] },
  { args: ['logs', 'multi', 'b'] },
  { args: ['logs', 'multi', '-c', 'zz'] },
  { args: ['logs', 'multi', '-c', 'a', '--prefix'] },
  { args: ['logs', 'nope'] },
  { args: ['logs', 'deploy/web'] },
  { args: ['logs', 'nginx'] },
  { args: ['logs', '-l', 'tier=front'] },
  { args: ['logs', '-l', 'app=none'] },
  { args: ['logs', 'done', '-f'] },
  { args: ['logs', 'web-1', '--tail=-5'] },
  { args: ['logs'] },
  // rollout
  { args: ['rollout', 'history', 'deployment/web'] },
  { args: ['rollout', 'history', 'deployment', 'web', '--revision=1'] },
  { args: ['rollout', 'history', 'deploy/web', '--revision=9'] },
  { args: ['rollout', 'history', 'deployment/api'] },
  { args: ['rollout', 'status', 'deployment/api'] },
  { args: ['rollout', 'status', 'deployment/web', '--watch=false'] },
  { args: ['rollout', 'status', 'deployment/nope'] },
  { args: ['rollout', 'status', 'cm/settings'] },
  { args: ['rollout', 'history', 'cm/settings'] },
  { args: ['rollout', 'undo', 'deployment/web', '--dry-run=client'] },
  { args: ['rollout', 'undo', 'deployment/web', '--to-revision=2'] },
  { args: ['rollout', 'undo', 'deployment/web', '--to-revision=7'] },
  { args: ['rollout', 'undo', 'deployment/web'] },
  { args: ['rollout', 'undo', 'deployment/api'] },
  { args: ['get', 'deployment', 'web', '-o', 'yaml'] },
  { args: ['rollout', 'status', 'deployment/web', '--timeout=2s'], advance: 2000 },
  // version, cluster-info
  { args: ['version', '--client'], version: true },
  { args: ['version', '--client', '-o', 'json'], version: true },
  { args: ['version', '-o', 'yaml'], version: true },
  { args: ['version'], version: true },
  { args: ['version', '-o', 'wide'], version: true },
  { args: ['cluster-info'] },
  // nodes
  { args: ['cordon', 'esxi-01.lab.local'] },
  { args: ['cordon', 'esxi-01.lab.local'] },
  { args: ['uncordon', 'esxi-01.lab.local'] },
  { args: ['uncordon', 'esxi-01.lab.local'] },
  { args: ['cordon', 'esxi-02.lab.local', '--dry-run=client'] },
  { args: ['cordon', 'nope'] },
  { args: ['cordon'] },
  { args: ['drain', 'esxi-03.lab.local'] },
  { args: ['uncordon', 'esxi-03.lab.local'] },
  { args: ['drain', 'esxi-02.lab.local', '--ignore-daemonsets'] },
  { args: ['uncordon', 'esxi-02.lab.local'] },
  { args: ['get', 'nodes'] },
  { args: ['top', 'nodes'] },
  { args: ['top', 'pods'] },
  // more forms: flags before the generator, a global -n, help texts, less common flags
  { args: ['create', '--dry-run=client', 'deployment', 'pre', '--image=nginx', '-o', 'yaml'] },
  {
    args: [
      '-n',
      'kube-public',
      'create',
      'deployment',
      'pre',
      '--image=nginx',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  { args: ['-n', 'kube-public', 'run', 'pre', '--image=nginx', '--dry-run=client', '-o', 'yaml'] },
  {
    args: [
      'create',
      'deployment',
      'neg',
      '--image=nginx',
      '--port=-5',
      '--replicas=0',
      '--dry-run=client',
      '-o',
      'json',
    ],
  },
  {
    args: [
      'create',
      'deployment',
      'dotted',
      '--image=registry.example.com:5000/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  { args: ['create', 'secret'] },
  { args: ['create', 'service'] },
  { args: ['create', 'secret', 'bogus', 'x'] },
  { args: ['create', 'configmap', 'x', '--from-env-file=FILES/app.env', '--from-file=FILES/app.conf'] },
  { args: ['create', 'configmap', 'x', '--from-literal==b'] },
  { args: ['create', 'configmap', 'x', '--from-file=k=FILES'] },
  { args: ['create', 'configmap', 'x', '--from-literal=bad key=1'] },
  { args: ['create', 'secret', 'generic', 'x', '--from-literal=bad key=1'] },
  { args: ['create', 'service', 'clusterip', 'x', '--tcp=70000'] },
  { args: ['create', 'service', 'clusterip', 'x', '--tcp=80:0'] },
  { args: ['create', 'service', 'clusterip', 'x', '--tcp=80:Bad-Name'] },
  { args: ['create', 'service', 'externalname', 'x', '--external-name=Not_Valid'] },
  { args: ['create', 'service', 'externalname', 'x'] },
  { args: ['run', 'web', '--image=nginx', '-t'] },
  { args: ['run', 'web', '--image=nginx', '--rm'] },
  { args: ['run', 'web', '--image=nginx', '--expose'] },
  { args: ['run', 'web', '--image=nginx', '--image-pull-policy=Sometimes'] },
  { args: ['run', 'web', '--image=nginx', '--port=http'] },
  { args: ['run', 'web', '--image=nginx', '--annotations=novalue'] },
  {
    args: [
      'run',
      'web',
      '--image=nginx',
      '--privileged',
      '--image-pull-policy=IfNotPresent',
      '--dry-run=client',
      '-o',
      'json',
    ],
  },
  { args: ['run', 'srv', '--image=nginx', '--port=80', '--dry-run=server', '-o', 'yaml'] },
  { args: ['run', 'web', '--image=nginx', '--dry-run=client', '-o', 'wide'] },
  { args: ['expose', 'rs', 'web-7c5ddbdf54', '--name=rs-svc', '--dry-run=client', '-o', 'yaml'] },
  {
    args: [
      'expose',
      'deployment',
      'web',
      '--port=53',
      '--protocol=UDP',
      '--name=dns',
      '--dry-run=client',
      '-o',
      'json',
    ],
  },
  {
    args: [
      'expose',
      'deployment',
      'web',
      '--port=80',
      '--session-affinity=ClientIP',
      '--cluster-ip=None',
      '--name=hl',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  { args: ['expose', 'deployment', 'web', '--port=80', '--session-affinity=Sticky'] },
  {
    args: [
      'expose',
      'deployment',
      'web',
      '--port=80',
      '--selector=app=web,tier=front',
      '--labels=team=a',
      '--name=sel',
      '--dry-run=client',
      '-o',
      'yaml',
    ],
  },
  { args: ['expose', 'deployment/web', 'pod/web-1', '--port=80', '--dry-run=client'] },
  { args: ['auth', 'can-i', 'get', 'pods', '--subresource=log'] },
  { args: ['auth', 'can-i', 'create', 'deployments.apps'] },
  { args: ['auth', 'can-i', '*', '*'] },
  { args: ['auth', 'can-i', 'impersonate', 'users'] },
  { args: ['logs', 'web-1', '-p'] },
  { args: ['logs', 'web-1', 'nginx', '-c', 'nginx'] },
  { args: ['logs', 'web-1', 'a', 'b'] },
  { args: ['logs', 'web-1', '-l', 'app=web'] },
  { args: ['logs', 'svc/web'] },
  { args: ['rollout', 'status', 'deployment/api', '--revision=2'] },
  { args: ['rollout', 'status'] },
  { args: ['rollout', 'status', 'deployment/web', '--watch=false', '--revision=2'] },
  { args: ['rollout', 'history', 'deployment/web', '--revision=2'] },
  { args: ['cordon', 'esxi-01.lab.local', 'esxi-02.lab.local'] },
  { args: ['uncordon', 'esxi-01.lab.local', 'esxi-02.lab.local'] },
  { args: ['drain', 'esxi-03.lab.local', '--dry-run=client', '--force'] },
  { args: ['uncordon', 'esxi-03.lab.local'] },
  { args: ['top', 'node', 'esxi-01.lab.local'] },
  { args: ['version', '--client', '-o', 'yaml'], version: true },
  { args: ['version', 'extra'], version: true },
  { args: ['rollout'] },
  { args: ['rollout', 'bogus'] },
  { args: ['rollout', 'history'] },
  { args: ['rollout', 'restart', 'cm/nope'] },
  { args: ['rollout', 'restart', 'cm/settings'] },
  { args: ['auth'] },
  { args: ['top'] },
  { args: ['logs', 'web-1', '--since=-1s'] },
  { args: ['run', 'exp', '--image=nginx', '--port=80', '--expose'] },
  { args: ['run', 'exp2', '--image=nginx', '--port=80', '--expose', '--dry-run=server', '-o', 'name'] },
  { args: ['get', 'svc', 'exp', '-o', 'yaml'] },
  // what both labs hold at the end
  { args: ['get', 'deploy,svc,cm,secrets,sa,pods', '-o', 'json'] },
];

/** klog's header carries the time and process id; the lab's own build name stands for the oracle's. */
function normalise(text: string, version: boolean): string {
  let t = text.replace(/^([EWI])\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ /gm, '$1 ');
  if (version)
    t = t
      .replace(/v1\.32\.4-dispatcher/g, 'v1.32.4')
      .replace(/"minor": "32\+"/g, '"minor": "32"')
      .replace(/minor: 32\+/g, 'minor: "32"');
  return t;
}

describe.skipIf(!haveKubectl)('kubectl workload commands in the lab shell equal the real kubectl', () => {
  let real: Lab;
  let ours: Lab;
  let s: Served;
  let files: string;
  beforeAll(async () => {
    real = newLab({ seed: 'workloads', scenario: defaultScenario(), authorizer });
    ours = newLab({ seed: 'workloads', scenario: defaultScenario(), authorizer });
    fixture(real);
    fixture(ours);
    s = await serveLab(real, ADMIN);
    // the first lab shell signs the administrator in, as serveLab did for the real lab; its kubeconfig
    // then names the same server address the real kubectl uses (cluster-info prints it)
    const shell = createShell(ours, { write: () => {}, terminal: false });
    const ws = shell.workspace;
    ws.write('/.kube/config', ws.read('/.kube/config').replace('https://127.0.0.1:6443', s.endpoint.url));
    // files for --from-file, at the same absolute path for both
    files = `${s.dir}/files`;
    mkdirSync(files);
    ws.mkdir(files, true);
    const content: Record<string, string> = {
      'app.conf': 'listen 8080\nworkers: 2\n',
      'app.env': '# settings\nMODE=debug\n  LEVEL=3=three\n\nEMPTY=\n',
      'motd.txt': 'hello\n',
    };
    for (const [n, text] of Object.entries(content)) {
      writeFileSync(`${files}/${n}`, text);
      ws.write(`${files}/${n}`, text);
    }
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    real?.close();
    ours?.close();
  });

  it('prints the same for every step and leaves the same objects', async () => {
    expect(steps.length).toBeGreaterThanOrEqual(25);
    const mismatches: unknown[] = [];
    for (const step of steps) {
      const args = step.args.map((a) => a.replace('FILES', files));
      // a step that lets lab time pass starts with the controllers caught up, as in a live cluster
      if (step.advance) [real, ours].forEach((lab) => lab.settle());
      const r = await s.kubectl(args);
      if (step.advance) real.advance(step.advance);
      const o = await inApp(ours, `kubectl ${args.map((a) => `'${a}'`).join(' ')}`);
      const got = {
        args: args.join(' '),
        code: o.code,
        stdout: normalise(o.stdout, step.version === true),
        stderr: normalise(o.stderr, step.version === true),
      };
      const want = {
        args: args.join(' '),
        code: r.code,
        stdout: normalise(r.stdout, step.version === true),
        stderr: normalise(r.stderr, step.version === true),
      };
      // every step is compared (the first difference does not hide the others)
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push({ got, want });
    }
    expect(mismatches).toEqual([]);
  }, 300_000);
});
