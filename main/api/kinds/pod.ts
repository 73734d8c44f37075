// core/v1 Pod: schema, defaults, immutability and kubectl's printed columns.
import { KUBERNETES } from './flavors';
import type { KindDefinition } from '../registry';
import { age } from '../printers/duration';
import {
  anyObject,
  arr,
  bool,
  enumOf,
  int,
  listMap,
  mapOf,
  obj,
  quantity,
  str,
  stringMap,
  timestamp,
} from '../schema';
import { condition } from './meta';
import { jsonEqual } from '../conversion';
import type { KubeObject, StatusCause } from '../types';

const resources = obj(
  {
    limits: mapOf(quantity(), 'Limits describes the maximum amount of compute resources allowed.'),
    requests: mapOf(quantity(), 'Requests describes the minimum amount of compute resources required.'),
  },
  'Compute Resources required by this container.',
);

const envVar = obj(
  {
    name: str('Name of the environment variable.'),
    value: str(
      'Variable references $(VAR_NAME) are expanded using the previously defined environment variables.',
    ),
    valueFrom: anyObject("Source for the environment variable's value."),
  },
  'EnvVar represents an environment variable present in a Container.',
  { required: ['name'] },
);

const containerPort = obj(
  {
    name: str('Each named port in a pod must have a unique name.'),
    containerPort: int("Number of port to expose on the pod's IP address.", { minimum: 1, maximum: 65535 }),
    hostPort: int('Number of port to expose on the host.'),
    protocol: enumOf(
      ['TCP', 'UDP', 'SCTP'],
      'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".',
    ),
  },
  'ContainerPort represents a network port in a single container.',
  { required: ['containerPort'] },
);

const probe = anyObject('Probe describes a health check to be performed against a container.');

export const container = obj(
  {
    name: str('Name of the container specified as a DNS_LABEL.'),
    image: str('Container image name.'),
    command: arr(str(), 'Entrypoint array. Not executed within a shell.'),
    args: arr(str(), 'Arguments to the entrypoint.'),
    workingDir: str("Container's working directory."),
    ports: listMap(containerPort, 'containerPort', 'List of ports to expose from the container.'),
    env: listMap(envVar, 'name', 'List of environment variables to set in the container.'),
    envFrom: arr(anyObject(), 'List of sources to populate environment variables in the container.'),
    resources,
    volumeMounts: listMap(
      obj(
        {
          name: str('This must match the Name of a Volume.'),
          mountPath: str('Path within the container at which the volume should be mounted.'),
          readOnly: bool('Mounted read-only if true.'),
          subPath: str("Path within the volume from which the container's volume should be mounted."),
        },
        undefined,
        { required: ['name', 'mountPath'] },
      ),
      'mountPath',
      "Pod volumes to mount into the container's filesystem.",
    ),
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
    lifecycle: anyObject(
      'Actions that the management system should take in response to container lifecycle events.',
    ),
    terminationMessagePath: str(
      "Path at which the file to which the container's termination message will be written.",
    ),
    terminationMessagePolicy: enumOf(
      ['File', 'FallbackToLogsOnError'],
      'Indicate how the termination message should be populated.',
    ),
    imagePullPolicy: enumOf(
      ['Always', 'Never', 'IfNotPresent'],
      'Image pull policy. One of Always, Never, IfNotPresent.',
    ),
    securityContext: anyObject(
      'SecurityContext defines the security options the container should be run with.',
    ),
    stdin: bool(),
    tty: bool(),
  },
  'A single application container that you want to run within a pod.',
  { required: ['name'] },
);

const containerStatus = obj({
  name: str(),
  image: str(),
  imageID: str(),
  containerID: str(),
  ready: bool(),
  started: bool(),
  restartCount: int(),
  state: anyObject(),
  lastState: anyObject(),
});

