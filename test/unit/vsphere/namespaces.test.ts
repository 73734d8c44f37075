import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import { adminClient, newLab, pod } from '../../helpers/lab';
import { defaultScenario, runningSupervisor } from '../../helpers/scenario';

let lab: Lab;
afterEach(() => lab?.close());

/** A lab with a running Supervisor and a shell; `run` gives status, stdout and stderr of a line. */
function setup() {
  lab = newLab({ scenario: defaultScenario() });
  runningSupervisor(lab);
  const session = createShell(lab, { write: () => {}, terminal: false });
  session.env.set('KUBECTL_VSPHERE_PASSWORD', 'VMware1!');
  const run = async (line: string) => {
    await session.runScript(`${line} > /out.txt 2> /err.txt`);
    return {
      status: session.lastStatus,
      out: session.workspace.read('/out.txt'),
      err: session.workspace.read('/err.txt'),
    };
  };
  /** signs in as an SSO user (the kubeconfig's current context becomes their first namespace) */
  const as = (user: string) =>
    run(`kubectl vsphere login --server=192.168.30.1 --vsphere-username ${user} --insecure-skip-tls-verify`);
  return { session, run, as };
}

const forbidden = (user: string, verb: string, resource: string, where: string) =>
  `Error from server (Forbidden): ${resource} is forbidden: User "sso:${user}" cannot ${verb} resource "${resource}" in API group "" ${where}\n`;

