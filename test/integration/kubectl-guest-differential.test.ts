import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../main/sim/lab';
import { guestSpace } from '../../main/sim/tkgs/guest';
import { adminClient } from '../helpers/lab';
import { haveKubectl, inApp, serveLab, type Served, warnSkipped } from '../helpers/kubectl';
import { minutes, tkcLab, tkcYaml } from '../helpers/tkc';

warnSkipped('the differential kubectl suite in a guest cluster');

describe.skipIf(!haveKubectl)('kubectl in a TKC guest cluster: the lab shell equals the real kubectl', () => {
  let lab: Lab;
  let s: Served;
  let server: string;
  let pod: string;
  let node: string;
  beforeAll(async () => {
    // lab time ends the setup (the Supervisor's 20 minutes, the TKC's 16, then 9 hours) where the wall
    // clock is, so the ages the real kubectl computes from the wall clock are the lab's (at hour grain)
    const setup = (20 + 15 + 1) * 60_000 + 10_000 + 9 * 3600_000;
    const t = await tkcLab({ start: Math.floor(Date.now() / 1000) * 1000 - setup });
    lab = t.lab;
    expect((await t.apply('tkc.yaml', tkcYaml())).status).toBe(0);
    minutes(lab, 15);
    for (const line of [
      'kubectl vsphere login --server=192.168.30.1 --vsphere-username administrator@vsphere.local --tanzu-kubernetes-cluster-name tkc-01 --tanzu-kubernetes-cluster-namespace demo --insecure-skip-tls-verify',
      'kubectl config use-context tkc-01',
      'kubectl create deployment web --image=nginx --replicas=2',
    ])
      expect((await t.run(line)).status).toBe(0);
    lab.advance(10_000);
    for (const line of [
      'kubectl create clusterrolebinding psp-all --clusterrole=psp:vmware-system-privileged --group=system:serviceaccounts',
      'kubectl expose deployment web --port=80 --type=LoadBalancer',
    ])
      expect((await t.run(line)).status).toBe(0);
    t.write(
      'pvc.yaml',
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: k8s-gold\n  resources:\n    requests:\n      storage: 1Gi\n',
    );
    expect((await t.run('kubectl apply -f pvc.yaml')).status).toBe(0);
    // a role whose rules kubectl's describer breaks down, compacts and sorts
    t.write(
      'role.yaml',
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: mixed
rules:
- apiGroups: ["", apps]
  resources: [pods, pods/log, deployments]
  verbs: [get, list]
- apiGroups: [""]
  resources: [pods]
  verbs: [watch, get]
- nonResourceURLs: [/healthz, /version]
  verbs: [get]
- apiGroups: [policy]
  resources: [podsecuritypolicies]
  resourceNames: [b, a]
  verbs: [use]
`,
    );
    expect((await t.run('kubectl apply -f role.yaml')).status).toBe(0);
    minutes(lab, 1);
    lab.advance(9 * 3600_000);
    const g = adminClient(lab, guestSpace('demo', 'tkc-01'));
    pod = g.list('pods', { namespace: 'default' }).items[0]!.metadata.name!;
    node = g.list('nodes').items.find((n) => !n.metadata.name!.includes('control-plane'))!.metadata.name!;
    s = await serveLab(lab);
    server = `${s.endpoint.url}/clusters/${encodeURIComponent(guestSpace('demo', 'tkc-01'))}`;
  });
  afterAll(async () => {
    await s?.close();
    lab?.close();
  });

  const corpus = () => [
    'get nodes',
    'get nodes -o wide',
    'get pods',
    'get pods -o wide',
    'get pods -A',
    'get deploy,rs,svc',
    `describe pod ${pod}`,
    `describe node ${node}`,
    'describe deployment web',
    'describe svc web',
    'describe pvc data',
    'get pvc,pv',
    'get sc',
    'get psp',
    'get clusterrolebinding psp-all -o wide',
    'get clusterrole psp:vmware-system-privileged -o yaml',
    'describe clusterrolebinding psp-all',
    'describe clusterrolebinding nope',
    'describe clusterrole psp:vmware-system-privileged',
    'describe clusterrole admin',
    'describe clusterrole cluster-admin',
    'describe clusterrole view',
    'describe clusterrole mixed',
    'get ns',
    'get events --field-selector reason=Scheduled',
    'api-resources --api-group=rbac.authorization.k8s.io',
    'explain psp.spec.privileged',
    'auth can-i create pods',
    'get tkc',
    'describe rs',
    'get events --field-selector reason=FailedCreate',
    'describe psp vmware-system-restricted',
    'get rolebindings -A',
    `logs ${pod} --tail=3`,
    'auth can-i list pods --all-namespaces',
  ];

  for (let i = 0; i < corpus().length; i++) {
    it(`kubectl #${i + 1}`, async () => {
      const line = corpus()[i]!;
      const argv = line.split(' ');
      const real = await s.kubectl(['--server', server, ...argv]);
      const ours = await inApp(lab, `kubectl ${line}`);
      expect({ line, code: ours.code, stdout: ours.stdout, stderr: ours.stderr }).toEqual({
        line,
        code: real.code,
        stdout: real.stdout,
        stderr: real.stderr,
      });
    });
  }
});
