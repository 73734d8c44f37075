import { afterEach, describe, expect, it } from 'vitest';
import { allowAll, type Authorizer } from '../../../main/api/admission';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import { adminClient, newLab, pod } from '../../helpers/lab';
import { startPod } from '../../helpers/kubelet';
import { defaultScenario, nsxEnable } from '../../helpers/scenario';
import { enableWorkloadManagement } from '../../../main/sim/vcenter/operations';

let lab: Lab;
afterEach(() => lab?.close());

/** A shell on the lab: run a line to its end, or type keys into a running one. */
function shell() {
  let out = '';
  const session = createShell(lab, { write: (d) => (out += d), terminal: false });
  return {
    session,
    output: () => out,
    async run(line: string) {
      const from = out.length;
      await session.runScript(`${line} 2> /err.txt`);
      return { code: session.lastStatus, out: out.slice(from), err: session.workspace.read('/err.txt') };
    },
  };
}

/** Waits (real time, briefly) until `ok` holds: for commands that keep running. */
async function until(ok: () => boolean, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const REV = 'deployment.kubernetes.io/revision';
const tmpl = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'nginx', image }] },
});

/** Deployment web (2 replicas, 1 available) with revisions 1 (nginx:1.24) and 2 (nginx:1.25). */
function webDeployment(): KubeObject {
  const c = adminClient(lab);
  const d = c.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', annotations: { [REV]: '2' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: tmpl('nginx:1.25') },
  });
  for (const [rev, image, hash] of [
    ['1', 'nginx:1.24', 'aaa'],
    ['2', 'nginx:1.25', 'bbb'],
  ] as const)
    c.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `web-${hash}`,
        namespace: 'default',
        labels: { app: 'web', 'pod-template-hash': hash },
        annotations: { [REV]: rev, ...(rev === '2' ? { 'kubernetes.io/change-cause': 'image 1.25' } : {}) },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid!, controller: true },
        ],
      },
      spec: {
        selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } },
        template: tmpl(image, hash),
      },
    });
  return c.updateStatus({
    ...d,
    status: {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 1,
      availableReplicas: 1,
    },
  });
}

const available = (d: KubeObject, n: number) =>
  adminClient(lab).updateStatus({
    ...adminClient(lab).get('deployments', 'default', d.metadata.name!),
    status: {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: n,
      availableReplicas: n,
    },
  });

/** Deployment web rolled out by its controller: of its 2 pods one is Ready, the other (returned last) Pending. */
function rollingOut(): KubeObject[] {
  const c = adminClient(lab);
  c.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: tmpl('nginx:1.25') },
  });
  lab.settle();
  const pods = c.list('pods', { namespace: 'default' }).items;
  startPod(c, pods[0]!, lab.clock.now());
  lab.settle();
  return pods;
}

const WAITING = 'Waiting for deployment "web" rollout to finish: 1 of 2 updated replicas are available...\n';
const DONE = 'deployment "web" successfully rolled out\n';

describe('kubectl rollout status', () => {
  it('on a stepped clock reports the state now, as --watch=false does, and changes nothing', async () => {
    lab = newLab();
    webDeployment();
    const t0 = lab.clock.nowMs();
    const sh = shell();
    expect(await sh.run('kubectl rollout status deployment/web')).toEqual({ code: 0, out: WAITING, err: '' });
    expect(lab.clock.nowMs()).toBe(t0);
    available(adminClient(lab).get('deployments', 'default', 'web'), 2);
    expect(await sh.run('kubectl rollout status deploy web')).toEqual({ code: 0, out: DONE, err: '' });
  });

  it('with --timeout steps lab time until the rollout is done', async () => {
    lab = newLab();
    const [, second] = rollingOut();
    const t0 = lab.clock.nowMs();
    lab.clock.after(3000, () => startPod(adminClient(lab), second!, lab.clock.now()));
    const r = await shell().run('kubectl rollout status deployment/web --timeout=1m');
    expect(r).toEqual({ code: 0, out: WAITING + DONE, err: '' });
    expect(lab.clock.nowMs() - t0).toBe(3000);
  });

  it('with --timeout gives up as kubectl does when lab time runs out', async () => {
    lab = newLab();
    rollingOut();
    const t0 = lab.clock.nowMs();
    const r = await shell().run('kubectl rollout status deployment/web --timeout=5s');
    expect(r).toEqual({ code: 1, out: WAITING, err: 'error: timed out waiting for the condition\n' });
    expect(lab.clock.nowMs() - t0).toBe(5000);
  });

  it('on a real-time clock follows watch events until rolled out, and Ctrl-C stops it', async () => {
    lab = newLab({ clock: { kind: 'realtime', speed: 1 }, wall: () => Date.now() });
    const d = webDeployment();
    const sh = shell();
    sh.session.feed('kubectl rollout status deployment/web\r');
    await until(() => sh.output().includes(WAITING));
    available(d, 2);
    await sh.session.idle();
    expect(sh.output()).toContain(WAITING + DONE);
    expect(sh.session.lastStatus).toBe(0);

    available(d, 1);
    const from = sh.output().length;
    sh.session.feed('kubectl rollout status deployment/web\r');
    await until(() => sh.output().slice(from).includes(WAITING));
    sh.session.feed('\x03');
    await sh.session.idle();
    expect(sh.session.lastStatus).toBe(130);
    expect(sh.output().slice(from)).not.toContain(DONE);
  });
});

