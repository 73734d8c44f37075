// The default scenario for tests, read from resources/ as the app does.
import { fileURLToPath } from 'node:url';
import { readScenario, type Scenario } from '../../main/sim/vcenter/scenario';
import type { SupervisorSpec } from '../../main/sim/supervisor/admission';
import type { NamespaceSpec } from '../../main/sim/supervisor/namespaces';
import type { Lab } from '../../main/sim/lab';
import { enableWorkloadManagement } from '../../main/sim/vcenter/operations';

export const defaultScenario = (): Scenario =>
  readScenario(fileURLToPath(new URL('../../resources/scenarios/default.yaml', import.meta.url)));

/** The enable parameters a lab guide gives for the default lab on NSX-T. */
export const nsxEnable = (): SupervisorSpec => ({
  cluster: 'Workload-Cluster',
  networkProvider: 'NSXT_CONTAINER_PLUGIN',
  size: 'TINY',
  managementNetwork: {
    network: 'DVPG-Management Network',
    startingAddress: '192.168.10.100',
    addressCount: 5,
    subnetMask: '255.255.255.0',
    gateway: '192.168.10.1',
  },
  edgeCluster: 'Edge-Cluster-1',
  ingressCIDRs: ['192.168.30.0/24'],
  egressCIDRs: ['192.168.31.0/24'],
  controlPlaneStoragePolicy: 'k8s-gold',
  ephemeralStoragePolicy: 'k8s-gold',
  imageStoragePolicy: 'k8s-gold',
});

/** The same on the vSphere networking stack: the flag alone, defaults do the rest. */
export const vdsEnable = (): SupervisorSpec => ({
  cluster: 'Workload-Cluster',
  networkProvider: 'VSPHERE_NETWORK',
  managementNetwork: {
    network: 'DVPG-Management Network',
    startingAddress: '192.168.10.100',
    subnetMask: '255.255.255.0',
    gateway: '192.168.10.1',
  },
});

/** Enables Workload Management on NSX-T and lets the Supervisor come up (20 lab minutes). */
export function runningSupervisor(lab: Lab): void {
  enableWorkloadManagement(lab.world.vc, nsxEnable());
  lab.advance(20 * 60_000);
}

/** A vSphere Namespace as the administrator makes one (govc namespace.create, namespace.access.set). */
export function vsphereNamespace(lab: Lab, name: string, spec: Partial<NamespaceSpec> = {}): void {
  lab.world.vc.create({
    apiVersion: 'vcenter.lab/v1',
    kind: 'VSphereNamespace',
    metadata: { name },
    spec: { cluster: 'Workload-Cluster', storagePolicies: ['k8s-gold'], ...spec },
  });
  lab.settle();
}
