import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import { enableWorkloadManagement } from '../../../main/sim/vcenter/operations';
import { adminClient, newLab } from '../../helpers/lab';
import { defaultScenario, runningSupervisor, vdsEnable, vsphereNamespace } from '../../helpers/scenario';
import type { NamespaceSpec } from '../../../main/sim/supervisor/namespaces';

let lab: Lab;
afterEach(() => lab?.close());

/** A running Supervisor (NSX-T, or the vSphere networking stack), a vSphere Namespace `demo` and a shell. */
function setup(o: { vds?: boolean; namespace?: Partial<NamespaceSpec> } = {}) {
  lab = newLab({ scenario: defaultScenario() });
  if (o.vds) {
    enableWorkloadManagement(lab.world.vc, vdsEnable());
    lab.advance(20 * 60_000);
  } else runningSupervisor(lab);
  vsphereNamespace(lab, 'demo', o.namespace);
  const session = createShell(lab, { write: () => {}, terminal: false });
  const run = async (line: string) => {
    await session.runScript(`${line} > /out.txt 2> /err.txt`);
    return {
      status: session.lastStatus,
      out: session.workspace.read('/out.txt'),
      err: session.workspace.read('/err.txt'),
    };
  };
  const apply = async (file: string, yaml: string) => {
    session.workspace.write(`/${file}`, yaml);
    return run(`kubectl apply -f ${file}`);
  };
  return { run, apply, c: adminClient(lab) };
}

const claimYaml = (name: string, size: string, cls = 'k8s-gold') =>
  `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${name}\n  namespace: demo\nspec:\n  storageClassName: ${cls}\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: ${size}\n`;

const events = (name: string) =>
  adminClient(lab)
    .list('events', { namespace: 'demo', fieldSelector: `involvedObject.name=${name}` })
    .items.map((e) => {
      const x = e as unknown as {
        type: string;
        reason: string;
        message: string;
        count: number;
        source: { component: string };
      };
      return `${x.type} ${x.reason} ${x.message} (x${x.count}, ${x.source.component})`;
    })
    // in a fixed order: the API lists events by name, which ends in a hash of their uid
    .sort();
/** kubectl's table: every column as wide as its widest cell, three spaces apart. */
const table = (rows: string[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map((r) => r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]! + 3) : cell)).join(''))
      .join('\n') + '\n'
  );
};
const freeGB = () =>
  (lab.world.vc.get('datastores', '', 'vsanDatastore').status as { freeGB?: number } | undefined)?.freeGB;
const phase = (o: KubeObject | undefined) => (o?.status as { phase?: string } | undefined)?.phase;
const spec = <T>(o: KubeObject) => o.spec as T;

