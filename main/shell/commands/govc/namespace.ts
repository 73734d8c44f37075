// namespace.cluster.ls / enable / disable: Workload Management through govc. enable does govc's own
// lookups first (cluster, management network, storage policies, distributed switch, edge cluster, CIDR
// syntax), then hands the spec to the simulation (enableWorkloadManagement), whose admission makes
// vCenter's checks; its refusals come back as the vAPI's `400 Bad Request: {…}`.
import { ApiError } from '../../../api/errors';
import type { SupervisorSpec } from '../../../sim/supervisor/admission';
import { disableWorkloadManagement, enableWorkloadManagement } from '../../../sim/vcenter/operations';
import {
  clientFlags,
  datacenterFlags,
  GovcError,
  outputFlags,
  type GovcCommand,
  type GovcContext,
} from './command';
import type { FlagSet } from './flags';
import { goQuote, tabwrite } from './output';
import { listProfiles } from './storage';

const clusterFlags = (fs: FlagSet) => datacenterFlags(fs).string('cluster', 'Cluster [GOVC_CLUSTER]');

/** The vAPI's answer to a refused request, as govc prints it. */
function badRequest(errorType: string, messages: { id: string; text: string; args?: string[] }[]): GovcError {
  const body = JSON.stringify({
    error_type: errorType,
    messages: messages.map((m) => ({ args: m.args ?? [], default_message: m.text, id: m.id })),
  });
  return new GovcError(`400 Bad Request: ${body}`);
}

/** `Invalid value: "x": reason` → `reason`; other causes keep their field. */
export function causeText(c: { field?: string; message?: string }): string {
  const m = /^Invalid value: (?:"(?:[^"\\]|\\.)*"|\S+): (.*)$/s.exec(c.message ?? '');
  if (m) return m[1]!;
  return c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '');
}

export const namespaceClusterLs: GovcCommand = {
  name: 'namespace.cluster.ls',
  description: 'List namepace enabled clusters.',
  flags: (fs) => outputFlags(clientFlags(fs)).bool('l', 'Long listing format'),
  run(ctx, fs) {
    const inv = ctx.inventory();
    const rows = ctx.vc
      .list('supervisors')
      .items.map((s) => {
        const cluster = inv.clusters.find((c) => c.name === (s.spec as SupervisorSpec).cluster);
        const st = (s.status ?? {}) as { configStatus?: string; kubernetesStatus?: string };
        return cluster ? { cluster, st } : undefined;
      })
      .filter((r) => r !== undefined);
    ctx.write(
      fs,
      () =>
        rows.length
          ? rows.map((r) => ({
              cluster: r.cluster.ref.value,
              cluster_name: r.cluster.name,
              kubernetes_status: r.st.kubernetesStatus ?? null,
              config_status: r.st.configStatus ?? null,
            }))
          : null,
      () =>
        tabwrite(
          rows
            .map(
              (r) =>
                `${r.cluster.path}${fs.flag('l') ? `\t${r.st.configStatus ?? '<nil>'}\t${r.st.kubernetesStatus ?? '<nil>'}` : ''}\n`,
            )
            .join(''),
        ),
    );
  },
};

const list = (text: string) => text.split(',').filter((s) => s !== '');

/** govc's splitCidr: ADDRESS/PREFIX, checked for form only (vCenter checks the rest). */
function cidrError(input: string): string | undefined {
  const parts = input.split('/');
  if (parts.length !== 2 || parts[0] === '')
    return `invalid cidr ${goQuote(input)} supplied, needs to be in form '192.168.1.0/24'`;
  if (!/^[+-]?\d+$/.test(parts[1]!)) return `strconv.Atoi: parsing ${goQuote(parts[1]!)}: invalid syntax`;
  return undefined;
}

function checkCidrs(flag: string, values: string[]): void {
  values.forEach((v, i) => {
    const e = cidrError(v);
    if (e)
      throw new GovcError(
        `invalid ${flag} value: parsing cidr ${goQuote(v)} in list position ${i} : ${goQuote(e)}`,
      );
  });
}

