// The typed contract between UI and engine, shared by the Electron preload and browser mode. Every
// method has a schema for what goes in and what comes out, and every event pushed from the engine has
// one too: both transports (IPC through contextBridge, a WebSocket in browser mode) validate with them,
// so nothing that is not in this file crosses the boundary.
import { z } from 'zod';
import { LabsCheckedEvent, labsMethods } from './labsContract';

const name = z.string().min(1).max(253);
const text = z.string().max(4_000_000);

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  lab: z.string(),
  labTime: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** The lab clock as the status bar shows it. */
export const ClockState = z.object({
  now: z.string(),
  mode: z.enum(['stepped', 'realtime']),
  speed: z.number(),
  paused: z.boolean(),
});
export type ClockState = z.infer<typeof ClockState>;

export const LabStatus = z.object({
  clock: ClockState,
  user: z.string(),
  context: z.string(),
  namespace: z.string(),
  supervisor: z.object({ phase: z.string(), cluster: z.string(), apiEndpoint: z.string() }).nullable(),
  rv: z.string(),
});
export type LabStatus = z.infer<typeof LabStatus>;

const TopologyPod = z.object({ namespace: z.string(), name: z.string(), phase: z.string() });
const TopologyVm = z.object({
  name: z.string(),
  role: z.enum(['supervisor-control-plane', 'tkc-control-plane', 'tkc-worker', 'vm']),
  namespace: z.string(),
  powerState: z.string(),
  ips: z.array(z.string()),
  floatingIP: z.boolean(),
  /** the TKC a node VM belongs to */
  tkc: z.string().optional(),
  /** guest pods on a TKC node VM */
  pods: z.array(TopologyPod),
});
const TopologyHost = z.object({
  name: z.string(),
  state: z.enum(['connected', 'maintenance', 'failed']),
  spherelet: z.boolean(),
  cpuMHz: z.object({ capacity: z.number(), used: z.number() }),
  memoryMB: z.object({ capacity: z.number(), used: z.number() }),
  vms: z.array(TopologyVm),
  pods: z.array(TopologyPod),
});
export const Topology = z.object({
  clock: z.string(),
  supervisor: z
    .object({
      cluster: z.string(),
      networkStack: z.enum(['nsx', 'vds']),
      phase: z.string(),
      apiEndpoint: z.string(),
      floatingIP: z.string(),
      controlPlaneVMs: z.array(z.string()),
    })
    .nullable(),
  hosts: z.array(TopologyHost),
});
export type Topology = z.infer<typeof Topology>;
export type TopologyHost = z.infer<typeof TopologyHost>;
export type TopologyVm = z.infer<typeof TopologyVm>;
export type TopologyPod = z.infer<typeof TopologyPod>;

/** A node of the inventory tree: what it is, what it is called, what it holds. */
export interface InventoryNode {
  kind: string;
  name: string;
  namespace?: string;
  state?: string;
  children?: InventoryNode[];
}
export const InventoryNode: z.ZodType<InventoryNode> = z.lazy(() =>
  z.object({
    kind: z.string(),
    name: z.string(),
    namespace: z.string().optional(),
    state: z.string().optional(),
    children: z.array(InventoryNode).optional(),
  }),
);

/** A vCenter task or a Kubernetes event, for the tasks and events panel. */
export const Activity = z.object({
  kind: z.enum(['task', 'event']),
  time: z.string(),
  target: z.string(),
  text: z.string(),
  type: z.string(),
  /** 0..100 for tasks still running */
  progress: z.number().optional(),
});
export type Activity = z.infer<typeof Activity>;

/** A long operation (enablement, a TKC coming up) as its steps: the object's status conditions. */
export const Operation = z.object({
  title: z.string(),
  phase: z.string(),
  steps: z.array(z.object({ name: z.string(), done: z.boolean(), message: z.string() })),
});
export type Operation = z.infer<typeof Operation>;

