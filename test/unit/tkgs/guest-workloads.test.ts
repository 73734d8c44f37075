import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import { guestSpace } from '../../../main/sim/tkgs/guest';
import { adminClient } from '../../helpers/lab';
import { minutes, RBAC_MISTAKES, tkcLab, tkcYaml, type TkcLab } from '../../helpers/tkc';

let t: TkcLab | undefined;
afterEach(() => t?.lab.close());

/** A running TKC with devops@vsphere.local logged in to it (the context is the cluster's). */
async function guest(o: Parameters<typeof tkcYaml>[0] = {}) {
  t = await tkcLab();
  const { run, apply, lab } = t;
  await run('govc namespace.access.set -principal devops@vsphere.local -role edit demo');
  expect((await apply('tkc.yaml', tkcYaml(o))).status).toBe(0);
  minutes(lab, 15);
  const login = await run(
    'kubectl vsphere login --server=192.168.30.1 --vsphere-username devops@vsphere.local --tanzu-kubernetes-cluster-name tkc-01 --tanzu-kubernetes-cluster-namespace demo --insecure-skip-tls-verify',
  );
  expect(login.status).toBe(0);
  expect((await run('kubectl config use-context tkc-01')).status).toBe(0);
  return t;
}

const settle = (lab: Lab, seconds = 30) => {
  for (let i = 0; i < seconds; i++) lab.advance(1_000);
};