export const podSpec = obj(
  {
    containers: listMap(container, 'name', 'List of containers belonging to the pod.'),
    initContainers: listMap(container, 'name', 'List of initialization containers belonging to the pod.'),
    volumes: listMap(
      anyObject('Volume represents a named volume in a pod.'),
      'name',
      'List of volumes that can be mounted by containers belonging to the pod.',
    ),
    restartPolicy: enumOf(
      ['Always', 'OnFailure', 'Never'],
      'Restart policy for all containers within the pod.',
    ),
    terminationGracePeriodSeconds: int('Optional duration in seconds the pod needs to terminate gracefully.'),
    activeDeadlineSeconds: int('Optional duration in seconds the pod may be active on the node.'),
    dnsPolicy: enumOf(
      ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
      'Set DNS policy for the pod.',
    ),
    nodeSelector: stringMap('NodeSelector is a selector which must be true for the pod to fit on a node.'),
    serviceAccountName: str('ServiceAccountName is the name of the ServiceAccount to use to run this pod.'),
    serviceAccount: str('DeprecatedServiceAccount is a deprecated alias for ServiceAccountName.'),
    automountServiceAccountToken: bool(),
    nodeName: str('NodeName is a request to schedule this pod onto a specific node.'),
    hostNetwork: bool('Host networking requested for this pod.'),
    securityContext: anyObject(
      'SecurityContext holds pod-level security attributes and common container settings.',
    ),
    imagePullSecrets: arr(
      obj({ name: str() }),
      'ImagePullSecrets is an optional list of references to secrets.',
    ),
    hostname: str(),
    subdomain: str(),
    affinity: anyObject("If specified, the pod's scheduling constraints"),
    schedulerName: str('If specified, the pod will be dispatched by specified scheduler.'),
    tolerations: arr(
      obj({
        key: str(),
        operator: enumOf(['Exists', 'Equal']),
        value: str(),
        effect: enumOf(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
        tolerationSeconds: int(),
      }),
      "If specified, the pod's tolerations.",
    ),
    priorityClassName: str(),
    priority: int(),
    preemptionPolicy: str(),
    enableServiceLinks: bool(),
    topologySpreadConstraints: arr(anyObject()),
  },
  'PodSpec is a description of a pod.',
  { required: ['containers'] },
);

const podStatus = obj(
  {
    phase: enumOf(
      ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'],
      'The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle.',
    ),
    conditions: listMap(condition, 'type', 'Current service state of pod.'),
    message: str(),
    reason: str(),
    nominatedNodeName: str(),
    hostIP: str(),
    podIP: str(),
    podIPs: arr(obj({ ip: str() })),
    startTime: timestamp(),
    initContainerStatuses: arr(containerStatus),
    containerStatuses: arr(containerStatus),
    qosClass: enumOf(['Guaranteed', 'Burstable', 'BestEffort']),
  },
  'PodStatus represents information about the status of a pod.',
);

type Container = {
  name?: string;
  image?: string;
  imagePullPolicy?: string;
  resources?: { requests?: object; limits?: object };
  ports?: { protocol?: string }[];
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
};
type ContainerStatus = {
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string };
    terminated?: { reason?: string; exitCode?: number; signal?: number };
  };
};

const spec = (o: KubeObject): Record<string, unknown> => (o.spec ?? {}) as Record<string, unknown>;
const status = (o: KubeObject): Record<string, unknown> => (o.status ?? {}) as Record<string, unknown>;

function defaultContainer(c: Container): void {
  if (!c.imagePullPolicy && c.image) {
    const tag = /:([^/:@]+)$/.exec(c.image)?.[1];
    c.imagePullPolicy = !c.image.includes('@') && (!tag || tag === 'latest') ? 'Always' : 'IfNotPresent';
  }
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
}

function qosClass(containers: Container[]): string {
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = (c.resources?.requests ?? {}) as Record<string, unknown>;
    const lim = (c.resources?.limits ?? {}) as Record<string, unknown>;
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const l = lim[r];
      const q = req[r] ?? l;
      if (l === undefined || String(q) !== String(l)) guaranteed = false;
    }
  }
  return guaranteed ? 'Guaranteed' : any ? 'Burstable' : 'BestEffort';
}

