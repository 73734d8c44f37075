// The tkc suite: 50 TanzuKubernetesClusters of 3 control-plane and 20 worker nodes on a generated 64-host
// NSX-T Supervisor (1,150 node VMs cloned, placed by DRS, powered on; 50 guest API spaces), then 100,000
// guest pods across them — 20 Deployments of 100 replicas per cluster, through each guest cluster's
// Deployment and ReplicaSet controllers, PodSecurityPolicy admission, scheduler and kubelets — on the
// stepped clock, so the wall time is all compute. Memory is the process's peak resident set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Lab } from '../../main/sim/lab';
import type { Scenario } from '../../main/sim/vcenter/scenario';
import { enableWorkloadManagement } from '../../main/sim/vcenter/operations';
import { ApiClient } from '../../main/api/client';
import { systemUser } from '../../main/api/types';
import { guestSpace } from '../../main/sim/tkgs/guest';
import { defaultScenario, nsxEnable } from '../helpers/scenario';
import { figure, verdict } from './report';

const HOSTS = 64;
const NAMESPACES = 10;
const CLUSTERS = Number(process.env.BENCH_TKCS ?? 50);
const WORKERS = 20;
const DEPLOYMENTS = 20;
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 100);
const TKR = 'v1.21.6---vmware.1-tkg.1.b3d708a';

/** 64 hosts of 64 cores and 1 TB: room for 1,150 node VMs of 2 vCPUs without CPU overcommit */
function bigScenario(): Scenario {
  const s = defaultScenario();
  const hosts = s.clusters[0]!.hosts;
  hosts.count = HOSTS;
  hosts.cpu = { ...hosts.cpu, coresPerSocket: 32 };
  hosts.memoryGB = 1024;
  return s;
}

export default async function run(): Promise<void> {
  // a lab file on disk, as the app keeps one (an in-memory database would hold the gigabyte of rows in RAM)
  const dir = mkdtempSync(join(tmpdir(), 'supervisor-lab-bench-'));
  const lab = Lab.open({ path: join(dir, 'lab.db'), scenario: bigScenario() });
  let peak = process.memoryUsage().rss;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  try {
    enableWorkloadManagement(lab.world.vc, { ...nsxEnable(), podCIDRs: ['10.244.0.0/16'] });
    lab.advance(20 * 60_000);
    for (let n = 0; n < NAMESPACES; n++)
      lab.world.vc.create({
        apiVersion: 'vcenter.lab/v1',
        kind: 'VSphereNamespace',
        metadata: { name: `ns-${n}` },
        spec: {
          cluster: 'Workload-Cluster',
          storagePolicies: ['k8s-gold'],
          vmClasses: ['best-effort-small', 'best-effort-medium'],
        },
      });
    lab.settle();
    const sup = new ApiClient(lab.api, systemUser, 'supervisor');
    const t0 = performance.now();
    const names: { ns: string; name: string }[] = [];
    for (let i = 0; i < CLUSTERS; i++) {
      const ns = `ns-${i % NAMESPACES}`;
      const name = `tkc-${String(i).padStart(2, '0')}`;
      names.push({ ns, name });
      sup.create({
        apiVersion: 'run.tanzu.vmware.com/v1alpha2',
        kind: 'TanzuKubernetesCluster',
        metadata: { name, namespace: ns },
        spec: {
          topology: {
            controlPlane: {
              replicas: 3,
              vmClass: 'best-effort-small',
              storageClass: 'k8s-gold',
              tkr: { reference: { name: TKR } },
            },
            nodePools: [
              {
                name: 'workers',
                replicas: WORKERS,
                vmClass: 'best-effort-medium',
                storageClass: 'k8s-gold',
                tkr: { reference: { name: TKR } },
              },
            ],
          },
        },
      });
    }
    // lab time for the clusters to come up: clone, power on, kubeadm, nodes Ready (minutes each)
    const phases = () =>
      names.map(
        ({ ns, name }) =>
          (sup.get('tanzukubernetesclusters', ns, name).status as { phase?: string } | undefined)?.phase,
      );
    let minutes = 0;
    for (; minutes < 60 && !phases().every((p) => p === 'running'); minutes++) {
      for (let s = 0; s < 6; s++) lab.advance(10_000);
      sample();
    }
    const up = performance.now() - t0;
    const running = phases().filter((p) => p === 'running').length;
    const nodeVms = lab.world.vc
      .list('virtualmachines')
      .items.filter((v) =>
        ['tkc-control-plane', 'tkc-worker'].includes((v.spec as { role?: string }).role ?? ''),
      ).length;
    figure(
      `${CLUSTERS} TKCs × (3 + ${WORKERS}) nodes, apply to running (stepped clock, ${minutes} lab minutes)`,
      up / 1000,
      's',
      `${running} running, ${nodeVms} node VMs`,
      1,
    );

    // the workloads: what a learner would do in each cluster, through the API as the system
    const t1 = performance.now();
    for (const { ns, name } of names) {
      const g = new ApiClient(lab.api, systemUser, guestSpace(ns, name));
      g.create({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'psp-all' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'psp:vmware-system-privileged',
        },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts' }],
      });
      for (let d = 0; d < DEPLOYMENTS; d++)
        g.create({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: `web-${d}`, namespace: 'default' },
          spec: {
            replicas: REPLICAS,
            selector: { matchLabels: { app: `web-${d}` } },
            template: {
              metadata: { labels: { app: `web-${d}` } },
              spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
            },
          },
        });
    }
    let seconds = 0;
    const total = CLUSTERS * DEPLOYMENTS * REPLICAS;
    const runningPods = () => {
      let n = 0;
      for (const { ns, name } of names)
        for (const p of new ApiClient(lab.api, systemUser, guestSpace(ns, name)).list('pods', {
          namespace: 'default',
        }).items)
          if ((p.status as { phase?: string } | undefined)?.phase === 'Running') n++;
      return n;
    };
    for (; seconds < 30; seconds++) {
      lab.advance(1_000);
      sample();
      if (seconds >= 5 && seconds % 5 === 0 && runningPods() === total) break;
    }
    const pods = performance.now() - t1;
    const n = runningPods();
    figure(
      `${total} guest pods in ${CLUSTERS} TKCs, creation to Running (stepped clock, ${seconds} lab s)`,
      pods / 1000,
      's',
      `${n} Running`,
      1,
    );
    const all = performance.now() - t0;
    figure(
      'the whole: clusters up, then every pod Running',
      all / 1000,
      's',
      `(target ≤ 60 s) ${verdict(all <= 60_000 && n === total && running === CLUSTERS)}`,
      1,
    );
    figure(
      'peak resident memory',
      peak / 2 ** 20,
      'MB',
      `(target ≤ 2048 MB) ${verdict(peak <= 2 * 2 ** 30)}`,
      0,
    );
  } finally {
    lab.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
