import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import { shippedScenarios } from '../../../main/host/scenarios';
import { newLab } from '../../helpers/lab';
import { defaultScenario } from '../../helpers/scenario';
import { Screen } from '../../helpers/screen';

let lab: Lab;
afterEach(() => lab?.close());

/** A terminal on the default lab: keys in, the screen a learner would read out. */
function terminal() {
  lab = newLab({ scenario: defaultScenario() });
  const screen = new Screen(100, 300);
  const writes: Promise<void>[] = [];
  const session = createShell(lab, {
    write: (d) => writes.push(screen.write(d)),
    columns: 100,
    scenarios: shippedScenarios,
  });
  session.start();
  return {
    screen,
    type: async (keys: string) => {
      session.feed(keys);
      await session.idle();
      await Promise.all(writes);
    },
  };
}

const PROMPT = 'administrator@vsphere.local (127.0.0.1) ~ $';

describe('each command family on a terminal, errors included', () => {
  it('govc: output, and its errors with a non-zero status', async () => {
    const { screen, type } = terminal();
    await type('govc ls /Datacenter/host/Workload-Cluster\r');
    await type('govc host.info -host esxi-09.lab.local; echo status=$?\r');
    await type('govc frobnicate; echo status=$?\r');
    const lines = screen.lines();
    expect(lines).toContain('/Datacenter/host/Workload-Cluster/esxi-01.lab.local');
    expect(lines).toContain('/Datacenter/host/Workload-Cluster/Resources');
    expect(lines.join('\n')).toMatch(/govc: host 'esxi-09\.lab\.local' not found\nstatus=1/);
    // govc answers an unknown command with its usage and the commands it has
    expect(lines.join('\n')).toMatch(
      /\$ govc frobnicate; echo status=\$\?\nUsage: govc <COMMAND>[^]*\n {2}vm\.info\n(?: {2}\S+\n)*status=1/,
    );
    expect(lines.at(-1)).toBe(PROMPT);
  });

  it('lab: snapshots, reset and faults, and a bad subcommand', async () => {
    const { screen, type } = terminal();
    await type('lab snapshot save clean\r');
    await type('lab host fail esxi-03.lab.local\r');
    await type('lab snapshot restore clean > /dev/null && lab status | grep esxi-03\r');
    await type('lab frobnicate; echo status=$?\r');
    const text = screen.lines().join('\n');
    expect(text).toMatch(/snapshot clean saved: \d+ objects at lab time 2026-01-05T09:00:00Z/);
    expect(text).toContain('host esxi-03.lab.local failed');
    expect(text).toMatch(/g\nrep esxi-03\nesxi-03\.lab\.local +connected/);
    expect(text).toMatch(/lab: unknown command "frobnicate"[^]*status=1/);
  });

  it('kubectl: NotFound, an unknown type, invalid YAML with line and column, a bad flag and Forbidden', async () => {
    const { screen, type } = terminal();
    await type('kubectl get pod nope\r');
    await type('kubectl get widgets\r');
    await type("printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: [x\\n' > bad.yaml\r");
    await type('kubectl apply -f bad.yaml; echo status=$?\r');
    await type('kubectl get pods --bogus; echo status=$?\r');
    await type('kubectl create namespace mine; echo status=$?\r');
    const text = screen.lines().join('\n');
    expect(text).toContain('Error from server (NotFound): pods "nope" not found');
    expect(text).toContain('error: the server doesn\'t have a resource type "widgets"');
    // (the YAML reader is not go-yaml: the wording differs from kubectl's, the place is given as line and column)
    expect(text).toMatch(
      /error: error parsing bad\.yaml: error converting YAML to JSON: yaml: line 5, column 1: Flow sequence\nin block collection[^\n]*\nstatus=1/,
    );
    expect(text).toMatch(/Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage\.\nstatus=1/);
    // the Supervisor refuses namespaces from kubectl, even to the vSphere administrator
    expect(text).toContain(
      'Error from server (Forbidden): namespaces is forbidden: User "sso:administrator@vsphere.local" canno\nt create resource "namespaces" in API group "" at the cluster scope\nstatus=1',
    );
  });
});
