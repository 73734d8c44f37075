import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import { enableWorkloadManagement } from '../../../main/sim/vcenter/operations';
import { adminClient, newLab } from '../../helpers/lab';
import { defaultScenario, runningSupervisor, vdsEnable, vsphereNamespace } from '../../helpers/scenario';

let lab: Lab;
afterEach(() => lab?.close());

/** A lab with a running Supervisor (NSX-T unless told) and a shell; `run` gives status, stdout, stderr. */
function setup(o: { vds?: boolean; namespaces?: Parameters<typeof vsphereNamespace>[2] } = {}) {
  lab = newLab({ scenario: defaultScenario() });
  if (o.vds) {
    enableWorkloadManagement(lab.world.vc, vdsEnable());
    lab.advance(20 * 60_000);
  } else {
    runningSupervisor(lab);
    vsphereNamespace(lab, 'demo', o.namespaces);
  }
  const session = createShell(lab, { write: () => {}, terminal: false });
  const run = async (line: string) => {
    await session.runScript(`${line} > /out.txt 2> /err.txt`);
    return {
      status: session.lastStatus,
      out: session.workspace.read('/out.txt'),
      err: session.workspace.read('/err.txt'),
    };
  };
  return { run };
}

const registry = () => lab.world.vc.tryGet('registries', '', 'Workload-Cluster');
const registryNs = () => (registry()!.status as { namespace: string }).namespace;
const phase = (p: KubeObject) => (p.status as { phase?: string }).phase;
const waitingReason = (p: KubeObject) =>
  (p.status as { containerStatuses?: { state?: { waiting?: { reason?: string } } }[] }).containerStatuses?.[0]
    ?.state?.waiting?.reason;
const eventsOf = (ns: string, name: string) =>
  adminClient(lab)
    .list('events', { namespace: ns, fieldSelector: `involvedObject.name=${name}` })
    .items.map((e) => (e as unknown as { message: string }).message);
const crxsIn = (ns: string) =>
  lab.world.vc
    .list('virtualmachines')
    .items.filter((v) => (v.spec as { role?: string; namespace?: string }).namespace === ns);

/** Enables Harbor and lets it come up. */
async function runningHarbor(run: ReturnType<typeof setup>['run']) {
  expect((await run('lab registry enable')).status).toBe(0);
  await run('sleep 5m');
  expect((registry()!.status as { health?: string }).health).toBe('RUNNING');
}

