import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Lab } from '../../main/sim/lab';
import { createShell } from '../../main/shell';
import { newLab } from '../helpers/lab';
import { haveKubectl, serveLab, type Served, warnSkipped } from '../helpers/kubectl';

warnSkipped('the differential kubectl config suite');

/** A kubeconfig as `kubectl vsphere login` leaves it, written by hand (keys unsorted, fields as people write them). */
const START = `apiVersion: v1
kind: Config
clusters:
- name: 192.168.20.129
  cluster:
    server: https://192.168.20.129:6443
    certificate-authority-data: AAAA
users:
- name: wcp:192.168.20.129:devops@vsphere.local
  user:
    token: abc
contexts:
- name: demo
  context:
    cluster: 192.168.20.129
    user: wcp:192.168.20.129:devops@vsphere.local
    namespace: demo
- name: 192.168.20.129
  context:
    cluster: 192.168.20.129
    user: wcp:192.168.20.129:devops@vsphere.local
current-context: demo
preferences: {}
`;

/** Run in order on the same file in both; each compares output, status and the file left behind. */
const steps = [
  'config view',
  'config view --minify',
  'config view --raw',
  'config view -o json',
  'config view --raw -o json --minify',
  'config view -o wide',
  'config view -o name',
  'config view -o jsonpath={.current-context}',
  'config view -o jsonpath={.contexts[*].name}',
  'config view --minify -o jsonpath={.clusters[0].cluster.server}',
  'config view -o jsonpath={.users[0].user.token}',
  'config view --raw -o jsonpath={.users[0].user.token}',
  'config view -o jsonpath={.contexts[?(@.name=="demo")].context.namespace}',
  'config view -o jsonpath={.nope',
  'config view --bogus',
  'config get-contexts',
  'config get-contexts demo',
  'config get-contexts nope',
  'config get-contexts a b',
  'config get-contexts -o name',
  'config get-contexts --no-headers',
  'config get-contexts -o json',
  'config current-context',
  'config use-context nope',
  'config use-context',
  'config use-context a b',
  'config use 192.168.20.129',
  'config current-context',
  'config set-context --current --namespace=web',
  'config set-context foo',
  'config set-context --current --namespace=a x',
  'config set-context',
  'config set-context foo --namespace=other --user=y',
  'config view --minify --context foo',
  'config get-clusters',
  'config get-users',
  'config rename-context nope x',
  'config rename-context foo bar',
  'config rename-context bar demo',
  'config set-cluster k --server=https://1.2.3.4:6443',
  'config set-cluster k --insecure-skip-tls-verify',
  'config set-credentials u --token=xyz',
  // (get-clusters and get-users with several entries are left out: kubectl prints them in Go's random map order)
  'config delete-context demo',
  'config delete-context demo',
  'config delete-context 192.168.20.129',
  'config current-context',
  'config set-context --current --namespace=x',
  'config delete-cluster nope',
  'config delete-user nope',
  'config delete-user u',
  'config delete-cluster k',
  'config view',
  'config',
  'config bogus',
];

describe.skipIf(!haveKubectl)('kubectl config in the lab shell equals the real kubectl', () => {
  let lab: Lab;
  let s: Served;
  let file: string;
  beforeAll(async () => {
    lab = newLab();
    s = await serveLab(lab);
    file = `${s.dir}/cfg`;
    writeFileSync(file, START);
  });
  afterAll(async () => {
    await s?.close();
    lab?.close();
  });

  it('prints the same and leaves the same file, step by step', async () => {
    let stdout = '';
    const session = createShell(lab, { write: (d) => (stdout += d), terminal: false });
    // the same path in the workspace, so the messages that name the file agree
    await session.runScript(`mkdir -p ${s.dir}; export KUBECONFIG=${file}`);
    session.workspace.write(file, START);
    for (const step of steps) {
      const argv = step.split(' ');
      const real = await s.kubectl(argv, { env: { KUBECONFIG: file } });
      stdout = '';
      await session.runScript(`kubectl ${argv.map((a) => `'${a}'`).join(' ')} 2> /stderr.txt`);
      const ours = { step, code: session.lastStatus, stdout, stderr: session.workspace.read('/stderr.txt') };
      expect(ours).toEqual({ step, code: real.code, stdout: real.stdout, stderr: real.stderr });
      expect({ step, file: session.workspace.read(file) }).toEqual({
        step,
        file: readFileSync(file, 'utf8'),
      });
    }
  });

  it('refuses a context or kubeconfig that is not there, as kubectl does', async () => {
    writeFileSync(file, START);
    const cases = [
      ['get', 'pods', '--context', 'nope'],
      ['get', 'pods', '--context=ghost', '-n', 'x'],
      ['--kubeconfig', '/nonexistent/cfg', 'get', 'pods'],
      ['--kubeconfig=/nonexistent/cfg', 'config', 'get-contexts'],
      ['get', 'pods', '--context'],
    ];
    for (const argv of cases) {
      const real = await s.kubectl(argv, { env: { KUBECONFIG: file } });
      let stdout = '';
      const session = createShell(lab, { write: (d) => (stdout += d), terminal: false });
      session.workspace.mkdir(s.dir, true);
      session.workspace.write(file, START);
      await session.runScript(
        `KUBECONFIG=${file}; export KUBECONFIG; kubectl ${argv.join(' ')} 2> /stderr.txt`,
      );
      expect({
        argv,
        code: session.lastStatus,
        stdout,
        stderr: session.workspace.read('/stderr.txt'),
      }).toEqual({
        argv,
        code: real.code,
        stdout: real.stdout,
        stderr: real.stderr,
      });
    }
  });
});
