import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import {
  enableWorkloadManagement,
  failHost,
  recoverHost,
  setMaintenanceMode,
} from '../../../main/sim/vcenter/operations';
import { adminClient, newLab } from '../../helpers/lab';
import { apiError } from '../../helpers/requests';
import { defaultScenario, nsxEnable } from '../../helpers/scenario';

let lab: Lab;
afterEach(() => lab?.close());
const MIN = 60_000;
const open = () => (lab = newLab({ scenario: defaultScenario() }));
const vc = () => lab.world.vc;
const st = (name: string) =>
  vc().get('virtualmachines', '', name).status as {
    phase?: string;
    host?: string;
    migration?: { to: string };
  };
const vm = (name: string, memoryMB = 4096): KubeObject => ({
  apiVersion: 'vcenter.lab/v1',
  kind: 'VirtualMachine',
  metadata: { name },
  spec: { cluster: 'Workload-Cluster', role: 'vm', numCPUs: 2, memoryMB, powerState: 'poweredOn' },
});
const hostUsedMB = (h: string) =>
  (vc().get('hostsystems', '', h).status as { memoryMB: { used: number } }).memoryMB.used;

describe('faults and their edges', () => {
  it('a VM crashed while still deploying is deployed again, not just powered on', () => {
    open();
    vc().create(vm('app'));
    lab.settle();
    failHost(vc(), st('app').host!);
    lab.advance(31_000);
    expect(st('app').phase).toBe('Deploying');
  });

  it('HA restarts on time even when the VM had a later timer pending', () => {
    open();
    vc().create(vm('app'));
    lab.settle();
    failHost(vc(), st('app').host!);
    lab.advance(31_000);
    expect(st('app').host).toBeDefined();
    expect(st('app').phase).not.toBe('Crashed');
  });

  it('with HA off, crashed VMs come back powered off when their host recovers, and power on again', () => {
    open();
    vc().patch('computeclusters', '', 'Workload-Cluster', 'merge', { spec: { ha: { enabled: false } } });
    vc().create(vm('app'));
    lab.advance(5 * MIN);
    const host = st('app').host!;
    failHost(vc(), host);
    lab.advance(10 * MIN);
    expect(st('app')).toMatchObject({ phase: 'Crashed', host });
    recoverHost(vc(), host);
    lab.advance(MIN);
    expect(st('app')).toMatchObject({ phase: 'PoweredOff', host });
    lab.advance(5 * MIN);
    expect(st('app').phase).toBe('PoweredOff');
    vc().patch('virtualmachines', '', 'app', 'merge', { spec: { powerState: 'poweredOn' } });
    lab.advance(MIN);
    expect(st('app').phase).toBe('Running');
  });

  it('HA leaves powered-off VMs alone', () => {
    open();
    vc().create(vm('app'));
    lab.advance(5 * MIN);
    vc().patch('virtualmachines', '', 'app', 'merge', { spec: { powerState: 'poweredOff' } });
    lab.settle();
    const host = st('app').host!;
    failHost(vc(), host);
    lab.advance(5 * MIN);
    expect(st('app')).toMatchObject({ phase: 'PoweredOff', host });
  });

  it('a vMotion in flight holds room on its destination', () => {
    open();
    vc().create(vm('big', 300 * 1024));
    lab.advance(5 * MIN);
    const source = st('big').host!;
    setMaintenanceMode(vc(), source, true);
    lab.settle();
    const to = st('big').migration!.to;
    expect(hostUsedMB(to)).toBe(300 * 1024);
    vc().create(vm('big2', 300 * 1024));
    lab.settle();
    expect(st('big2').host).not.toBe(to);
  });

  it('a VM that can never be placed does not switch load balancing off', () => {
    open();
    enableWorkloadManagement(vc(), nsxEnable());
    lab.advance(20 * MIN);
    vc().create(vm('too-big', 2 * 1024 * 1024));
    const cp = vc()
      .list('virtualmachines')
      .items.filter((v) => (v.spec as { role: string }).role === 'supervisor-control-plane');
    const used = cp.map((v) => (v.status as { host: string }).host);
    failHost(vc(), used[0]!);
    lab.advance(1000);
    const spare = vc()
      .list('hostsystems')
      .items.map((h) => h.metadata.name!)
      .find((h) => !used.includes(h))!;
    failHost(vc(), spare);
    lab.advance(3 * MIN);
    recoverHost(vc(), spare);
    lab.advance(2 * MIN);
    const hosts = vc()
      .list('virtualmachines')
      .items.filter((v) => (v.spec as { role: string }).role === 'supervisor-control-plane')
      .map((v) => (v.status as { host: string }).host);
    expect(new Set(hosts).size).toBe(3);
    expect(st('too-big').phase).toBe('Pending');
  });

  it('ends the vMotion task of a VM deleted mid-migration with an error', () => {
    open();
    vc().create(vm('app'));
    lab.advance(5 * MIN);
    setMaintenanceMode(vc(), st('app').host!, true);
    lab.settle();
    vc().delete('virtualmachines', '', 'app');
    lab.settle();
    const tasks = vc()
      .list('tasks')
      .items.filter((t) => (t.spec as { entity: string }).entity === 'app');
    expect(tasks.map((t) => t.status)).toEqual([
      expect.objectContaining({ state: 'error', error: 'The virtual machine was deleted' }),
    ]);
  });

  it('keeps a control-plane node, NotReady, while its VM waits for HA', () => {
    open();
    enableWorkloadManagement(vc(), nsxEnable());
    lab.advance(20 * MIN);
    const cp = vc().get('virtualmachines', '', 'SupervisorControlPlaneVM (1)');
    failHost(vc(), (cp.status as { host: string }).host);
    lab.advance(31_000);
    const nodeName = (cp.spec as { uuid: string }).uuid.replace(/-/g, '');
    const node = adminClient(lab).get('nodes', '', nodeName);
    expect((node.status as { conditions: { type: string; status: string }[] }).conditions[0]).toMatchObject({
      type: 'Ready',
      status: 'Unknown',
    });
  });

  it('refuses a second Supervisor in one lab', () => {
    const s = defaultScenario();
    s.clusters.push({
      ...s.clusters[0]!,
      name: 'Cluster-B',
      hosts: {
        ...s.clusters[0]!.hosts,
        namePattern: 'esxb-{nn}.lab.local',
        managementIPStart: '192.168.10.61',
      },
    });
    lab = newLab({ scenario: s });
    enableWorkloadManagement(vc(), nsxEnable());
    lab.settle();
    const e = apiError(() => enableWorkloadManagement(vc(), { ...nsxEnable(), cluster: 'Cluster-B' }));
    expect(e.message).toContain(
      'Workload Management is already enabled on "Workload-Cluster"; this lab runs one Supervisor at a time',
    );
  });
});
