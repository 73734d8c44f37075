// The admin forms as the vSphere Client offers them — enable Workload Management, configure a vSphere
// Namespace — turned into the govc commands that do the same, so a form and the terminal share one path
// (govc's own checks, vCenter's admission, the same messages). The result shows the commands it ran.
import type { Lab } from '../../sim/lab';
import type { AdminChoices, ConfigureNamespace, EnableWorkloadManagement } from '../../../preload/contract';
import { commandLine } from './commands';
import type { z } from 'zod';

export function enableCommand(f: EnableWorkloadManagement): string[] {
  const argv = [
    'govc',
    'namespace.cluster.enable',
    '-cluster',
    f.cluster,
    '-network-provider',
    f.networkProvider,
    '-size',
    f.size,
    '-service-cidr',
    f.serviceCidr,
    '-mgmt-network.network',
    f.managementNetwork,
    '-mgmt-network.starting-address',
    f.startingAddress,
    '-mgmt-network.subnet-mask',
    f.subnetMask,
    '-mgmt-network.gateway',
    f.gateway,
    '-control-plane-storage-policy',
    f.storagePolicy,
    '-ephemeral-storage-policy',
    f.storagePolicy,
    '-image-storage-policy',
    f.storagePolicy,
  ];
  if (f.networkProvider === 'NSXT_CONTAINER_PLUGIN')
    argv.push(
      '-pod-cidrs',
      f.podCidrs,
      '-workload-network.edge-cluster',
      f.edgeCluster,
      '-workload-network.ingress-cidrs',
      f.ingressCidrs,
      '-workload-network.egress-cidrs',
      f.egressCidrs,
    );
  return [commandLine(argv)];
}

export function namespaceCommands(f: ConfigureNamespace, groups: ReadonlySet<string> = new Set()): string[] {
  const lines: string[] = [];
  const lists = [
    ...f.storagePolicies.flatMap((s) => ['-storage', s]),
    ...f.vmClasses.flatMap((c) => ['-vmclass', c]),
  ];
  if (f.create)
    lines.push(commandLine(['govc', 'namespace.create', '-cluster', f.cluster, ...lists, f.name]));
  const limits: string[] = [];
  if (f.cpuLimitMHz !== undefined) limits.push('-cpu-limit', String(f.cpuLimitMHz));
  if (f.memoryLimitMB !== undefined) limits.push('-memory-limit', String(f.memoryLimitMB));
  for (const [policy, gib] of Object.entries(f.storageLimitsGB ?? {}))
    limits.push('-storage-limit', `${policy}=${gib}`);
  const update = f.create ? limits : [...lists, ...limits];
  if (update.length) lines.push(commandLine(['govc', 'namespace.update', ...update, f.name]));
  for (const p of f.permissions)
    lines.push(
      commandLine([
        'govc',
        'namespace.access.set',
        '-principal',
        p.principal,
        ...(groups.has(p.principal) ? ['-group'] : []),
        '-role',
        p.role,
        f.name,
      ]),
    );
  return lines;
}

const names = (lab: Lab, resource: string) => lab.world.vc.list(resource).items.map((o) => o.metadata.name!);

export function adminChoices(lab: Lab): z.infer<typeof AdminChoices> {
  return {
    clusters: names(lab, 'computeclusters'),
    networks: names(lab, 'networks'),
    storagePolicies: names(lab, 'storagepolicies'),
    edgeClusters: names(lab, 'nsxedgeclusters'),
    vmClasses: names(lab, 'vmclasses'),
    users: [
      ...lab.world.vc.list('ssousers').items.map((u) => u.metadata.name!),
      ...lab.world.vc.list('ssogroups').items.map((g) => g.metadata.name!),
    ],
    namespaces: names(lab, 'vspherenamespaces'),
  };
}
