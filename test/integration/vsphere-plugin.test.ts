import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Lab } from '../../main/sim/lab';
import { newLab } from '../helpers/lab';
import { haveKubectl, serveLab, type Served, warnSkipped } from '../helpers/kubectl';
import { defaultScenario, runningSupervisor, vsphereNamespace } from '../helpers/scenario';

warnSkipped('the kubectl vsphere plugin suite');

describe.skipIf(!haveKubectl)('kubectl vsphere login from a real terminal', () => {
  let lab: Lab;
  let s: Served;
  let env: Record<string, string>;
  beforeAll(async () => {
    lab = newLab({ scenario: defaultScenario() });
    runningSupervisor(lab);
    vsphereNamespace(lab, 'demo', { access: [{ principal: 'devops@vsphere.local', role: 'edit' }] });
    vsphereNamespace(lab, 'other');
    s = await serveLab(lab);
    const fresh = join(s.dir, 'user-kubeconfig');
    writeFileSync(fresh, '');
    env = {
      KUBECONFIG: fresh,
      PATH: `${resolve('resources')}:${process.env.PATH ?? ''}`,
      KUBECTL_VSPHERE_PASSWORD: 'VMware1!',
    };
  });
  afterAll(async () => {
    await s?.close();
    lab?.close();
  });

  const server = () => `--server=127.0.0.1:${s.endpoint.port}`;

  it('logs in with an SSO user and writes contexts for the server and the namespaces the user may use', async () => {
    const r = await s.kubectl(
      [
        'vsphere',
        'login',
        server(),
        '--vsphere-username',
        'devops@vsphere.local',
        '--insecure-skip-tls-verify',
      ],
      { env },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Logged in successfully.\n\nYou have access to the following contexts:\n   127.0.0.1\n   demo\n\n',
    );
    const ctx = await s.kubectl(['config', 'current-context'], { env });
    expect(ctx.stdout).toBe('demo\n');
    // the user sees only the namespaces they hold a role on, and works in them
    const ns = await s.kubectl(['get', 'ns', '-o', 'name'], { env });
    expect(ns.stdout).toBe('namespace/demo\n');
    expect(await s.kubectl(['get', 'pods'], { env })).toMatchObject({
      code: 0,
      stderr: 'No resources found in demo namespace.\n',
    });
    expect(await s.kubectl(['get', 'pods', '-n', 'other'], { env })).toMatchObject({
      code: 1,
      stderr:
        'Error from server (Forbidden): pods is forbidden: User "sso:devops@vsphere.local" cannot list resource "pods" in API group "" in the namespace "other"\n',
    });
    const users = await s.kubectl(['config', 'view', '-o', 'jsonpath={.users[*].name}'], { env });
    expect(users.stdout).toBe('wcp:127.0.0.1:devops@vsphere.local');
    // the token lives only in the user's kubeconfig, readable by the user alone
    expect(statSync(env.KUBECONFIG!).mode & 0o777).toBe(0o600);
  });

  it('refuses a wrong password with a non-zero exit', async () => {
    const r = await s.kubectl(
      [
        'vsphere',
        'login',
        server(),
        '--vsphere-username',
        'devops@vsphere.local',
        '--insecure-skip-tls-verify',
      ],
      {
        env: { ...env, KUBECTL_VSPHERE_PASSWORD: 'wrong' },
      },
    );
    expect(r).toMatchObject({
      code: 1,
      stderr: 'Error: Login failed: the username or password is incorrect.\n',
    });
  });

  it('refuses an unverified certificate unless told to skip the check', async () => {
    const r = await s.kubectl(['vsphere', 'login', server(), '--vsphere-username', 'devops@vsphere.local'], {
      env,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('x509: certificate signed by unknown authority');
  });

  it('logs out, removing the vSphere credentials', async () => {
    const r = await s.kubectl(['vsphere', 'logout'], { env });
    expect(r.stdout).toBe('Your KUBECONFIG context has been cleared of vSphere credentials.\n');
    const users = await s.kubectl(['config', 'view', '-o', 'jsonpath={.users[*].name}'], { env });
    expect(users.stdout).toBe('');
  });
});