describe('kubectl rollout history, undo and restart', () => {
  it('lists revisions from the ReplicaSets, rolls back to the previous template, stamps restarts in lab time', async () => {
    lab = newLab();
    webDeployment();
    const sh = shell();
    expect((await sh.run('kubectl rollout history deployment/web')).out).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 1.25\n\n',
    );
    expect(await sh.run('kubectl rollout undo deployment/web')).toEqual({
      code: 0,
      out: 'deployment.apps/web rolled back\n',
      err: '',
    });
    const d = adminClient(lab).get('deployments', 'default', 'web');
    const t = (d.spec as { template: ReturnType<typeof tmpl> }).template;
    expect(t.spec.containers[0]!.image).toBe('nginx:1.24');
    expect(t.metadata.labels).toEqual({ app: 'web' });
    expect(await sh.run('kubectl rollout undo deployment/web --to-revision=1')).toEqual({
      code: 0,
      out: 'deployment.apps/web skipped rollback (current template already matches revision 1)\n',
      err: '',
    });
    expect((await sh.run('kubectl rollout undo deployment/web --to-revision=5')).err).toBe(
      'error: unable to find specified revision 5 in history\n',
    );
    expect(await sh.run('kubectl rollout restart deployment/web')).toEqual({
      code: 0,
      out: 'deployment.apps/web restarted\n',
      err: '',
    });
    const restarted = adminClient(lab).get('deployments', 'default', 'web');
    expect(
      (restarted.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template
        .metadata.annotations?.['kubectl.kubernetes.io/restartedAt'],
    ).toBe(
      lab.clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    );
    // a second restart within the same lab second is refused, as kubectl refuses an empty patch
    expect((await sh.run('kubectl rollout restart deployment/web')).code).toBe(1);
  });
});

describe('kubectl logs -f', () => {
  it('prints new lines as the container writes them until Ctrl-C, and ends by itself when the pod finishes', async () => {
    lab = newLab();
    const lines = ['starting'];
    lab.api.logSource = ({ tailLines }) =>
      lines
        .slice(tailLines === undefined ? 0 : Math.max(0, lines.length - tailLines))
        .map((l) => `${l}\n`)
        .join('');
    const c = adminClient(lab);
    const p = c.create(pod('web-1'));
    c.updateStatus({ ...p, status: { ...(p.status as object), phase: 'Running' } });
    const sh = shell();
    sh.session.feed('kubectl logs -f web-1\r');
    await until(() => sh.output().includes('starting\n'));
    lines.push('listening on :80');
    await until(() => sh.output().includes('listening on :80\n'));
    sh.session.feed('\x03');
    await sh.session.idle();
    expect(sh.session.lastStatus).toBe(130);
    expect(sh.output().match(/starting/g)).toHaveLength(1);

    const from = sh.output().length;
    sh.session.feed('kubectl logs -f web-1 --tail=1\r');
    await until(() => sh.output().slice(from).includes('listening on :80\n'));
    lines.push('bye');
    const cur = c.get('pods', 'default', 'web-1');
    c.updateStatus({ ...cur, status: { ...(cur.status as object), phase: 'Succeeded' } });
    await sh.session.idle();
    expect(sh.session.lastStatus).toBe(0);
    expect(sh.output().slice(from)).toMatch(/listening on :80\n(?:.|\n)*bye\n/);
    expect(sh.output().slice(from)).not.toContain('starting');
  });
});

