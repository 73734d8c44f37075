import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import type { KubeObject } from '../../../main/api/types';
import { createShell } from '../../../main/shell';
import { crxName } from '../../../main/sim/supervisor/pods';
import { enableWorkloadManagement } from '../../../main/sim/vcenter/operations';
import { adminClient, newLab } from '../../helpers/lab';
import { defaultScenario, runningSupervisor, vdsEnable, vsphereNamespace } from '../../helpers/scenario';

let lab: Lab;
afterEach(() => lab?.close());

function setup(namespace: Parameters<typeof vsphereNamespace>[2] = {}) {
  lab = newLab({ scenario: defaultScenario() });
  runningSupervisor(lab);
  vsphereNamespace(lab, 'demo', namespace);
  const session = createShell(lab, { write: () => {}, terminal: false });
  const run = async (line: string) => {
    await session.runScript(`${line} > /out.txt 2> /err.txt`);
    return {
      status: session.lastStatus,
      out: session.workspace.read('/out.txt'),
      err: session.workspace.read('/err.txt'),
    };
  };
  const c = adminClient(lab);
  const get = (name: string) => c.get('pods', 'demo', name);
  return { run, c, get };
}

const phaseOf = (p: KubeObject) => (p.status as { phase?: string }).phase;
const nodeOf = (p: KubeObject) => (p.spec as { nodeName?: string }).nodeName;
const eventsOf = (lab: Lab, name: string) =>
  adminClient(lab)
    .list('events', { namespace: 'demo', fieldSelector: `involvedObject.name=${name}` })
    .items.map(
      (e) =>
        `${(e as unknown as { reason: string }).reason}: ${(e as unknown as { message: string }).message}`,
    );

