import { afterEach, describe, expect, it } from 'vitest';
import { guestSpace } from '../../../main/sim/tkgs/guest';
import { adminClient } from '../../helpers/lab';
import { minutes, tkcLab, tkcYaml, type TkcLab } from '../../helpers/tkc';

let t: TkcLab | undefined;
afterEach(() => t?.lab.close());

const OLD = 'v1.21.6---vmware.1-tkg.1.b3d708a';
const NEW = 'v1.22.9---vmware.1-tkg.1.cc71bc8';

describe('upgrading a TanzuKubernetesCluster to a newer TKr', () => {
  it('rolls its nodes one at a time, a new node before an old one goes, control plane first; workloads keep running', async () => {
    t = await tkcLab();
    const { run, apply, lab } = t;
    expect((await apply('tkc.yaml', tkcYaml({ cp: 1, workers: 2 }))).status).toBe(0);
    minutes(lab, 15);
    const g = adminClient(lab, guestSpace('demo', 'tkc-01'));
    const nodeNames = () =>
      g
        .list('nodes')
        .items.map((n) => n.metadata.name!)
        .sort();
    const before = nodeNames();
    expect(before).toHaveLength(3);
    expect(
      (
        await run(
          "kubectl get tkc tkc-01 -n demo -o jsonpath='{.spec.topology.controlPlane.tkr.reference.name}'",
        )
      ).out,
    ).toBe(OLD);
    for (const n of g.list('nodes').items)
      expect((n.status as { nodeInfo: { kubeletVersion: string } }).nodeInfo.kubeletVersion).toBe(
        'v1.21.6+vmware.1',
      );
    // a workload that must survive the upgrade
    await run(
      'kubectl vsphere login --server=192.168.30.1 --vsphere-username administrator@vsphere.local --tanzu-kubernetes-cluster-name tkc-01 --tanzu-kubernetes-cluster-namespace demo --insecure-skip-tls-verify',
    );
    await run('kubectl config use-context tkc-01');
    await run(
      'kubectl create clusterrolebinding psp-all --clusterrole=psp:vmware-system-privileged --group=system:serviceaccounts',
    );
    await run('kubectl create deployment web --image=nginx --replicas=3');
    minutes(lab, 1);
    expect((await run('kubectl get deploy web --no-headers')).out).toMatch(/^web +3\/3 /);
    await run('kubectl config use-context demo');

    // the upgrade: a new TKr on the control plane and the pool
    const yaml = tkcYaml({ cp: 1, workers: 2, tkr: NEW }).replace(
      /(vmClass: guaranteed-medium\n\s+storageClass: k8s-gold\n)/,
      `$1      tkr:\n        reference:\n          name: ${NEW}\n`,
    );
    const applied = await apply('tkc.yaml', yaml);
    expect(applied).toMatchObject({
      status: 0,
      out: 'tanzukubernetescluster.run.tanzu.vmware.com/tkc-01 configured\n',
    });
    lab.advance(5_000);
    expect((await run("kubectl get tkc tkc-01 -n demo -o jsonpath='{.status.phase}'")).out).toBe('updating');
    // never fewer nodes than wanted, at most one more, until it is done
    let maxNodes = 0;
    let minReady = 99;
    for (let i = 0; i < 40; i++) {
      lab.advance(30_000);
      const nodes = g.list('nodes').items;
      maxNodes = Math.max(maxNodes, nodes.length);
      minReady = Math.min(
        minReady,
        nodes.filter(
          (n) =>
            (n.status as { conditions?: { type: string; status: string }[] }).conditions?.find(
              (c) => c.type === 'Ready',
            )?.status === 'True' && !(n.spec as { unschedulable?: boolean }).unschedulable,
        ).length,
      );
    }
    expect(maxNodes).toBe(4);
    expect(minReady).toBeGreaterThanOrEqual(3);
    minutes(lab, 10);
    expect((await run("kubectl get tkc tkc-01 -n demo -o jsonpath='{.status.phase}'")).out).toBe('running');
    const after = nodeNames();
    expect(after).toHaveLength(3);
    expect(after.filter((n) => before.includes(n))).toEqual([]);
    for (const n of g.list('nodes').items)
      expect((n.status as { nodeInfo: { kubeletVersion: string } }).nodeInfo.kubeletVersion).toBe(
        'v1.22.9+vmware.1',
      );
    expect((await run('kubectl get machines -n demo --no-headers')).out.trim().split('\n')).toHaveLength(3);
    // the old VMs left the inventory
    const vms = lab.world.vc
      .list('virtualmachines')
      .items.filter((v) =>
        ['tkc-control-plane', 'tkc-worker'].includes((v.spec as { role?: string }).role ?? ''),
      );
    expect(vms.map((v) => v.metadata.name).sort()).toEqual(after);
    await run('kubectl config use-context tkc-01');
    expect((await run('kubectl get deploy web --no-headers')).out).toMatch(/^web +3\/3 /);
  });
});
