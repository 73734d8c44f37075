// Admission for enabling Workload Management: defaults as vCenter applies them, then every check vCenter
// makes before it starts — so govc, the app's form and a raw API request are refused alike, with
// nothing created.
import type { AdmissionPlugin } from '../../api/admission';
import type { ApiClient } from '../../api/client';
import { invalid } from '../../api/errors';
import type { KubeObject, StatusCause } from '../../api/types';
import { contains, maskBits, overlaps, parseCidr, parseIp, parseRange, type Range } from '../vcenter/ipv4';
import { GROUP, VCENTER } from '../vcenter/kinds';
import { hostSpec, hostStatus } from '../vcenter/model';

export interface SupervisorSpec {
  cluster: string;
  networkProvider?: 'NSXT_CONTAINER_PLUGIN' | 'VSPHERE_NETWORK';
  size?: 'TINY' | 'SMALL' | 'MEDIUM' | 'LARGE';
  managementNetwork?: {
    network?: string;
    startingAddress?: string;
    addressCount?: number;
    subnetMask?: string;
    gateway?: string;
  };
  serviceCIDR?: string;
  podCIDRs?: string[];
  ingressCIDRs?: string[];
  egressCIDRs?: string[];
  edgeCluster?: string;
  workloadNetwork?: { switch?: string; network?: string; loadBalancer?: string; virtualIPRanges?: string[] };
  controlPlaneStoragePolicy?: string;
  ephemeralStoragePolicy?: string;
  imageStoragePolicy?: string;
  /** the content library of TKr node images (the enable wizard's "Content Library" step) */
  defaultKubernetesServiceContentLibrary?: string;
}

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/23';
export const DEFAULT_POD_CIDRS = ['10.244.0.0/21'];

const cause = (field: string, message: string): StatusCause => ({
  field,
  reason: 'FieldValueInvalid',
  message,
});

/** Fills in what vCenter defaults, in place. */
export function defaultSupervisorSpec(s: SupervisorSpec, c: ApiClient): void {
  s.networkProvider ??= 'NSXT_CONTAINER_PLUGIN';
  s.size ??= 'TINY';
  s.serviceCIDR ??= DEFAULT_SERVICE_CIDR;
  // the lab picks the inventory's subscribed library, where the wizard would have the admin choose it
  s.defaultKubernetesServiceContentLibrary ??= c
    .list('contentlibraries')
    .items.find((l) => (l.spec as { type?: string }).type === 'SUBSCRIBED')?.metadata.name;
  if (s.networkProvider === 'NSXT_CONTAINER_PLUGIN') s.podCIDRs ??= DEFAULT_POD_CIDRS;
  const m = (s.managementNetwork ??= {});
  m.addressCount ??= 5;
  if (m.network && (!m.subnetMask || !m.gateway)) {
    const net = c.tryGet('networks', '', m.network)?.spec as
      { subnet?: string; gateway?: string } | undefined;
    const bits = net?.subnet ? Number(net.subnet.split('/')[1]) : undefined;
    if (!m.subnetMask && bits !== undefined)
      m.subnetMask = [24, 16, 8, 0].map((sh) => (((0xffffffff << (32 - bits)) >>> 0) >>> sh) & 255).join('.');
    if (!m.gateway && net?.gateway) m.gateway = net.gateway;
  }
  if (s.networkProvider === 'VSPHERE_NETWORK') {
    // As govc: the cluster's one distributed switch; the scenario's load balancer and its VIP ranges.
    const wn = (s.workloadNetwork ??= {});
    const switches = c.list('distributedvirtualswitches').items;
    if (!wn.switch && switches.length === 1) wn.switch = switches[0]!.metadata.name;
    if (!wn.network && wn.switch) {
      const pg = c
        .list('networks')
        .items.find(
          (n) => (n.spec as { switch?: string }).switch === wn.switch && n.metadata.name !== m.network,
        );
      if (pg) wn.network = pg.metadata.name;
    }
    const lbs = c.list('loadbalancers').items;
    if (!wn.loadBalancer && lbs.length === 1) wn.loadBalancer = lbs[0]!.metadata.name;
    const lb = wn.loadBalancer ? lbs.find((l) => l.metadata.name === wn.loadBalancer) : undefined;
    if (!wn.virtualIPRanges?.length && lb)
      wn.virtualIPRanges = [...((lb.spec as { virtualIPRanges?: string[] }).virtualIPRanges ?? [])];
  }
}

