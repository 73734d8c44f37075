import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../../main/sim/lab';
import { newLab } from '../helpers/lab';
import { haveKubectl, serveLab, type Served, warnSkipped } from '../helpers/kubectl';
import { defaultScenario, runningSupervisor } from '../helpers/scenario';

warnSkipped('the real-kubectl endpoint suite');

describe.skipIf(!haveKubectl)('the real kubectl against the lab endpoint', () => {
  let lab: Lab;
  let s: Served;
  beforeAll(async () => {
    lab = newLab({ scenario: defaultScenario() });
    s = await serveLab(lab);
  });
  afterAll(async () => {
    await s?.close();
    lab?.close();
  });

  it('talks TLS with the lab CA and reports the Supervisor version', async () => {
    const r = await s.kubectl(['version', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).serverVersion.gitVersion).toBe('v1.21.0+vmware.wcp.2');
  });

  it('creates, lists in every output format, and prints kubectl’s columns', async () => {
    expect((await s.kubectl(['run', 'web', '--image=nginx:1.25', '--labels=app=web'])).stdout).toBe(
      'pod/web created\n',
    );
    const table = await s.kubectl(['get', 'pods']);
    expect(table.stdout).toBe(
      'NAME   READY   STATUS    RESTARTS   AGE\nweb    0/1     Pending   0          0s\n',
    );
    const wide = await s.kubectl(['get', 'pods', '-o', 'wide']);
    expect(wide.stdout.split('\n')[0]).toBe(
      'NAME   READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES',
    );
    expect((await s.kubectl(['get', 'pods', '-o', 'name'])).stdout).toBe('pod/web\n');
    expect(
      (await s.kubectl(['get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image}'])).stdout,
    ).toBe('nginx:1.25');
    expect(JSON.parse((await s.kubectl(['get', 'pod', 'web', '-o', 'json'])).stdout).metadata.labels).toEqual(
      { app: 'web' },
    );
    expect((await s.kubectl(['get', 'pod', 'web', '-o', 'yaml'])).stdout).toContain(
      '  restartPolicy: Always\n',
    );
    expect(
      (await s.kubectl(['get', 'pods', '-o', 'custom-columns=N:.metadata.name,P:.status.phase'])).stdout,
    ).toBe('N     P\nweb   Pending\n');
    expect((await s.kubectl(['get', 'pods', '--show-labels', '--no-headers'])).stdout).toMatch(
      /^web\s+0\/1\s+Pending\s+0\s+0s\s+app=web\n$/,
    );
    expect((await s.kubectl(['get', 'pods', '-l', 'app=db'])).stderr).toBe(
      'No resources found in default namespace.\n',
    );
  });

  it('prints the API server’s errors as kubectl does, with a non-zero exit', async () => {
    const missing = await s.kubectl(['get', 'pod', 'nope']);
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): pods "nope" not found\n',
    });
    const unknown = await s.kubectl(['get', 'widgets']);
    expect(unknown).toMatchObject({
      code: 1,
      stderr: 'error: the server doesn\'t have a resource type "widgets"\n',
    });
    const dup = await s.kubectl(['create', 'namespace', 'default']);
    expect(dup.code).toBe(1);
    const invalid = await s.kubectl(['run', 'Bad_Name', '--image=nginx']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(
      'The Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain',
    );
  });

  it('applies client-side (create, unchanged, configured) and patches, labels, annotates, deletes', async () => {
    const file = join(s.dir, 'cm.yaml');
    const manifest = (color: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: ${color}\n`;
    writeFileSync(file, manifest('blue'));
    expect((await s.kubectl(['apply', '-f', file])).stdout).toBe('configmap/settings created\n');
    expect((await s.kubectl(['apply', '-f', file])).stdout).toBe('configmap/settings unchanged\n');
    writeFileSync(file, manifest('green'));
    expect((await s.kubectl(['apply', '-f', file])).stdout).toBe('configmap/settings configured\n');
    expect((await s.kubectl(['apply', '-f', '-'], { stdin: manifest('red') })).stdout).toBe(
      'configmap/settings configured\n',
    );
    expect(
      (await s.kubectl(['patch', 'configmap', 'settings', '--type=merge', '-p', '{"data":{"size":"L"}}']))
        .stdout,
    ).toBe('configmap/settings patched\n');
    expect(
      (
        await s.kubectl([
          'patch',
          'configmap',
          'settings',
          '--type=json',
          '-p',
          '[{"op":"remove","path":"/data/size"}]',
        ])
      ).stdout,
    ).toBe('configmap/settings patched\n');
    expect((await s.kubectl(['label', 'configmap', 'settings', 'team=a'])).stdout).toBe(
      'configmap/settings labeled\n',
    );
    expect((await s.kubectl(['annotate', 'configmap', 'settings', 'note=x'])).stdout).toBe(
      'configmap/settings annotated\n',
    );
    const cm = JSON.parse((await s.kubectl(['get', 'cm', 'settings', '-o', 'json'])).stdout);
    expect(cm.data).toEqual({ color: 'red' });
    expect(cm.metadata.labels).toEqual({ team: 'a' });
    expect(cm.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"red"');
    expect((await s.kubectl(['delete', 'configmap', 'settings'])).stdout).toBe(
      'configmap "settings" deleted\n',
    );
  });

  it('refuses unknown fields server-side (kubectl’s default strict validation)', async () => {
    const r = await s.kubectl(['apply', '-f', '-'], {
      stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ncolour: blue\n',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown field "colour"');
  });

  it('describes, explains and lists API resources from the registry', async () => {
    const d = await s.kubectl(['describe', 'pod', 'web']);
    expect(d.stdout).toMatch(/^Name:\s+web\nNamespace:\s+default\n/);
    expect(d.stdout).toMatch(/Status:\s+Pending/);
    const e = await s.kubectl(['explain', 'pod.spec.restartPolicy']);
    expect(e.stdout).toContain('FIELD: restartPolicy <string>');
    expect(e.stdout).toContain('Restart policy for all containers within the pod.');
    const ar = await s.kubectl(['api-resources', '--no-headers']);
    expect(ar.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(ar.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(ar.stdout).not.toContain('HostSystem');
  });

  it('lists the Supervisor’s nodes once Workload Management runs', async () => {
    runningSupervisor(lab);
    const r = await s.kubectl(['get', 'nodes', '--no-headers']);
    const rows = r.stdout.trim().split('\n');
    expect(rows).toHaveLength(7);
    expect(
      rows.filter((l) =>
        /^42[0-9a-f]{30}\s+Ready\s+control-plane,master\s+\S+\s+v1\.21\.0\+vmware\.wcp\.2$/.test(l),
      ),
    ).toHaveLength(3);
    expect(
      rows.filter((l) => /^esxi-0\d\.lab\.local\s+Ready\s+agent\s+\S+\s+v1\.21\.0-sph-/.test(l)),
    ).toHaveLength(4);
  });

  it('waits on a condition through a watch', async () => {
    const r = await s.kubectl(['wait', '--for=jsonpath={.status.phase}=Pending', 'pod/web', '--timeout=10s']);
    expect(r).toMatchObject({ code: 0, stdout: 'pod/web condition met\n' });
  });

  it('scales through the scale subresource, edits with $EDITOR, and applies server-side', async () => {
    const deploy =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: web, image: nginx}]\n';
    expect((await s.kubectl(['apply', '-f', '-'], { stdin: deploy })).stdout).toBe(
      'deployment.apps/web created\n',
    );
    expect((await s.kubectl(['scale', 'deployment', 'web', '--replicas=4'])).stdout).toBe(
      'deployment.apps/web scaled\n',
    );
    expect((await s.kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('4');
    const editor = join(s.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/replicas: 4/replicas: 2/" "$1"\n', { mode: 0o755 });
    expect((await s.kubectl(['edit', 'deployment', 'web'], { env: { EDITOR: editor } })).stdout).toBe(
      'deployment.apps/web edited\n',
    );
    expect((await s.kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('2');
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "1"\n';
    expect((await s.kubectl(['apply', '--server-side', '-f', '-'], { stdin: cm })).stdout).toBe(
      'configmap/ssa serverside-applied\n',
    );
    expect(
      (await s.kubectl(['apply', '--server-side', '-f', '-'], { stdin: cm.replace('"1"', '"2"') })).stdout,
    ).toBe('configmap/ssa serverside-applied\n');
    expect((await s.kubectl(['get', 'cm', 'ssa', '-o', 'jsonpath={.data.a}'])).stdout).toBe('2');
  });

  it('answers logs of a container that has not started as the API server does, and refuses exec', async () => {
    const logs = await s.kubectl(['logs', 'web']);
    expect(logs).toMatchObject({
      code: 1,
      stderr:
        'Error from server (BadRequest): container "web" in pod "web" is waiting to start: ContainerCreating\n',
    });
    const exec = await s.kubectl(['exec', 'web', '--', 'ls']);
    expect(exec.code).toBe(1);
    expect(exec.stderr).toContain('not supported in this lab');
  });

  it('takes the protobuf bodies of kubectl’s typed commands (create deployment, namespace, configmap, secret)', async () => {
    expect(
      (await s.kubectl(['create', 'deployment', 'api', '--image=nginx:1.25', '--replicas=3', '--port=80']))
        .stdout,
    ).toBe('deployment.apps/api created\n');
    const d = JSON.parse((await s.kubectl(['get', 'deploy', 'api', '-o', 'json'])).stdout);
    expect(d.spec).toMatchObject({
      replicas: 3,
      selector: { matchLabels: { app: 'api' } },
      strategy: { type: 'RollingUpdate' },
    });
    expect(d.spec.template.spec).toMatchObject({
      restartPolicy: 'Always',
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          imagePullPolicy: 'IfNotPresent',
        },
      ],
    });
    expect(d.spec.template.metadata.creationTimestamp).toBeUndefined();
    expect((await s.kubectl(['create', 'deployment', 'idle', '--image=nginx', '--replicas=0'])).code).toBe(0);
    expect((await s.kubectl(['get', 'deploy', 'idle', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('0');
    // a namespace comes from vCenter, never from kubectl: the Supervisor refuses it, even to the administrator
    expect(await s.kubectl(['create', 'namespace', 'team-a'])).toMatchObject({
      code: 1,
      stderr:
        'Error from server (Forbidden): namespaces is forbidden: User "sso:administrator@vsphere.local" cannot create resource "namespaces" in API group "" at the cluster scope\n',
    });
    expect(
      (await s.kubectl(['create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=two'])).stdout,
    ).toBe('configmap/cfg created\n');
    expect((await s.kubectl(['get', 'cm', 'cfg', '-o', 'jsonpath={.data}'])).stdout).toBe(
      '{"a":"1","b":"two"}',
    );
    expect(
      (await s.kubectl(['create', 'secret', 'generic', 's1', '--from-literal=password=VMware1!'])).stdout,
    ).toBe('secret/s1 created\n');
    const secret = (await s.kubectl(['get', 'secret', 's1', '-o', 'jsonpath={.data.password}'])).stdout;
    expect(Buffer.from(secret, 'base64').toString()).toBe('VMware1!');
    const dup = await s.kubectl(['create', 'configmap', 'cfg', '--from-literal=a=1']);
    expect(dup).toMatchObject({
      code: 1,
      stderr: 'error: failed to create configmap: configmaps "cfg" already exists\n',
    });
  });

  it('dry-runs deletes on the server without deleting, and takes manifests with nulls', async () => {
    await s.kubectl(['create', 'configmap', 'keep-me', '--from-literal=a=1']);
    const dry = await s.kubectl(['delete', 'configmap', 'keep-me', '--dry-run=server']);
    expect(dry.stdout).toBe('configmap "keep-me" deleted (server dry run)\n');
    expect((await s.kubectl(['get', 'configmap', 'keep-me', '-o', 'name'])).stdout).toBe(
      'configmap/keep-me\n',
    );
    const generated = (
      await s.kubectl(['create', 'deployment', 'gen', '--image=nginx', '--dry-run=client', '-o', 'yaml'])
    ).stdout;
    expect(generated).toContain('creationTimestamp: null');
    expect(await s.kubectl(['create', '-f', '-'], { stdin: generated })).toMatchObject({
      code: 0,
      stdout: 'deployment.apps/gen created\n',
    });
  });

  it('answers kubectl auth can-i from the authorizer', async () => {
    expect(await s.kubectl(['auth', 'can-i', 'create', 'pods'])).toMatchObject({ code: 0, stdout: 'yes\n' });
  });

  it('answers a missing or wrong token with 401, as kubectl reports it', async () => {
    const r = await s.kubectl(['get', 'pods', '--token=not-a-valid-token-at-all']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  });
});
