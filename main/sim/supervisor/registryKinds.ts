// The embedded Harbor registry of a vSphere 7 Supervisor as vCenter keeps it (vSphere Client › Workload
// Management › Image Registry): a Registry per Supervisor cluster, with the storage policy it was
// enabled with, and a HarborProject per vSphere Namespace holding the images pushed there. Both live in
// the `vcenter` API space beside the Supervisor; the registry controller (registry.ts) acts on them.
import type { KindDefinition, PrinterColumn, Registry } from '../../api/registry';
import { ageColumn } from '../../api/printers/columns';
import { arr, bool, enumOf, int, obj, str, timestamp } from '../../api/schema';
import { condition } from '../../api/kinds/meta';
import type { KubeObject } from '../../api/types';
import { GROUP, VCENTER } from '../vcenter/kinds';

export interface RegistrySpec {
  /** the Supervisor cluster the registry runs on (the Registry is named after it) */
  cluster: string;
  /** where Harbor keeps its database and images */
  storagePolicy: string;
}

export type RegistryHealth = 'STARTING' | 'RUNNING' | 'WARNING' | 'ERROR' | 'DELETING';

export interface RegistryStatus {
  health?: RegistryHealth;
  /** the Supervisor namespace Harbor's vSphere Pods run in: vmware-system-registry-<id> */
  namespace?: string;
  /** the address Harbor's UI and registry answer on, from the Supervisor's ingress CIDRs */
  ip?: string;
  /** the NSX segment (a /28 of the pod CIDRs) Harbor's pods take their addresses from */
  segment?: string;
  uiAccessUrl?: string;
  version?: string;
  /** Harbor pods running and ready, out of all of them */
  podsReady?: number;
  podsTotal?: number;
  /** when Harbor finishes initialising once its pods first all run (lab time) */
  initDoneAt?: string;
  runningSince?: string;
  storageUsedMB?: number;
  messages?: { severity: string; details: string }[];
  conditions?: {
    type: string;
    status: string;
    reason: string;
    message: string;
    lastTransitionTime?: string;
  }[];
}

/** A Harbor project member role, as Harbor's API names them (master is the UI's Maintainer). */
export type ProjectRole = 'master' | 'developer' | 'guest';

export interface ImageTag {
  tag: string;
  digest: string;
  sizeMB: number;
  /** the image it was pushed from, fully qualified (docker.io/library/nginx:1.25) */
  source: string;
  pushedAt: string;
}

export interface HarborProjectSpec {
  /** the Registry (cluster) the project is in */
  registry: string;
  /** the vSphere Namespace the project belongs to (the project is named after it) */
  namespace: string;
  repositories?: { name: string; tags: ImageTag[] }[];
}

export interface HarborProjectStatus {
  members?: { principal: string; group?: boolean; role: ProjectRole }[];
}

const AGE = ageColumn();
const text = (name: string, value: (o: KubeObject) => unknown, priority = 0): PrinterColumn => ({
  name,
  type: 'string',
  priority,
  value: (o) => {
    const v = value(o);
    return v === undefined || v === null ? '' : String(v);
  },
});
const spec = <T>(o: KubeObject) => (o.spec ?? {}) as T;
const status = <T>(o: KubeObject) => (o.status ?? {}) as T;

const messages = arr(obj({ severity: str(), details: str() }));

export const registryKind: KindDefinition = {
  group: GROUP,
  version: 'v1',
  kind: 'Registry',
  plural: 'registries',
  singular: 'registry',
  namespaced: false,
  nameFormat: 'vsphere',
  flavors: [VCENTER],
  statusSubresource: true,
  description:
    'The embedded Harbor registry of a Supervisor cluster (NSX-T only): its pods run as vSphere Pods.',
  schema: obj({
    spec: obj({
      cluster: str('the Supervisor cluster the registry runs on'),
      storagePolicy: str('the storage policy of Harbor’s database and image storage'),
    }),
    status: obj({
      health: enumOf(['STARTING', 'RUNNING', 'WARNING', 'ERROR', 'DELETING']),
      namespace: str('the Supervisor namespace of Harbor’s vSphere Pods'),
      ip: str('the address of Harbor’s UI and registry'),
      segment: str('the NSX segment of Harbor’s pods'),
      uiAccessUrl: str(),
      version: str(),
      podsReady: int(),
      podsTotal: int(),
      initDoneAt: timestamp(),
      runningSince: timestamp(),
      storageUsedMB: int(),
      messages,
      conditions: arr(condition),
    }),
  }),
  columns: [
    text('Health', (o) => status<RegistryStatus>(o).health),
    text('Address', (o) => status<RegistryStatus>(o).ip),
    text('Storage-Policy', (o) => spec<RegistrySpec>(o).storagePolicy),
    text('Namespace', (o) => status<RegistryStatus>(o).namespace, 1),
    AGE,
  ],
};

export const harborProjectKind: KindDefinition = {
  group: GROUP,
  version: 'v1',
  kind: 'HarborProject',
  plural: 'harborprojects',
  singular: 'harborproject',
  namespaced: false,
  nameFormat: 'label',
  flavors: [VCENTER],
  statusSubresource: true,
  description: 'A project of the embedded Harbor registry: one per vSphere Namespace, named after it.',
  schema: obj({
    spec: obj({
      registry: str(),
      namespace: str(),
      repositories: arr(
        obj({
          name: str(),
          tags: arr(obj({ tag: str(), digest: str(), sizeMB: int(), source: str(), pushedAt: timestamp() })),
        }),
      ),
    }),
    status: obj({
      members: arr(obj({ principal: str(), group: bool(), role: enumOf(['master', 'developer', 'guest']) })),
    }),
  }),
  columns: [
    text('Registry', (o) => spec<HarborProjectSpec>(o).registry),
    text('Repositories', (o) => (spec<HarborProjectSpec>(o).repositories ?? []).length),
    text('Members', (o) => (status<HarborProjectStatus>(o).members ?? []).length),
    AGE,
  ],
};

export function registerRegistryKinds(registry: Registry): void {
  registry.register(registryKind);
  registry.register(harborProjectKind);
}
