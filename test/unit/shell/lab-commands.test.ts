import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import { enableWorkloadManagement } from '../../../main/sim/vcenter/operations';
import { newLab } from '../../helpers/lab';
import { defaultScenario, nsxEnable } from '../../helpers/scenario';

let lab: Lab;
afterEach(() => lab?.close());

/** Runs a script as `npm run lab -- shell -c` does; returns what it printed and its status. */
async function run(script: string): Promise<{ out: string; status: number }> {
  let out = '';
  const session = createShell(lab, { write: (d) => (out += d), terminal: false });
  const status = await session.runScript(script);
  return { out, status };
}

describe('lab commands in the shell', () => {
  it('steps the clock with sleep and lab clock advance', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const r = await run(
      'lab clock; sleep 90s; lab clock advance 1h30m; lab clock advance soon; echo $?; sleep 100000d; lab clock advance 31d; lab clock',
    );
    expect(r.out).toBe(
      '2026-01-05T09:00:00.000Z (stepped)\n2026-01-05T10:31:30.000Z\nlab clock advance: invalid duration "soon" (examples: 90s, 5m, 1h30m)\n1\n' +
        'sleep: 100000d is more than the 30d the stepped lab clock advances at once\n' +
        'lab clock advance: 31d is more than the 30d the lab clock steps at once\n2026-01-05T10:31:30.000Z (stepped)\n',
    );
  });

  it('fails and recovers hosts, and explains the Supervisor, through the commands', async () => {
    lab = newLab({ scenario: defaultScenario() });
    enableWorkloadManagement(lab.world.vc, nsxEnable());
    const r = await run(
      'sleep 20m; lab status | head -n 1; lab topology -o json > topo.json; grep -c \'"floatingIP": true\' topo.json; lab explain supervisor Workload-Cluster | head -n 2',
    );
    expect(r.out).toBe(
      'Supervisor on Workload-Cluster: RUNNING, API 192.168.30.1, network NSX-T\n1\nSupervisor on Workload-Cluster: RUNNING / READY\n  API endpoint 192.168.30.1, floating IP 192.168.10.103 on SupervisorControlPlaneVM (1)\n',
    );
    const f = await run(
      'lab host fail esxi-01.lab.local; sleep 5s; lab explain supervisor x | head -n 2 | tail -n 1',
    );
    expect(f.out).toBe(
      'host esxi-01.lab.local failed\n  API endpoint 192.168.30.1, floating IP 192.168.10.103 on SupervisorControlPlaneVM (2)\n',
    );
    const bad = await run('lab host fail esxi-99.lab.local');
    expect(bad).toEqual({ out: 'Error: hostsystems.vcenter.lab "esxi-99.lab.local" not found\n', status: 1 });
  });

  it('prints the same output for the same script every run', async () => {
    const script = 'sleep 1m; lab topology -o json | grep -c esxi; lab clock';
    lab = newLab({ scenario: defaultScenario() });
    const a = await run(script);
    lab.close();
    lab = newLab({ scenario: defaultScenario() });
    expect(await run(script)).toEqual(a);
    expect(a.out).toBe('4\n2026-01-05T09:01:00.000Z (stepped)\n');
  });
});
