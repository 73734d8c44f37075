import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import { guestSpace } from '../../../main/sim/tkgs/controller';
import { adminClient } from '../../helpers/lab';
import { tkcLab, tkcYaml } from '../../helpers/tkc';

let lab: Lab;
afterEach(() => lab?.close());

async function setup() {
  const t = await tkcLab();
  lab = t.lab;
  return t;
}

const tkcVms = () =>
  lab.world.vc
    .list('virtualmachines')
    .items.filter((v) =>
      ['tkc-control-plane', 'tkc-worker'].includes((v.spec as { role?: string }).role ?? ''),
    );

describe('a TanzuKubernetesCluster', () => {
  it('comes up from YAML: VMs cloned into the namespace, a load-balanced API endpoint, a guest cluster with its nodes and system pods', async () => {
    const { run, apply } = await setup();
    expect(await apply('tkc.yaml', tkcYaml({ cp: 3 }))).toMatchObject({
      status: 0,
      out: 'tanzukubernetescluster.run.tanzu.vmware.com/tkc-01 created\n',
    });
    lab.advance(1_000);
    let rows = (await run('kubectl get tkc -n demo')).out;
    expect(rows).toMatch(
      /^NAME +CONTROL PLANE +WORKER +TKR NAME +AGE +READY +TKR COMPATIBLE +UPDATES AVAILABLE\n/,
    );
    expect(rows).toMatch(
      /\ntkc-01 +3 +2 +v1\.21\.6---vmware\.1-tkg\.1\.b3d708a +1s +False +True +\[1\.22\.9\+vmware\.1-tkg\.1\.cc71bc8\]\n$/,
    );
    expect((await run("kubectl get tkc tkc-01 -n demo -o jsonpath='{.status.phase}'")).out).toBe('creating');
    // the control plane starts with one node; the others and the workers join once it runs
    expect(tkcVms()).toHaveLength(1);
    for (let i = 0; i < 15; i++) lab.advance(60_000);
    rows = (await run('kubectl get tkc -n demo')).out;
    expect(rows).toMatch(
      /\ntkc-01 +3 +2 +v1\.21\.6---vmware\.1-tkg\.1\.b3d708a +15m +True +True +\[1\.22\.9\+vmware\.1-tkg\.1\.cc71bc8\]\n$/,
    );
    expect((await run("kubectl get tkc tkc-01 -n demo -o jsonpath='{.status.phase}'")).out).toBe('running');
    // five VMs in the namespace's resource pool and folder, the control plane's on distinct hosts
    const vms = tkcVms();
    expect(vms).toHaveLength(5);
    for (const vm of vms) expect(vm.spec).toMatchObject({ resourcePool: 'demo', folder: 'Namespaces/demo' });
    const cpHosts = vms
      .filter((v) => (v.spec as { role: string }).role === 'tkc-control-plane')
      .map((v) => (v.status as { host: string }).host);
    expect(new Set(cpHosts).size).toBe(3);
    expect((await run('kubectl get machines -n demo --no-headers')).out.trim().split('\n')).toHaveLength(5);
    expect((await run('kubectl get kcp -n demo --no-headers')).out).toMatch(
      /^tkc-01-control-plane +true +true +v1\.21\.6\+vmware\.1 +3 +3 +3 +0\n$/,
    );
    expect((await run('kubectl get md -n demo --no-headers')).out).toMatch(
      /^tkc-01-workers-[a-z0-9]{5} +Running +2 +2 +2 +0\n$/,
    );
    // the API endpoint: a LoadBalancer VIP from the ingress range
    const svc = (await run('kubectl get svc tkc-01-control-plane-service -n demo --no-headers')).out;
    expect(svc).toMatch(
      /^tkc-01-control-plane-service +LoadBalancer +10\.96\.\d+\.\d+ +192\.168\.30\.\d+ +6443:\d+\/TCP +\d+m\n$/,
    );
    const vip = svc.split(/ +/)[3];
    expect(
      (
        await run(
          "kubectl get tkc tkc-01 -n demo -o jsonpath='{.status.apiEndpoints[0].host}:{.status.apiEndpoints[0].port}'",
        )
      ).out,
    ).toBe(`${vip}:6443`);
    // the guest cluster: five Ready nodes named as the real ones, and the system pods running
    const g = adminClient(lab, guestSpace('demo', 'tkc-01'));
    const nodes = g.list('nodes').items;
    expect(nodes.map((n) => n.metadata.name).sort()).toEqual(vms.map((v) => v.metadata.name).sort());
    for (const n of nodes) {
      expect(n.metadata.name).toMatch(
        /^tkc-01-(control-plane-[a-z0-9]{5}|workers-[a-z0-9]{5}-[0-9a-f]{10}-[a-z0-9]{5})$/,
      );
      expect(
        (n.status as { conditions: { type: string; status: string }[] }).conditions.find(
          (c) => c.type === 'Ready',
        )?.status,
      ).toBe('True');
    }
    const pods = g.list('pods').items;
    const names = pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    for (const prefix of [
      'kube-system/etcd-',
      'kube-system/kube-apiserver-',
      'kube-system/kube-controller-manager-',
      'kube-system/kube-scheduler-',
    ])
      expect(names.filter((n) => n.startsWith(prefix))).toHaveLength(3);
    expect(names.filter((n) => n.startsWith('kube-system/antrea-agent-'))).toHaveLength(5);
    expect(names.filter((n) => n.startsWith('kube-system/kube-proxy-'))).toHaveLength(5);
    expect(names.filter((n) => n.startsWith('kube-system/coredns-'))).toHaveLength(2);
    expect(names.filter((n) => n.startsWith('vmware-system-csi/vsphere-csi-controller-'))).toHaveLength(1);
    expect(
      names.filter((n) => n.startsWith('vmware-system-cloud-provider/guest-cluster-cloud-provider-')),
    ).toHaveLength(1);
    expect(pods.every((p) => (p.status as { phase: string }).phase === 'Running')).toBe(true);
    expect(g.list('storageclasses').items.map((s) => s.metadata.name)).toEqual(['k8s-gold']);
  });

  it('refuses each invalid spec with the webhook’s message, and creates nothing', async () => {
    const { run, apply } = await setup();
    const denied = (why: string) =>
      `Error from server (Forbidden): error when creating "bad.yaml": admission webhook "default.validating.tanzukubernetescluster.run.tanzu.vmware.com" denied the request: ${why}\n`;
    const cases: [string, string][] = [
      [tkcYaml({ cp: 2 }), 'control plane can only be either 1 or 3 nodes'],
      [
        tkcYaml({ vmClass: 'best-effort-large' }),
        'spec.topology.controlPlane.vmClass: Invalid value: "best-effort-large": VirtualMachineClass "best-effort-large" is not bound to namespace "demo"',
      ],
      [
        tkcYaml({ storageClass: 'platinum' }),
        "spec.topology.controlPlane.storageClass: Invalid value: \"platinum\": StorageClass 'platinum' is not assigned for namespace 'demo'",
      ],
      [
        tkcYaml({ tkr: 'v1.99.0---vmware.1-tkg.1' }),
        'spec.topology.controlPlane.tkr.reference.name: Invalid value: "v1.99.0---vmware.1-tkg.1": TanzuKubernetesRelease "v1.99.0---vmware.1-tkg.1" not found',
      ],
      [
        tkcYaml({ tkr: 'v1.25.7---vmware.3-fips.1-tkg.1' }),
        'spec.topology.controlPlane.tkr.reference.name: Invalid value: "v1.25.7---vmware.3-fips.1-tkg.1": TanzuKubernetesRelease "v1.25.7---vmware.3-fips.1-tkg.1" is not compatible with this Supervisor',
      ],
      [
        tkcYaml({ pools: '    nodePools: []' }),
        'spec.topology.nodePools: Required value: at least one node pool',
      ],
    ];
    for (const [yaml, why] of cases)
      expect(await apply('bad.yaml', yaml)).toEqual({ status: 1, out: '', err: denied(why) });
    lab.advance(60_000);
    expect((await run('kubectl get tkc -n demo')).err).toBe('No resources found in demo namespace.\n');
    expect(tkcVms()).toHaveLength(0);
    expect((await run('kubectl get machines,clusters -n demo')).err).toBe(
      'No resources found in demo namespace.\n',
    );
  });

  it('scales its node pool, keeps its network settings, and on deletion takes its VMs and guest cluster with it', async () => {
    const { run, apply } = await setup();
    await apply('tkc.yaml', tkcYaml());
    for (let i = 0; i < 15; i++) lab.advance(60_000);
    expect(tkcVms()).toHaveLength(3);
    // scale out by editing replicas
    expect(
      (
        await run(
          `kubectl patch tkc tkc-01 -n demo --type=json -p '[{"op":"replace","path":"/spec/topology/nodePools/0/replicas","value":4}]'`,
        )
      ).out,
    ).toBe('tanzukubernetescluster.run.tanzu.vmware.com/tkc-01 patched\n');
    lab.advance(1_000);
    expect(
      (
        await run(
          "kubectl get tkc tkc-01 -n demo -o jsonpath='{.status.phase} {.status.totalWorkerReplicas}'",
        )
      ).out,
    ).toBe('updating 4');
    for (let i = 0; i < 10; i++) lab.advance(60_000);
    expect(tkcVms()).toHaveLength(5);
    expect(adminClient(lab, guestSpace('demo', 'tkc-01')).list('nodes').items).toHaveLength(5);
    expect((await run("kubectl get tkc tkc-01 -n demo -o jsonpath='{.status.phase}'")).out).toBe('running');
    // and in
    await run(
      `kubectl patch tkc tkc-01 -n demo --type=json -p '[{"op":"replace","path":"/spec/topology/nodePools/0/replicas","value":1}]'`,
    );
    for (let i = 0; i < 3; i++) lab.advance(60_000);
    expect(tkcVms()).toHaveLength(2);
    expect(adminClient(lab, guestSpace('demo', 'tkc-01')).list('nodes').items).toHaveLength(2);
    // the network settings are immutable
    expect(
      (
        await run(
          `kubectl patch tkc tkc-01 -n demo --type=merge -p '{"spec":{"settings":{"network":{"cni":{"name":"calico"}}}}}'`,
        )
      ).err,
    ).toBe(
      'Error from server (Forbidden): admission webhook "default.validating.tanzukubernetescluster.run.tanzu.vmware.com" denied the request: updates to immutable fields are not allowed, spec.settings.network may not be changed\n',
    );
    // deletion
    expect((await run('kubectl delete tkc tkc-01 -n demo --wait=false')).out).toBe(
      'tanzukubernetescluster.run.tanzu.vmware.com "tkc-01" deleted\n',
    );
    for (let i = 0; i < 3; i++) lab.advance(60_000);
    expect(tkcVms()).toHaveLength(0);
    expect(lab.api.hasApiSpace(guestSpace('demo', 'tkc-01'))).toBe(false);
    expect((await run('kubectl get tkc,machines,clusters,vm -n demo')).err).toBe(
      'No resources found in demo namespace.\n',
    );
    expect((await run('kubectl get svc -n demo')).err).toBe('No resources found in demo namespace.\n');
  });

  it('is reached with kubectl vsphere login --tanzu-kubernetes-cluster-name, as cluster-admin for editors only', async () => {
    const { run, apply } = await setup();
    await run('govc namespace.access.set -principal devops@vsphere.local -role edit demo');
    await run('govc namespace.access.set -principal viewer@vsphere.local -role view demo');
    await apply('tkc.yaml', tkcYaml({ workers: 1 }));
    for (let i = 0; i < 15; i++) lab.advance(60_000);
    const vip = (await run("kubectl get tkc tkc-01 -n demo -o jsonpath='{.status.apiEndpoints[0].host}'"))
      .out;
    expect(vip).toMatch(/^192\.168\.30\.\d+$/);
    const login = (user: string) =>
      run(
        `kubectl vsphere login --server=192.168.30.1 --vsphere-username ${user} --tanzu-kubernetes-cluster-name tkc-01 --tanzu-kubernetes-cluster-namespace demo --insecure-skip-tls-verify`,
      );
    expect((await login('devops@vsphere.local')).out).toBe(
      'Logged in successfully.\n\nYou have access to the following contexts:\n   192.168.30.1\n   demo\n   tkc-01\n\n' +
        'If the context you wish to use is not in this list, you may need to try\nlogging in again later, or contact your cluster administrator.\n\n' +
        'To change context, use `kubectl config use-context <workload name>`\n',
    );
    expect((await run('kubectl config get-contexts tkc-01 --no-headers')).out).toMatch(
      new RegExp(
        `^ +tkc-01 +${vip.replace(/\./g, '\\.')} +wcp:${vip.replace(/\./g, '\\.')}:devops@vsphere\\.local +\n$`,
      ),
    );
    expect((await run('kubectl config use-context tkc-01')).out).toBe('Switched to context "tkc-01".\n');
    const nodes = (await run('kubectl get nodes')).out.split('\n');
    expect(nodes[0]).toMatch(/^NAME +STATUS +ROLES +AGE +VERSION$/);
    expect(
      nodes
        .slice(1, -1)
        .map((l) => l.split(/ +/).slice(1, 3).join(' '))
        .sort(),
    ).toEqual(['Ready <none>', 'Ready control-plane,master']);
    expect((await run('kubectl get pods -n kube-system -o name')).out).toContain(
      'pod/kube-apiserver-tkc-01-control-plane-',
    );
    // a viewer of the namespace has no way in
    expect(await login('viewer@vsphere.local')).toMatchObject({
      status: 1,
      err: 'Error: Unable to find a Tanzu Kubernetes cluster "tkc-01" in vSphere Namespace "demo", or you have no access to it.\n',
    });
    expect(await login('devops@vsphere.local')).toMatchObject({ status: 0 });
    await run('govc namespace.access.rm -principal devops@vsphere.local demo');
    expect((await run('kubectl --context tkc-01 get nodes')).err).toBe(
      'Error from server (Forbidden): nodes is forbidden: User "sso:devops@vsphere.local" cannot list resource "nodes" in API group "" at the cluster scope\n',
    );
  });
});