describe('workloads in a guest cluster (TKr v1.21: PodSecurityPolicy)', () => {
  it("refuses a Deployment's pods until a PSP role is bound, then schedules them on the workers and runs them", async () => {
    const { run, lab } = await guest();
    expect((await run('kubectl version')).out).toMatch(/\nServer Version: v1\.21\.6\+vmware\.1\n$/);
    // a bare pod, made by the learner (cluster-admin), runs under the privileged policy
    expect((await run('kubectl run solo --image=nginx')).out).toBe('pod/solo created\n');
    settle(lab);
    expect(
      (
        await run(
          "kubectl get pod solo -o jsonpath='{.status.phase} {.metadata.annotations.kubernetes\\.io/psp}'",
        )
      ).out,
    ).toBe('Running vmware-system-privileged');
    // a Deployment: created, but its ReplicaSet may not make pods
    expect((await run('kubectl create deployment web --image=nginx --replicas=3')).out).toBe(
      'deployment.apps/web created\n',
    );
    settle(lab, 5);
    expect((await run('kubectl get pods -l app=web --no-headers')).err).toBe(
      'No resources found in default namespace.\n',
    );
    const events = (
      await run(
        'kubectl get events --field-selector reason=FailedCreate -o custom-columns=MSG:.message --no-headers',
      )
    ).out;
    expect(events).toMatch(
      /^Error creating: pods "web-[a-z0-9]+-" is forbidden: PodSecurityPolicy: unable to admit pod: \[\]\n/,
    );
    expect((await run('kubectl get deploy web --no-headers')).out).toMatch(/^web +0\/3 +0 +0 /);
    // the fix a learner looks up: bind the privileged policy to every authenticated service account
    expect(
      (
        await run(
          'kubectl create clusterrolebinding default-tkg-admin-privileged-binding --clusterrole=psp:vmware-system-privileged --group=system:serviceaccounts',
        )
      ).out,
    ).toBe('clusterrolebinding.rbac.authorization.k8s.io/default-tkg-admin-privileged-binding created\n');
    // the mistakes a learner makes typing it answer as kubectl does, and change nothing
    const NAME = 'default-tkg-admin-privileged-binding';
    for (const [args, err] of RBAC_MISTAKES) {
      const r = await run(`kubectl ${args.join(' ').replace('psp-all', NAME)}`);
      expect({ status: r.status, out: r.out }).toEqual({ status: 1, out: '' });
      if (typeof err === 'string') expect(r.err).toBe(err.replace('psp-all', NAME));
      else expect(r.err).toMatch(err);
    }
    settle(lab, 60);
    const pods = (await run('kubectl get pods -l app=web -o wide --no-headers')).out.trim().split('\n');
    expect(pods).toHaveLength(3);
    const workers = (await run('kubectl get nodes -l !node-role.kubernetes.io/master -o name')).out;
    for (const line of pods) {
      const [, ready, status, , , ip, node] = line.split(/ +/);
      expect(`${ready} ${status}`).toBe('1/1 Running');
      // an address from the node's pod CIDR, and only on a worker (the control plane is tainted)
      expect(ip).toMatch(/^192\.168\.\d+\.\d+$/);
      expect(workers).toContain(`node/${node}`);
    }
    expect((await run('kubectl get deploy web --no-headers')).out).toMatch(/^web +3\/3 +3 +3 /);
    expect((await run('kubectl get psp --no-headers')).out).toMatch(
      /^vmware-system-privileged +true +\* +RunAsAny +RunAsAny +RunAsAny +RunAsAny +false +\*\nvmware-system-restricted +false +RunAsAny +MustRunAsNonRoot +MustRunAs +MustRunAs +false +configMap,emptyDir,projected,secret,downwardAPI,persistentVolumeClaim\n$/,
    );
  });

  it('runs a restricted-policy pod as non-root: an image that runs as root fails as the kubelet says', async () => {
    const { run, lab } = await guest();
    await run(
      'kubectl create rolebinding restricted --clusterrole=psp:vmware-system-restricted --group=system:serviceaccounts -n default',
    );
    await run('kubectl create deployment web --image=nginx');
    settle(lab, 30);
    const pod = (await run('kubectl get pods -l app=web --no-headers')).out;
    expect(pod).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5} +0\/1 +CreateContainerConfigError +0 /);
    const name = pod.split(/ +/)[0];
    expect((await run(`kubectl describe pod ${name}`)).out).toMatch(
      /Error: container has runAsNonRoot and image will run as root \(pod: "web-[a-z0-9-]+_default\([0-9a-f-]+\)", container: nginx\)/,
    );
    expect(
      (await run(`kubectl get pod ${name} -o jsonpath='{.metadata.annotations.kubernetes\\.io/psp}'`)).out,
    ).toBe('vmware-system-restricted');
    // a privileged container is refused by the restricted policy, with the path and reason
    t!.write(
      'priv.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: priv
spec:
  selector:
    matchLabels: {app: priv}
  template:
    metadata:
      labels: {app: priv}
    spec:
      containers:
      - name: c
        image: busybox
        command: [sleep, "3600"]
        securityContext:
          privileged: true
`,
    );
    expect((await run('kubectl apply -f priv.yaml')).status).toBe(0);
    settle(lab, 5);
    expect(
      (
        await run(
          'kubectl get events --field-selector reason=FailedCreate -o custom-columns=MSG:.message --no-headers',
        )
      ).out,
    ).toContain(
      'PodSecurityPolicy: unable to admit pod: [spec.containers[0].securityContext.privileged: Invalid value: true: Privileged containers are not allowed]',
    );
  });

  it("leaves a pod that fits no worker Pending with the scheduler's reasons, and evicts pods from a node whose host failed", async () => {
    const { run, lab } = await guest({ workers: 2 });
    await run(
      'kubectl create clusterrolebinding psp-all --clusterrole=psp:vmware-system-privileged --group=system:serviceaccounts',
    );
    // guaranteed-medium is 2 vCPUs: a pod asking for 3 fits nowhere
    t!.write(
      'big.yaml',
      `apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: c
    image: nginx
    resources:
      requests:
        cpu: "3"
`,
    );
    await run('kubectl apply -f big.yaml');
    settle(lab, 5);
    expect((await run("kubectl get pod big -o jsonpath='{.status.conditions[0].message}'")).out).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/master: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    await run('kubectl create deployment web --image=nginx --replicas=4');
    settle(lab, 30);
    const placed = (
      await run('kubectl get pods -l app=web -o jsonpath=\'{range .items[*]}{.spec.nodeName}{"\\n"}{end}\'')
    ).out
      .trim()
      .split('\n');
    expect(placed).toHaveLength(4);
    // least allocated first: two on each worker
    expect(new Set(placed).size).toBe(2);
    // the host of one worker fails: HA restarts the VM elsewhere; meanwhile the node is NotReady
    const worker = placed[0]!;
    const host = (lab.world.vc.get('virtualmachines', '', worker).status as { host: string }).host;
    expect((await run(`lab host fail ${host}`)).status).toBe(0);
    settle(lab, 5);
    expect((await run(`kubectl get node ${worker} --no-headers`)).out).toMatch(
      new RegExp(`^${worker} +NotReady `),
    );
    minutes(lab, 8);
    // the VM came back on another host and the node is Ready again; the Deployment has its four pods
    expect((await run(`kubectl get node ${worker} --no-headers`)).out).toMatch(
      new RegExp(`^${worker} +Ready `),
    );
    expect((await run('kubectl get deploy web --no-headers')).out).toMatch(/^web +4\/4 +4 +4 /);
  });
});

describe("a guest node's pod addresses", () => {
  it('come from its pod CIDR, each after the last one given, so a freed address is not handed out at once', async () => {
    const { run, lab } = await guest({ workers: 1 });
    await run(
      'kubectl create clusterrolebinding psp-all --clusterrole=psp:vmware-system-privileged --group=system:serviceaccounts',
    );
    const ipOf = async (pod: string) =>
      (await run(`kubectl get pod ${pod} -o jsonpath='{.status.podIP}'`)).out;
    const start = async (pod: string) => {
      expect((await run(`kubectl run ${pod} --image=nginx`)).status).toBe(0);
      settle(lab, 5);
      return ipOf(pod);
    };
    const [a, b] = [await start('a'), await start('b')];
    const num = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    expect(num(b) - num(a)).toBe(1);
    expect((await run('kubectl delete pod a')).status).toBe(0);
    settle(lab, 40);
    const c = await start('c');
    // host-local IPAM goes on from b, rather than back to a's address
    expect(num(c) - num(b)).toBe(1);
    const node = (await run("kubectl get pod c -o jsonpath='{.spec.nodeName}'")).out;
    const cidr = (await run(`kubectl get node ${node} -o jsonpath='{.spec.podCIDR}'`)).out;
    const [base, bits] = cidr.split('/');
    expect(num(c) >>> (32 - Number(bits))).toBe(num(base!) >>> (32 - Number(bits)));
  });
});

describe('Pod Security Admission in guest clusters on vSphere 8 (TKr v1.25 warns, v1.26 enforces restricted)', () => {
  const restrictedPod = `apiVersion: v1
kind: Pod
metadata:
  name: safe
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 101
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: web
    image: nginxinc/nginx-unprivileged
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
`;

  it('on v1.26 refuses a pod that breaks restricted, admits one that keeps it, and warns on a Deployment', async () => {
    t = await tkcLab({ vsphere: '8.0.2' });
    const { run, apply, lab, write } = t;
    await run('govc namespace.access.set -principal devops@vsphere.local -role edit demo');
    expect((await apply('tkc.yaml', tkcYaml({ tkr: 'v1.26.5---vmware.2-fips.1-tkg.1' }))).status).toBe(0);
    minutes(lab, 15);
    await run(
      'kubectl vsphere login --server=192.168.30.1 --vsphere-username devops@vsphere.local --tanzu-kubernetes-cluster-name tkc-01 --tanzu-kubernetes-cluster-namespace demo --insecure-skip-tls-verify',
    );
    await run('kubectl config use-context tkc-01');
    expect(await run('kubectl run bad --image=nginx')).toMatchObject({
      status: 1,
      err:
        'Error from server (Forbidden): pods "bad" is forbidden: violates PodSecurity "restricted:latest": ' +
        'allowPrivilegeEscalation != false (container "bad" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "bad" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "bad" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "bad" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")\n',
    });
    write('safe.yaml', restrictedPod);
    expect((await run('kubectl apply -f safe.yaml')).out).toBe('pod/safe created\n');
    settle(lab);
    expect((await run("kubectl get pod safe -o jsonpath='{.status.phase}'")).out).toBe('Running');
    const deploy = await run('kubectl create deployment web --image=nginx');
    expect(deploy.out).toBe('deployment.apps/web created\n');
    expect(deploy.err).toMatch(
      /^Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/,
    );
    // a namespace labelled privileged runs what it likes
    await run('kubectl create namespace legacy');
    await run('kubectl label namespace legacy pod-security.kubernetes.io/enforce=privileged');
    expect((await run('kubectl run old --image=nginx -n legacy')).out).toBe('pod/old created\n');
  });

  it('on v1.25 admits a pod that breaks restricted, with the warning', async () => {
    t = await tkcLab({ vsphere: '8.0.2' });
    const { run, apply, lab } = t;
    expect((await apply('tkc.yaml', tkcYaml({ tkr: 'v1.25.7---vmware.3-fips.1-tkg.1' }))).status).toBe(0);
    minutes(lab, 15);
    await run(
      'kubectl vsphere login --server=192.168.30.1 --vsphere-username administrator@vsphere.local --tanzu-kubernetes-cluster-name tkc-01 --tanzu-kubernetes-cluster-namespace demo --insecure-skip-tls-verify',
    );
    await run('kubectl config use-context tkc-01');
    const r = await run('kubectl run loose --image=nginx');
    expect(r).toMatchObject({ status: 0, out: 'pod/loose created\n' });
    expect(r.err).toMatch(
      /^Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/,
    );
    // no PodSecurityPolicies on v1.25: the admission controller is gone with them
    expect((await run('kubectl get psp')).err).toBe('No resources found\n');
  });
});

describe('services and volumes in a guest cluster, through the Supervisor', () => {
  it('gives a LoadBalancer Service an IP from the Supervisor ingress range, and takes it back on delete', async () => {
    const { run, lab } = await guest();
    await run(
      'kubectl create clusterrolebinding psp-all --clusterrole=psp:vmware-system-privileged --group=system:serviceaccounts',
    );
    await run('kubectl create deployment web --image=nginx --replicas=2');
    expect((await run('kubectl expose deployment web --port=80 --type=LoadBalancer')).out).toBe(
      'service/web exposed\n',
    );
    settle(lab, 30);
    const row = (await run('kubectl get svc web --no-headers')).out;
    expect(row).toMatch(/^web +LoadBalancer +10\.\d+\.\d+\.\d+ +192\.168\.30\.\d+ +80:3\d{4}\/TCP +\d+s\n$/);
    const ip = row.split(/ +/)[3]!;
    // on the Supervisor: a VirtualMachineService in the TKC's namespace, load-balancing the workers
    await run('kubectl config use-context demo');
    const vmsvc = (await run('kubectl get virtualmachineservices -n demo tkc-01-default-web -o yaml')).out;
    expect(vmsvc).toContain('type: LoadBalancer');
    expect(vmsvc).toContain('capw.vmware.com/cluster.role: worker');
    expect((await run('kubectl get svc tkc-01-default-web -n demo --no-headers')).out).toContain(` ${ip} `);
    await run('kubectl config use-context tkc-01');
    expect((await run('kubectl describe svc web')).out).toMatch(
      /Normal +EnsuringLoadBalancer +.*service-controller +Ensuring load balancer\n.*Normal +EnsuredLoadBalancer +.*Ensured load balancer/s,
    );
    expect((await run('kubectl delete svc web')).out).toBe('service "web" deleted\n');
    settle(lab, 5);
    await run('kubectl config use-context demo');
    expect((await run('kubectl get svc tkc-01-default-web -n demo')).err).toBe(
      'Error from server (NotFound): services "tkc-01-default-web" not found\n',
    );
  });

  it('binds a guest PVC through a Supervisor PVC that counts against the namespace quota; over quota it stays Pending', async () => {
    const { run, lab, write } = await guest();
    await run(
      'kubectl create clusterrolebinding psp-all --clusterrole=psp:vmware-system-privileged --group=system:serviceaccounts',
    );
    // the vSphere administrator sets a 3 GiB limit on the namespace's storage class
    expect((await run('govc namespace.update -storage-limit k8s-gold=3 demo')).status).toBe(0);
    const pvc = (name: string, size: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: k8s-gold
  resources:
    requests:
      storage: ${size}
`;
    write('data.yaml', pvc('data', '2Gi'));
    expect((await run('kubectl apply -f data.yaml')).out).toBe('persistentvolumeclaim/data created\n');
    settle(lab, 30);
    const row = (await run('kubectl get pvc data --no-headers')).out;
    expect(row).toMatch(/^data +Bound +pvc-[0-9a-f-]{36} +2Gi +RWO +k8s-gold +/);
    const pv = row.split(/ +/)[2]!;
    expect(
      (await run(`kubectl get pv ${pv} -o jsonpath='{.spec.csi.driver} {.spec.claimRef.name}'`)).out,
    ).toBe('csi.vsphere.vmware.com data');
    // the Supervisor's claim, and the quota it uses
    await run('kubectl config use-context demo');
    const sup = (await run('kubectl get pvc -n demo --no-headers')).out;
    expect(sup).toMatch(/^[0-9a-f-]{36}-[0-9a-f-]{36} +Bound +pvc-[0-9a-f-]{36} +2Gi +RWO +k8s-gold +/);
    expect((await run('kubectl describe quota -n demo')).out).toMatch(
      /k8s-gold\.storageclass\.storage\.k8s\.io\/requests\.storage +2Gi +3Gi/,
    );
    // a second claim would pass the limit: the Supervisor refuses it, the guest claim waits
    await run('kubectl config use-context tkc-01');
    write('more.yaml', pvc('more', '2Gi'));
    await run('kubectl apply -f more.yaml');
    settle(lab, 10);
    expect((await run('kubectl get pvc more --no-headers')).out).toMatch(/^more +Pending +/);
    expect((await run('kubectl describe pvc more')).out).toMatch(
      /Warning +ProvisioningFailed +.*failed to provision volume with StorageClass "k8s-gold": .*exceeded quota/,
    );
    // a pod using the bound claim runs; deleting the claim (after the pod) releases the Supervisor's
    write(
      'pod.yaml',
      `apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
  - name: db
    image: nginx
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: data}
`,
    );
    await run('kubectl apply -f pod.yaml');
    settle(lab, 30);
    expect((await run("kubectl get pod db -o jsonpath='{.status.phase}'")).out).toBe('Running');
    await run('kubectl delete pod db');
    await run('kubectl delete pvc data');
    settle(lab, 30);
    await run('kubectl config use-context demo');
    expect((await run('kubectl describe quota -n demo')).out).toMatch(
      /k8s-gold\.storageclass\.storage\.k8s\.io\/requests\.storage +2Gi +3Gi/,
    );
    // the refused claim got its volume once there was room
    await run('kubectl config use-context tkc-01');
    expect((await run('kubectl get pvc more --no-headers')).out).toMatch(/^more +Bound +/);
  });
});

