// Scenarios: the starting inventory of a lab, as data (resources/scenarios/*.yaml). Loading one creates
// the vCenter objects through the API, in the `vcenter` API space.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ApiClient } from '../../api/client';
import { formatIp, parseIp } from './ipv4';
import { DEFAULT_VM_CLASSES, GROUP } from './kinds';

export interface Scenario {
  name: string;
  title?: string;
  vcenter: { name: string; version: string; build: string };
  permissions?: { entity: string; principal: string; group?: boolean; role: string; propagate?: boolean }[];
  sso: {
    domain: string;
    users: { name: string; password: string; firstName?: string; lastName?: string }[];
    groups: { name: string; description?: string; members: string[] }[];
  };
  datacenter: string;
  clusters: {
    name: string;
    drs: { enabled: boolean; automationLevel: string; migrationThreshold: number };
    ha: { enabled: boolean };
    hosts: {
      count: number;
      namePattern: string;
      managementIPStart: string;
      cpu: { sockets: number; coresPerSocket: number; mhzPerCore: number };
      memoryGB: number;
      version: string;
      build: string;
    };
  }[];
  datastores: { name: string; type: string; capacityGB: number }[];
  storagePolicies: { name: string; description?: string; datastores: string[] }[];
  network: {
    switch: { name: string; version: string };
    portgroups: { name: string; vlan: number; subnet: string; gateway: string }[];
    nsx?: { manager: string; edgeClusters: { name: string; edgeNodes: string[]; tier0Gateway: string }[] };
    loadBalancers?: {
      name: string;
      type: string;
      address: string;
      virtualIPRanges: string[];
      username: string;
    }[];
  };
  contentLibraries: {
    name: string;
    type: string;
    subscriptionURL?: string;
    datastore: string;
    items: { name: string; type: string; version: string }[];
  }[];
}

export class ScenarioError extends Error {}

/** Resource pool names carry their cluster, as inventory names must be unique here. */
export const rootPoolName = (cluster: string): string => `Resources (${cluster})`;
export const namespacesPoolName = (cluster: string): string => `Namespaces (${cluster})`;

export function parseScenario(text: string, source = 'scenario'): Scenario {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new ScenarioError(`${source}: ${(e as Error).message}`);
  }
  const s = doc as Partial<Scenario> | null;
  for (const field of [
    'name',
    'vcenter',
    'sso',
    'datacenter',
    'clusters',
    'datastores',
    'storagePolicies',
    'network',
    'contentLibraries',
  ] as const) {
    if (!s || s[field] === undefined) throw new ScenarioError(`${source}: missing "${field}"`);
  }
  return s as Scenario;
}

export function readScenario(path: string): Scenario {
  return parseScenario(readFileSync(path, 'utf8'), path);
}

export const passwordDigest = (principal: string, password: string): string =>
  createHash('sha256').update(`${principal}\u0000${password}`).digest('hex');

/** Host names from a pattern: `esxi-{nn}.lab.local` → esxi-01.lab.local, esxi-02.lab.local, … */
export function hostNames(pattern: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    pattern.replace('{nn}', String(i + 1).padStart(2, '0')).replace('{n}', String(i + 1)),
  );
}

const inv = (kind: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: `${GROUP}/v1`,
  kind,
  metadata: { name },
  spec,
});