describe('kubectl create, run and expose', () => {
  it('create writes what it prints, reads --from-file relative to the working directory, and leaves nothing on a mistake', async () => {
    lab = newLab();
    const sh = shell();
    sh.session.workspace.mkdir('/conf', true);
    sh.session.workspace.write('/conf/app.properties', 'color=blue\n');
    await sh.run('cd /conf');
    expect(
      await sh.run('kubectl create configmap app --from-file=app.properties --from-literal=size=3'),
    ).toEqual({
      code: 0,
      out: 'configmap/app created\n',
      err: '',
    });
    expect(adminClient(lab).get('configmaps', 'default', 'app').data).toEqual({
      'app.properties': 'color=blue\n',
      size: '3',
    });
    const before = lab.store.currentRv();
    expect(await sh.run('kubectl create configmap bad --from-file=nope.txt')).toEqual({
      code: 1,
      out: '',
      err: 'error: error reading nope.txt: no such file or directory\n',
    });
    expect((await sh.run('kubectl run x --image=nginx --restart=Sometimes')).code).toBe(1);
    expect(lab.store.currentRv()).toBe(before);
    expect(await sh.run('kubectl create deployment web --image=nginx:1.25 --replicas=2')).toEqual({
      code: 0,
      out: 'deployment.apps/web created\n',
      err: '',
    });
    expect(await sh.run('kubectl expose deployment web --port=80 --type=NodePort')).toEqual({
      code: 0,
      out: 'service/web exposed\n',
      err: '',
    });
    const svc = adminClient(lab).get('services', 'default', 'web');
    const spec = svc.spec as {
      clusterIP: string;
      ports: { port: number; nodePort: number; targetPort: number }[];
    };
    expect(spec.clusterIP).toMatch(/^10\.96\.[01]\.\d+$/);
    expect(spec.ports[0]).toMatchObject({ port: 80, targetPort: 80 });
    expect(spec.ports[0]!.nodePort).toBeGreaterThanOrEqual(30000);
    const r = await sh.run('kubectl get svc web');
    expect(r.out).toMatch(/^NAME {3}TYPE {7}CLUSTER-IP +EXTERNAL-IP {3}PORT\(S\) {8}AGE\n/);
    expect(r.out).toMatch(
      new RegExp(
        `^web +NodePort +${spec.clusterIP.replace(/\./g, '\\.')} +<none> +80:${spec.ports[0]!.nodePort}/TCP +0s$`,
        'm',
      ),
    );
    expect(await sh.run('kubectl run box --image=busybox --restart=Never -- sleep 10')).toEqual({
      code: 0,
      out: 'pod/box created\n',
      err: '',
    });
    expect(adminClient(lab).get('pods', 'default', 'box').spec).toMatchObject({
      restartPolicy: 'Never',
      containers: [{ name: 'box', image: 'busybox', args: ['sleep', '10'] }],
    });
    expect(adminClient(lab).get('pods', 'default', 'box').metadata.labels).toEqual({ run: 'box' });
  });
});

describe('kubectl auth can-i', () => {
  it('asks the authorizer: yes exits 0, no exits 1', async () => {
    const authorizer: Authorizer = {
      authorize: (a) => ({
        allowed: !(a.verb === 'delete' && a.resource === 'secrets' && a.namespace === 'prod'),
      }),
    };
    lab = newLab({ authorizer });
    const sh = shell();
    expect(await sh.run('kubectl auth can-i delete secrets')).toEqual({ code: 0, out: 'yes\n', err: '' });
    expect(await sh.run('kubectl auth can-i delete secrets -n prod')).toEqual({
      code: 1,
      out: 'no\n',
      err: '',
    });
    expect(await sh.run('kubectl auth can-i delete secrets -n prod --quiet')).toEqual({
      code: 1,
      out: '',
      err: '',
    });
  });
});