function enableFlags(fs: FlagSet): void {
  clusterFlags(fs)
    .string(
      'size',
      'The size of the Kubernetes API server and the worker nodes. Value is one of: TINY, SMALL, MEDIUM, LARGE.',
    )
    .string(
      'service-cidr',
      "CIDR block from which Kubernetes allocates service cluster IP addresses. Shouldn't overlap with pod, ingress or egress CIDRs",
    )
    .string(
      'network-provider',
      'Optional. Provider of cluster networking for this vSphere Namespaces cluster. Currently only value supported is: NSXT_CONTAINER_PLUGIN.',
      'NSXT_CONTAINER_PLUGIN',
    )
    .string(
      'pod-cidrs',
      "CIDR blocks from which Kubernetes allocates pod IP addresses. Comma-separated list. Shouldn't overlap with service, ingress or egress CIDRs.",
    )
    .string(
      'workload-network.ingress-cidrs',
      'CIDR blocks from which NSX assigns IP addresses for Kubernetes Ingresses and Kubernetes Services of type LoadBalancer. Comma-separated list.',
    )
    .string(
      'workload-network.egress-cidrs',
      'CIDR blocks from which NSX assigns IP addresses used for performing SNAT from container IPs to external IPs. Comma-separated list.',
    )
    .string('workload-network.switch', 'vSphere Distributed Switch used to connect this cluster.')
    .string(
      'workload-network.edge-cluster',
      'NSX Edge Cluster to be used for Kubernetes Services of type LoadBalancer, Kubernetes Ingresses, and NSX SNAT.',
    )
    .string('mgmt-network.network', 'Identifier for the management network.')
    .string(
      'mgmt-network.mode',
      'IPv4 address assignment modes. Value is one of: DHCP, STATICRANGE',
      'STATICRANGE',
    )
    .string(
      'mgmt-network.floating-IP',
      'Optional. The Floating IP used by the HA master cluster in the when network Mode is DHCP.',
    )
    .string(
      'mgmt-network.starting-address',
      'Denotes the start of the IP range to be used. Optional, but required with network mode STATICRANGE.',
    )
    .int(
      'mgmt-network.address-count',
      'The number of IP addresses in the management range. Optional, but required with network mode STATICRANGE.',
      5,
    )
    .string(
      'mgmt-network.subnet-mask',
      'Subnet mask of the management network. Optional, but required with network mode STATICRANGE.',
    )
    .string('mgmt-network.gateway', 'Gateway to be used for the management IP range')
    .string(
      'control-plane-dns',
      'Comma-separated list of DNS server IP addresses to use on Kubernetes API server, specified in order of preference.',
    )
    .string(
      'control-plane-dns-names',
      'Comma-separated list of DNS names to associate with the Kubernetes API server.',
    )
    .string(
      'control-plane-dns-search-domains',
      'Comma-separated list of domains to be searched when trying to lookup a host name on Kubernetes API server, specified in order of preference.',
    )
    .string(
      'control-plane-ntp-servers',
      'Optional. Comma-separated list of NTP server DNS names or IP addresses to use on Kubernetes API server, specified in order of preference.',
    )
    .string(
      'worker-dns',
      'Comma-separated list of DNS server IP addresses to use on the worker nodes, specified in order of preference.',
    )
    .string('control-plane-storage-policy', 'Storage Policy associated with Kubernetes API server.')
    .string(
      'ephemeral-storage-policy',
      'Storage Policy associated with ephemeral disks of all the Kubernetes Pods in the cluster.',
    )
    .string('image-storage-policy', 'Storage Policy to be used for container images.')
    .string('login-banner', 'Optional. Disclaimer to be displayed prior to login via the Kubectl plugin.');
}