/** Every check vCenter makes before enabling; an empty list means go. */
export function validateSupervisorSpec(s: SupervisorSpec, c: ApiClient): StatusCause[] {
  const causes: StatusCause[] = [];
  const exists = (resource: string, name: string | undefined) =>
    Boolean(name && c.tryGet(resource, '', name));

  const other = c.list('supervisors').items.find((x) => x.metadata.name !== s.cluster);
  if (other) {
    // Each Supervisor is its own Kubernetes API; this lab serves one Supervisor API space.
    causes.push(
      cause(
        'spec.cluster',
        `Invalid value: "${s.cluster}": Workload Management is already enabled on "${other.metadata.name}"; this lab runs one Supervisor at a time`,
      ),
    );
  }
  const cluster = c.tryGet('computeclusters', '', s.cluster);
  if (!cluster) {
    causes.push(cause('spec.cluster', `Invalid value: "${s.cluster}": cluster not found`));
    return causes;
  }
  const cs = cluster.spec as {
    drs?: { enabled?: boolean; automationLevel?: string };
    ha?: { enabled?: boolean };
  };
  if (!cs.drs?.enabled || cs.drs.automationLevel !== 'fullyAutomated') {
    causes.push(
      cause(
        'spec.cluster',
        `Invalid value: "${s.cluster}": vSphere DRS must be enabled in fully automated mode`,
      ),
    );
  }
  if (!cs.ha?.enabled)
    causes.push(cause('spec.cluster', `Invalid value: "${s.cluster}": vSphere HA must be enabled`));
  const hosts = c.list('hostsystems').items.filter((h) => hostSpec(h).cluster === s.cluster);
  const connected = hosts.filter(
    (h) =>
      (hostStatus(h).state ?? 'connected') === 'connected' &&
      hostSpec(h).powerState !== 'poweredOff' &&
      !hostSpec(h).maintenanceMode,
  );
  if (connected.length < 3) {
    causes.push(
      cause(
        'spec.cluster',
        `Invalid value: "${s.cluster}": the cluster has ${connected.length} connected host(s); a Supervisor needs at least 3`,
      ),
    );
  }

  for (const [field, policy] of [
    ['spec.controlPlaneStoragePolicy', s.controlPlaneStoragePolicy],
    ['spec.ephemeralStoragePolicy', s.ephemeralStoragePolicy],
    ['spec.imageStoragePolicy', s.imageStoragePolicy],
  ] as const) {
    if (policy !== undefined && !exists('storagepolicies', policy))
      causes.push(
        cause(
          field,
          `Invalid value: "${policy}": could not find a unique storage policy ID for query "${policy}"`,
        ),
      );
  }

  const library = s.defaultKubernetesServiceContentLibrary;
  if (library !== undefined && !exists('contentlibraries', library))
    causes.push(
      cause(
        'spec.defaultKubernetesServiceContentLibrary',
        `Invalid value: "${library}": content library not found`,
      ),
    );

  // Management network: five consecutive addresses inside the network, clear of the gateway.
  const m = s.managementNetwork ?? {};
  let mgmtSubnet: Range | undefined;
  if (!m.network)
    causes.push({
      field: 'spec.managementNetwork.network',
      reason: 'FieldValueRequired',
      message: 'Required value',
    });
  else if (!exists('networks', m.network))
    causes.push(cause('spec.managementNetwork.network', `Invalid value: "${m.network}": network not found`));
  const start = m.startingAddress === undefined ? undefined : parseIp(m.startingAddress);
  const bits = m.subnetMask === undefined ? undefined : maskBits(m.subnetMask);
  const gateway = m.gateway === undefined ? undefined : parseIp(m.gateway);
  if (start === undefined)
    causes.push(
      cause(
        'spec.managementNetwork.startingAddress',
        `Invalid value: "${m.startingAddress ?? ''}": must be an IPv4 address`,
      ),
    );
  if (bits === undefined)
    causes.push(
      cause(
        'spec.managementNetwork.subnetMask',
        `Invalid value: "${m.subnetMask ?? ''}": must be a subnet mask such as 255.255.255.0`,
      ),
    );
  if (gateway === undefined)
    causes.push(
      cause('spec.managementNetwork.gateway', `Invalid value: "${m.gateway ?? ''}": must be an IPv4 address`),
    );
  if ((m.addressCount ?? 5) < 5)
    causes.push(
      cause(
        'spec.managementNetwork.addressCount',
        `Invalid value: ${m.addressCount}: the Supervisor needs 5 consecutive addresses`,
      ),
    );
  if (start !== undefined && bits !== undefined && gateway !== undefined) {
    const size = 2 ** (32 - bits);
    const base = start - (start % size);
    mgmtSubnet = { first: base, last: base + size - 1 };
    const range = { first: start, last: start + (m.addressCount ?? 5) - 1 };
    if (!contains(mgmtSubnet, gateway))
      causes.push(
        cause(
          'spec.managementNetwork.gateway',
          `Invalid value: "${m.gateway}": not in the management subnet`,
        ),
      );
    if (range.last > mgmtSubnet.last - 1 || range.first <= mgmtSubnet.first)
      causes.push(
        cause(
          'spec.managementNetwork.startingAddress',
          `Invalid value: "${m.startingAddress}": the ${m.addressCount ?? 5} addresses do not fit in the management subnet`,
        ),
      );
    if (contains(range, gateway))
      causes.push(
        cause(
          'spec.managementNetwork.startingAddress',
          `Invalid value: "${m.startingAddress}": the address range includes the gateway ${m.gateway}`,
        ),
      );
  }

  // Address blocks: well formed, and no two of them overlap.
  const blocks: { field: string; text: string; range: Range }[] = [];
  const addBlocks = (field: string, texts: string[] | undefined, parse: (t: string) => Range | undefined) => {
    (texts ?? []).forEach((t, i) => {
      const r = parse(t);
      if (!r)
        causes.push(
          cause(
            `${field}[${i}]`,
            `Invalid value: "${t}": invalid cidr "${t}" supplied, needs to be in form '192.168.1.0/24'`,
          ),
        );
      else blocks.push({ field: `${field}[${i}]`, text: t, range: r });
    });
  };
  addBlocks('spec.serviceCIDR', s.serviceCIDR ? [s.serviceCIDR] : [], parseCidr);
  addBlocks('spec.podCIDRs', s.podCIDRs, parseCidr);
  if (mgmtSubnet)
    blocks.push({ field: 'spec.managementNetwork', text: 'management network', range: mgmtSubnet });

  if (s.networkProvider === 'NSXT_CONTAINER_PLUGIN') {
    if (!s.edgeCluster)
      causes.push({
        field: 'spec.edgeCluster',
        reason: 'FieldValueRequired',
        message: 'Required value: an NSX-T Supervisor needs an NSX Edge cluster',
      });
    else if (!exists('nsxedgeclusters', s.edgeCluster))
      causes.push(
        cause(
          'spec.edgeCluster',
          `Invalid value: "${s.edgeCluster}": Didn't find unique match for edge cluster "${s.edgeCluster}", found 0 objects`,
        ),
      );
    if (!s.ingressCIDRs?.length)
      causes.push({ field: 'spec.ingressCIDRs', reason: 'FieldValueRequired', message: 'Required value' });
    if (!s.egressCIDRs?.length)
      causes.push({ field: 'spec.egressCIDRs', reason: 'FieldValueRequired', message: 'Required value' });
    addBlocks('spec.ingressCIDRs', s.ingressCIDRs, parseCidr);
    addBlocks('spec.egressCIDRs', s.egressCIDRs, parseCidr);
  } else {
    const wn = s.workloadNetwork ?? {};
    const switches = c.list('distributedvirtualswitches').items.length;
    if (!wn.switch)
      causes.push(
        cause(
          'spec.workloadNetwork.switch',
          `Required value: expected to find 1 namespace compatible switch in cluster "${s.cluster}", found ${switches}`,
        ),
      );
    else if (!exists('distributedvirtualswitches', wn.switch))
      causes.push(
        cause('spec.workloadNetwork.switch', `Invalid value: "${wn.switch}": distributed switch not found`),
      );
    if (wn.network && !exists('networks', wn.network))
      causes.push(cause('spec.workloadNetwork.network', `Invalid value: "${wn.network}": network not found`));
    if (!wn.loadBalancer)
      causes.push({
        field: 'spec.workloadNetwork.loadBalancer',
        reason: 'FieldValueRequired',
        message: 'Required value: a Supervisor on the vSphere networking stack needs a load balancer',
      });
    else if (!exists('loadbalancers', wn.loadBalancer))
      causes.push(
        cause(
          'spec.workloadNetwork.loadBalancer',
          `Invalid value: "${wn.loadBalancer}": load balancer not found`,
        ),
      );
    if (!wn.virtualIPRanges?.length)
      causes.push({
        field: 'spec.workloadNetwork.virtualIPRanges',
        reason: 'FieldValueRequired',
        message: 'Required value',
      });
    addBlocks('spec.workloadNetwork.virtualIPRanges', wn.virtualIPRanges, parseRange);
  }
  for (let i = 0; i < blocks.length; i++) {
    for (let j = i + 1; j < blocks.length; j++) {
      const a = blocks[i]!;
      const b = blocks[j]!;
      if (overlaps(a.range, b.range))
        causes.push(cause(b.field, `Invalid value: "${b.text}": overlaps ${a.field} (${a.text})`));
    }
  }
  return causes;
}

