// Services on the Supervisor (and in every Kubernetes API space), as the API server and the service
// controller keep them:
//   - the allocator (admission, as the API server's Service REST storage allocates before it stores):
//     a cluster IP from the space's service CIDR — the Supervisor's spec.serviceCIDR, 10.96.0.0/23 by
//     default — and node ports from 30000-32767, never one another Service holds. A new Service starts
//     at a hash of its namespace and name and takes the next free address (or port), so a lab allocates
//     the same addresses every run. Addresses and ports the user asks for are checked as the API server
//     checks them; an update keeps what the Service holds.
//   - the load balancer controller (Supervisor only): a Service of type LoadBalancer gets a virtual IP
//     from the Supervisor's ingress CIDRs (NSX-T) or the load balancer's VIP ranges (HAProxy, Avi on the
//     vSphere networking stack), past the Supervisor's own API VIP, with the service controller's
//     events and finalizer. EXTERNAL-IP shows <pending> until the virtual server is up.
import { registryAddresses } from './harbor';
import type { AdmissionPlugin } from '../../api/admission';
import type { ApiClient } from '../../api/client';
import { internalError, invalid } from '../../api/errors';
import type { KubeObject, StatusCause } from '../../api/types';
import { lifecycle } from '../lifecycle';
import { keyFor, splitKey, type Controller, type ControllerRuntime } from '../runtime/controllers';
import { contains, formatIp, parseCidr, parseIp, parseRange, type Range } from '../vcenter/ipv4';
import { GROUP } from '../vcenter/kinds';
import type { World } from '../world';
import { DEFAULT_SERVICE_CIDR, type SupervisorSpec } from './admission';
import { apiEndpointFor, SUPERVISOR_SPACE, type SupervisorStatus } from './controller';

/** A guest cluster's Services CIDR unless its spec says otherwise (TKGS's default). */
const GUEST_SERVICE_CIDR = '10.96.0.0/12';
/** The first addresses of a service CIDR are kept: the kubernetes Service (.1) and cluster DNS (.10). */
const RESERVED_OFFSET = 10;
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;
const LB_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';
const SERVICE_CONTROLLER = 'service-controller';