describe('Services on the Supervisor', () => {
  it('gives a LoadBalancer a virtual IP from the NSX-T ingress CIDR, past the API VIP, with the service controller’s events', async () => {
    const { run } = setup();
    expect(lab.world.vc.get('supervisors', '', 'Workload-Cluster').status).toMatchObject({
      apiEndpoint: '192.168.30.1',
    });
    expect(await run('kubectl create service loadbalancer web --tcp=80:8080 -n demo')).toMatchObject({
      status: 0,
      out: 'service/web created\n',
    });
    lab.settle();
    const svc = adminClient(lab).get('services', 'demo', 'web');
    const s = spec<{ clusterIP: string; ports: { nodePort: number }[] }>(svc);
    expect(s.clusterIP).toMatch(/^10\.96\.[01]\.\d+$/);
    const port = s.ports[0]!.nodePort;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    const row = (external: string, age: string) =>
      table([
        ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
        ['web', 'LoadBalancer', s.clusterIP, external, `80:${port}/TCP`, age],
      ]);
    // the virtual server is not up yet: the learner sees <pending>
    expect((await run('kubectl get svc -n demo')).out).toBe(row('<pending>', '0s'));
    expect(events('web')).toEqual([
      'Normal EnsuringLoadBalancer Ensuring load balancer (x1, service-controller)',
    ]);
    lab.advance(3_000);
    expect((await run('kubectl get svc -n demo')).out).toBe(row('192.168.30.2', '3s'));
    expect(events('web')).toEqual([
      'Normal EnsuredLoadBalancer Ensured load balancer (x1, service-controller)',
      'Normal EnsuringLoadBalancer Ensuring load balancer (x1, service-controller)',
    ]);
    expect(adminClient(lab).get('services', 'demo', 'web').metadata.finalizers).toEqual([
      'service.kubernetes.io/load-balancer-cleanup',
    ]);
    // the next takes the next address; a deleted one gives its address back
    await run('kubectl create service loadbalancer api --tcp=443 -n demo');
    lab.advance(3_000);
    expect(
      (await run('kubectl get svc api -n demo -o jsonpath={.status.loadBalancer.ingress[0].ip}')).out,
    ).toBe('192.168.30.3');
    expect(await run('kubectl delete svc web -n demo')).toMatchObject({ status: 0 });
    lab.settle();
    expect(adminClient(lab).tryGet('services', 'demo', 'web')).toBeUndefined();
    expect(events('web')).toEqual(
      expect.arrayContaining([
        'Normal DeletingLoadBalancer Deleting load balancer (x1, service-controller)',
        'Normal DeletedLoadBalancer Deleted load balancer (x1, service-controller)',
      ]),
    );
    await run('kubectl create service loadbalancer again --tcp=80 -n demo');
    lab.advance(3_000);
    expect(
      (await run('kubectl get svc again -n demo -o jsonpath={.status.loadBalancer.ingress[0].ip}')).out,
    ).toBe('192.168.30.2');
    // turning a LoadBalancer into a ClusterIP Service gives the address back and drops its node port
    expect(await run(`kubectl patch svc api -n demo -p '{"spec":{"type":"ClusterIP"}}'`)).toEqual({
      status: 0,
      out: 'service/api patched\n',
      err: '',
    });
    lab.settle();
    const api = adminClient(lab).get('services', 'demo', 'api');
    expect(api.status).toEqual({ loadBalancer: {} });
    expect(spec<{ ports: { nodePort?: number }[] }>(api).ports[0]!.nodePort).toBeUndefined();
    expect(api.metadata.finalizers).toBeUndefined();
  });

  it('gives a LoadBalancer a virtual IP from the load balancer’s VIP range on the vSphere networking stack', async () => {
    const { run } = setup({ vds: true });
    expect(lab.world.vc.get('supervisors', '', 'Workload-Cluster').status).toMatchObject({
      apiEndpoint: '192.168.20.129',
    });
    await run('kubectl create service loadbalancer web --tcp=80 -n demo');
    lab.settle();
    expect(
      (await run('kubectl get svc web -n demo -o custom-columns=IP:.status.loadBalancer.ingress[0].ip')).out,
    ).toBe('IP\n<none>\n');
    lab.advance(3_000);
    const r = await run('kubectl get svc web -n demo');
    expect(r.out).toMatch(/^web +LoadBalancer +10\.96\.[01]\.\d+ +192\.168\.20\.130 +80:3\d{4}\/TCP +3s$/m);
    expect(events('web')).toContain(
      'Normal EnsuredLoadBalancer Ensured load balancer (x1, service-controller)',
    );
  });

  it('allocates 200 distinct cluster IPs and node ports from the service CIDR, the same in every run', () => {
    const make = () => {
      const l = newLab({ scenario: defaultScenario() });
      runningSupervisor(l);
      vsphereNamespace(l, 'demo');
      const c = adminClient(l);
      for (let i = 0; i < 200; i++)
        c.create({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `svc-${i}`, namespace: 'demo' },
          spec: { type: i % 2 ? 'NodePort' : 'ClusterIP', ports: [{ port: 80 }, { name: 'b', port: 81 }] },
        });
      const all = c
        .list('services', { namespace: 'demo' })
        .items.map((s) =>
          spec<{ clusterIP: string; clusterIPs: string[]; ports: { nodePort?: number }[] }>(s),
        );
      l.close();
      return all;
    };
    lab = newLab();
    const first = make();
    const ips = first.map((s) => s.clusterIP);
    expect(new Set(ips).size).toBe(200);
    for (const s of first) expect(s.clusterIPs).toEqual([s.clusterIP]);
    for (const ip of ips) {
      const [a, b, c, d] = ip.split('.').map(Number);
      expect([a, b]).toEqual([10, 96]);
      expect(c! * 256 + d!).toBeGreaterThanOrEqual(10);
      expect(c! * 256 + d!).toBeLessThan(511);
    }
    const ports = first.flatMap((s) => s.ports.map((p) => p.nodePort)).filter((p): p is number => Boolean(p));
    expect(ports).toHaveLength(200);
    expect(new Set(ports).size).toBe(200);
    expect(make().map((s) => s.clusterIP)).toEqual(ips);
  });

  it('refuses a cluster IP or node port another Service holds, or one out of range, as the API server does', async () => {
    const { run, c } = setup();
    await run('kubectl create service nodeport web --tcp=80 -n demo');
    const web = spec<{ clusterIP: string; ports: { nodePort: number }[] }>(c.get('services', 'demo', 'web'));
    expect(
      await run(`kubectl create service clusterip copy --clusterip=${web.clusterIP} --tcp=80 -n demo`),
    ).toEqual({
      status: 1,
      out: '',
      err: `error: failed to create ClusterIP service: Service "copy" is invalid: spec.clusterIPs: Invalid value: []string{"${web.clusterIP}"}: failed to allocate IP ${web.clusterIP}: provided IP is already allocated\n`,
    });
    expect(
      (await run('kubectl create service clusterip far --clusterip=10.0.0.5 --tcp=80 -n demo')).err,
    ).toBe(
      'error: failed to create ClusterIP service: Service "far" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/23\n',
    );
    const port = web.ports[0]!.nodePort;
    expect((await run(`kubectl create service nodeport twin --tcp=80 --node-port=${port} -n demo`)).err).toBe(
      `error: failed to create NodePort service: Service "twin" is invalid: spec.ports[0].nodePort: Invalid value: ${port}: provided port is already allocated\n`,
    );
    expect(c.tryGet('services', 'demo', 'copy')).toBeUndefined();
    expect(c.tryGet('services', 'demo', 'twin')).toBeUndefined();
    // an update keeps what the Service holds, even when the client leaves it out
    const old = c.get('services', 'demo', 'web');
    const s = structuredClone(old.spec) as {
      clusterIP?: string;
      clusterIPs?: string[];
      ports: { nodePort?: number }[];
    };
    delete s.clusterIP;
    delete s.clusterIPs;
    delete s.ports[0]!.nodePort;
    const updated = c.update({ ...old, spec: s });
    expect(spec<{ clusterIP: string; ports: { nodePort: number }[] }>(updated)).toMatchObject({
      clusterIP: web.clusterIP,
      ports: [{ nodePort: port }],
    });
  });
});