describe('a TanzuKubernetesCluster the namespace cannot hold', () => {
  it("fails with vCenter's reason when guaranteed VMs pass the namespace's memory limit, and recovers when it is raised", async () => {
    const { run, apply } = await setup();
    // guaranteed-medium reserves all its 8 GiB; 12 GiB fits the best-effort control plane and one worker
    expect((await run('govc namespace.update -memory-limit 12288 demo')).status).toBe(0);
    expect((await apply('tkc.yaml', tkcYaml({ workers: 2 }))).status).toBe(0);
    for (let i = 0; i < 15; i++) lab.advance(60_000);
    expect((await run("kubectl get tkc tkc-01 -n demo -o jsonpath='{.status.phase}'")).out).toBe('failed');
    const cond = (
      await run(
        'kubectl get tkc tkc-01 -n demo -o jsonpath=\'{.status.conditions[?(@.type=="NodePoolsReady")].message}\'',
      )
    ).out;
    expect(cond).toMatch(
      /^VirtualMachine tkc-01-workers-[a-z0-9-]+ cannot be powered on: The available Memory resources in the parent resource pool are insufficient for the operation\.$/,
    );
    expect((await run('kubectl get machines -n demo --no-headers')).out).toMatch(/ Failed /);
    // the administrator raises the limit: the VM powers on and the cluster comes up
    expect((await run('govc namespace.update -memory-limit 65536 demo')).status).toBe(0);
    for (let i = 0; i < 10; i++) lab.advance(60_000);
    expect((await run("kubectl get tkc tkc-01 -n demo -o jsonpath='{.status.phase}'")).out).toBe('running');
  });
});