type ServicePort = { name?: string; protocol?: string; port?: number; nodePort?: number };
type ServiceSpec = {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  internalTrafficPolicy?: string;
  ports?: ServicePort[];
  externalTrafficPolicy?: string;
  healthCheckNodePort?: number;
  allocateLoadBalancerNodePorts?: boolean;
  loadBalancerIP?: string;
};
type ServiceStatus = { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
const svcSpec = (o: KubeObject | undefined) => (o?.spec ?? {}) as ServiceSpec;
const ingressOf = (o: KubeObject) => (o.status as ServiceStatus | undefined)?.loadBalancer?.ingress ?? [];

/** FNV-1a: a stable starting point in an address or port range. */
function spread(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/** The object without one finalizer (and without the list once it is empty, as the API server stores it). */
export function withoutFinalizer(o: KubeObject, finalizer: string): KubeObject {
  const metadata = {
    ...o.metadata,
    finalizers: (o.metadata.finalizers ?? []).filter((f) => f !== finalizer),
  };
  if (!metadata.finalizers.length) delete (metadata as { finalizers?: string[] }).finalizers;
  return { ...o, metadata };
}

/** The Supervisor of the lab, if Workload Management is enabled. */
export function labSupervisor(w: World): KubeObject | undefined {
  return w.vc.list('supervisors').items.find((s) => !s.metadata.deletionTimestamp);
}

/** The service CIDR of an API space: the Supervisor's, or a guest cluster's default. */
export function serviceCIDR(w: World, space: string): string {
  if (w.api.flavorOf(space) !== 'supervisor') return GUEST_SERVICE_CIDR;
  return (labSupervisor(w)?.spec as SupervisorSpec | undefined)?.serviceCIDR ?? DEFAULT_SERVICE_CIDR;
}

/** An event, unless the object's namespace is going away (the API server would refuse it). */
export function recordEvent(
  w: World,
  c: ApiClient,
  space: string,
  obj: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  component: string,
): void {
  if (w.api.objects.namespaceState(space, obj.metadata.namespace ?? 'default') !== 'active') return;
  w.recorder.event(c, obj, type, reason, message, component);
}

const needsNodePorts = (s: ServiceSpec) =>
  s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);

/** Every cluster IP and node port the other Services of a space hold. */
function taken(w: World, space: string, self: KubeObject): { ips: Set<string>; ports: Set<number> } {
  const kind = w.api.registry.byKind('', 'Service')!;
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const o of w.api.objects.list(kind, space)) {
    if (o.metadata.namespace === self.metadata.namespace && o.metadata.name === self.metadata.name) continue;
    const s = svcSpec(o);
    for (const ip of s.clusterIPs ?? (s.clusterIP ? [s.clusterIP] : [])) ips.add(ip);
    for (const p of s.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
    if (s.healthCheckNodePort) ports.add(s.healthCheckNodePort);
  }
  return { ips, ports };
}

/** Allocates (or checks) a Service's cluster IP and node ports in place; throws Invalid or InternalError. */
export function allocateService(w: World, space: string, svc: KubeObject, old: KubeObject | undefined): void {
  const s = svcSpec(svc);
  const was = old && svcSpec(old).type !== 'ExternalName' ? svcSpec(old) : undefined;
  const name = svc.metadata.name ?? '';
  const id = `${svc.metadata.namespace ?? ''}/${name}`;
  const causes: StatusCause[] = [];
  const bad = (field: string, message: string, reason = 'FieldValueInvalid') =>
    causes.push({ field, reason, message });
  if (s.type === 'ExternalName') {
    // the type no longer has a cluster IP or node ports: what the old type held goes
    for (const f of [
      'clusterIP',
      'clusterIPs',
      'ipFamilies',
      'ipFamilyPolicy',
      'healthCheckNodePort',
    ] as const)
      delete s[f];
    for (const p of s.ports ?? []) delete p.nodePort;
    return;
  }
  const { ips, ports } = taken(w, space, svc);

  // cluster IP
  const cidr = serviceCIDR(w, space);
  const range = parseCidr(cidr)!;
  if (!s.clusterIP && was?.clusterIP) s.clusterIP = was.clusterIP;
  const quoted = `[]string{"${s.clusterIP}"}`;
  if (was?.clusterIP && s.clusterIP && was.clusterIP !== s.clusterIP)
    bad('spec.clusterIPs[0]', `Invalid value: ${quoted}: may not change once set`);
  else if (s.clusterIP && s.clusterIP !== 'None') {
    const ip = parseIp(s.clusterIP);
    if (ip === undefined)
      bad(
        'spec.clusterIPs[0]',
        `Invalid value: "${s.clusterIP}": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
      );
    else if (was?.clusterIP !== s.clusterIP) {
      if (!contains(range, ip) || ip === range.first || ip === range.last)
        bad(
          'spec.clusterIPs',
          `Invalid value: ${quoted}: failed to allocate IP ${s.clusterIP}: provided IP is not in the valid range. The range of valid IPs is ${cidr}`,
        );
      else if (ips.has(s.clusterIP))
        bad(
          'spec.clusterIPs',
          `Invalid value: ${quoted}: failed to allocate IP ${s.clusterIP}: provided IP is already allocated`,
        );
    }
  } else if (!s.clusterIP) {
    const count = range.last - range.first - RESERVED_OFFSET;
    const start = spread(id) % count;
    for (let i = 0; i < count && !s.clusterIP; i++) {
      const ip = formatIp(range.first + RESERVED_OFFSET + ((start + i) % count));
      if (!ips.has(ip)) s.clusterIP = ip;
    }
    if (!s.clusterIP) throw internalError('failed to allocate a serviceIP: range is full');
  }
  s.clusterIPs = [s.clusterIP!];
  s.ipFamilies ??= ['IPv4'];
  s.ipFamilyPolicy ??= 'SingleStack';

  // node ports
  const nextPort = (seed: string): number => {
    const count = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    const start = spread(seed) % count;
    for (let i = 0; i < count; i++) {
      const port = NODE_PORT_MIN + ((start + i) % count);
      if (!ports.has(port)) return port;
    }
    throw internalError('failed to allocate a nodePort: range is full');
  };
  const held = new Set<number>();
  if (was && needsNodePorts(was)) {
    for (const p of was.ports ?? []) if (p.nodePort) held.add(p.nodePort);
    if (was.healthCheckNodePort) held.add(was.healthCheckNodePort);
  }
  const checkPort = (field: string, port: number) => {
    if (held.has(port) && !ports.has(port)) return;
    if (port < NODE_PORT_MIN || port > NODE_PORT_MAX)
      bad(
        field,
        `Invalid value: ${port}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
      );
    else if (ports.has(port)) bad(field, `Invalid value: ${port}: provided port is already allocated`);
  };
  const list = s.ports ?? [];
  if (needsNodePorts(s)) {
    // as the API server patches an update that left node ports out: the old port of the same name
    const byName = new Map((was?.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    const kept = new Set(list.map((p) => p.nodePort).filter(Boolean));
    for (const p of list) {
      const carried = byName.get(p.name ?? '');
      if (!p.nodePort && carried && held.has(carried) && !kept.has(carried)) {
        p.nodePort = carried;
        kept.add(carried);
      }
    }
    list.forEach((p, i) => {
      if (p.nodePort) checkPort(`spec.ports[${i}].nodePort`, p.nodePort);
      else p.nodePort = nextPort(`${id}/${i}`);
      ports.add(p.nodePort);
    });
  } else if (s.type !== 'LoadBalancer') {
    list.forEach((p, i) => {
      if (!p.nodePort) return;
      if (held.has(p.nodePort)) delete p.nodePort;
      else
        bad(
          `spec.ports[${i}].nodePort`,
          `Forbidden: may not be used when \`type\` is '${s.type ?? 'ClusterIP'}'`,
          'FieldValueForbidden',
        );
    });
  }
  if (s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local') {
    s.healthCheckNodePort ??= was?.healthCheckNodePort;
    if (s.healthCheckNodePort) checkPort('spec.healthCheckNodePort', s.healthCheckNodePort);
    else s.healthCheckNodePort = nextPort(`${id}/health`);
  } else if (s.healthCheckNodePort && s.healthCheckNodePort === was?.healthCheckNodePort) {
    delete s.healthCheckNodePort;
  }
  if (causes.length) throw invalid('Service', '', name, causes);
}

/** The allocator as an admission plugin of every Kubernetes API space. */
export function serviceAllocation(w: World): AdmissionPlugin {
  return {
    name: 'ServiceAllocation',
    mutate(a) {
      if (a.kind.group !== '' || a.kind.kind !== 'Service' || !a.object || a.subresource) return;
      if (a.operation === 'DELETE') return;
      const flavor = w.api.flavorOf(a.cluster);
      if (!flavor || flavor === 'vcenter') return;
      allocateService(w, a.cluster, a.object, a.oldObject);
    },
  };
}

/** The addresses Services of type LoadBalancer take their virtual IPs from, and the Supervisor's own VIP. */
export function loadBalancerPool(sup: KubeObject): {
  ranges: Range[];
  texts: string[];
  reserved: Set<string>;
} {
  const spec = sup.spec as SupervisorSpec;
  const vds = spec.networkProvider === 'VSPHERE_NETWORK';
  const texts = (vds ? spec.workloadNetwork?.virtualIPRanges : spec.ingressCIDRs) ?? [];
  const ranges: Range[] = [];
  for (const t of texts) {
    const r = t.includes('/') ? parseCidr(t) : parseRange(t);
    // a CIDR's network and broadcast addresses are no virtual IPs
    if (r) ranges.push(t.includes('/') ? { first: r.first + 1, last: r.last - 1 } : r);
  }
  const vip = (sup.status as SupervisorStatus | undefined)?.apiEndpoint ?? apiEndpointFor(spec);
  return { ranges, texts, reserved: new Set(vip ? [vip] : []) };
}

/** The lowest free virtual IP of the pool (or the one asked for); an error message when there is none. */
function pickVirtualIP(w: World, sup: KubeObject, svc: KubeObject): { ip?: string; error?: string } {
  const pool = loadBalancerPool(sup);
  // the pool's reserved addresses (the API VIP), Harbor's, and every other load balancer's
  const used = new Set([...pool.reserved, ...registryAddresses(w)]);
  for (const o of w.k8s(SUPERVISOR_SPACE).list('services').items)
    if (o.metadata.uid !== svc.metadata.uid) for (const i of ingressOf(o)) if (i.ip) used.add(i.ip);
  const where = `${(sup.spec as SupervisorSpec).networkProvider === 'VSPHERE_NETWORK' ? 'the load balancer’s virtual IP ranges' : 'the ingress CIDRs'} ${pool.texts.join(',')}`;
  const asked = svcSpec(svc).loadBalancerIP;
  if (asked) {
    const n = parseIp(asked);
    if (n === undefined || !pool.ranges.some((r) => contains(r, n)))
      return { error: `requested load balancer IP ${asked} is not in ${where}` };
    if (used.has(asked)) return { error: `requested load balancer IP ${asked} is already in use` };
    return { ip: asked };
  }
  for (const r of pool.ranges)
    for (let n = r.first; n <= r.last; n++) if (!used.has(formatIp(n))) return { ip: formatIp(n) };
  return { error: `no free virtual IP address in ${where}` };
}

/** The service controller's load-balancer half, for the Supervisor's Services. */
export function serviceLoadBalancerController(w: World): Controller {
  /** Services whose load balancer is being ensured: since when, for which incarnation */
  const ensuring = new Map<string, { uid: string; readyAt: number }>();
  const failures = new Map<string, number>();
  const k = w.k8s(SUPERVISOR_SPACE);
  const waiting = () =>
    k
      .list('services')
      .items.filter((s) => svcSpec(s).type === 'LoadBalancer' && !ingressOf(s).length)
      .map((s) => keyFor(SUPERVISOR_SPACE, s.metadata.namespace, s.metadata.name!));
  return {
    name: 'service-load-balancer',
    watches: [
      { group: '', kind: 'Service' },
      { group: GROUP, kind: 'Supervisor', map: waiting },
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      if (cluster !== SUPERVISOR_SPACE) return;
      const svc = k.tryGet('services', namespace, name);
      if (!svc) {
        ensuring.delete(key);
        failures.delete(key);
        return;
      }
      const event = (type: 'Normal' | 'Warning', reason: string, message: string) =>
        recordEvent(w, k, SUPERVISOR_SPACE, svc, type, reason, message, SERVICE_CONTROLLER);
      const wants = svcSpec(svc).type === 'LoadBalancer' && !svc.metadata.deletionTimestamp;
      const hasFinalizer = (svc.metadata.finalizers ?? []).includes(LB_FINALIZER);
      if (!wants) {
        ensuring.delete(key);
        failures.delete(key);
        if (!hasFinalizer && !ingressOf(svc).length) return;
        event('Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
        let cur = svc;
        if (ingressOf(cur).length)
          cur = k.updateStatus({ ...cur, status: { ...(cur.status ?? {}), loadBalancer: {} } });
        if (hasFinalizer) k.update(withoutFinalizer(cur, LB_FINALIZER));
        event('Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
        return;
      }
      if (ingressOf(svc).length) return;
      const sup = labSupervisor(w);
      if ((sup?.status as SupervisorStatus | undefined)?.configStatus !== 'RUNNING') return;
      const now = w.now();
      const state = ensuring.get(key);
      if (!state || state.uid !== svc.metadata.uid) {
        event('Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
        if (!hasFinalizer)
          k.update({
            ...svc,
            metadata: { ...svc.metadata, finalizers: [...(svc.metadata.finalizers ?? []), LB_FINALIZER] },
          });
        ensuring.set(key, { uid: svc.metadata.uid!, readyAt: now + lifecycle.loadBalancerEnsure });
        return { requeueAfterMs: lifecycle.loadBalancerEnsure };
      }
      if (now < state.readyAt) return { requeueAfterMs: state.readyAt - now };
      ensuring.delete(key);
      const { ip, error } = pickVirtualIP(w, sup!, svc);
      if (!ip) {
        const n = (failures.get(key) ?? 0) + 1;
        failures.set(key, n);
        event(
          'Warning',
          'SyncLoadBalancerFailed',
          `Error syncing load balancer: failed to ensure load balancer: ${error}`,
        );
        return { requeueAfterMs: Math.min(5_000 * 2 ** (n - 1), 300_000) };
      }
      failures.delete(key);
      k.updateStatus({ ...svc, status: { ...(svc.status ?? {}), loadBalancer: { ingress: [{ ip }] } } });
      event('Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
      return undefined;
    },
  };
}

/** Registers the load balancer controller and queues the Services a reopened lab left half-done. */
export function registerServiceControllers(runtime: ControllerRuntime, w: World): void {
  const c = serviceLoadBalancerController(w);
  runtime.register(c);
  if (!w.api.hasApiSpace(SUPERVISOR_SPACE)) return;
  for (const s of w.k8s(SUPERVISOR_SPACE).list('services').items)
    if (svcSpec(s).type === 'LoadBalancer' || (s.metadata.finalizers ?? []).includes(LB_FINALIZER))
      runtime.enqueue(c.name, keyFor(SUPERVISOR_SPACE, s.metadata.namespace, s.metadata.name!));
}