describe('vSphere Namespaces made by the administrator', () => {
  it('gives a namespace its resource pool, Kubernetes namespace, storage class, VM classes and images', async () => {
    const { run } = setup();
    expect(
      await run(
        'govc namespace.create -cluster Workload-Cluster -storage k8s-gold -vmclass best-effort-small -vmclass guaranteed-large -library Kubernetes demo',
      ),
    ).toEqual({ status: 0, out: '', err: '' });
    expect((await run('govc namespace.ls')).out).toBe('demo\n');
    expect((await run('govc namespace.info demo')).out).toBe(
      [
        'Cluster:          /Datacenter/host/Workload-Cluster',
        'Status:           RUNNING',
        'VM Classes:       best-effort-small,guaranteed-large',
        'Content Library:  Kubernetes',
        'Storage Policy:   k8s-gold',
        '',
      ].join('\n'),
    );
    const pool = lab.world.vc.get('resourcepools', '', 'demo');
    expect(pool.spec).toMatchObject({
      parent: 'Namespaces (Workload-Cluster)',
      namespace: 'demo',
      cpu: { limitMHz: -1 },
    });
    const ns = adminClient(lab).get('namespaces', '', 'demo');
    expect(ns.metadata.annotations).toMatchObject({
      'vmware-system-resource-pool': 'demo',
      'ncp/subnet-0': '10.244.0.0/28',
    });
    expect((await run('kubectl get sc')).out).toBe(
      'NAME       PROVISIONER              RECLAIMPOLICY   VOLUMEBINDINGMODE   ALLOWVOLUMEEXPANSION   AGE\nk8s-gold   csi.vsphere.vmware.com   Delete          Immediate           true                   0s\n',
    );
    const classes = (await run('kubectl get vmclass')).out.split('\n');
    expect(classes[0]).toBe('NAME                  CPU   MEMORY   AGE');
    // the classes are there from the Supervisor's start (the TKG Service's catalogue), not from this namespace
    expect(classes).toContainEqual(expect.stringMatching(/^best-effort-xsmall {4}2 {5}2Gi {6}\d+m$/));
    expect(classes).toContainEqual(expect.stringMatching(/^guaranteed-8xlarge {4}32 {4}128Gi {4}\d+m$/));
    expect(classes.filter(Boolean)).toHaveLength(17);
    expect((await run('kubectl get virtualmachineclassbindings -n demo -o name')).out).toBe(
      'virtualmachineclassbinding.vmoperator.vmware.com/best-effort-small\nvirtualmachineclassbinding.vmoperator.vmware.com/guaranteed-large\n',
    );
    expect((await run('kubectl get vmimage -o name')).out.split('\n').filter(Boolean)).toHaveLength(8);
    // a second namespace takes the next segment and shares the storage class
    await run('govc namespace.create -cluster Workload-Cluster -storage k8s-gold second');
    expect(adminClient(lab).get('namespaces', '', 'second').metadata.annotations?.['ncp/subnet-0']).toBe(
      '10.244.0.16/28',
    );
    expect((await run('kubectl get sc -o name')).out).toBe('storageclass.storage.k8s.io/k8s-gold\n');
  });

  it('applies limits to the resource pool and the quota, and the quota holds', async () => {
    const { run, session } = setup();
    await run('govc namespace.create -cluster Workload-Cluster -storage k8s-gold demo');
    expect(
      await run(
        'govc namespace.update -cpu-limit 10000 -memory-limit 16384 -storage-limit k8s-gold=1 -object-limit pods=1 demo',
      ),
    ).toEqual({ status: 0, out: '', err: '' });
    expect(lab.world.vc.get('resourcepools', '', 'demo').spec).toMatchObject({
      cpu: { limitMHz: 10000 },
      memory: { limitMB: 16384 },
    });
    expect((await run('kubectl get quota -n demo')).out).toBe(
      'NAME                AGE   REQUEST                                                                         LIMIT\ndemo-storagequota   0s    count/pods: 0/1, k8s-gold.storageclass.storage.k8s.io/requests.storage: 0/1Gi   \n',
    );
    expect((await run('kubectl run one --image=nginx -n demo')).status).toBe(0);
    expect(await run('kubectl run two --image=nginx -n demo')).toEqual({
      status: 1,
      out: '',
      err: 'Error from server (Forbidden): pods "two" is forbidden: exceeded quota: demo-storagequota, requested: count/pods=1, used: count/pods=1, limited: count/pods=1\n',
    });
    expect(adminClient(lab).tryGet('pods', 'demo', 'two')).toBeUndefined();
    const claim = (name: string, size: string) =>
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${name}\n  namespace: demo\nspec:\n  storageClassName: k8s-gold\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: ${size}\n`;
    lab.settle();
    session.workspace.write('/pvc.yaml', claim('small', '512Mi'));
    expect((await run('kubectl apply -f pvc.yaml')).out).toBe('persistentvolumeclaim/small created\n');
    session.workspace.write('/big.yaml', claim('big', '1Gi'));
    expect((await run('kubectl apply -f big.yaml')).err).toBe(
      'Error from server (Forbidden): error when creating "big.yaml": persistentvolumeclaims "big" is forbidden: exceeded quota: demo-storagequota, requested: k8s-gold.storageclass.storage.k8s.io/requests.storage=1Gi, used: k8s-gold.storageclass.storage.k8s.io/requests.storage=512Mi, limited: k8s-gold.storageclass.storage.k8s.io/requests.storage=1Gi\n',
    );
    lab.settle();
    expect((await run('kubectl get quota -n demo -o jsonpath={.items[0].status.used}')).out).toBe(
      '{"count/pods":"1","k8s-gold.storageclass.storage.k8s.io/requests.storage":"512Mi"}',
    );
    // a limit of 0 takes the limit away
    await run('govc namespace.update -cpu-limit 0 -object-limit pods=0 -storage-limit k8s-gold=0 demo');
    expect(lab.world.vc.get('resourcepools', '', 'demo').spec).toMatchObject({ cpu: { limitMHz: -1 } });
    expect(adminClient(lab).tryGet('resourcequotas', 'demo', 'demo-storagequota')).toBeUndefined();
  });

  it('refuses what vCenter refuses, creating nothing', async () => {
    const { run } = setup();
    const cases: [string, string][] = [
      ['govc namespace.create -cluster Workload-Cluster -storage nope demo', 'storage policy nope not found'],
      ['govc namespace.create -cluster Workload-Cluster -vmclass huge demo', 'VM class huge not found'],
      ['govc namespace.create -cluster Workload-Cluster kube-system', 'reserved'],
      ['govc namespace.create -cluster Workload-Cluster default', 'reserved'],
      ['govc namespace.create -cluster Workload-Cluster Bad_Name', 'lower case alphanumeric'],
    ];
    for (const [line, text] of cases) {
      const r = await run(line);
      expect(r.status).toBe(1);
      expect(r.err).toMatch(/^govc: 400 Bad Request: \{"error_type":"INVALID_ARGUMENT"/);
      expect(r.err).toContain(text);
    }
    expect(await run('govc namespace.create -cluster Workload-Cluster')).toMatchObject({ status: 1 });
    expect(lab.world.vc.list('vspherenamespaces').items).toHaveLength(0);
    await run('govc namespace.create -cluster Workload-Cluster demo');
    expect(
      (await run('govc namespace.access.set -principal nobody@vsphere.local -role edit demo')).err,
    ).toContain('SSO user nobody@vsphere.local not found');
    expect(
      (await run('govc namespace.access.set -principal devops@vsphere.local -role admin demo')).err,
    ).toBe('govc: -role must be one of view, edit, owner (got "admin")\n');
    expect((await run('govc namespace.update -object-limit widgets=3 demo')).err).toContain(
      'Unsupported value: \\"widgets\\"',
    );
    expect((await run('govc namespace.update -storage-limit k8s-gold=5 demo')).err).toContain(
      'storage policy k8s-gold is not assigned to the namespace',
    );
    expect((await run('govc namespace.info nope')).err).toBe(
      'govc: 404 Not Found: {"error_type":"NOT_FOUND","messages":[{"args":["nope"],"default_message":"Namespace nope not found.","id":"vcenter.wcp.namespace.notfound"}]}\n',
    );
    expect((lab.world.vc.get('vspherenamespaces', '', 'demo').spec as { access?: unknown[] }).access).toEqual(
      [],
    );
  });

  it('removes a namespace with everything in it, and its storage class with the last user', async () => {
    const { run } = setup();
    await run('govc namespace.create -cluster Workload-Cluster -storage k8s-gold demo');
    adminClient(lab).create(pod('web', 'demo'));
    expect(await run('govc namespace.rm demo')).toEqual({ status: 0, out: '', err: '' });
    lab.advance(5_000);
    expect(adminClient(lab).tryGet('namespaces', '', 'demo')).toBeUndefined();
    expect(adminClient(lab).tryGet('pods', 'demo', 'web')).toBeUndefined();
    expect(lab.world.vc.tryGet('resourcepools', '', 'demo')).toBeUndefined();
    expect(lab.world.vc.tryGet('vspherenamespaces', '', 'demo')).toBeUndefined();
    expect((await run('kubectl get sc')).err).toBe('No resources found\n');
    expect((await run('govc namespace.ls')).out).toBe('');
  });
});

describe('permissions on the Supervisor', () => {
  it('lets view read, edit change workloads, and the administrator work everywhere, as the real roles do', async () => {
    const { run, as } = setup();
    await run('govc namespace.create -cluster Workload-Cluster -storage k8s-gold demo');
    await run('govc namespace.create -cluster Workload-Cluster other');
    await run('govc namespace.access.set -principal DevOps@vsphere.local -group -role edit demo');
    await run('govc namespace.access.set -principal viewer@vsphere.local -role view demo');
    expect((await run('govc namespace.access.ls demo')).out).toBe(
      'DevOps@vsphere.local  group  edit\nviewer@vsphere.local  user   view\n',
    );
    adminClient(lab).create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'token', namespace: 'demo' },
    });

    // the administrator: every namespace, but no namespace made or removed with kubectl
    expect((await run('kubectl get pods -A')).status).toBe(0);
    expect((await run('kubectl create namespace extra')).err).toBe(
      forbidden('administrator@vsphere.local', 'create', 'namespaces', 'at the cluster scope'),
    );

    // devops, through the DevOps group: edit in demo; nothing elsewhere
    const login = await as('devops@vsphere.local');
    expect(login.out).toContain('You have access to the following contexts:\n   192.168.30.1\n   demo\n');
    expect((await run('kubectl config current-context')).out).toBe('demo\n');
    expect((await run('kubectl get ns -o name')).out).toBe('namespace/demo\n');
    expect((await run('kubectl create configmap app --from-literal=a=1')).out).toBe(
      'configmap/app created\n',
    );
    expect((await run('kubectl get secrets -o name')).out).toBe('secret/token\n');
    expect((await run('kubectl get pods -n other')).err).toBe(
      forbidden('devops@vsphere.local', 'list', 'pods', 'in the namespace "other"'),
    );
    expect((await run('kubectl get pods -A')).err).toBe(
      forbidden('devops@vsphere.local', 'list', 'pods', 'at the cluster scope'),
    );
    expect((await run('kubectl get nodes')).err).toBe(
      forbidden('devops@vsphere.local', 'list', 'nodes', 'at the cluster scope'),
    );
    expect((await run('kubectl delete quota demo-storagequota')).err).toBe(
      'Error from server (Forbidden): resourcequotas "demo-storagequota" is forbidden: User "sso:devops@vsphere.local" cannot delete resource "resourcequotas" in API group "" in the namespace "demo"\n',
    );
    expect((await run('kubectl auth can-i create pods')).out).toBe('yes\n');
    expect(await run('kubectl auth can-i create pods -n other')).toMatchObject({ status: 1, out: 'no\n' });
    // the edit role leaves pod status and binding to the Spherelet and the scheduler
    expect((await run('kubectl auth can-i update pods --subresource=status')).out).toBe('no\n');
    expect((await run('kubectl auth can-i create pods --subresource=binding')).out).toBe('no\n');
    expect((await run('kubectl auth can-i patch deployments --subresource=scale')).out).toBe('yes\n');
    expect((await run('kubectl get sc -o name')).out).toBe('storageclass.storage.k8s.io/k8s-gold\n');

    // viewer: reads demo (not its Secrets), changes nothing
    await as('viewer@vsphere.local');
    expect((await run('kubectl get cm -o name')).out).toContain('configmap/app\n');
    expect((await run('kubectl get secrets')).err).toBe(
      forbidden('viewer@vsphere.local', 'list', 'secrets', 'in the namespace "demo"'),
    );
    expect((await run('kubectl delete cm app')).err).toBe(
      'Error from server (Forbidden): configmaps "app" is forbidden: User "sso:viewer@vsphere.local" cannot delete resource "configmaps" in API group "" in the namespace "demo"\n',
    );
    expect(adminClient(lab).tryGet('configmaps', 'demo', 'app')).toBeDefined();

    // a role taken away is gone at once (govc acts as the vSphere administrator, whoever kubectl is)
    expect((await run('govc namespace.access.rm -principal viewer@vsphere.local demo')).status).toBe(0);
    expect((await run('kubectl get cm')).err).toBe(
      forbidden('viewer@vsphere.local', 'list', 'configmaps', 'in the namespace "demo"'),
    );
  });
});
