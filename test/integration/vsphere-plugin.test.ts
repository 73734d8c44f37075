import { RBAC_MISTAKES } from '../helpers/tkc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Lab } from '../../main/sim/lab';
import { adminClient, newLab } from '../helpers/lab';
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

describe.skipIf(!haveKubectl)(
  'kubectl vsphere login to a Tanzu Kubernetes cluster from a real terminal',
  () => {
    let lab: Lab;
    let s: Served;
    let env: Record<string, string>;
    beforeAll(async () => {
      lab = newLab({ scenario: defaultScenario() });
      runningSupervisor(lab);
      vsphereNamespace(lab, 'demo', {
        access: [{ principal: 'devops@vsphere.local', role: 'edit' }],
        vmClasses: ['best-effort-small'],
      });
      const c = adminClient(lab);
      c.create({
        apiVersion: 'run.tanzu.vmware.com/v1alpha2',
        kind: 'TanzuKubernetesCluster',
        metadata: { name: 'tkc-01', namespace: 'demo' },
        spec: {
          topology: {
            controlPlane: {
              replicas: 1,
              vmClass: 'best-effort-small',
              storageClass: 'k8s-gold',
              tkr: { reference: { name: 'v1.21.6---vmware.1-tkg.1.b3d708a' } },
            },
            nodePools: [
              { name: 'workers', replicas: 1, vmClass: 'best-effort-small', storageClass: 'k8s-gold' },
            ],
          },
        },
      });
      for (let i = 0; i < 15; i++) lab.advance(60_000);
      s = await serveLab(lab);
      const fresh = join(s.dir, 'tkc-kubeconfig');
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

    it('writes a context for the guest cluster, where the real kubectl lists its nodes', async () => {
      const login = (name: string) =>
        s.kubectl(
          [
            'vsphere',
            'login',
            `--server=127.0.0.1:${s.endpoint.port}`,
            '--vsphere-username',
            'devops@vsphere.local',
            '--tanzu-kubernetes-cluster-name',
            name,
            '--tanzu-kubernetes-cluster-namespace',
            'demo',
            '--insecure-skip-tls-verify',
          ],
          { env },
        );
      const r = await login('tkc-01');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        'You have access to the following contexts:\n   127.0.0.1\n   demo\n   tkc-01\n\n',
      );
      const nodes = await s.kubectl(['--context', 'tkc-01', 'get', 'nodes', '--no-headers'], { env });
      expect(nodes.code).toBe(0);
      expect(
        nodes.stdout
          .trim()
          .split('\n')
          .map((l) => l.split(/ +/).slice(1, 3).join(' '))
          .sort(),
      ).toEqual(['Ready <none>', 'Ready control-plane,master']);
      const pods = await s.kubectl(
        ['--context', 'tkc-01', 'get', 'pods', '-n', 'kube-system', '-o', 'name'],
        { env },
      );
      expect(pods.stdout).toContain('pod/kube-apiserver-tkc-01-control-plane-');
      // the PodSecurityPolicy fix a learner types, as the real kubectl sends it
      const ctx = ['--context', 'tkc-01'];
      // the guest cluster runs its TKr's Kubernetes, not the Supervisor's
      const ver = await s.kubectl([...ctx, 'version', '-o', 'json'], { env });
      expect(
        (JSON.parse(ver.stdout) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion,
      ).toBe('v1.21.6+vmware.1');
      expect(
        await s.kubectl(
          [
            ...ctx,
            'create',
            'clusterrolebinding',
            'psp-all',
            '--clusterrole=psp:vmware-system-privileged',
            '--group=system:serviceaccounts',
          ],
          { env },
        ),
      ).toEqual({
        code: 0,
        stdout: 'clusterrolebinding.rbac.authorization.k8s.io/psp-all created\n',
        stderr: '',
      });
      const crb = await s.kubectl(
        [...ctx, 'get', 'clusterrolebinding', 'psp-all', '-o', 'wide', '--no-headers'],
        {
          env,
        },
      );
      expect(crb.stdout).toMatch(
        /^psp-all +ClusterRole\/psp:vmware-system-privileged +\d+[sm] {3,}system:serviceaccounts +\n$/,
      );
      for (const [args, stderr] of RBAC_MISTAKES) {
        const r = await s.kubectl([...ctx, ...args], { env });
        expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
        expect(r.stderr).toMatch(
          typeof stderr === 'string'
            ? new RegExp(`^${stderr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
            : stderr,
        );
      }
      expect((await s.kubectl([...ctx, 'get', 'psp', '-o', 'name'], { env })).stdout).toBe(
        'podsecuritypolicy.policy/vmware-system-privileged\npodsecuritypolicy.policy/vmware-system-restricted\n',
      );
      expect(await login('nope')).toMatchObject({
        code: 1,
        stderr:
          'Error: Unable to find a Tanzu Kubernetes cluster "nope" in vSphere Namespace "demo", or you have no access to it.\n',
      });
    });
  },
);