describe('a guest cluster with one worker', () => {
  it('becomes Ready: its system deployments share the one worker', async () => {
    t = await tkcLab();
    const { run, apply, lab } = t;
    await apply('tkc.yaml', tkcYaml({ workers: 1 }));
    minutes(lab, 15);
    expect((await run("kubectl get tkc tkc-01 -n demo -o jsonpath='{.status.phase}'")).out).toBe('running');
  });
});

describe('deleting a TKC that served workloads', () => {
  it('takes its Supervisor load balancers and volumes with it', async () => {
    const { run, lab, write } = await guest();
    await run(
      'kubectl create clusterrolebinding psp-all --clusterrole=psp:vmware-system-privileged --group=system:serviceaccounts',
    );
    await run('kubectl create deployment web --image=nginx');
    await run('kubectl expose deployment web --port=80 --type=LoadBalancer');
    write(
      'data.yaml',
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: k8s-gold\n  resources:\n    requests:\n      storage: 1Gi\n',
    );
    await run('kubectl apply -f data.yaml');
    settle(lab, 30);
    await run('kubectl config use-context demo');
    const owned = async () =>
      (await run('kubectl get virtualmachineservices,services,pvc -n demo -o name')).out
        .trim()
        .split('\n')
        .sort();
    expect(await owned()).toEqual(
      expect.arrayContaining([
        'service/tkc-01-default-web',
        'virtualmachineservice.vmoperator.vmware.com/tkc-01-default-web',
      ]),
    );
    expect((await owned()).some((n) => n.startsWith('persistentvolumeclaim/'))).toBe(true);
    expect((await run('kubectl delete tkc tkc-01 -n demo')).out).toBe(
      'tanzukubernetescluster.run.tanzu.vmware.com "tkc-01" deleted\n',
    );
    minutes(lab, 2);
    expect((await run('kubectl get virtualmachineservices,services,pvc -n demo -o name')).out).toBe('');
    expect((await run('kubectl get tkc -n demo')).err).toBe('No resources found in demo namespace.\n');
  });
});

