import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { explain } from '../../../main/sim/explain';
import { topology } from '../../../main/sim/topology';
import type { SupervisorSpec } from '../../../main/sim/supervisor/admission';
import {
  disableWorkloadManagement,
  enableWorkloadManagement,
  failHost,
  recoverHost,
  setMaintenanceMode,
} from '../../../main/sim/vcenter/operations';
import { adminClient, newLab } from '../../helpers/lab';
import { apiError } from '../../helpers/requests';
import { defaultScenario, nsxEnable, vdsEnable } from '../../helpers/scenario';

let lab: Lab;
afterEach(() => lab?.close());

const MIN = 60_000;
const open = () => (lab = newLab({ scenario: defaultScenario() }));
const vc = () => lab.world.vc;
const sup = () => vc().get('supervisors', '', 'Workload-Cluster');
const supStatus = () =>
  sup().status as {
    configStatus?: string;
    kubernetesStatus?: string;
    apiEndpoint?: string;
    floatingIP?: string;
    floatingIPVM?: string;
    conditions?: { type: string; status: string; message: string }[];
  };
const cpVms = () =>
  vc()
    .list('virtualmachines')
    .items.filter((v) => (v.spec as { role: string }).role === 'supervisor-control-plane');
const hostOf = (vm: KubeObject) => (vm.status as { host?: string }).host;
const running = (vm: KubeObject) => (vm.status as { phase?: string }).phase === 'Running';
const nodes = () => adminClient(lab).list('nodes').items;
const ready = (n: KubeObject) =>
  (n.status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready')
    ?.status;

function enable(spec: SupervisorSpec = nsxEnable(), minutes = 20): void {
  enableWorkloadManagement(vc(), spec);
  lab.advance(minutes * MIN);
}

describe('the default lab', () => {
  it('holds the scenario’s vCenter inventory, with Workload Management not yet enabled', () => {
    open();
    lab.settle();
    const hosts = vc().list('hostsystems').items;
    expect(hosts.map((h) => h.metadata.name)).toEqual([
      'esxi-01.lab.local',
      'esxi-02.lab.local',
      'esxi-03.lab.local',
      'esxi-04.lab.local',
    ]);
    for (const h of hosts) {
      expect(h.status).toMatchObject({
        state: 'connected',
        cpuMHz: { capacity: 2 * 16 * 2400, used: 0 },
        memoryMB: { capacity: 512 * 1024, used: 0 },
      });
    }
    expect(
      vc()
        .list('ssousers')
        .items.map((u) => u.metadata.name),
    ).toEqual(['administrator@vsphere.local', 'devops@vsphere.local', 'viewer@vsphere.local']);
    expect(vc().get('ssogroups', '', 'DevOps@vsphere.local').spec).toMatchObject({
      members: ['devops@vsphere.local'],
    });
    expect(
      vc()
        .list('storagepolicies')
        .items.map((p) => p.metadata.name),
    ).toEqual(['k8s-gold', 'vSAN Default Storage Policy']);
    expect(
      vc()
        .list('networks')
        .items.map((n) => n.metadata.name),
    ).toEqual(['DVPG-Management Network', 'DVPG-Workload Network']);
    expect(vc().get('computeclusters', '', 'Workload-Cluster').spec).toMatchObject({
      drs: { enabled: true, automationLevel: 'fullyAutomated' },
      ha: { enabled: true },
    });
    expect(vc().get('datastores', '', 'vsanDatastore').spec).toMatchObject({ capacityGB: 20480 });
    expect(vc().tryGet('nsxedgeclusters', '', 'Edge-Cluster-1')).toBeDefined();
    expect(vc().tryGet('loadbalancers', '', 'haproxy-01')).toBeDefined();
    expect((vc().get('contentlibraries', '', 'Kubernetes').spec as { items: unknown[] }).items).toHaveLength(
      8,
    );
    expect(vc().list('supervisors').items).toEqual([]);
    expect(topology(lab.world).supervisor).toBeNull();
  });
});

describe('enabling Workload Management on NSX-T', () => {
  it('goes CONFIGURING → RUNNING over lab time, with three control-plane VMs on distinct hosts', () => {
    open();
    enableWorkloadManagement(vc(), nsxEnable());
    lab.settle();
    expect(supStatus().configStatus).toBe('CONFIGURING');
    expect(cpVms().map((v) => v.metadata.name)).toEqual([
      'SupervisorControlPlaneVM (1)',
      'SupervisorControlPlaneVM (2)',
      'SupervisorControlPlaneVM (3)',
    ]);
    lab.advance(5 * MIN);
    expect(supStatus().configStatus).toBe('CONFIGURING');
    expect(cpVms().every(running)).toBe(true);
    lab.advance(10 * MIN);
    expect(supStatus()).toMatchObject({
      configStatus: 'RUNNING',
      kubernetesStatus: 'READY',
      apiEndpoint: '192.168.30.1',
      floatingIP: '192.168.10.103',
    });
    const vms = cpVms();
    expect(new Set(vms.map(hostOf)).size).toBe(3);
    expect(vms.map((v) => (v.status as { ips: string[] }).ips)).toEqual([
      ['192.168.10.100'],
      ['192.168.10.101'],
      ['192.168.10.102'],
    ]);
    expect(
      vms.map((v) => v.spec as { numCPUs: number; memoryMB: number }).map((s) => [s.numCPUs, s.memoryMB]),
    ).toEqual([
      [2, 8192],
      [2, 8192],
      [2, 8192],
    ]);
    const t = topology(lab.world);
    expect(t.supervisor).toMatchObject({
      networkStack: 'nsx',
      phase: 'RUNNING',
      apiEndpoint: '192.168.30.1',
      floatingIP: '192.168.10.103',
    });
    expect(t.hosts.flatMap((h) => h.vms).filter((v) => v.floatingIP)).toHaveLength(1);
  });

  it('makes every host a Supervisor node through its Spherelet', () => {
    open();
    enable();
    const ns = nodes();
    const agents = ns.filter((n) => 'node-role.kubernetes.io/agent' in (n.metadata.labels ?? {}));
    const controlPlane = ns.filter(
      (n) => 'node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {}),
    );
    expect(agents.map((n) => n.metadata.name)).toEqual([
      'esxi-01.lab.local',
      'esxi-02.lab.local',
      'esxi-03.lab.local',
      'esxi-04.lab.local',
    ]);
    expect(controlPlane).toHaveLength(3);
    for (const n of controlPlane) expect(n.metadata.name).toMatch(/^42[0-9a-f]{30}$/);
    expect(ns.every((n) => ready(n) === 'True')).toBe(true);
    expect(topology(lab.world).hosts.every((h) => h.spherelet)).toBe(true);
  });

  it('sizes the control-plane VMs from the size asked for', () => {
    open();
    enable({ ...nsxEnable(), size: 'MEDIUM' }, 1);
    expect(cpVms()[0]!.spec as { numCPUs: number; memoryMB: number }).toMatchObject({
      numCPUs: 8,
      memoryMB: 24 * 1024,
    });
  });
});

describe('enabling Workload Management on the vSphere networking stack', () => {
  it('needs only the network provider flag in the default lab; no Spherelet, hosts are no nodes', () => {
    open();
    enable(vdsEnable());
    expect(supStatus()).toMatchObject({ configStatus: 'RUNNING', apiEndpoint: '192.168.20.129' });
    expect(sup().spec).toMatchObject({
      workloadNetwork: {
        switch: 'DSwitch',
        network: 'DVPG-Workload Network',
        loadBalancer: 'haproxy-01',
        virtualIPRanges: ['192.168.20.128/25'],
      },
    });
    expect(
      nodes()
        .map((n) => n.metadata.name)
        .every((n) => /^42/.test(n ?? '')),
    ).toBe(true);
    expect(nodes()).toHaveLength(3);
    expect(topology(lab.world).hosts.some((h) => h.spherelet)).toBe(false);
    expect(topology(lab.world).supervisor?.networkStack).toBe('vds');
  });
});

describe('bad enablement input is refused with nothing changed', () => {
  const refused = (spec: SupervisorSpec, text: RegExp) => {
    open();
    lab.settle();
    const rv = lab.store.currentRv();
    const e = apiError(() => enableWorkloadManagement(vc(), spec));
    expect(e.code).toBe(422);
    expect(e.message).toMatch(text);
    lab.settle();
    expect(lab.store.currentRv()).toBe(rv);
    expect(vc().list('supervisors').items).toEqual([]);
    expect(vc().list('virtualmachines').items).toEqual([]);
  };

  it('overlapping CIDRs', () =>
    refused(
      { ...nsxEnable(), egressCIDRs: ['192.168.30.128/25'] },
      /spec.egressCIDRs\[0\]: Invalid value: "192.168.30.128\/25": overlaps spec.ingressCIDRs\[0\]/,
    ));
  it('pod CIDR overlapping the service CIDR', () =>
    refused({ ...nsxEnable(), podCIDRs: ['10.96.0.0/16'] }, /overlaps spec.serviceCIDR/));
  it('NSX-T without an edge cluster', () =>
    refused(
      { ...nsxEnable(), edgeCluster: undefined },
      /spec.edgeCluster: Required value: an NSX-T Supervisor needs an NSX Edge cluster/,
    ));
  it('an edge cluster that does not exist', () =>
    refused({ ...nsxEnable(), edgeCluster: 'Edge-9' }, /Didn't find unique match for edge cluster "Edge-9"/));
  it('an unknown storage policy', () =>
    refused(
      { ...nsxEnable(), controlPlaneStoragePolicy: 'platinum' },
      /could not find a unique storage policy ID for query "platinum"/,
    ));
  it('a malformed CIDR', () =>
    refused(
      { ...nsxEnable(), ingressCIDRs: ['192.168.30.0/33'] },
      /invalid cidr "192.168.30.0\/33" supplied/,
    ));
  it('a management range that holds the gateway', () =>
    refused(
      {
        ...nsxEnable(),
        managementNetwork: { ...nsxEnable().managementNetwork, startingAddress: '192.168.10.1' },
      },
      /includes the gateway/,
    ));
  it('an unknown cluster', () => refused({ ...nsxEnable(), cluster: 'Nope' }, /cluster not found/));

  it('fewer than three connected hosts', () => {
    open();
    failHost(vc(), 'esxi-01.lab.local');
    failHost(vc(), 'esxi-02.lab.local');
    lab.settle();
    const e = apiError(() => enableWorkloadManagement(vc(), nsxEnable()));
    expect(e.message).toContain('the cluster has 2 connected host(s); a Supervisor needs at least 3');
    expect(vc().list('supervisors').items).toEqual([]);
  });

  it('a second enablement of the same cluster', () => {
    open();
    enable(nsxEnable(), 1);
    expect(apiError(() => enableWorkloadManagement(vc(), nsxEnable())).code).toBe(409);
  });
});

describe('HA, DRS and faults under a running Supervisor', () => {
  it('moves the floating IP when its host fails, and HA restarts the VM elsewhere', () => {
    open();
    enable();
    const holder = supStatus().floatingIPVM!;
    const failedHost = hostOf(vc().get('virtualmachines', '', holder))!;
    failHost(vc(), failedHost);
    lab.advance(1000);
    expect(supStatus().floatingIPVM).not.toBe(holder);
    expect(running(vc().get('virtualmachines', '', supStatus().floatingIPVM!))).toBe(true);
    expect(vc().get('hostsystems', '', failedHost).status).toMatchObject({ state: 'failed' });
    expect(ready(adminClient(lab).get('nodes', '', failedHost))).toBe('Unknown');
    expect(supStatus().kubernetesStatus).toBe('WARNING');
    lab.advance(2 * MIN);
    const restarted = vc().get('virtualmachines', '', holder);
    expect(running(restarted)).toBe(true);
    expect(hostOf(restarted)).not.toBe(failedHost);
    expect(new Set(cpVms().map(hostOf)).size).toBe(3);
    expect(supStatus().kubernetesStatus).toBe('READY');
  });

  it('keeps anti-affinity best-effort with fewer than three healthy hosts, says so, and rebalances on recovery', () => {
    open();
    enable();
    const used = cpVms().map(hostOf) as string[];
    failHost(vc(), used[0]!);
    lab.advance(1000);
    const spare = topology(lab.world).hosts.find((h) => h.state === 'connected' && h.vms.length === 0)!.name;
    failHost(vc(), spare);
    lab.advance(3 * MIN);
    expect(cpVms().every(running)).toBe(true);
    expect(new Set(cpVms().map(hostOf)).size).toBe(2);
    const spread = supStatus().conditions!.find((c) => c.type === 'ControlPlaneVMsSpread')!;
    expect(spread).toMatchObject({
      status: 'False',
      message: 'anti-affinity is best-effort: 2 connected host(s) for 3 control-plane VMs',
    });
    expect(supStatus().kubernetesStatus).toBe('WARNING');
    recoverHost(vc(), spare);
    lab.advance(2 * MIN);
    expect(new Set(cpVms().map(hostOf)).size).toBe(3);
    expect(
      vc()
        .list('tasks')
        .items.some((t) => (t.spec as { description: string }).description === 'Migrate virtual machine'),
    ).toBe(true);
  });

  it('evacuates a host entering maintenance mode by vMotion, and takes it back on exit', () => {
    open();
    enable();
    const vm = cpVms()[0]!;
    const host = hostOf(vm)!;
    setMaintenanceMode(vc(), host, true);
    lab.settle();
    expect(vc().get('hostsystems', '', host).status).toMatchObject({ state: 'entering-maintenance' });
    expect(
      (vc().get('virtualmachines', '', vm.metadata.name!).status as { migration?: { to: string } }).migration
        ?.to,
    ).toBeDefined();
    lab.advance(MIN);
    expect(vc().get('hostsystems', '', host).status).toMatchObject({ state: 'maintenance' });
    expect(hostOf(vc().get('virtualmachines', '', vm.metadata.name!))).not.toBe(host);
    expect(running(vc().get('virtualmachines', '', vm.metadata.name!))).toBe(true);
    const tasks = vc()
      .list('tasks')
      .items.filter((t) => (t.spec as { entity: string }).entity === vm.metadata.name);
    expect(tasks.map((t) => (t.status as { state: string }).state)).toEqual(['success']);
    expect((adminClient(lab).get('nodes', '', host).spec as { unschedulable?: boolean }).unschedulable).toBe(
      true,
    );
    setMaintenanceMode(vc(), host, false);
    lab.advance(MIN);
    expect(vc().get('hostsystems', '', host).status).toMatchObject({ state: 'connected' });
  });

  it('explains each DRS placement with the score every host got', () => {
    open();
    enable();
    const lines = explain(lab.world, 'vm', 'SupervisorControlPlaneVM (2)');
    expect(lines[1]).toMatch(
      /^DRS placement at .*: esxi-0\d\.lab\.local — highest score \(\d+(\.\d)?\) among \d feasible hosts$/,
    );
    expect(lines.filter((l) => /^\s+esxi-0\d\.lab\.local/.test(l))).toHaveLength(4);
    expect(
      lines.some((l) => l.includes('already runs 1 VM(s) of supervisor-control-plane/Workload-Cluster')),
    ).toBe(true);
  });

  it('removes everything on disable', () => {
    open();
    enable();
    disableWorkloadManagement(vc(), 'Workload-Cluster');
    lab.settle();
    expect(supStatus().configStatus).toBe('REMOVING');
    lab.advance(5 * MIN);
    expect(vc().list('supervisors').items).toEqual([]);
    expect(vc().list('virtualmachines').items).toEqual([]);
    expect(
      vc()
        .list('resourcepools')
        .items.map((p) => p.metadata.name),
    ).toEqual(['Resources (Workload-Cluster)']);
    expect(nodes()).toEqual([]);
    expect(
      topology(lab.world).hosts.every((h) => !h.spherelet && h.vms.length === 0 && h.cpuMHz.used === 0),
    ).toBe(true);
  });
});
