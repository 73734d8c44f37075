// The pods suite: 10,000 vSphere Pods on a generated 64-host NSX-T Supervisor, from creation through the
// API to Running — scheduled, placed by DRS, a CRX each, images pulled, containers started — on the
// stepped clock, so the wall time is all compute. Memory is the process's peak resident set.
import { performance } from 'node:perf_hooks';
import { Lab } from '../../main/sim/lab';
import type { Scenario } from '../../main/sim/vcenter/scenario';
import { enableWorkloadManagement } from '../../main/sim/vcenter/operations';
import { ApiClient } from '../../main/api/client';
import { systemUser } from '../../main/api/types';
import { defaultScenario, nsxEnable } from '../helpers/scenario';
import { figure, verdict } from './report';

const HOSTS = 64;
const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const NAMESPACES = 10;

function bigScenario(): Scenario {
  const s = defaultScenario();
  s.clusters[0]!.hosts.count = HOSTS;
  return s;
}

export default async function run(): Promise<void> {
  const lab = Lab.open({ path: ':memory:', scenario: bigScenario() });
  try {
    // room for 10 namespaces of 1,000 pods: a /16 of pod CIDR (each namespace a segment of its own)
    enableWorkloadManagement(lab.world.vc, { ...nsxEnable(), podCIDRs: ['10.244.0.0/16'] });
    lab.advance(20 * 60_000);
    for (let n = 0; n < NAMESPACES; n++)
      lab.world.vc.create({
        apiVersion: 'vcenter.lab/v1',
        kind: 'VSphereNamespace',
        metadata: { name: `ns-${n}` },
        spec: { cluster: 'Workload-Cluster', storagePolicies: ['k8s-gold'] },
      });
    lab.settle();
    const c = new ApiClient(lab.api, systemUser, 'supervisor');
    let peak = process.memoryUsage().rss;
    const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
    const t0 = performance.now();
    for (let i = 0; i < PODS; i++) {
      c.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `web-${String(i).padStart(5, '0')}`, namespace: `ns-${i % NAMESPACES}` },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1.25', resources: { requests: { cpu: '100m', memory: '128Mi' } } },
          ],
        },
      });
      if (i % 1000 === 0) sample();
    }
    const created = performance.now() - t0;
    // lab time for the pods to come up (well past the ~5 s a pod takes), in one-second steps
    for (let s = 0; s < 10; s++) {
      lab.advance(1_000);
      sample();
    }
    const ms = performance.now() - t0;
    let running = 0;
    const ips = new Set<string>();
    for (let n = 0; n < NAMESPACES; n++)
      for (const p of c.list('pods', { namespace: `ns-${n}` }).items) {
        const st = p.status as { phase?: string; podIP?: string } | undefined;
        if (st?.phase === 'Running') running++;
        if (st?.podIP) ips.add(st.podIP);
      }
    const crx = lab.world.vc
      .list('virtualmachines')
      .items.filter((v) => (v.spec as { role?: string }).role === 'crx').length;
    figure(`create ${PODS} pods through the API`, created, 'ms', '', 0);
    figure(
      `${PODS} vSphere Pods on ${HOSTS} hosts, creation to Running (stepped clock)`,
      ms / 1000,
      's',
      `${running} Running, ${ips.size} distinct pod IPs, ${crx} CRX VMs (target ≤ 10 s) ${verdict(ms <= 10_000 && running === PODS && ips.size === PODS)}`,
      2,
    );
    figure('peak resident memory', peak / 2 ** 20, 'MB', `(target ≤ 1024 MB) ${verdict(peak <= 2 ** 30)}`, 0);
  } finally {
    lab.close();
  }
}