describe('vSphere Pods', () => {
  it('take a further /28 when the namespace segment is full, which no namespace made later is given', () => {
    const { c, get } = setup();
    // a /28 holds 13 pod addresses (the network, the gateway and the broadcast address are not for pods)
    for (let i = 0; i < 14; i++)
      c.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p${String(i).padStart(2, '0')}`, namespace: 'demo' },
        spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
      });
    lab.advance(30_000);
    const ips = Array.from(
      { length: 14 },
      (_, i) => (get(`p${String(i).padStart(2, '0')}`).status as { podIP?: string }).podIP,
    );
    expect(new Set(ips).size).toBe(14);
    // 13 from the namespace segment (.2 to .14), then the first address of the next
    expect(ips.filter((ip) => Number(ip?.split('.')[3]) < 16)).toHaveLength(13);
    const grown = c.get('namespaces', '', 'demo').metadata.annotations!;
    expect(grown).toMatchObject({ 'ncp/subnet-0': '10.244.0.0/28', 'ncp/subnet-1': '10.244.0.16/28' });
    expect(ips).toContain('10.244.0.18');
    // the next namespace skips the segment demo grew into
    vsphereNamespace(lab, 'later');
    expect(c.get('namespaces', '', 'later').metadata.annotations).toMatchObject({
      'ncp/subnet-0': '10.244.0.32/28',
    });
  });

  it('are placed where DRS says, not where the scheduler would have put them', async () => {
    const { run, get } = setup();
    // the control-plane VMs run on three hosts, which the Kubernetes scheduler does not see
    const cpHosts = lab.world.vc
      .list('virtualmachines')
      .items.filter((v) => (v.spec as { role?: string }).role === 'supervisor-control-plane')
      .map((v) => (v.status as { host?: string }).host);
    expect(new Set(cpHosts).size).toBe(3);
    await run('kubectl run web --image=nginx:1.25 -n demo');
    lab.settle();
    const p = get('web');
    const placement = JSON.parse(p.metadata.annotations!['vmware-system-placement']!) as {
      schedulerFirstChoice: string;
      drsChoice: string;
    };
    expect(placement.schedulerFirstChoice).toBe('esxi-01.lab.local');
    expect(cpHosts).not.toContain(placement.drsChoice);
    expect(nodeOf(p)).toBe(placement.drsChoice);
    expect(eventsOf(lab, 'web')).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^DRSPlacement: DRS placed the vSphere Pod on ${placement.drsChoice} rather than the scheduler's first choice esxi-01\\.lab\\.local: highest score \\(\\d+(\\.\\d)?\\) among 4 feasible hosts$`,
        ),
      ),
    );
    const explained = (await run('lab explain pod demo/web')).out.split('\n');
    expect(explained[0]).toBe(`demo/web: Pending on ${placement.drsChoice}`);
    expect(explained.join('\n')).toMatch(`DRS final placement: ${placement.drsChoice} — highest score`);
    expect(explained.join('\n')).toContain("(the scheduler's first choice was esxi-01.lab.local)");
  });

  it('runs in a CRX that boots in about a second, with its image pulled and an IP from the namespace segment', async () => {
    const { run, get } = setup();
    const start = lab.clock.nowMs();
    await run('kubectl run web --image=nginx:1.25 -n demo');
    lab.settle();
    const host = nodeOf(get('web'))!;
    const crx = lab.world.vc.get('virtualmachines', '', crxName('demo', 'web'));
    expect(crx.spec).toMatchObject({
      role: 'crx',
      namespace: 'demo',
      resourcePool: 'demo',
      numCPUs: 1,
      memoryMB: 512,
    });
    expect((crx.status as { host?: string }).host).toBe(host);
    lab.advance(1_000);
    expect(
      (lab.world.vc.get('virtualmachines', '', crxName('demo', 'web')).status as { phase?: string }).phase,
    ).toBe('PoweringOn');
    lab.advance(1_000);
    expect(phaseOf(get('web'))).toBe('Pending');
    lab.advance(3_000);
    const p = get('web');
    expect(phaseOf(p)).toBe('Running');
    expect((p.status as { podIP?: string }).podIP).toBe('10.244.0.2');
    expect(lab.clock.nowMs() - start).toBe(5_000);
    const table = (await run('kubectl get pod web -n demo -o wide')).out.split('\n')[1]!;
    expect(table).toMatch(
      new RegExp(`^web +1/1 +Running +0 +5s +10\\.244\\.0\\.2 +${host.replace(/\./g, '\\.')} `),
    );
    expect(eventsOf(lab, 'web')).toEqual(
      expect.arrayContaining([
        `Scheduled: Successfully assigned demo/web to ${host}`,
        'Pulling: Pulling image "nginx:1.25"',
        'Pulled: Successfully pulled image "nginx:1.25" in 2.400s',
        'Created: Created container web',
        'Started: Started container web',
      ]),
    );
    lab.advance(25_000);
    const logs = (await run('kubectl logs web -n demo')).out.split('\n');
    expect(logs[0]).toBe(
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    );
    expect(logs.slice(8, 10)).toEqual([
      '10.244.0.1 - - [05/Jan/2026:09:20:14 +0000] "GET / HTTP/1.1" 200 615 "-" "NSX-LB-health-check" "-"',
      '10.244.0.1 - - [05/Jan/2026:09:20:24 +0000] "GET / HTTP/1.1" 200 615 "-" "NSX-LB-health-check" "-"',
    ]);
    // the topology draws the pod on its host
    const topo = JSON.parse((await run('lab topology -o json')).out) as {
      hosts: { name: string; pods: { namespace: string; name: string; phase: string }[] }[];
    };
    expect(topo.hosts.find((h) => h.name === host)!.pods).toEqual([
      { namespace: 'demo', name: 'web', phase: 'Running' },
    ]);
    // deleting the pod removes its CRX from the inventory
    await run('kubectl delete pod web -n demo');
    lab.settle();
    expect(lab.world.vc.tryGet('virtualmachines', '', crxName('demo', 'web'))).toBeUndefined();
  });

  it('fails to pull an image the registry does not have, and backs off', async () => {
    const { run, get } = setup();
    await run('kubectl run bad --image=nginx:no-such-tag -n demo');
    await run('kubectl run gone --image=nosuchrepo/app:1 -n demo');
    lab.advance(10_000);
    expect((await run('kubectl get pods -n demo')).out).toMatch(/bad +0\/1 +ErrImagePull +0 +10s/);
    lab.advance(15_000);
    expect((await run('kubectl get pods -n demo')).out).toMatch(/bad +0\/1 +ImagePullBackOff +0 +25s/);
    expect(phaseOf(get('bad'))).toBe('Pending');
    const events = eventsOf(lab, 'bad');
    expect(events).toContain(
      'Failed: Failed to pull image "nginx:no-such-tag": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:no-such-tag": failed to resolve reference "docker.io/library/nginx:no-such-tag": docker.io/library/nginx:no-such-tag: not found',
    );
    expect(events).toContain('BackOff: Back-off pulling image "nginx:no-such-tag"');
    expect(eventsOf(lab, 'gone').join('\n')).toContain(
      'pull access denied, repository does not exist or may require authorization',
    );
    // repeats count up on one event
    lab.advance(10 * 60_000);
    const failed = adminClient(lab).list('events', {
      namespace: 'demo',
      fieldSelector: 'involvedObject.name=bad,reason=BackOff',
    }).items as unknown as { count: number }[];
    expect(failed).toHaveLength(1);
    expect(failed[0]!.count).toBeGreaterThan(2);
  });

  it('restarts a tool that exits, backing off; a Job’s pod completes', async () => {
    const { run } = setup();
    await run('kubectl run bb --image=busybox -n demo');
    await run("kubectl create job once --image=busybox -n demo -- sh -c 'echo done'");
    lab.advance(60_000);
    const pods = (await run('kubectl get pods -n demo')).out;
    expect(pods).toMatch(/bb +0\/1 +CrashLoopBackOff +\d+ /);
    expect(pods).toMatch(/once-[a-z0-9]{5} +0\/1 +Completed +0 /);
    expect((await run('kubectl get job once -n demo -o jsonpath={.status.succeeded}')).out).toBe('1');
    expect((await run('kubectl logs job/once -n demo')).out).toBe('done\n');
  });

  it('stay Pending, with the reason, when nothing fits: selectors and the namespace’s resource pool limit', async () => {
    const { run } = setup({ limits: { cpuMHz: 3000 } });
    lab.settle();
    await run('kubectl run one --image=nginx -n demo');
    lab.advance(10_000);
    await run('kubectl run two --image=nginx -n demo');
    lab.advance(10_000);
    expect((await run('kubectl get pod two -n demo')).out).toMatch(/two +0\/1 +Pending +0 /);
    expect(eventsOf(lab, 'two')).toContain(
      'FailedScheduling: 0/4 nodes are available: the resource pool of namespace demo is at its limit for CPU: the pod needs 2400 MHz, 600 MHz of the 3000 MHz limit are left.',
    );
    await run(
      'kubectl run picky --image=nginx -n demo --overrides=\'{"spec":{"nodeSelector":{"disk":"ssd"}}}\'',
    );
    await run('govc namespace.update -cpu-limit 0 demo');
    lab.advance(10_000);
    expect(eventsOf(lab, 'picky')).toContain(
      "FailedScheduling: 0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
    );
    // with the limit gone, the second pod runs
    expect((await run('kubectl get pod two -n demo')).out).toMatch(/two +1\/1 +Running /);
  });

  it('die with their host and are made again elsewhere by their controller; maintenance evicts them at once', async () => {
    const { run, c } = setup();
    await run('kubectl create deployment web --image=nginx --replicas=4 -n demo');
    lab.advance(30_000);
    const running = () =>
      c
        .list('pods', { namespace: 'demo' })
        .items.filter((p) => phaseOf(p) === 'Running' && !p.metadata.deletionTimestamp);
    expect(running()).toHaveLength(4);
    const victim = nodeOf(running()[0]!)!;
    const onVictim = running()
      .filter((p) => nodeOf(p) === victim)
      .map((p) => p.metadata.name);
    await run(`lab host fail ${victim}`);
    lab.advance(60_000);
    // NotReady, not yet evicted
    expect(
      c.list('pods', { namespace: 'demo' }).items.filter((p) => onVictim.includes(p.metadata.name)),
    ).toHaveLength(onVictim.length);
    lab.advance(5 * 60_000);
    const after = running();
    expect(after).toHaveLength(4);
    expect(after.some((p) => nodeOf(p) === victim)).toBe(false);
    expect(after.some((p) => onVictim.includes(p.metadata.name))).toBe(false);
    // maintenance: the Supervisor evicts at once and the host can go into maintenance
    await run(`lab host recover ${victim}`);
    lab.advance(60_000);
    const busy = nodeOf(running()[0]!)!;
    expect((await run(`govc host.maintenance.enter ${busy}`)).status).toBe(0);
    lab.advance(30_000);
    expect(running()).toHaveLength(4);
    expect(running().some((p) => nodeOf(p) === busy)).toBe(false);
  });
});

