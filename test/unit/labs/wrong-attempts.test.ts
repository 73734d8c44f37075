// Wrong or incomplete attempts, lab by lab: the reference solutions of the earlier steps, then what a
// learner might plausibly get wrong. The step's matching check fails, and the step names its hint.
import { afterEach, describe, expect, it } from 'vitest';
import { learner, shippedLabs, type Learner } from './harness';

let l: Learner | undefined;
afterEach(() => {
  l?.lab.close();
  l = undefined;
});

const solution = (lab: string, step: number) => shippedLabs().find(lab)!.steps[step - 1]!.solution;

interface WrongAttempt {
  lab: string;
  step: number;
  what: string;
  attempt: () => string;
  /** the check that must fail first, and whose hint the step names */
  fails: string;
  /** what the learner's terminal printed, as the real tool would */
  says?: RegExp;
}

const attempts: WrongAttempt[] = [
  {
    lab: '01-enable-workload-management',
    step: 2,
    what: 'enabled on the vSphere networking stack instead of NSX-T',
    attempt: () =>
      'govc namespace.cluster.enable -cluster Workload-Cluster -network-provider VSPHERE_NETWORK -service-cidr 10.96.0.0/23 -mgmt-network.network "DVPG-Management Network" -mgmt-network.starting-address 192.168.10.100 -mgmt-network.subnet-mask 255.255.255.0 -mgmt-network.gateway 192.168.10.1 -control-plane-storage-policy k8s-gold -ephemeral-storage-policy k8s-gold -image-storage-policy k8s-gold',
    fails: 'on-nsx',
  },
  {
    lab: '01-enable-workload-management',
    step: 3,
    what: 'looked at the Supervisor before its control plane had time to come up',
    attempt: () => 'sleep 2m\nkubectl get nodes',
    fails: 'config-running',
  },
  {
    lab: '02-control-plane',
    step: 3,
    what: 'failed a host that runs no control-plane VM',
    attempt: () => 'lab host fail esxi-04.lab.local\nsleep 5m',
    fails: 'host-failed',
  },
  {
    lab: '03-vsphere-namespace',
    step: 4,
    what: 'gave the DevOps engineer the view role',
    attempt: () =>
      'govc namespace.access.set -principal devops@vsphere.local -role view demo\ngovc namespace.access.set -principal viewer@vsphere.local -role view demo',
    fails: 'devops-edit',
  },
  {
    lab: '03-vsphere-namespace',
    step: 5,
    what: 'gave -vmclass once, replacing best-effort-small',
    attempt: () =>
      'govc namespace.update -vmclass best-effort-small demo\ngovc namespace.update -vmclass guaranteed-medium demo',
    fails: 'best-effort-small',
  },
  {
    lab: '04-vsphere-pods',
    step: 2,
    what: 'mistyped the image',
    attempt: () => 'kubectl run web --image=ngnix:1.25\nsleep 30s',
    fails: 'pod-running',
  },
  {
    lab: '05-harbor',
    step: 3,
    what: 'ran the pod from the image name without the registry',
    attempt: () =>
      'kubectl vsphere login --server=192.168.30.1 --vsphere-username devops@vsphere.local --insecure-skip-tls-verify\nkubectl config use-context demo\nkubectl run web --image=demo/web:v1\nsleep 1m',
    fails: 'from-harbor',
  },
  {
    lab: '06-provision-tkc',
    step: 2,
    what: 'used a VM class not bound to the namespace (the API server refuses the cluster)',
    attempt: () =>
      solution('06-provision-tkc', 2).replace('vmClass: guaranteed-medium', 'vmClass: guaranteed-large'),
    fails: 'tkc-exists',
    says: /Error from server \(Forbidden\): error when creating "tkc-01\.yaml": admission webhook "default\.validating\.tanzukubernetescluster\.run\.tanzu\.vmware\.com" denied the request: spec\.topology\.nodePools\[0\]\.vmClass: Invalid value: "guaranteed-large": VirtualMachineClass "guaranteed-large" is not bound to namespace "demo"/,
  },
  {
    lab: '06-provision-tkc',
    step: 3,
    what: 'did not give the cluster time to come up',
    attempt: () => 'sleep 1m\nkubectl get tkc',
    fails: 'tkc-ready',
  },
  {
    lab: '07-tkc-lifecycle',
    step: 2,
    what: 'asked for a control plane of two nodes (the webhook refuses it)',
    attempt: () =>
      `kubectl patch tkc tkc-01 -n demo --type merge -p '{"spec":{"topology":{"controlPlane":{"replicas":2}}}}'\nsleep 5m`,
    fails: 'spec-three',
    says: /denied the request: control plane can only be either 1 or 3 nodes/,
  },
  {
    lab: '07-tkc-lifecycle',
    step: 3,
    what: 'upgraded the control plane alone (the node pool must follow)',
    attempt: () =>
      `kubectl patch tkc tkc-01 -n demo --type merge -p '{"spec":{"topology":{"controlPlane":{"tkr":{"reference":{"name":"v1.22.9---vmware.1-tkg.1.cc71bc8"}}}}}}'\nsleep 5m`,
    fails: 'release',
    says: /must match the control plane's TanzuKubernetesRelease/,
  },
  {
    lab: '08-tkc-workloads',
    step: 2,
    what: 'waited for the pods without binding a Pod Security Policy',
    attempt: () => 'kubectl get events\nsleep 2m',
    fails: 'pods-running',
  },
  {
    lab: '08-tkc-workloads',
    step: 3,
    what: 'exposed the Deployment as a ClusterIP Service',
    attempt: () => 'kubectl expose deployment web --port=80\nsleep 1m',
    fails: 'external-ip',
  },
  {
    lab: '08-tkc-workloads',
    step: 4,
    what: 'asked for a storage class the cluster does not have',
    attempt: () =>
      solution('08-tkc-workloads', 4).replace('storageClassName: k8s-gold', 'storageClassName: gold'),
    fails: 'bound',
  },
  {
    lab: '09-vsphere-networking',
    step: 1,
    what: 'enabled on NSX-T',
    attempt: () => solution('01-enable-workload-management', 2) + '\nsleep 20m',
    fails: 'vds',
  },
  {
    lab: '10-troubleshooting',
    step: 1,
    what: 'raised the pod limit, but not enough',
    attempt: () => 'kubectl get events -n demo\ngovc namespace.update -object-limit pods=4 demo\nsleep 5m',
    fails: 'limit-raised',
  },
  {
    lab: '10-troubleshooting',
    step: 3,
    what: 'reproduced the denial but did not fix the permission',
    attempt: () =>
      'kubectl vsphere login --server=192.168.30.1 --vsphere-username viewer@vsphere.local --insecure-skip-tls-verify\nkubectl run test --image=nginx:1.25 -n demo',
    fails: 'viewer-may-create',
    says: /Error from server \(Forbidden\): pods is forbidden: User "sso:viewer@vsphere\.local" cannot create resource "pods" in API group "" in the namespace "demo"/,
  },
];

describe('a wrong or incomplete attempt fails the matching check and names its hint', () => {
  for (const a of attempts) {
    it(`${a.lab} step ${a.step}: ${a.what}`, async () => {
      const def = shippedLabs().find(a.lab)!;
      l = learner();
      await l.labs.start(a.lab);
      for (let s = 1; s < a.step; s++) await l.type(def.steps[s - 1]!.solution);
      const out = await l.type(a.attempt());
      if (a.says) expect(out).toMatch(a.says);
      const r = l.labs.check(a.lab, a.step);
      expect(r.passed, out).toBe(false);
      const failing = r.checks.filter((c) => !c.passed);
      expect(failing[0]?.id, `failing: ${JSON.stringify(failing)}\n${out}`).toBe(a.fails);
      const hint = def.steps[a.step - 1]!.checks.find((c) => c.id === a.fails)!.hint;
      expect(r.hint).toBe(hint);
      expect(failing[0]!.hint).toBe(hint);
      // the learner has not moved past the step
      expect(l.labs.progress.get(def.id)!.completed).not.toContain(def.steps[a.step - 1]!.id);
    });
  }
});