/** Creates the scenario's inventory. The client acts in the vcenter API space as the system. */
export function loadScenario(c: ApiClient, s: Scenario): void {
  const domain = s.sso.domain;
  for (const u of s.sso.users) {
    const principal = `${u.name}@${domain}`;
    c.create(
      inv('SsoUser', principal, {
        domain,
        passwordSha256: passwordDigest(principal, u.password),
        firstName: u.firstName,
        lastName: u.lastName,
      }),
    );
  }
  for (const g of s.sso.groups)
    c.create(
      inv('SsoGroup', `${g.name}@${domain}`, { domain, description: g.description, members: g.members }),
    );
  c.create(inv('Datacenter', s.datacenter, {}));
  (s.permissions ?? []).forEach((p, i) => {
    c.create(
      inv('Permission', `permission-${i + 1}`, {
        entity: p.entity,
        principal: p.principal,
        group: p.group ?? false,
        role: p.role,
        propagate: p.propagate ?? true,
      }),
    );
  });
  for (const d of s.datastores)
    c.create(inv('Datastore', d.name, { type: d.type, capacityGB: d.capacityGB, datacenter: s.datacenter }));
  for (const p of s.storagePolicies)
    c.create(inv('StoragePolicy', p.name, { description: p.description, datastores: p.datastores }));
  // the VM classes vCenter offers out of the box, best-effort (no reservation) and guaranteed (all reserved)
  for (const cls of DEFAULT_VM_CLASSES)
    for (const [kind, reservation] of [
      ['best-effort', 0],
      ['guaranteed', 100],
    ] as const)
      c.create(
        inv('VmClass', `${kind}-${cls.size}`, {
          cpuCount: cls.cpus,
          memoryMiB: cls.memoryGiB * 1024,
          cpuReservation: reservation,
          memoryReservation: reservation,
        }),
      );
  const allHosts: string[] = [];
  for (const cl of s.clusters) {
    c.create(inv('ComputeCluster', cl.name, { datacenter: s.datacenter, drs: cl.drs, ha: cl.ha }));
    // every cluster has a root resource pool, unlimited
    c.create(
      inv('ResourcePool', rootPoolName(cl.name), {
        cluster: cl.name,
        parent: '',
        cpu: { reservationMHz: 0, limitMHz: -1, shares: 'normal' },
        memory: { reservationMB: 0, limitMB: -1, shares: 'normal' },
      }),
    );
    const start = parseIp(cl.hosts.managementIPStart);
    if (start === undefined)
      throw new ScenarioError(`cluster ${cl.name}: bad managementIPStart ${cl.hosts.managementIPStart}`);
    hostNames(cl.hosts.namePattern, cl.hosts.count).forEach((name, i) => {
      allHosts.push(name);
      c.create(
        inv('HostSystem', name, {
          cluster: cl.name,
          cpu: cl.hosts.cpu,
          memoryMB: cl.hosts.memoryGB * 1024,
          version: cl.hosts.version,
          build: cl.hosts.build,
          managementIP: formatIp(start + i),
          powerState: 'poweredOn',
          maintenanceMode: false,
        }),
      );
    });
  }
  c.create(
    inv('DistributedVirtualSwitch', s.network.switch.name, {
      datacenter: s.datacenter,
      version: s.network.switch.version,
      hosts: allHosts,
    }),
  );
  for (const pg of s.network.portgroups) {
    c.create(
      inv('Network', pg.name, {
        type: 'DistributedVirtualPortgroup',
        switch: s.network.switch.name,
        vlan: pg.vlan,
        subnet: pg.subnet,
        gateway: pg.gateway,
      }),
    );
  }
  for (const ec of s.network.nsx?.edgeClusters ?? []) {
    c.create(
      inv('NsxEdgeCluster', ec.name, {
        nsxManager: s.network.nsx!.manager,
        edgeNodes: ec.edgeNodes,
        tier0Gateway: ec.tier0Gateway,
      }),
    );
  }
  for (const lb of s.network.loadBalancers ?? []) {
    c.create(
      inv('LoadBalancer', lb.name, {
        type: lb.type,
        address: lb.address,
        virtualIPRanges: lb.virtualIPRanges,
        username: lb.username,
      }),
    );
  }
  for (const lib of s.contentLibraries) {
    c.create(
      inv('ContentLibrary', lib.name, {
        type: lib.type,
        subscriptionURL: lib.subscriptionURL,
        datastore: lib.datastore,
        items: lib.items,
      }),
    );
  }
}