/** What a command run on the engine's behalf printed (the govc or kubectl a form or button stands for). */
export const CommandResult = z.object({ command: z.string(), status: z.number(), output: z.string() });
export type CommandResult = z.infer<typeof CommandResult>;

export const EditorTemplate = z.object({
  id: z.string(),
  title: z.string(),
  file: z.string(),
  text: z.string(),
});
export type EditorTemplate = z.infer<typeof EditorTemplate>;

export const FileEntry = z.object({ path: z.string(), dir: z.boolean() });

const cidr = z.string().regex(/^[0-9.]+\/\d+$/);
const ip = z.string().regex(/^[0-9.]+$/);
export const EnableWorkloadManagement = z.object({
  cluster: name,
  networkProvider: z.enum(['NSXT_CONTAINER_PLUGIN', 'VSPHERE_NETWORK']),
  size: z.enum(['TINY', 'SMALL', 'MEDIUM', 'LARGE']),
  managementNetwork: name,
  startingAddress: ip,
  subnetMask: ip,
  gateway: ip,
  storagePolicy: name,
  serviceCidr: cidr,
  podCidrs: cidr,
  ingressCidrs: cidr,
  egressCidrs: cidr,
  edgeCluster: z.string().max(253),
});
export type EnableWorkloadManagement = z.infer<typeof EnableWorkloadManagement>;

export const ConfigureNamespace = z.object({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
  cluster: name,
  create: z.boolean(),
  cpuLimitMHz: z.number().int().min(0).optional(),
  memoryLimitMB: z.number().int().min(0).optional(),
  storagePolicies: z.array(name).max(32),
  storageLimitsGB: z.record(z.string(), z.number().int().min(0)).optional(),
  vmClasses: z.array(name).max(64),
  permissions: z.array(z.object({ principal: name, role: z.enum(['view', 'edit', 'owner']) })).max(64),
});
export type ConfigureNamespace = z.infer<typeof ConfigureNamespace>;

/** Choices the admin forms offer, read from the inventory. */
export const AdminChoices = z.object({
  clusters: z.array(z.string()),
  networks: z.array(z.string()),
  storagePolicies: z.array(z.string()),
  edgeClusters: z.array(z.string()),
  vmClasses: z.array(z.string()),
  users: z.array(z.string()),
  namespaces: z.array(z.string()),
});

const nothing = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