describe('PersistentVolumeClaims on the Supervisor', () => {
  it('binds a claim to a CNS volume on the policy’s datastore, both ways, with the provisioner’s events', async () => {
    const { run, apply, c } = setup();
    expect(freeGB()).toBeUndefined();
    expect((await apply('pvc.yaml', claimYaml('data', '2Gi'))).out).toBe(
      'persistentvolumeclaim/data created\n',
    );
    lab.settle();
    expect((await run('kubectl get pvc -n demo')).out).toBe(
      'NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   AGE\ndata   Pending                                      k8s-gold       0s\n',
    );
    lab.advance(2_000);
    const claim = c.get('persistentvolumeclaims', 'demo', 'data');
    const pvName = `pvc-${claim.metadata.uid}`;
    expect((await run('kubectl get svc,pvc,pv -n demo')).out).toBe(
      [
        'NAME                         STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   AGE',
        `persistentvolumeclaim/data   Bound    ${pvName}   2Gi        RWO            k8s-gold       2s`,
        '',
        'NAME                                                        CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM       STORAGECLASS   REASON   AGE',
        `persistentvolume/${pvName}   2Gi        RWO            Delete           Bound    demo/data   k8s-gold                0s`,
        '',
      ].join('\n'),
    );
    expect(claim.status).toEqual({
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '2Gi' },
    });
    expect(claim.metadata.annotations).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      'volume.beta.kubernetes.io/storage-provisioner': 'csi.vsphere.vmware.com',
    });
    expect(claim.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    const pv = c.get('persistentvolumes', '', pvName);
    const pvs = spec<{ csi: { driver: string; volumeHandle: string }; claimRef: { uid: string } }>(pv);
    expect(pvs.csi.driver).toBe('csi.vsphere.vmware.com');
    expect(pvs.claimRef.uid).toBe(claim.metadata.uid);
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/provisioned-by': 'csi.vsphere.vmware.com' });
    expect(pv.status).toEqual({ phase: 'Bound' });
    // vCenter: a CNS volume of 2 GiB on the policy's datastore, whose free space went down by as much
    const volume = lab.world.vc.get('cnsvolumes', '', pvs.csi.volumeHandle);
    expect(volume.spec).toEqual({
      volumeName: pvName,
      type: 'BLOCK',
      datastore: 'vsanDatastore',
      storagePolicy: 'k8s-gold',
      capacityMB: 2048,
      cluster: 'Workload-Cluster',
      namespace: 'demo',
      claim: 'data',
    });
    expect(freeGB()).toBe(20480 - 2);
    const ls = await run('govc volume.ls -l');
    expect(ls.out).toMatch(
      new RegExp(`^${pvs.csi.volumeHandle}  ${pvName}  2\\.0GB  KUBERNETES  domain-c\\d+\\n$`),
    );
    const provisioner = events('data')
      .find((e) => e.startsWith('Normal Provisioning '))!
      .match(/, (\S+)\)$/)![1]!;
    expect(provisioner).toMatch(
      /^csi\.vsphere\.vmware\.com_vsphere-csi-controller-[0-9a-f]{10}-[0-9a-f]{5}_[0-9a-f-]{36}$/,
    );
    expect(events('data')).toEqual([
      'Normal ExternalProvisioning waiting for a volume to be created, either by external provisioner "csi.vsphere.vmware.com" or manually created by system administrator (x1, persistentvolume-controller)',
      'Normal Provisioning External provisioner is provisioning volume for claim "demo/data" (x1, ' +
        provisioner +
        ')',
      `Normal ProvisioningSucceeded Successfully provisioned volume ${pvName} (x1, ${provisioner})`,
    ]);
  });

  it('gives the space back when the claim and its volume go (reclaimPolicy Delete), not while a pod uses it', async () => {
    const { run, apply, c } = setup();
    await apply('pvc.yaml', claimYaml('data', '10Gi'));
    lab.advance(2_000);
    expect(freeGB()).toBe(20470);
    const pvName = `pvc-${c.get('persistentvolumeclaims', 'demo', 'data').metadata.uid}`;
    // a pod on a node holds the claim: deleting it leaves it Terminating
    await apply(
      'pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: demo\nspec:\n  containers:\n  - name: app\n    image: nginx\n  volumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: data\n',
    );
    lab.advance(10_000);
    expect(spec<{ nodeName?: string }>(c.get('pods', 'demo', 'app')).nodeName).toBeTruthy();
    expect(await run('kubectl delete pvc data -n demo --wait=false')).toMatchObject({ status: 0 });
    lab.settle();
    expect((await run('kubectl get pvc data -n demo --no-headers')).out).toMatch(/^data +Terminating +pvc-/);
    expect(freeGB()).toBe(20470);
    await run('kubectl delete pod app -n demo --wait=false');
    lab.advance(60_000);
    expect(c.tryGet('pods', 'demo', 'app')).toBeUndefined();
    expect(c.tryGet('persistentvolumeclaims', 'demo', 'data')).toBeUndefined();
    expect(c.tryGet('persistentvolumes', '', pvName)).toBeUndefined();
    expect(lab.world.vc.list('cnsvolumes').items).toHaveLength(0);
    expect(freeGB()).toBe(20480);
    expect((await run('kubectl get pv')).err).toBe('No resources found\n');
  });

  it('keeps a claim of an unknown class Pending with the PV controller’s event, repeated every resync', async () => {
    const { run, apply } = setup();
    await apply('pvc.yaml', claimYaml('data', '1Gi', 'platinum'));
    lab.settle();
    lab.advance(30_000);
    expect((await run('kubectl get pvc -n demo --no-headers')).out).toMatch(
      /^data +Pending +platinum +30s\n$/,
    );
    expect(events('data')).toEqual([
      'Warning ProvisioningFailed storageclass.storage.k8s.io "platinum" not found (x3, persistentvolume-controller)',
    ]);
    expect((await run('kubectl get pv')).err).toBe('No resources found\n');
  });

  it('keeps a pod whose claim is missing or unbound Pending, and schedules it once the claim is bound', async () => {
    const { run, apply, c } = setup();
    const podYaml = (claim: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app-${claim}\n  namespace: demo\nspec:\n  containers:\n  - name: app\n    image: nginx:1.25\n  volumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: ${claim}\n`;
    const waiting = (why: string) =>
      `Warning FailedScheduling 0/4 nodes are available: ${why}. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling. (x1, default-scheduler)`;
    await apply('missing.yaml', podYaml('data'));
    await apply('unbound.yaml', podYaml('gold'));
    await apply('gold-claim.yaml', claimYaml('gold', '1Gi', 'platinum'));
    lab.advance(10_000);
    expect(phase(c.get('pods', 'demo', 'app-data'))).toBe('Pending');
    expect(events('app-data')).toEqual([waiting('persistentvolumeclaim "data" not found')]);
    expect(events('app-gold')).toEqual([waiting('pod has unbound immediate PersistentVolumeClaims')]);
    expect(spec<{ nodeName?: string }>(c.get('pods', 'demo', 'app-gold')).nodeName).toBeUndefined();
    // the claim made: it binds, and the pod is scheduled and runs
    await apply('data-claim.yaml', claimYaml('data', '1Gi'));
    lab.advance(10_000);
    expect(phase(c.get('persistentvolumeclaims', 'demo', 'data'))).toBe('Bound');
    expect(phase(c.get('pods', 'demo', 'app-data'))).toBe('Running');
    expect(phase(c.get('pods', 'demo', 'app-gold'))).toBe('Pending');
    expect((await run('kubectl get pods -n demo --no-headers')).out).toMatch(
      /^app-data +1\/1 +Running +0 +\d+s\napp-gold +0\/1 +Pending +0 +\d+s\n$/,
    );
  });

  it('fails to provision a claim larger than the datastore’s free space, and says why', async () => {
    const { apply, c } = setup();
    await apply('pvc.yaml', claimYaml('huge', '30Ti'));
    lab.advance(2_000);
    expect(phase(c.get('persistentvolumeclaims', 'demo', 'huge'))).toBe('Pending');
    expect(events('huge').find((e) => e.startsWith('Warning'))).toMatch(
      /^Warning ProvisioningFailed failed to provision volume with StorageClass "k8s-gold": rpc error: code = Internal desc = failed to create volume\. Error: failed to create volume with fault: "\(vim\.fault\.NoDiskSpace\) Insufficient disk space on datastore 'vsanDatastore': 31457280 MB requested, 20971520 MB free" \(x1, csi\.vsphere\.vmware\.com_/,
    );
    expect(c.list('persistentvolumes').items).toHaveLength(0);
    expect(freeGB()).toBeUndefined();
  });

  it('refuses a claim past the namespace’s storage limit, creating nothing', async () => {
    const { apply, c } = setup({ namespace: { limits: { storageGiB: { 'k8s-gold': 5 } } } });
    lab.settle();
    expect((await apply('a.yaml', claimYaml('a', '4Gi'))).status).toBe(0);
    expect(await apply('b.yaml', claimYaml('b', '2Gi'))).toEqual({
      status: 1,
      out: '',
      err: 'Error from server (Forbidden): error when creating "b.yaml": persistentvolumeclaims "b" is forbidden: exceeded quota: demo-storagequota, requested: k8s-gold.storageclass.storage.k8s.io/requests.storage=2Gi, used: k8s-gold.storageclass.storage.k8s.io/requests.storage=4Gi, limited: k8s-gold.storageclass.storage.k8s.io/requests.storage=5Gi\n',
    });
    lab.advance(2_000);
    expect(c.tryGet('persistentvolumeclaims', 'demo', 'b')).toBeUndefined();
    expect(
      c.list('persistentvolumes').items.map((v) => spec<{ claimRef: { name: string } }>(v).claimRef.name),
    ).toEqual(['a']);
    expect(freeGB()).toBe(20476);
  });

  it('binds the claims a StatefulSet makes from its volumeClaimTemplates', async () => {
    const { run, apply, c } = setup();
    await apply(
      'sts.yaml',
      [
        'apiVersion: apps/v1',
        'kind: StatefulSet',
        'metadata: {name: db, namespace: demo}',
        'spec:',
        '  replicas: 2',
        '  serviceName: db',
        '  selector: {matchLabels: {app: db}}',
        '  template:',
        '    metadata: {labels: {app: db}}',
        '    spec: {containers: [{name: db, image: nginx}]}',
        '  volumeClaimTemplates:',
        '  - metadata: {name: data}',
        '    spec: {storageClassName: k8s-gold, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}',
        '',
      ].join('\n'),
    );
    lab.advance(60_000);
    const claims = c.list('persistentvolumeclaims', { namespace: 'demo' }).items;
    expect(claims.map((p) => [p.metadata.name, phase(p)])).toEqual([
      ['data-db-0', 'Bound'],
      ['data-db-1', 'Bound'],
    ]);
    const out = (await run('kubectl get pv --no-headers')).out.split('\n').filter(Boolean);
    expect(out).toHaveLength(2);
    for (const line of out)
      expect(line).toMatch(/^pvc-\S+ +1Gi +RWO +Delete +Bound +demo\/data-db-[01] +k8s-gold +\d+s$/);
    expect(freeGB()).toBe(20478);
  });

  it('binds a claim without a class to an administrator’s volume that fits, and says so while none does', async () => {
    const { run, apply, c } = setup();
    await apply('pvc.yaml', claimYaml('shared', '5Gi', '""'));
    lab.advance(15_000);
    expect(events('shared')).toEqual([
      'Normal FailedBinding no persistent volumes available for this claim and no storage class is set (x2, persistentvolume-controller)',
    ]);
    for (const [name, size] of [
      ['small', '1Gi'],
      ['big', '50Gi'],
      ['fit', '10Gi'],
    ] as const)
      c.create({
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name },
        spec: {
          capacity: { storage: size },
          accessModes: ['ReadWriteOnce'],
          nfs: { server: 'nfs.lab.local', path: `/exports/${name}` },
        },
      });
    lab.settle();
    expect((await run('kubectl get pv --no-headers')).out).toMatch(
      /^big +50Gi +RWO +Retain +Available +0s\nfit +10Gi +RWO +Retain +Bound +demo\/shared +0s\nsmall +1Gi +RWO +Retain +Available +0s\n$/,
    );
    expect(c.get('persistentvolumeclaims', 'demo', 'shared').status).toEqual({
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '10Gi' },
    });
    // Retain: the volume outlives its claim, Released
    await run('kubectl delete pvc shared -n demo');
    lab.settle();
    expect(phase(c.get('persistentvolumes', '', 'fit'))).toBe('Released');
  });

  it('releases the volumes of a vSphere Namespace the administrator removes', async () => {
    const { apply } = setup();
    await apply('a.yaml', claimYaml('a', '3Gi'));
    lab.advance(2_000);
    expect(freeGB()).toBe(20477);
    lab.world.vc.delete('vspherenamespaces', '', 'demo');
    lab.advance(10_000);
    expect(lab.world.vc.tryGet('vspherenamespaces', '', 'demo')).toBeUndefined();
    expect(adminClient(lab).list('persistentvolumes').items).toHaveLength(0);
    expect(lab.world.vc.list('cnsvolumes').items).toHaveLength(0);
    expect(freeGB()).toBe(20480);
  });
});
