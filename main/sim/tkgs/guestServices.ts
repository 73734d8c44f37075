// A guest cluster's Services of type LoadBalancer, as the TKG Service's paravirtual cloud provider serves
// them: for each one it asks the Supervisor for a VirtualMachineService of type LoadBalancer in the TKC's
// vSphere Namespace (selecting the cluster's worker VMs), whose Service the Supervisor's load balancer
// gives a virtual IP from the ingress range; the provider copies that IP to the guest Service's status.
// Deleting the guest Service (or changing its type) deletes what it made on the Supervisor.
import type { KubeObject } from '../../api/types';
import { splitKey, type Controller } from '../runtime/controllers';
import type { World } from '../world';
import { VMOP_GROUP } from '../supervisor/kinds';
import { recordEvent } from '../supervisor/services';
import { GUEST_CLUSTER, guestOrBackRef, guestSides } from './guestRefs';
import { guestSpace } from './guest';

const CCM = 'service-controller';
const FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';
/** on the Supervisor's objects: the guest cluster and Service they stand for */
const GUEST_SERVICE = 'run.tanzu.vmware.com/guest-service';
const ROLE_LABEL = 'capw.vmware.com/cluster.role';

interface Port {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}
const svcSpec = (s: KubeObject) => (s.spec ?? {}) as { type?: string; ports?: Port[] };
const ingressIp = (s: KubeObject | undefined) =>
  (s?.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined)?.loadBalancer?.ingress?.[0]
    ?.ip;

/** The Supervisor-side name: `<cluster>-<namespace>-<service>`, cut to a DNS label with a hash when long. */
export function supervisorLbName(cluster: string, ns: string, svc: string): string {
  const n = `${cluster}-${ns}-${svc}`;
  if (n.length <= 63) return n;
  let h = 2166136261;
  for (const c of n) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return `${n.slice(0, 54).replace(/-+$/, '')}-${h.toString(16).padStart(8, '0')}`;
}

export function guestLoadBalancerController(w: World): Controller {
  return {
    name: 'guest-load-balancer',
    watches: [
      {
        group: '',
        kind: 'Service',
        map: guestOrBackRef(w, GUEST_SERVICE),
      },
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      const sides = guestSides(w, cluster);
      if (!sides) return;
      const { tkc: t, g, k } = sides;
      const svc = g.tryGet('services', namespace, name);
      const supName = supervisorLbName(t.name, namespace, name);
      const wants = svc && svcSpec(svc).type === 'LoadBalancer' && !svc.metadata.deletionTimestamp;
      if (!wants) {
        for (const ref of ['virtualmachineservices', 'services'])
          if (k.tryGet(ref, t.namespace, supName)) k.delete(ref, t.namespace, supName);
        if (svc && (svc.metadata.finalizers ?? []).includes(FINALIZER)) {
          recordEvent(w, g, cluster, svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer', CCM);
          let cur = svc;
          if (ingressIp(cur))
            cur = g.updateStatus({ ...cur, status: { ...(cur.status ?? {}), loadBalancer: {} } });
          g.update({
            ...cur,
            metadata: {
              ...cur.metadata,
              finalizers: (cur.metadata.finalizers ?? []).filter((f) => f !== FINALIZER),
            },
          });
        }
        return;
      }
      const tkc = k.tryGet('tanzukubernetesclusters.run.tanzu.vmware.com', t.namespace, t.name);
      if (!tkc) return;
      let current = svc;
      if (!(current.metadata.finalizers ?? []).includes(FINALIZER)) {
        recordEvent(w, g, cluster, current, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer', CCM);
        current = g.update({
          ...current,
          metadata: { ...current.metadata, finalizers: [...(current.metadata.finalizers ?? []), FINALIZER] },
        });
      }
      const ports = (svcSpec(current).ports ?? []).map((p) => ({
        name: p.name ?? `port-${p.port}`,
        protocol: p.protocol ?? 'TCP',
        port: p.port,
        // the worker VMs' node port, where kube-proxy takes it on
        targetPort: p.nodePort ?? p.port,
      }));
      const owner = {
        apiVersion: tkc.apiVersion,
        kind: tkc.kind,
        name: tkc.metadata.name!,
        uid: tkc.metadata.uid!,
      };
      const meta = {
        name: supName,
        namespace: t.namespace,
        labels: { 'run.tanzu.vmware.com/cluster': t.name },
        annotations: {
          [GUEST_CLUSTER]: guestSpace(t.namespace, t.name),
          [GUEST_SERVICE]: `${namespace}/${name}`,
        },
        ownerReferences: [owner],
      };
      if (!k.tryGet('virtualmachineservices', t.namespace, supName))
        k.create({
          apiVersion: `${VMOP_GROUP}/v1alpha1`,
          kind: 'VirtualMachineService',
          metadata: meta,
          spec: {
            type: 'LoadBalancer',
            ports,
            selector: { 'capw.vmware.com/cluster.name': t.name, [ROLE_LABEL]: 'worker' },
          },
        });
      let supSvc = k.tryGet('services', t.namespace, supName);
      if (!supSvc)
        supSvc = k.create({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: meta,
          spec: { type: 'LoadBalancer', ports },
        });
      const ip = ingressIp(supSvc);
      if (!ip || ingressIp(current) === ip) return;
      const vms = k.tryGet('virtualmachineservices', t.namespace, supName);
      if (vms && ingressIp(vms) !== ip)
        k.updateStatus({ ...vms, status: { loadBalancer: { ingress: [{ ip }] } } });
      g.updateStatus({
        ...current,
        status: { ...(current.status ?? {}), loadBalancer: { ingress: [{ ip }] } },
      });
      recordEvent(w, g, cluster, current, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer', CCM);
    },
  };
}
