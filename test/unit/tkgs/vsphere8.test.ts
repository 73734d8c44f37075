import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import { readScenario } from '../../../main/sim/vcenter/scenario';
import { shippedScenarios } from '../../../main/host/scenarios';
import { newLab } from '../../helpers/lab';
import { runningSupervisor } from '../../helpers/scenario';

let lab: Lab | undefined;
afterEach(() => lab?.close());

describe('the vsphere8 scenario', () => {
  it('runs a vSphere 8 Supervisor: its Kubernetes is v1.26, and the TKrs that need vSphere 8 are compatible', async () => {
    lab = newLab({
      scenario: readScenario(
        fileURLToPath(new URL('../../../resources/scenarios/vsphere8.yaml', import.meta.url)),
      ),
    });
    runningSupervisor(lab);
    lab.advance(60_000);
    const session = createShell(lab, { write: () => {}, terminal: false });
    const run = async (line: string) => {
      await session.runScript(`${line} > /out.txt 2> /err.txt`);
      return session.workspace.read('/out.txt');
    };
    expect(await run('kubectl version')).toMatch(/\nServer Version: v1\.26\.4\+vmware\.wcp\.1\n$/);
    const tkrs = await run('kubectl get tkr --no-headers');
    expect(tkrs).toMatch(
      /^v1\.20\.12---vmware\.1-tkg\.1\.b9a42f3 +1\.20\.12\+vmware\.1-tkg\.1\.b9a42f3 +False +False /m,
    );
    expect(tkrs).toMatch(
      /^v1\.25\.7---vmware\.3-fips\.1-tkg\.1 +1\.25\.7\+vmware\.3-fips\.1-tkg\.1 +True +True /m,
    );
    expect(tkrs).toMatch(
      /^v1\.26\.5---vmware\.2-fips\.1-tkg\.1 +1\.26\.5\+vmware\.2-fips\.1-tkg\.1 +True +True /m,
    );
    expect(shippedScenarios.list()).toContainEqual({
      name: 'vsphere8',
      title: 'vCenter 8.0 U2 with a four-host cluster (Workload Management not yet enabled)',
    });
  });
});
