import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import {
  compareVersions,
  tkrName,
  tkrOfImage,
  tkrVersion,
  updatesFor,
} from '../../../main/sim/tkgs/catalogue';
import { newLab } from '../../helpers/lab';
import { defaultScenario, runningSupervisor } from '../../helpers/scenario';

let lab: Lab;
afterEach(() => lab?.close());

async function shellOf(l: Lab) {
  const session = createShell(l, { write: () => {}, terminal: false });
  return async (line: string) => {
    await session.runScript(`${line} > /out.txt 2> /err.txt`);
    return {
      status: session.lastStatus,
      out: session.workspace.read('/out.txt'),
      err: session.workspace.read('/err.txt'),
    };
  };
}

describe('the TanzuKubernetesRelease catalogue', () => {
  it('lists a TKr per node image of the Supervisor’s library, compatible as vSphere 7.0 U3 allows', async () => {
    lab = newLab({ scenario: defaultScenario() });
    runningSupervisor(lab);
    const run = await shellOf(lab);
    const out = (await run('kubectl get tkr')).out.split('\n');
    expect(out[0]).toMatch(/^NAME +VERSION +READY +COMPATIBLE +CREATED +UPDATES AVAILABLE$/);
    const rows = out.slice(1, -1).map((l) => l.trim().split(/ +/));
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[5] ?? ''])).toEqual([
      [
        'v1.20.12---vmware.1-tkg.1.b9a42f3',
        '1.20.12+vmware.1-tkg.1.b9a42f3',
        'True',
        'True',
        '[1.21.6+vmware.1-tkg.1.b3d708a]',
      ],
      [
        'v1.21.2---vmware.1-tkg.1.ee25d55',
        '1.21.2+vmware.1-tkg.1.ee25d55',
        'True',
        'True',
        '[1.22.9+vmware.1-tkg.1.cc71bc8',
      ],
      [
        'v1.21.6---vmware.1-tkg.1.b3d708a',
        '1.21.6+vmware.1-tkg.1.b3d708a',
        'True',
        'True',
        '[1.22.9+vmware.1-tkg.1.cc71bc8]',
      ],
      [
        'v1.22.9---vmware.1-tkg.1.cc71bc8',
        '1.22.9+vmware.1-tkg.1.cc71bc8',
        'True',
        'True',
        '[1.23.8+vmware.3-tkg.1]',
      ],
      [
        'v1.23.8---vmware.3-tkg.1',
        '1.23.8+vmware.3-tkg.1',
        'True',
        'True',
        '[1.24.11+vmware.1-fips.1-tkg.1]',
      ],
      ['v1.24.11---vmware.1-fips.1-tkg.1', '1.24.11+vmware.1-fips.1-tkg.1', 'True', 'True', ''],
      ['v1.25.7---vmware.3-fips.1-tkg.1', '1.25.7+vmware.3-fips.1-tkg.1', 'False', 'False', ''],
      ['v1.26.5---vmware.2-fips.1-tkg.1', '1.26.5+vmware.2-fips.1-tkg.1', 'False', 'False', ''],
    ]);
    expect(out[2]).toContain('[1.22.9+vmware.1-tkg.1.cc71bc8 1.21.6+vmware.1-tkg.1.b3d708a]');
    // an incompatible release says so, and carries the label the real service gives it
    expect((await run('kubectl get tkr -l incompatible -o name')).out).toBe(
      'tanzukubernetesrelease.run.tanzu.vmware.com/v1.25.7---vmware.3-fips.1-tkg.1\ntanzukubernetesrelease.run.tanzu.vmware.com/v1.26.5---vmware.2-fips.1-tkg.1\n',
    );
    expect(
      (
        await run(
          `kubectl get tkr v1.26.5---vmware.2-fips.1-tkg.1 -o jsonpath='{.status.conditions[?(@.type=="Compatible")].message}'`,
        )
      ).out,
    ).toBe('incompatible');
    // each release points at its node image
    expect(
      (await run('kubectl get tkr v1.21.6---vmware.1-tkg.1.b3d708a -o jsonpath={.spec.nodeImageRef.name}'))
        .out,
    ).toBe('ob-18900476-photon-3-k8s-v1.21.6---vmware.1-tkg.1.b3d708a');
  });

  it('maps names and versions, and picks updates as the service does', () => {
    expect(tkrVersion('v1.21.6---vmware.1-tkg.1.b3d708a')).toBe('1.21.6+vmware.1-tkg.1.b3d708a');
    expect(tkrName('v1.21.6+vmware.1-tkg.1.b3d708a')).toBe('v1.21.6---vmware.1-tkg.1.b3d708a');
    expect(tkrOfImage('ob-20953521-tkgs-ova-photon-3-v1.23.8---vmware.3-tkg.1')).toBe(
      'v1.23.8---vmware.3-tkg.1',
    );
    expect(tkrOfImage('photon-4-haproxy')).toBeUndefined();
    expect(compareVersions('1.21.6+vmware.1-tkg.1', '1.21.6+vmware.2-tkg.1')).toBeLessThan(0);
    expect(compareVersions('1.21.10+vmware.1', '1.21.9+vmware.1')).toBeGreaterThan(0);
    const all = [
      { version: '1.21.2+vmware.1-tkg.1.ee25d55', compatible: true },
      { version: '1.21.6+vmware.1-tkg.1.b3d708a', compatible: true },
      { version: '1.22.9+vmware.1-tkg.1.cc71bc8', compatible: true },
      { version: '1.23.8+vmware.3-tkg.1', compatible: false },
    ];
    expect(updatesFor('1.21.2+vmware.1-tkg.1.ee25d55', all)).toEqual([
      '1.22.9+vmware.1-tkg.1.cc71bc8',
      '1.21.6+vmware.1-tkg.1.b3d708a',
    ]);
    expect(updatesFor('1.22.9+vmware.1-tkg.1.cc71bc8', all)).toEqual([]);
  });
});