describe('kubectl cordon, drain and top', () => {
  it('refuses a cordon on the Supervisor, whose nodes vCenter manages (maintenance mode instead)', async () => {
    lab = newLab({ scenario: defaultScenario() });
    enableWorkloadManagement(lab.world.vc, nsxEnable());
    lab.advance(20 * 60_000);
    expect(await shell().run('kubectl cordon esxi-01.lab.local')).toEqual({
      code: 1,
      out: '',
      err: 'error: unable to cordon node "esxi-01.lab.local": nodes "esxi-01.lab.local" is forbidden: User "sso:administrator@vsphere.local" cannot patch resource "nodes" in API group "" at the cluster scope\n',
    });
  });

  it('keeps a cordon on a Spherelet node while the Supervisor reconciles, and maintenance cordons its own', async () => {
    // (where the user may cordon — as cluster-admin of a guest cluster — checked here on the Supervisor's nodes)
    lab = newLab({ scenario: defaultScenario(), authorizer: allowAll });
    enableWorkloadManagement(lab.world.vc, nsxEnable());
    lab.advance(20 * 60_000);
    const sh = shell();
    const unschedulable = (name: string) =>
      (adminClient(lab).get('nodes', '', name).spec as { unschedulable?: boolean }).unschedulable === true;
    expect((await sh.run('kubectl cordon esxi-01.lab.local')).code).toBe(0);
    // the host of another node goes in and out of maintenance: the Supervisor reconciles every node
    expect((await sh.run('govc host.maintenance.enter esxi-02.lab.local')).code).toBe(0);
    expect(unschedulable('esxi-02.lab.local')).toBe(true);
    expect((await sh.run('govc host.maintenance.exit esxi-02.lab.local')).code).toBe(0);
    lab.advance(10 * 60_000);
    expect(unschedulable('esxi-02.lab.local')).toBe(false);
    expect(unschedulable('esxi-01.lab.local')).toBe(true);
    const node = JSON.parse((await sh.run('kubectl get node esxi-01.lab.local -o json')).out) as {
      status: { conditions: { lastHeartbeatTime?: string }[] };
    };
    expect(node.status.conditions[0]!.lastHeartbeatTime).toMatch(/^2026-01-05T09:\d\d:\d\dZ$/);
  });

  it('cordons and uncordons a node, drains its pods with --force, and has no metrics to show', async () => {
    lab = newLab({ authorizer: allowAll });
    const c = adminClient(lab);
    c.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'esxi-01.lab.local' } });
    c.create({
      ...pod('bound'),
      spec: { nodeName: 'esxi-01.lab.local', containers: [{ name: 'c', image: 'x' }] },
    });
    const sh = shell();
    expect((await sh.run('kubectl cordon esxi-01.lab.local')).out).toBe('node/esxi-01.lab.local cordoned\n');
    expect((c.get('nodes', '', 'esxi-01.lab.local').spec as { unschedulable?: boolean }).unschedulable).toBe(
      true,
    );
    expect(await sh.run('kubectl drain esxi-01.lab.local')).toEqual({
      code: 1,
      out: 'node/esxi-01.lab.local already cordoned\n',
      err: 'error: unable to drain node "esxi-01.lab.local" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/bound, continuing command...\nThere are pending nodes to be drained:\n esxi-01.lab.local\ncannot delete cannot delete Pods that declare no controller (use --force to override): default/bound\n',
    });
    expect(await sh.run('kubectl drain esxi-01.lab.local --force')).toEqual({
      code: 0,
      out: 'node/esxi-01.lab.local already cordoned\npod/bound deleted\nnode/esxi-01.lab.local drained\n',
      err: 'Warning: deleting Pods that declare no controller: default/bound\n',
    });
    expect(c.tryGet('pods', 'default', 'bound')).toBeUndefined();
    expect((await sh.run('kubectl uncordon esxi-01.lab.local')).out).toBe(
      'node/esxi-01.lab.local uncordoned\n',
    );
    expect(
      (c.get('nodes', '', 'esxi-01.lab.local').spec as { unschedulable?: boolean }).unschedulable,
    ).toBeUndefined();
    expect(await sh.run('kubectl top nodes')).toEqual({
      code: 1,
      out: '',
      err: 'error: Metrics API not available\n',
    });
  });
});