/** govc's lookups, in its order; returns the Supervisor spec for the simulation. */
function enableSpec(ctx: GovcContext, fs: FlagSet): SupervisorSpec {
  const f = ctx.finder(fs);
  const cluster = f.cluster(fs.str('cluster')).node;
  const network = f.network(fs.str('mgmt-network.network')).node;
  const policies: Record<string, string> = {};
  for (const [key, flag] of [
    ['control-plane', 'control-plane-storage-policy'],
    ['ephemeral', 'ephemeral-storage-policy'],
    ['image', 'image-storage-policy'],
  ] as const) {
    const name = fs.str(flag);
    let found;
    try {
      found = listProfiles(ctx, name);
    } catch (e) {
      throw new GovcError(`error looking up storage policy ${goQuote(name)}: ${(e as Error).message}`);
    }
    if (found.length !== 1)
      throw new GovcError(`could not find a unique storage policy ID for query ${goQuote(name)}`);
    policies[key] = found[0]!.metadata.name!;
  }
  const hosts = cluster
    .contents()
    .filter((c) => c.type === 'HostSystem')
    .map((h) => h.name);
  const switches = ctx.vc
    .list('distributedvirtualswitches')
    .items.filter((s) => ((s.spec as { hosts?: string[] }).hosts ?? []).some((h) => hosts.includes(h)));
  if (switches.length !== 1)
    throw new GovcError(
      `expected to find 1 namespace compatible switch in cluster ${goQuote(cluster.ref.value)}, found ${switches.length}`,
    );
  const provider = fs.str('network-provider');
  const nsx = provider !== 'VSPHERE_NETWORK';
  const edge = fs.str('workload-network.edge-cluster');
  if (nsx) {
    const edges = ctx.vc.list('nsxedgeclusters').items.filter((e) => e.metadata.name === edge);
    if (edges.length !== 1)
      throw new GovcError(
        `Didn't find unique match for edge cluster ${goQuote(edge)}, found ${edges.length} objects`,
      );
  }
  const pods = list(fs.str('pod-cidrs'));
  const egress = list(fs.str('workload-network.egress-cidrs'));
  const ingress = list(fs.str('workload-network.ingress-cidrs'));
  checkCidrs('workload-network.pod-cidrs', pods);
  checkCidrs('workload-network.egress-cidrs', egress);
  checkCidrs('workload-network.ingress-cidrs', ingress);
  const serviceError = cidrError(fs.str('service-cidr'));
  if (serviceError) throw new GovcError(`invalid service-cidr value: ${serviceError}`);

  const m = {
    network: network.name,
    startingAddress: fs.str('mgmt-network.starting-address') || undefined,
    addressCount: fs.num('mgmt-network.address-count') || undefined,
    subnetMask: fs.str('mgmt-network.subnet-mask') || undefined,
    gateway: fs.str('mgmt-network.gateway') || undefined,
  };
  const spec: SupervisorSpec = {
    cluster: cluster.name,
    networkProvider: nsx ? 'NSXT_CONTAINER_PLUGIN' : 'VSPHERE_NETWORK',
    managementNetwork: JSON.parse(JSON.stringify(m)) as SupervisorSpec['managementNetwork'],
    serviceCIDR: fs.str('service-cidr'),
    controlPlaneStoragePolicy: policies['control-plane'],
    ephemeralStoragePolicy: policies.ephemeral,
    imageStoragePolicy: policies.image,
  };
  if (fs.str('size')) spec.size = fs.str('size') as SupervisorSpec['size'];
  if (pods.length) spec.podCIDRs = pods;
  if (nsx) {
    spec.edgeCluster = edge;
    spec.ingressCIDRs = ingress;
    spec.egressCIDRs = egress;
  } else {
    spec.workloadNetwork = { switch: switches[0]!.metadata.name };
  }
  return spec;
}

export const namespaceClusterEnable: GovcCommand = {
  name: 'namespace.cluster.enable',
  description:
    'Enable vSphere Namespaces on the cluster.\nThis operation sets up Kubernetes instance for the cluster along with worker nodes.',
  flags: enableFlags,
  run(ctx, fs) {
    const spec = enableSpec(ctx, fs);
    const id = ctx.finder(fs).cluster(fs.str('cluster')).node.ref.value;
    if (spec.size && !['TINY', 'SMALL', 'MEDIUM', 'LARGE'].includes(spec.size))
      throw badRequest('INVALID_ARGUMENT', [
        {
          id: 'vapi.bindings.typeconverter.enum.invalid',
          text: `Invalid value ${spec.size} for the enumeration SizingHint.`,
          args: [spec.size],
        },
      ]);
    if (ctx.vc.tryGet('supervisors', '', spec.cluster))
      throw badRequest('ALREADY_EXISTS', [
        {
          id: 'vcenter.wcp.cluster.already.enabled',
          text: `Cluster ${id} is already enabled for vSphere Namespaces.`,
          args: [id],
        },
      ]);
    try {
      enableWorkloadManagement(ctx.vc, spec);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const causes = e.status.details?.causes ?? [{ message: e.message }];
      throw badRequest(
        'INVALID_ARGUMENT',
        causes.map((c) => ({ id: 'vcenter.wcp.invalid.argument', text: causeText(c) })),
      );
    }
    ctx.refresh();
    ctx.lab.settle();
  },
};

export const namespaceClusterDisable: GovcCommand = {
  name: 'namespace.cluster.disable',
  description: 'Disables vSphere Namespaces on the specified cluster.',
  flags: clusterFlags,
  run(ctx, fs) {
    const cluster = ctx.finder(fs).cluster(fs.str('cluster')).node;
    if (!ctx.vc.tryGet('supervisors', '', cluster.name))
      throw new GovcError(
        `error disabling cluster: ${
          badRequest('NOT_ALLOWED_IN_CURRENT_STATE', [
            {
              id: 'vcenter.wcp.cluster.not.enabled',
              text: `Cluster ${cluster.ref.value} does not have vSphere Namespaces enabled.`,
              args: [cluster.ref.value],
            },
          ]).message
        }`,
      );
    disableWorkloadManagement(ctx.vc, cluster.name);
    ctx.refresh();
    ctx.lab.settle();
  },
};
