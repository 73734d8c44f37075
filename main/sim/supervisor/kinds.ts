// Kinds only a Supervisor serves: VM Operator's (vmoperator.vmware.com/v1alpha1) as vSphere 7.0 Update 3
// shipped them — VirtualMachineClass and VirtualMachineImage cluster-scoped, a namespace's classes and
// content libraries bound to it by VirtualMachineClassBinding and ContentSourceBinding. Printer columns
// are the CRDs' additionalPrinterColumns of that release.
import type { KindDefinition, PrinterColumn, Registry } from '../../api/registry';
import { ageColumn, pathColumns } from '../../api/printers/columns';
import { anyObject, arr, bool, int, obj, quantity, str } from '../../api/schema';
import { condition } from '../../api/kinds/meta';

export const VMOP_GROUP = 'vmoperator.vmware.com';
const SUPERVISOR_ONLY = ['supervisor'];

/** The CRDs' creationTimestamp column is of type date. */
const AGE = ageColumn('date');
/** A JSONPath column as kubectl prints one: nothing for a missing value, JSON for an object. */
const col = pathColumns((v) =>
  v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v),
);

const crd = (
  kind: string,
  plural: string,
  namespaced: boolean,
  schema: KindDefinition['schema'],
  columns: PrinterColumn[],
  extra: Partial<KindDefinition> = {},
): KindDefinition => ({
  group: VMOP_GROUP,
  version: 'v1alpha1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  flavors: SUPERVISOR_ONLY,
  schema,
  columns,
  ...extra,
});

const resources = obj({ cpu: quantity(), memory: quantity() });

export const virtualMachineClassKind = crd(
  'VirtualMachineClass',
  'virtualmachineclasses',
  false,
  obj({
    spec: obj({
      hardware: obj({ cpus: int(), memory: quantity(), devices: anyObject() }),
      policies: obj({ resources: obj({ requests: resources, limits: resources }) }),
      description: str(),
    }),
    status: obj({}),
  }),
  [col('CPU', 'spec.hardware.cpus'), col('Memory', 'spec.hardware.memory'), AGE],
  {
    shortNames: ['vmclass'],
    description: 'VirtualMachineClass is the Schema for the virtualmachineclasses API.',
  },
);

export const virtualMachineClassBindingKind = crd(
  'VirtualMachineClassBinding',
  'virtualmachineclassbindings',
  true,
  obj({ classRef: obj({ apiVersion: str(), kind: str(), name: str() }) }),
  [col('VirtualMachineClass', 'classRef.name'), AGE],
  { shortNames: ['vmclassbinding'], generation: false },
);

export const virtualMachineImageKind = crd(
  'VirtualMachineImage',
  'virtualmachineimages',
  false,
  obj({
    spec: obj({
      type: str(),
      imageSourceType: str(),
      imageID: str(),
      hwVersion: int(),
      providerRef: obj({ apiVersion: str(), kind: str(), name: str(), namespace: str() }),
      productInfo: obj({ product: str(), vendor: str(), version: str(), fullVersion: str() }),
      osInfo: obj({ type: str(), version: str() }),
      ovfEnv: anyObject(),
    }),
    status: obj({
      imageName: str(),
      imageSupported: bool(),
      internalId: str(),
      uuid: str(),
      powerState: str(),
      conditions: arr(condition),
    }),
  }),
  [
    col('ContentSourceName', 'spec.providerRef.name'),
    col('Version', 'spec.productInfo.version'),
    col('OsType', 'spec.osInfo.type'),
    col('Format', 'spec.type'),
    col('ImageSupported', 'status.imageSupported', 1),
    AGE,
  ],
  { shortNames: ['vmimage'], statusSubresource: true },
);

export const contentSourceKind = crd(
  'ContentSource',
  'contentsources',
  false,
  obj({
    spec: obj({ providerRef: obj({ apiVersion: str(), kind: str(), name: str(), namespace: str() }) }),
    status: obj({}),
  }),
  [AGE],
);

export const contentSourceBindingKind = crd(
  'ContentSourceBinding',
  'contentsourcebindings',
  true,
  obj({ contentSourceRef: obj({ apiVersion: str(), kind: str(), name: str() }) }),
  [col('ContentSource', 'contentSourceRef.name'), AGE],
  { generation: false },
);

export const supervisorKinds = [
  virtualMachineClassKind,
  virtualMachineClassBindingKind,
  virtualMachineImageKind,
  contentSourceKind,
  contentSourceBindingKind,
];

export function registerSupervisorKinds(registry: Registry): void {
  for (const k of supervisorKinds) registry.register(k);
}
