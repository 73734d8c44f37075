// The drs suite: initial placement of 1,000 VMs on a generated 64-host cluster, through the API and the
// controllers (create, DRS placement, host usage), and HA failover of a host holding 100 VMs. Lab time
// is stepped, so every figure is compute time.
import { performance } from 'node:perf_hooks';
import { Lab } from '../../main/sim/lab';
import type { KubeObject } from '../../main/api/types';
import { placeVm, book, type HostModel } from '../../main/sim/drs/placement';
import { failHost } from '../../main/sim/vcenter/operations';
import type { Scenario } from '../../main/sim/vcenter/scenario';
import { lifecycle } from '../../main/sim/lifecycle';
import { defaultScenario } from '../helpers/scenario';
import { figure, verdict } from './report';

const HOSTS = 64;
const VMS = 1000;
const HA_VMS = 100;

function bigScenario(): Scenario {
  const s = defaultScenario();
  s.clusters[0]!.hosts.count = HOSTS;
  return s;
}

const vm = (name: string): KubeObject => ({
  apiVersion: 'vcenter.lab/v1',
  kind: 'VirtualMachine',
  metadata: { name },
  spec: { cluster: 'Workload-Cluster', role: 'vm', numCPUs: 2, memoryMB: 4096, powerState: 'poweredOn' },
});

const placed = (lab: Lab) =>
  lab.world.vc.list('virtualmachines').items.filter((v) => (v.status as { host?: string } | undefined)?.host)
    .length;

function placement(): void {
  const lab = Lab.open({ path: ':memory:', scenario: bigScenario() });
  try {
    lab.settle();
    const t0 = performance.now();
    for (let i = 0; i < VMS; i++) lab.world.vc.create(vm(`vm-${String(i).padStart(4, '0')}`));
    lab.settle();
    const ms = performance.now() - t0;
    const n = placed(lab);
    figure(
      `place ${VMS} VMs on ${HOSTS} hosts (API + controllers)`,
      ms,
      'ms',
      `${n} placed (target ≤ 1000 ms) ${verdict(ms <= 1000 && n === VMS)}`,
      1,
    );
    // The decision alone, on the capacity model: what DRS computes per VM.
    const hosts: HostModel[] = Array.from({ length: HOSTS }, (_, i) => ({
      name: `h${i}`,
      state: 'connected',
      cpuCapacityMHz: 76_800,
      memCapacityMB: 524_288,
      cpuUsedMHz: 0,
      memUsedMB: 0,
      groups: new Map(),
    }));
    const t1 = performance.now();
    for (let i = 0; i < VMS; i++) {
      const d = { name: `v${i}`, cpuMHz: 4800, memMB: 4096 };
      const p = placeVm(d, hosts);
      book(
        hosts.find((h) => h.name === p.host)!,
        d,
      );
    }
    figure(`  placement decisions alone`, performance.now() - t1, 'ms', `${VMS} × ${HOSTS} host scores`, 2);
  } finally {
    lab.close();
  }
}

function failover(): void {
  const lab = Lab.open({ path: ':memory:', scenario: bigScenario() });
  try {
    lab.settle();
    const c = lab.world.vc;
    // 100 VMs running on esxi-01, as a host that took them before DRS could spread them.
    for (let i = 0; i < HA_VMS; i++) {
      const created = c.create(vm(`ha-${String(i).padStart(3, '0')}`));
      c.updateStatus({
        ...created,
        status: {
          phase: 'Running',
          host: 'esxi-01.lab.local',
          powerState: 'poweredOn',
          poweredOnAt: '2026-01-05T08:00:00Z',
        },
      });
    }
    lab.settle();
    const t0 = performance.now();
    failHost(c, 'esxi-01.lab.local');
    lab.advance(lifecycle.haRestartDelay + 1000);
    const ms = performance.now() - t0;
    const moved = c.list('virtualmachines').items.filter((v) => {
      const st = v.status as { host?: string; phase?: string };
      return st.host && st.host !== 'esxi-01.lab.local' && st.phase === 'PoweringOn';
    }).length;
    figure(
      `HA failover of a host holding ${HA_VMS} VMs`,
      ms,
      'ms',
      `${moved} restarted elsewhere (target ≤ 200 ms) ${verdict(ms <= 200 && moved === HA_VMS)}`,
      1,
    );
  } finally {
    lab.close();
  }
}

export default async function drsSuite(): Promise<void> {
  placement(); // warm-up
  placement();
  failover(); // warm-up
  failover();
}
