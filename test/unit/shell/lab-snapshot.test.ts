import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import type { WatchEvent } from '../../../main/api/types';
import { shippedScenarios } from '../../../main/host/scenarios';
import { adminClient, newLab } from '../../helpers/lab';
import { defaultScenario } from '../../helpers/scenario';

let lab: Lab;
afterEach(() => lab?.close());

function shell(l: Lab) {
  const session = createShell(l, { write: () => {}, terminal: false, scenarios: shippedScenarios });
  return async (line: string) => {
    await session.runScript(`${line} > /out.txt 2> /err.txt`);
    return {
      status: session.lastStatus,
      out: session.workspace.read('/out.txt'),
      err: session.workspace.read('/err.txt'),
    };
  };
}

const ENABLE =
  'govc namespace.cluster.enable -cluster Workload-Cluster -service-cidr 10.96.0.0/23 -pod-cidrs 10.244.0.0/20 ' +
  '-workload-network.ingress-cidrs 192.168.30.0/24 -workload-network.egress-cidrs 192.168.31.0/24 ' +
  '-workload-network.edge-cluster Edge-Cluster-1 -workload-network.switch DSwitch ' +
  '-mgmt-network.network "DVPG-Management Network" -mgmt-network.starting-address 192.168.10.100 ' +
  '-mgmt-network.subnet-mask 255.255.255.0 -mgmt-network.gateway 192.168.10.1 ' +
  '-control-plane-storage-policy k8s-gold -ephemeral-storage-policy k8s-gold -image-storage-policy k8s-gold';

