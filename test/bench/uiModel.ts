// The engine's side of the topology at the big scenario's size: 64 hosts, 1,000 VMs and 10,000 vSphere
// Pods, really running in a lab (as the drs and pods suites build them). How long the engine takes to
// derive the view the UI draws, and how much crosses the contract per update.
import { ApiClient } from '../../main/api/client';
import { systemUser } from '../../main/api/types';
import { AppEngine } from '../../main/host/app/engine';
import { Lab } from '../../main/sim/lab';
import { enableWorkloadManagement } from '../../main/sim/vcenter/operations';
import { defaultScenario, nsxEnable } from '../helpers/scenario';

export interface BigModel {
  hosts: number;
  vms: number;
  pods: number;
  viewMs: number[];
  bytes: number;
  json: string;
}

/** A running lab of the big scenario's size, and the engine's topology view of it, timed. */
export async function bigTopology(): Promise<BigModel> {
  const s = defaultScenario();
  s.clusters[0]!.hosts.count = 64;
  const lab = Lab.open({ path: ':memory:', scenario: s });
  try {
    enableWorkloadManagement(lab.world.vc, { ...nsxEnable(), podCIDRs: ['10.244.0.0/16'] });
    lab.advance(20 * 60_000);
    for (let i = 0; i < 997; i++)
      lab.world.vc.create({
        apiVersion: 'vcenter.lab/v1',
        kind: 'VirtualMachine',
        metadata: { name: `vm-${String(i).padStart(4, '0')}` },
        spec: {
          cluster: 'Workload-Cluster',
          role: 'vm',
          numCPUs: 1,
          memoryMB: 1024,
          powerState: 'poweredOn',
        },
      });
    for (let n = 0; n < 10; n++)
      lab.world.vc.create({
        apiVersion: 'vcenter.lab/v1',
        kind: 'VSphereNamespace',
        metadata: { name: `ns-${n}` },
        spec: { cluster: 'Workload-Cluster', storagePolicies: ['k8s-gold'] },
      });
    lab.settle();
    const c = new ApiClient(lab.api, systemUser, 'supervisor');
    for (let i = 0; i < 10_000; i++)
      c.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `web-${String(i).padStart(5, '0')}`, namespace: `ns-${i % 10}` },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1.25', resources: { requests: { cpu: '50m', memory: '64Mi' } } },
          ],
        },
      });
    for (let i = 0; i < 10; i++) lab.advance(1_000);
    const engine = new AppEngine({ lab, labPath: ':memory:', version: 'bench' });
    const viewMs: number[] = [];
    let json = '';
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const model = await engine.call('view.topology', {});
      json = JSON.stringify(model);
      viewMs.push(performance.now() - t0);
    }
    const model = JSON.parse(json) as { hosts: { vms: unknown[]; pods: unknown[] }[] };
    return {
      hosts: model.hosts.length,
      vms: model.hosts.reduce((n, h) => n + h.vms.length, 0),
      pods: model.hosts.reduce((n, h) => n + h.pods.length, 0),
      viewMs,
      bytes: Buffer.byteLength(json),
      json,
    };
  } finally {
    lab.close();
  }
}