describe('vSphere Pods on the vSphere networking stack', () => {
  it('are refused with the reason, and a Deployment reports it', async () => {
    lab = newLab({ scenario: defaultScenario() });
    enableWorkloadManagement(lab.world.vc, vdsEnable());
    lab.advance(20 * 60_000);
    vsphereNamespace(lab, 'demo');
    const session = createShell(lab, { write: () => {}, terminal: false });
    await session.runScript('kubectl run web --image=nginx -n demo 2> /err.txt');
    expect(session.lastStatus).toBe(1);
    expect(session.workspace.read('/err.txt')).toBe(
      'Error from server (Forbidden): pods "web" is forbidden: vSphere Pods are not supported on this Supervisor: it runs on the vSphere networking stack, which has no Spherelet; vSphere Pods need NSX-T (run the workload in a Tanzu Kubernetes cluster instead)\n',
    );
    adminClient(lab).create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'demo' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        },
      },
    } as KubeObject);
    lab.advance(5_000);
    expect(adminClient(lab).list('pods', { namespace: 'demo' }).items).toHaveLength(0);
    const rsEvents = adminClient(lab)
      .list('events', { namespace: 'demo', fieldSelector: 'reason=FailedCreate' })
      .items.map((e) => (e as unknown as { message: string }).message);
    expect(rsEvents[0]).toMatch(/vSphere Pods are not supported on this Supervisor/);
  });
});