describe('lab snapshot, reset and scenario', () => {
  it('puts the environment back as a snapshot held it, as ordinary watch events, and keeps lab time', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const run = shell(lab);
    expect((await run('kubectl create configmap keep --from-literal=a=1')).status).toBe(0);
    expect(await run('lab snapshot save before')).toMatchObject({
      status: 0,
      out: expect.stringMatching(/^snapshot before saved: \d+ objects at lab time 2026-01-05T09:00:00Z\n$/),
    });
    const rvAtSave = lab.store.currentRv();
    await run('kubectl create configmap extra --from-literal=a=1');
    await run('kubectl delete configmap keep');
    await run('lab host fail esxi-02.lab.local');
    await run('lab clock advance 5m');
    const events: WatchEvent[] = [];
    const w = adminClient(lab).watch(
      'configmaps',
      { namespace: 'default', resourceVersion: String(lab.store.currentRv()) },
      (e) => events.push(e),
    );
    const restored = await run('lab snapshot restore before');
    w.dispose();
    expect(restored.err).toBe('');
    expect(restored.status).toBe(0);
    expect(restored.out).toMatch(
      /^restored snapshot before \(saved at lab time 2026-01-05T09:00:00Z\): \d+ objects created, \d+ changed, \d+ deleted\n$/,
    );
    expect((await run('kubectl get cm -o name')).out).toBe('configmap/keep\n');
    expect((await run('lab status')).out).toMatch(/esxi-02\.lab\.local\s+connected/);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`).sort()).toEqual([
      'ADDED keep',
      'DELETED extra',
    ]);
    // resourceVersions only go forward, and lab time carried on
    expect(lab.store.currentRv()).toBeGreaterThan(rvAtSave);
    expect(lab.clock.nowMs()).toBe(Date.UTC(2026, 0, 5, 9, 5));
    // the login survived: sessions are not part of the environment
    expect((await run('kubectl get ns default -o name')).status).toBe(0);
  });

  it('lists and removes snapshots, and refuses what is not there', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const run = shell(lab);
    expect((await run('lab snapshot ls')).out).toBe('No snapshots. Save one with: lab snapshot save NAME\n');
    await run('lab snapshot save one');
    await run('lab clock advance 1h');
    await run('lab snapshot save two-2');
    const ls = (await run('lab snapshot ls')).out.split('\n');
    expect(ls[0]).toBe('NAME    LAB TIME               OBJECTS');
    expect(ls[1]).toMatch(/^one {5}2026-01-05T09:00:00Z {3}\d+$/);
    expect(ls[2]).toMatch(/^two-2 {3}2026-01-05T10:00:00Z {3}\d+$/);
    expect(await run('lab snapshot rm one')).toEqual({ status: 0, out: 'snapshot one removed\n', err: '' });
    expect(await run('lab snapshot restore one')).toEqual({
      status: 1,
      out: '',
      err: 'lab snapshot: no snapshot named "one" (see lab snapshot ls)\n',
    });
    expect((await run('lab snapshot save "bad name"')).err).toMatch(
      /^lab snapshot: "bad name" is not a snapshot name/,
    );
    expect((await run('lab snapshot save')).status).toBe(1);
  });

  it('keeps snapshots in the lab file across reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-snap-'));
    try {
      const path = join(dir, 'lab.db');
      const first = Lab.open({ path, seed: 'test-seed', scenario: defaultScenario() });
      await shell(first)(
        'kubectl create configmap saved --from-literal=a=1; lab snapshot save s1; kubectl delete configmap saved',
      );
      first.close();
      lab = Lab.open({ path, seed: 'test-seed' });
      const run = shell(lab);
      expect((await run('lab snapshot restore s1')).status).toBe(0);
      expect((await run('kubectl get cm saved -o name')).out).toBe('configmap/saved\n');
    } finally {
      lab?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resets to the scenario: Workload Management and everything it made are gone', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const run = shell(lab);
    expect((await run(ENABLE)).status).toBe(0);
    await run('lab clock advance 20m');
    expect((await run('lab status')).out).toMatch(/^Supervisor on Workload-Cluster: /);
    expect((await run('kubectl get nodes -o name')).out).not.toBe('');
    expect(await run('lab reset')).toMatchObject({
      status: 0,
      out: expect.stringMatching(/^reset to scenario default: /),
    });
    expect((await run('lab status')).out).toMatch(/^Workload Management is not enabled\n/);
    expect((await run('govc ls /Datacenter/vm')).out).not.toMatch(/SupervisorControlPlaneVM/);
    expect((await run('kubectl get nodes')).err).toBe('No resources found\n');
  });

  it('lists the shipped scenarios and refuses an unknown one', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const run = shell(lab);
    expect((await run('lab scenario ls')).out).toMatch(
      /^ {2}NAME {7}TITLE\n\* default {4}vCenter 7\.0 U3.*\n {2}vsphere8 {3}vCenter 8\.0 U2/,
    );
    expect(await run('lab scenario load nope')).toEqual({
      status: 1,
      out: '',
      err: 'lab scenario: no scenario named "nope" (see lab scenario ls)\n',
    });
    expect(await run('lab scenario load ../../etc/passwd')).toMatchObject({ status: 1 });
    expect((await run('lab scenario load default')).out).toMatch(/^loaded scenario default: /);
  });

  it('sets the clock speed, refusing what it cannot do', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const run = shell(lab);
    expect(await run('lab clock speed 10')).toEqual({
      status: 1,
      out: '',
      err: 'lab clock speed: this lab has no wall clock to follow; it runs stepped only\n',
    });
    expect((await run('lab clock speed fast')).err).toMatch(
      /^lab clock speed: fast is not stepped, realtime or a factor/,
    );
    expect(await run('lab clock speed stepped')).toMatchObject({ status: 0 });
    const walled = Lab.open({ path: ':memory:', seed: 's', wall: () => 0 });
    try {
      const r = shell(walled);
      expect(await r('lab clock speed 10')).toEqual({
        status: 0,
        out: 'lab time now runs at 10× real time\n',
        err: '',
      });
      expect((await r('lab clock')).out).toMatch(/\(10× real time\)/);
    } finally {
      walled.close();
    }
  });
});