describe('PodSecurityPolicy decisions follow the bindings at once', () => {
  it('admits pods as soon as a binding is written and refuses them once it is deleted, commits or not', async () => {
    t = await tkcLab();
    const { apply, lab } = t;
    await apply('tkc.yaml', tkcYaml());
    minutes(lab, 15);
    const g = adminClient(lab, guestSpace('demo', 'tkc-01'));
    const rs = (name: string) =>
      g.create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name, namespace: 'default' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: { containers: [{ name: 'c', image: 'nginx' }] },
          },
        },
      });
    const podsOf = (app: string) =>
      g.list('pods', { namespace: 'default', labelSelector: `app=${app}` }).items;
    rs('before');
    lab.advance(2_000);
    expect(podsOf('before')).toHaveLength(0);
    // the binding and the next ReplicaSet in one go, without a commit between them
    lab.store.transaction(() => {
      g.create({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'psp-all' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'psp:vmware-system-privileged',
        },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts' }],
      });
      rs('with');
    });
    lab.advance(2_000);
    expect(podsOf('with')).toHaveLength(1);
    g.delete('clusterrolebindings.rbac.authorization.k8s.io', '', 'psp-all');
    rs('after');
    lab.advance(2_000);
    expect(podsOf('after')).toHaveLength(0);
  });
});