describe('the embedded Harbor registry', () => {
  it('deploys Harbor as vSphere Pods in its system namespace and reaches RUNNING over lab time', async () => {
    const { run } = setup();
    const enabled = await run('lab registry enable');
    expect(enabled.status).toBe(0);
    const ns = registryNs();
    expect(ns).toMatch(/^vmware-system-registry-\d{10}$/);
    expect(enabled.out).toBe(
      'Enabling the embedded Harbor registry on Workload-Cluster (storage policy k8s-gold).\n' +
        `Its 7 pods start as vSphere Pods in namespace ${ns}; once RUNNING it answers at https://192.168.30.2.\n` +
        'Follow it with: lab registry status\n',
    );
    // the pods are vSphere Pods: scheduled, placed by DRS, in CRXs of the registry's resource pool
    expect((await run(`kubectl get pods -n ${ns} -o name`)).out).toBe(
      [
        'harbor-core',
        'harbor-database',
        'harbor-jobservice',
        'harbor-nginx',
        'harbor-portal',
        'harbor-redis',
        'harbor-registry',
      ]
        .map((p) => `pod/${p}\n`)
        .join(''),
    );
    expect((await run('lab registry status')).out).toContain('Workload-Cluster: STARTING');
    await run('sleep 30s');
    const pods = adminClient(lab).list('pods', { namespace: ns }).items;
    expect(pods.map(phase)).toEqual(Array(7).fill('Running'));
    // their addresses come from Harbor's own segment, the last /28 of the pod CIDRs
    expect(adminClient(lab).get('namespaces', '', ns).metadata.annotations?.['ncp/subnet-0']).toBe(
      '10.244.7.240/28',
    );
    expect(pods.map((p) => (p.status as { podIP?: string }).podIP).sort()).toEqual(
      [2, 3, 4, 5, 6, 7, 8].map((i) => `10.244.7.${240 + i}`),
    );
    expect(eventsOf(ns, 'harbor-core')).toContain('Pulling image "localhost:5002/vmware/harbor-core:2.2.3"');
    const crxs = crxsIn(ns);
    expect(crxs).toHaveLength(7);
    expect(crxs.every((v) => (v.spec as { resourcePool?: string }).resourcePool === ns)).toBe(true);
    expect(lab.world.vc.get('resourcepools', '', ns).spec).toMatchObject({
      parent: 'Namespaces (Workload-Cluster)',
    });
    // the pods run; Harbor still initialises for a few minutes
    const starting = await run('lab registry status');
    expect(starting.out).toContain('Workload-Cluster: STARTING');
    expect(starting.out).toContain('Progress:         Harbor is initialising its database and services');
    await run('sleep 3m');
    expect((await run('lab registry status')).out).toBe(
      [
        'Harbor 2.2.3 on Workload-Cluster: RUNNING',
        '  UI and registry:  https://192.168.30.2',
        `  Namespace:        ${ns} (7/7 pods running)`,
        '  Storage:          policy k8s-gold, 0 MB used',
        '  Projects:         demo (0 repositories)',
        '',
      ].join('\n'),
    );
    // enabling twice is refused
    const again = await run('lab registry enable');
    expect(again).toEqual({
      status: 1,
      out: '',
      err: 'lab registry enable: the embedded Harbor registry is already enabled on Workload-Cluster (RUNNING, https://192.168.30.2)\n',
    });
  });

  it('brings back a Harbor pod that is deleted or evicted, reporting WARNING while one is down', async () => {
    const { run } = setup();
    await runningHarbor(run);
    const ns = registryNs();
    await run(`kubectl delete pod harbor-core -n ${ns}`);
    lab.settle();
    expect((registry()!.status as { health?: string }).health).toBe('WARNING');
    expect((await run('lab registry status')).out).toContain('Health:           harbor-core is not running');
    await run('sleep 30s');
    expect((registry()!.status as { health?: string }).health).toBe('RUNNING');
    // the host of its pods fails: WARNING until they are evicted and run again elsewhere
    const hosts = new Set(
      adminClient(lab)
        .list('pods', { namespace: ns })
        .items.map((p) => (p.spec as { nodeName?: string }).nodeName),
    );
    expect(hosts).toEqual(new Set(['esxi-04.lab.local']));
    await run('lab host fail esxi-04.lab.local');
    await run('sleep 1m');
    expect((await run('lab registry status')).out).toContain(
      'Health:           harbor-core, harbor-database, harbor-jobservice, harbor-nginx, harbor-portal, harbor-redis, harbor-registry are not running (not ready on esxi-04.lab.local)\n',
    );
    await run('sleep 6m');
    expect((registry()!.status as { health?: string }).health).toBe('RUNNING');
    expect(
      adminClient(lab)
        .list('pods', { namespace: ns })
        .items.map((p) => (p.spec as { nodeName?: string }).nodeName),
    ).not.toContain('esxi-04.lab.local');
  });

  it('is refused on the vSphere networking stack, changing nothing', async () => {
    const { run } = setup({ vds: true });
    expect(
      (lab.world.vc.list('supervisors').items[0]!.status as { configStatus?: string }).configStatus,
    ).toBe('RUNNING');
    const before = [...lab.store.allObjects()].length;
    const r = await run('lab registry enable --storage-policy k8s-gold');
    expect(r.status).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      'lab registry enable: the embedded Harbor registry is not available on Workload-Cluster: its Supervisor runs on the vSphere networking stack, which has no Spherelet and no vSphere Pods, and Harbor runs as vSphere Pods (it needs a Supervisor on NSX-T). Use an external registry for Tanzu Kubernetes clusters instead\n',
    );
    lab.settle();
    expect([...lab.store.allObjects()].length).toBe(before);
    expect(registry()).toBeUndefined();
    expect((await run('lab registry status')).out).toBe(
      'The embedded Harbor registry is not enabled on Workload-Cluster (enable it with: lab registry enable)\n',
    );
  });

  it('refuses to enable without a Supervisor or with an unknown storage policy', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const session = createShell(lab, { write: () => {}, terminal: false });
    await session.runScript('lab registry enable > /out.txt 2> /err.txt');
    expect(session.lastStatus).toBe(1);
    expect(session.workspace.read('/err.txt')).toBe(
      'lab registry enable: Workload Management is not enabled: the embedded Harbor registry runs on a Supervisor\n',
    );
    lab.close();
    const { run } = setup();
    expect(await run('lab registry enable --storage-policy gold')).toEqual({
      status: 1,
      out: '',
      err: 'lab registry enable: storage policy "gold" not found (storage policies: k8s-gold, vSAN Default Storage Policy)\n',
    });
    expect(registry()).toBeUndefined();
    expect((await run('lab registry enable --storage-policy')).status).toBe(1);
    expect((await run('lab registry disable')).err).toBe(
      'lab registry disable: the embedded Harbor registry is not enabled on Workload-Cluster (enable it with: lab registry enable)\n',
    );
  });

  it('takes a pushed image, which a vSphere Pod of the namespace pulls and runs', async () => {
    const { run } = setup();
    await runningHarbor(run);
    const push = await run('lab image push nginx:1.25 demo');
    expect(push.status).toBe(0);
    expect(push.out).toMatch(
      /^The push refers to repository \[192\.168\.30\.2\/demo\/nginx\]\n1\.25: digest: sha256:[0-9a-f]{64} \(70 MB\)\nPods in vSphere Namespace demo can use it as 192\.168\.30\.2\/demo\/nginx:1\.25\n$/,
    );
    const ls = (await run('lab image ls')).out.split('\n');
    expect(ls[0]).toBe('REPOSITORY                TAG    DIGEST                SIZE   PUSHED');
    expect(ls[1]).toMatch(/^192\.168\.30\.2\/demo\/nginx {3}1\.25 {3}sha256:[0-9a-f]{12} {3}70MB {3}0s$/);
    expect((await run('lab registry status')).out).toContain('demo (1 repository)');
    expect((await run('lab registry status')).out).toContain('policy k8s-gold, 70 MB used');

    expect((await run('kubectl run web --image=192.168.30.2/demo/nginx:1.25 -n demo')).status).toBe(0);
    await run('sleep 30s');
    const web = adminClient(lab).get('pods', 'demo', 'web');
    expect(phase(web)).toBe('Running');
    expect(eventsOf('demo', 'web')).toContain('Pulling image "192.168.30.2/demo/nginx:1.25"');
    // it behaves as the image it was pushed from
    expect((await run('kubectl logs web -n demo')).out).toContain(
      'Configuration complete; ready for start up',
    );
  });

  it('fails a pull of a missing tag or of another namespace’s project into ImagePullBackOff', async () => {
    const { run } = setup();
    vsphereNamespace(lab, 'second');
    await runningHarbor(run);
    await run('lab image push busybox:1.36 demo/tools:v1');
    await run('lab image push nginx:1.25 second/web:v1');

    await run('kubectl run wrongtag --image=192.168.30.2/demo/tools:v2 -n demo');
    await run('kubectl run otherproject --image=192.168.30.2/second/web:v1 -n demo');
    await run('kubectl run mine --image=192.168.30.2/second/web:v1 -n second');
    await run('sleep 10s');
    expect(waitingReason(adminClient(lab).get('pods', 'demo', 'wrongtag'))).toBe('ErrImagePull');
    expect(eventsOf('demo', 'wrongtag')).toContain(
      'Failed to pull image "192.168.30.2/demo/tools:v2": rpc error: code = NotFound desc = failed to pull and unpack image "192.168.30.2/demo/tools:v2": failed to resolve reference "192.168.30.2/demo/tools:v2": 192.168.30.2/demo/tools:v2: not found',
    );
    expect(eventsOf('demo', 'otherproject').join('\n')).toContain(
      'failed to resolve reference "192.168.30.2/second/web:v1": unauthorized: unauthorized to access repository: second/web, action: pull',
    );
    await run('sleep 30s');
    const got = (await run('kubectl get pods -n demo')).out;
    expect(got).toMatch(/wrongtag\s+0\/1\s+ImagePullBackOff/);
    expect(got).toMatch(/otherproject\s+0\/1\s+ImagePullBackOff/);
    // the same image from its own namespace runs
    expect(phase(adminClient(lab).get('pods', 'second', 'mine'))).toBe('Running');
  });

  it('refuses a push that cannot be made, changing nothing', async () => {
    const { run } = setup();
    expect((await run('lab image push nginx:1.25 demo')).err).toBe(
      'lab image push: the embedded Harbor registry is not enabled on this Supervisor (enable it with: lab registry enable)\n',
    );
    await run('lab registry enable');
    expect((await run('lab image push nginx:1.25 demo')).err).toBe(
      'lab image push: the embedded Harbor registry is not running yet (STARTING); see lab registry status\n',
    );
    await run('sleep 5m');
    const project = () => JSON.stringify(lab.world.vc.get('harborprojects', '', 'demo').spec);
    const before = project();
    expect(await run('lab image push nginx:1.25 nowhere')).toEqual({
      status: 1,
      out: '',
      err: 'lab image push: project nowhere not found: Harbor has a project per vSphere Namespace (demo)\n',
    });
    const missing = await run('lab image push nginx:0.0.0-nope demo');
    expect(missing.status).toBe(1);
    expect(missing.err).toContain('lab image push: cannot pull nginx:0.0.0-nope');
    expect((await run('lab image push nginx:1.25 demo/Web')).err).toBe(
      'lab image push: invalid reference format: "192.168.30.2/demo/Web:1.25"\n',
    );
    expect((await run('lab image push nginx:1.25')).status).toBe(1);
    expect(project()).toBe(before);
    expect((await run('lab image ls demo')).out).toBe(
      'No images in project demo. Push one with: lab image push IMAGE demo\n',
    );
  });

  it('gives each project the members of its namespace, whose roles decide who may push', async () => {
    const { run } = setup({
      namespaces: {
        access: [
          { principal: 'devops@vsphere.local', role: 'edit' },
          { principal: 'viewer@vsphere.local', role: 'view' },
          { principal: 'administrator@vsphere.local', role: 'owner' },
        ],
      },
    });
    await runningHarbor(run);
    expect(lab.world.vc.get('harborprojects', '', 'demo').status).toEqual({
      members: [
        { principal: 'devops@vsphere.local', role: 'developer' },
        { principal: 'viewer@vsphere.local', role: 'guest' },
        { principal: 'administrator@vsphere.local', role: 'master' },
      ],
    });
    expect((await run('lab image push nginx:1.25 demo --as viewer')).err).toBe(
      'lab image push: unauthorized: unauthorized to access repository: demo/nginx, action: push: unauthorized to access repository: demo/nginx, action: push\n',
    );
    expect((await run('lab image push nginx:1.25 demo --as devops')).status).toBe(0);
    // permissions changed in vCenter follow into Harbor
    await run('govc namespace.access.rm -principal viewer@vsphere.local demo');
    lab.settle();
    expect(
      (lab.world.vc.get('harborprojects', '', 'demo').status as { members: unknown[] }).members,
    ).toHaveLength(2);
  });

  it('removes a namespace’s project, with its images, when the namespace goes', async () => {
    const { run } = setup();
    vsphereNamespace(lab, 'second');
    await runningHarbor(run);
    await run('lab image push nginx:1.25 demo');
    expect(lab.world.vc.tryGet('harborprojects', '', 'second')).toBeDefined();
    expect((await run('govc namespace.rm demo')).status).toBe(0);
    await run('sleep 10s');
    expect(lab.world.vc.tryGet('harborprojects', '', 'demo')).toBeUndefined();
    expect((await run('lab image ls demo')).err).toBe(
      'lab image ls: project demo not found: Harbor has a project per vSphere Namespace\n',
    );
    expect((await run('lab registry status')).out).toContain('Projects:         second (0 repositories)');
    expect((await run('lab registry status')).out).toContain('0 MB used');
    // a namespace made later gets its project
    vsphereNamespace(lab, 'third');
    expect(lab.world.vc.tryGet('harborprojects', '', 'third')).toBeDefined();
  });

  it('disable removes the projects, the pods, their CRXs, the namespace and its pool', async () => {
    const { run } = setup();
    await runningHarbor(run);
    const ns = registryNs();
    await run('lab image push nginx:1.25 demo');
    const r = await run('lab registry disable');
    expect(r.status).toBe(0);
    expect(r.out).toBe(
      `Disabling the embedded Harbor registry on Workload-Cluster: 1 project with its images, Harbor's pods and namespace ${ns} are removed.\n`,
    );
    await run('sleep 10s');
    expect(registry()).toBeUndefined();
    expect(lab.world.vc.list('harborprojects').items).toEqual([]);
    expect(adminClient(lab).tryGet('namespaces', '', ns)).toBeUndefined();
    expect(crxsIn(ns)).toEqual([]);
    expect(lab.world.vc.tryGet('resourcepools', '', ns)).toBeUndefined();
    // a pull from its address now times out
    await run('kubectl run late --image=192.168.30.2/demo/nginx:1.25 -n demo');
    await run('sleep 10s');
    expect(eventsOf('demo', 'late').join('\n')).toContain('dial tcp 192.168.30.2:443: i/o timeout');
    // and it can be enabled again
    expect((await run('lab registry enable')).status).toBe(0);
  });
});
