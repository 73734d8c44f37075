import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import { adminClient, newLab, pod } from '../../helpers/lab';
import { defaultScenario, runningSupervisor, vsphereNamespace } from '../../helpers/scenario';
import { Screen } from '../../helpers/screen';

let lab: Lab;
afterEach(() => lab?.close());

async function shell() {
  lab = newLab({ scenario: defaultScenario() });
  const c = adminClient(lab);
  for (const n of ['web-1', 'web-2', 'db-1']) c.create(pod(n));
  const screen = new Screen(120, 20);
  const writes: Promise<void>[] = [];
  const session = createShell(lab, { write: (d) => writes.push(screen.write(d)) });
  session.start();
  session.workspace.write('/notes.txt', 'x');
  const type = async (keys: string) => {
    session.feed(keys);
    await session.idle();
    await Promise.all(writes);
  };
  return { session, screen, type };
}

describe('Tab completion', () => {
  it('completes commands, kubectl subcommands, resource types and live object names', async () => {
    const { session, type } = await shell();
    await type('kubec\t');
    expect(session.editor.line).toBe('kubectl ');
    await type('ge\t');
    expect(session.editor.line).toBe('kubectl get ');
    await type('pod\t');
    expect(session.editor.line).toBe('kubectl get pods ');
    await type('d\t');
    expect(session.editor.line).toBe('kubectl get pods db-1 ');
  });

  it('completes namespaces after -n, and names in the namespace -n gives, before or after the subcommand', async () => {
    const { session, type } = await shell();
    const c = adminClient(lab);
    c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
    c.create(pod('dns-check', 'demo'));
    await type('kubectl -n dem\t');
    expect(session.editor.line).toBe('kubectl -n demo ');
    await type('get po\t');
    expect(session.editor.line).toBe('kubectl -n demo get pods ');
    await type('d\t');
    expect(session.editor.line).toBe('kubectl -n demo get pods dns-check ');
  });

  it('extends to the common prefix, and lists the candidates on a second Tab', async () => {
    const { session, screen, type } = await shell();
    await type('k get pods w\t');
    expect(session.editor.line).toBe('k get pods web-');
    await type('\t');
    await type('\t');
    const lines = screen.lines();
    expect(lines).toContain('web-1  web-2');
    expect(lines[lines.length - 1]).toBe('administrator@vsphere.local (127.0.0.1) ~ $ k get pods web-');
  });

  it('completes object names with the signed-in user’s rights, as kubectl’s own completion lists them', async () => {
    const { session, type } = await shell();
    runningSupervisor(lab);
    vsphereNamespace(lab, 'demo', { access: [{ principal: 'devops@vsphere.local', role: 'edit' }] });
    vsphereNamespace(lab, 'other');
    const c = adminClient(lab);
    c.create(pod('mine-1', 'demo'));
    c.create(pod('theirs-1', 'other'));
    session.env.set('KUBECTL_VSPHERE_PASSWORD', 'VMware1!');
    await session.runScript(
      'kubectl vsphere login --server=192.168.30.1 --vsphere-username devops@vsphere.local --insecure-skip-tls-verify > /dev/null',
    );
    await type('kubectl get pods mi\t');
    expect(session.editor.line).toBe('kubectl get pods mine-1 ');
    await type('\x15kubectl get pods -n other th\t');
    expect(session.editor.line).toBe('kubectl get pods -n other th');
  });

  it('completes flags, lab hosts and workspace files', async () => {
    const { session, type } = await shell();
    await type('kubectl get pods --show-l\t');
    expect(session.editor.line).toBe('kubectl get pods --show-labels ');
    await type('\x15lab host fail esxi-03\t');
    expect(session.editor.line).toBe('lab host fail esxi-03.lab.local ');
    await type('\x15cat no\t');
    expect(session.editor.line).toBe('cat notes.txt ');
  });
});