/** The STATUS column as kubectl computes it (printPod): reason, then init and container states. */
export function podStatusText(pod: KubeObject): string {
  const st = status(pod);
  let reason = (st.reason as string) || (st.phase as string) || 'Pending';
  const inits = (st.initContainerStatuses ?? []) as ContainerStatus[];
  const initTotal = ((spec(pod).initContainers ?? []) as unknown[]).length;
  let initializing = false;
  inits.forEach((c, i) => {
    if (initializing) return;
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) return;
    initializing = true;
    if (t)
      reason = t.reason
        ? `Init:${t.reason}`
        : t.signal
          ? `Init:Signal:${t.signal}`
          : `Init:ExitCode:${t.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing')
      reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${initTotal}`;
  });
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...((st.containerStatuses ?? []) as ContainerStatus[])].reverse()) {
      const s = c.state ?? {};
      if (s.waiting?.reason) reason = s.waiting.reason;
      else if (s.terminated?.reason) reason = s.terminated.reason;
      else if (s.terminated)
        reason = s.terminated.signal ? `Signal:${s.terminated.signal}` : `ExitCode:${s.terminated.exitCode}`;
      else if (c.ready && 'running' in s) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (pod.metadata.deletionTimestamp) reason = st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function readyText(pod: KubeObject): string {
  const total = ((spec(pod).containers ?? []) as unknown[]).length;
  const ready = ((status(pod).containerStatuses ?? []) as ContainerStatus[]).filter((c) => c.ready).length;
  return `${ready}/${total}`;
}

function restartsText(pod: KubeObject): number {
  return ((status(pod).containerStatuses ?? []) as ContainerStatus[]).reduce(
    (n, c) => n + (c.restartCount ?? 0),
    0,
  );
}

// Fields of a pod's spec that may change after creation (image, deadlines, tolerations added).
const mutableSpecFields: ReadonlySet<string> = new Set([
  'containers',
  'initContainers',
  'activeDeadlineSeconds',
  'tolerations',
  'terminationGracePeriodSeconds',
]);

const IMAGE: ReadonlySet<string> = new Set(['image']);

/** Whether two pod specs are the same but for the fields a pod update may change (containers' images). */
function sameButImages(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const containers = (x: unknown, y: unknown) => {
    const xs = (x ?? []) as Container[];
    const ys = (y ?? []) as Container[];
    return xs.length === ys.length && xs.every((c, i) => jsonEqual(c, ys[i], IMAGE));
  };
  return (
    jsonEqual(a, b, mutableSpecFields) &&
    containers(a.containers, b.containers) &&
    containers(a.initContainers, b.initContainers)
  );
}

/** Defaults of a pod spec, for pods and for the pod templates of workloads alike. */
export function defaultPodSpec(s: Record<string, unknown>): void {
  s.restartPolicy ??= 'Always';
  s.terminationGracePeriodSeconds ??= 30;
  s.dnsPolicy ??= 'ClusterFirst';
  s.securityContext ??= {};
  s.schedulerName ??= 'default-scheduler';
  for (const c of [...((s.containers ?? []) as Container[]), ...((s.initContainers ?? []) as Container[])])
    defaultContainer(c);
}

export const podKind: KindDefinition = {
  flavors: KUBERNETES,
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  namespaced: true,
  statusSubresource: true,
  generation: false,
  description: 'Pod is a collection of containers that can run on a host.',
  schema: obj({ spec: podSpec, status: podStatus }),
  columns: [
    {
      name: 'Ready',
      type: 'string',
      description: 'The aggregate readiness state of this pod for accepting traffic.',
      value: readyText,
    },
    {
      name: 'Status',
      type: 'string',
      description: 'The aggregate status of the containers in this pod.',
      value: podStatusText,
    },
    {
      name: 'Restarts',
      type: 'string',
      description: 'The number of times the containers in this pod have been restarted.',
      value: (p) => String(restartsText(p)),
    },
    {
      name: 'Age',
      type: 'string',
      description:
        'CreationTimestamp is a timestamp representing the server time when this object was created.',
      value: (p, c) => age(p.metadata.creationTimestamp, c.now),
    },
    {
      name: 'IP',
      type: 'string',
      priority: 1,
      description: 'IP address allocated to the pod.',
      value: (p) => (status(p).podIP as string) || '<none>',
    },
    {
      name: 'Node',
      type: 'string',
      priority: 1,
      description: 'Name of the Node this pod is scheduled on.',
      value: (p) => (spec(p).nodeName as string) || '<none>',
    },
    {
      name: 'Nominated Node',
      type: 'string',
      priority: 1,
      description: 'Name of the node the pod is nominated to.',
      value: (p) => (status(p).nominatedNodeName as string) || '<none>',
    },
    {
      name: 'Readiness Gates',
      type: 'string',
      priority: 1,
      description: 'Pod readiness gates.',
      value: () => '<none>',
    },
  ],
  fieldSelectors: {
    'spec.nodeName': (p) => (spec(p).nodeName as string) ?? '',
    'spec.restartPolicy': (p) => spec(p).restartPolicy as string,
    'spec.schedulerName': (p) => spec(p).schedulerName as string,
    'spec.serviceAccountName': (p) => spec(p).serviceAccountName as string,
    'status.phase': (p) => (status(p).phase as string) ?? '',
    'status.podIP': (p) => (status(p).podIP as string) ?? '',
    'status.nominatedNodeName': (p) => (status(p).nominatedNodeName as string) ?? '',
  },
  defaults(pod) {
    const s = (pod.spec ??= {}) as Record<string, unknown>;
    defaultPodSpec(s);
    // set on pods only (pod defaulting and the ServiceAccount and Priority admission plugins), not templates
    s.enableServiceLinks ??= true;
    s.priority ??= 0;
    s.preemptionPolicy ??= 'PreemptLowerPriority';
    s.serviceAccountName ??= (s.serviceAccount as string | undefined) ?? 'default';
    s.serviceAccount ??= s.serviceAccountName;
  },
  initialStatus(pod) {
    return {
      phase: 'Pending',
      qosClass: qosClass((pod.spec as { containers?: Container[] })?.containers ?? []),
    };
  },
  validate(pod, { old }) {
    const causes: StatusCause[] = [];
    const s = spec(pod);
    const containers = (s.containers ?? []) as Container[];
    if (containers.length === 0)
      causes.push({ field: 'spec.containers', reason: 'FieldValueRequired', message: 'Required value' });
    const seen = new Set<string>();
    containers.forEach((c, i) => {
      if (!c.image)
        causes.push({
          field: `spec.containers[${i}].image`,
          reason: 'FieldValueRequired',
          message: 'Required value',
        });
      if (c.name && seen.has(c.name))
        causes.push({
          field: `spec.containers[${i}].name`,
          reason: 'FieldValueDuplicate',
          message: `Duplicate value: "${c.name}"`,
        });
      if (c.name) seen.add(c.name);
    });
    // binding: a pod not yet scheduled takes its node (what the scheduler's binding does)
    const bound = old && !spec(old).nodeName && s.nodeName ? { ...s, nodeName: undefined } : s;
    if (old && s !== spec(old) && !sameButImages(bound, spec(old))) {
      causes.push({
        field: 'spec',
        reason: 'FieldValueForbidden',
        message:
          'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      });
    }
    return causes;
  },
};