/** Defaults and validates a Supervisor on create; its spec is immutable afterwards. */
export function supervisorAdmission(client: (space: string) => ApiClient): AdmissionPlugin {
  const isSupervisor = (k: { group: string; kind: string }, cluster: string) =>
    k.group === GROUP && k.kind === 'Supervisor' && cluster === VCENTER;
  return {
    name: 'SupervisorEnablement',
    mutate(a) {
      if (a.operation !== 'CREATE' || !isSupervisor(a.kind, a.cluster) || !a.object) return;
      const spec = (a.object.spec ??= {}) as SupervisorSpec;
      spec.cluster ??= a.name;
      defaultSupervisorSpec(spec, client(VCENTER));
      a.object.metadata.finalizers = [
        ...new Set([...(a.object.metadata.finalizers ?? []), 'vcenter.lab/workload-management']),
      ];
    },
    validate(a) {
      if (!isSupervisor(a.kind, a.cluster) || !a.object) return;
      if (a.operation === 'UPDATE' && a.oldObject && a.subresource !== 'status') {
        if (JSON.stringify(a.object.spec) !== JSON.stringify(a.oldObject.spec)) {
          throw invalid('Supervisor', GROUP, a.name, [
            {
              field: 'spec',
              reason: 'FieldValueForbidden',
              message: 'Forbidden: the configuration of an enabled Supervisor cannot be changed here',
            },
          ]);
        }
        return;
      }
      if (a.operation !== 'CREATE') return;
      const spec = a.object.spec as SupervisorSpec;
      const causes: StatusCause[] =
        spec.cluster !== a.name
          ? [
              cause(
                'spec.cluster',
                `Invalid value: "${spec.cluster}": must equal the Supervisor's name "${a.name}"`,
              ),
            ]
          : [];
      causes.push(...validateSupervisorSpec(spec, client(VCENTER)));
      if (causes.length) throw invalid('Supervisor', GROUP, a.name, causes);
    },
  };
}

export type { KubeObject };