/** Every method: its input and output. A transport serves exactly these, nothing else. */
export const methods = {
  info: { input: nothing, output: AppInfo },
  status: { input: nothing, output: LabStatus },
  'terminal.open': {
    input: z.object({ id: z.string().max(64).optional(), cols: z.number().int().min(10).max(1000) }).strict(),
    // cols: the width the scrollback was written at, so a reattached terminal replays it at that width
    output: z.object({ id: z.string(), scrollback: text, title: z.string(), cols: z.number().int() }),
  },
  'terminal.list': { input: nothing, output: z.array(z.object({ id: z.string(), title: z.string() })) },
  'terminal.input': {
    input: z.object({ id: z.string().max(64), data: z.string().max(100_000) }),
    output: ok,
  },
  'terminal.resize': {
    input: z.object({ id: z.string().max(64), cols: z.number().int().min(10).max(1000) }),
    output: ok,
  },
  'terminal.close': { input: z.object({ id: z.string().max(64) }), output: ok },
  'editor.done': {
    input: z.object({ request: z.string().max(64), text: text.nullable() }),
    output: ok,
  },
  'files.list': { input: z.object({}).strict(), output: z.array(FileEntry) },
  'files.read': { input: z.object({ path: name }), output: z.object({ text }) },
  'files.write': { input: z.object({ path: name, text }), output: ok },
  'editor.schema': { input: nothing, output: z.object({ schema: z.unknown() }) },
  'editor.templates': { input: nothing, output: z.array(EditorTemplate) },
  'editor.apply': {
    input: z.object({ path: name, text, dryRun: z.boolean() }),
    output: CommandResult,
  },
  'lab.clock': {
    input: z.union([
      z.object({ pause: z.boolean() }).strict(),
      z.object({ speed: z.union([z.literal(1), z.literal(10), z.literal(60)]) }).strict(),
      z.object({ stepped: z.literal(true) }).strict(),
      z.object({ advanceMs: z.number().int().min(1).max(86_400_000) }).strict(),
    ]),
    output: ClockState,
  },
  'lab.host': {
    input: z.object({
      host: name,
      action: z.enum(['fail', 'recover', 'maintenance-enter', 'maintenance-exit']),
    }),
    output: CommandResult,
  },
  'lab.describe': {
    input: z.object({
      what: z.enum(['host', 'vm', 'pod', 'tkc', 'namespace']),
      name,
      namespace: z.string().max(253).optional(),
    }),
    output: CommandResult,
  },
  'objects.list': {
    input: z.object({ resource: name, namespace: z.string().max(253).optional() }).strict(),
    output: z.object({ items: z.array(z.record(z.string(), z.unknown())) }),
  },
  'objects.watch': {
    input: z
      .object({
        resource: name,
        namespace: z.string().max(253).optional(),
        name: z.string().max(253).optional(),
      })
      .strict(),
    output: z.object({ watch: z.string() }),
  },
  'objects.unwatch': { input: z.object({ watch: z.string().max(64) }).strict(), output: ok },
  'view.topology': { input: nothing, output: Topology },
  'view.inventory': { input: nothing, output: z.array(InventoryNode) },
  'view.activity': { input: nothing, output: z.array(Activity) },
  'view.operations': { input: nothing, output: z.array(Operation) },
  'admin.choices': { input: nothing, output: AdminChoices },
  'admin.enableWorkloadManagement': { input: EnableWorkloadManagement, output: CommandResult },
  'admin.configureNamespace': { input: ConfigureNamespace, output: CommandResult },
  /** guided labs (preload/labsContract.ts) */
  ...labsMethods,
} as const;

export type Method = keyof typeof methods;
export type Input<M extends Method> = z.input<(typeof methods)[M]['input']>;
export type Output<M extends Method> = z.infer<(typeof methods)[M]['output']>;

/** What the engine pushes: terminal output, an edit to open, the lab having changed. */
export const EngineEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('terminal.output'), id: z.string(), data: z.string() }),
  z.object({ type: z.literal('terminal.exit'), id: z.string() }),
  z.object({ type: z.literal('editor.open'), request: z.string(), name: z.string(), text }),
  z.object({ type: z.literal('editor.cancel'), request: z.string() }),
  /** a watched object changed (objects.watch): which one, how */
  z.object({
    type: z.literal('objects.event'),
    watch: z.string(),
    event: z.string(),
    name: z.string(),
    namespace: z.string(),
    resourceVersion: z.string(),
  }),
  /** rv: the objects' version; session: who the views act as (the kubeconfig), as a digest */
  z.object({ type: z.literal('lab.changed'), rv: z.string(), clock: z.string(), session: z.string() }),
  /** the labs panel's lab was checked automatically, and the result differs from the last one */
  LabsCheckedEvent,
]);
export type EngineEvent = z.infer<typeof EngineEvent>;

export const isMethod = (m: unknown): m is Method => typeof m === 'string' && Object.hasOwn(methods, m);

/** The bridge both transports give the renderer. */
export interface SupervisorLabBridge {
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  /** engine events; the returned function stops them */
  onEvent(listener: (e: EngineEvent) => void): () => void;
}

/** The Electron IPC channels: one per method, and one for events. */
export const ipcChannel = (m: Method) => `supervisor-lab:${m}`;
export const IPC_EVENT_CHANNEL = 'supervisor-lab:event';

/** Browser mode's WebSocket frames. */
export const WsRequest = z.object({ id: z.number().int(), method: z.string(), input: z.unknown() });
export const WsMessage = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: z.string() }),
  z.object({ event: z.unknown() }),
]);
