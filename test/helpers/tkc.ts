// A lab with a running Supervisor, a vSphere Namespace `demo` and a shell signed in as the administrator,
// for the TKGS tests; `tkcYaml` writes a v1alpha2 TanzuKubernetesCluster manifest.
import type { Lab } from '../../main/sim/lab';
import { createShell } from '../../main/shell';
import { newLab } from './lab';
import { defaultScenario, runningSupervisor } from './scenario';

export interface TkcLab {
  lab: Lab;
  run(line: string): Promise<{ status: number; out: string; err: string }>;
  apply(file: string, yaml: string): Promise<{ status: number; out: string; err: string }>;
  /** writes a file in the lab's workspace */
  write(file: string, text: string): void;
}

/** `vsphere`: the vCenter's version (the default lab's is 7.0.3), which decides the TKrs it can run. */
export async function tkcLab(o: { vsphere?: string; start?: number } = {}): Promise<TkcLab> {
  const scenario = defaultScenario();
  if (o.vsphere) {
    scenario.vcenter.version = o.vsphere;
    for (const c of scenario.clusters) c.hosts.version = o.vsphere;
  }
  const lab = newLab({ scenario, ...(o.start === undefined ? {} : { start: o.start }) });
  runningSupervisor(lab);
  const session = createShell(lab, { write: () => {}, terminal: false });
  session.env.set('KUBECTL_VSPHERE_PASSWORD', 'VMware1!');
  const run = async (line: string) => {
    await session.runScript(`${line} > /out.txt 2> /err.txt`);
    return {
      status: session.lastStatus,
      out: session.workspace.read('/out.txt'),
      err: session.workspace.read('/err.txt'),
    };
  };
  const apply = (file: string, yaml: string) => {
    session.workspace.write(`/${file}`, yaml);
    return run(`kubectl apply -f ${file}`);
  };
  await run(
    'govc namespace.create -cluster Workload-Cluster -storage k8s-gold -vmclass best-effort-small -vmclass guaranteed-medium demo',
  );
  return { lab, run, apply, write: (file, text) => session.workspace.write(`/${file}`, text) };
}

export const tkcYaml = (
  o: {
    name?: string;
    cp?: number;
    workers?: number;
    tkr?: string;
    /** the control plane's VM class and storage class */
    vmClass?: string;
    storageClass?: string;
    workerClass?: string;
    /** the nodePools block as written, in place of the one `workers` pool */
    pools?: string;
  } = {},
) => `apiVersion: run.tanzu.vmware.com/v1alpha2
kind: TanzuKubernetesCluster
metadata:
  name: ${o.name ?? 'tkc-01'}
  namespace: demo
spec:
  topology:
    controlPlane:
      replicas: ${o.cp ?? 1}
      vmClass: ${o.vmClass ?? 'best-effort-small'}
      storageClass: ${o.storageClass ?? 'k8s-gold'}
      tkr:
        reference:
          name: ${o.tkr ?? 'v1.21.6---vmware.1-tkg.1.b3d708a'}
${
  o.pools ??
  `    nodePools:
    - name: workers
      replicas: ${o.workers ?? 2}
      vmClass: ${o.workerClass ?? 'guaranteed-medium'}
      storageClass: k8s-gold`
}
`;

/** Advances lab time a minute at a time (controllers run between steps). */
export function minutes(lab: Lab, n: number): void {
  for (let i = 0; i < n; i++) lab.advance(60_000);
}

/** Mistakes in typing the PodSecurityPolicy fix, and what kubectl answers (the lab's and the real one). */
export const RBAC_MISTAKES: [string[], string | RegExp][] = [
  [
    ['create', 'clusterrolebinding', 'x', '--group=system:serviceaccounts'],
    /^E\d{4} [\d:.]+ +\d+ run\.go:72\] "command failed" err="required flag\(s\) \\"clusterrole\\" not set"\n$/,
  ],
  [
    [
      'create',
      'clusterrolebinding',
      'x',
      '--clusterrole=psp:vmware-system-privileged',
      '--serviceaccount=default',
    ],
    'error: serviceaccount must be <namespace>:<name>\n',
  ],
  [
    ['create', 'rolebinding', 'x', '--group=system:serviceaccounts'],
    'error: exactly one of clusterrole or role must be specified\n',
  ],
  [
    [
      'create',
      'clusterrolebinding',
      'psp-all',
      '--clusterrole=psp:vmware-system-privileged',
      '--group=system:serviceaccounts',
    ],
    'error: failed to create clusterrolebinding: clusterrolebindings.rbac.authorization.k8s.io "psp-all" already exists\n',
  ],
];
