// Objects as kubectl's typed clients hold them. The generator commands (create deployment, run, expose…)
// build and decode Go structs, so what they print follows the struct: fields in declaration order,
// unknown fields dropped, and the fields Go always writes (creationTimestamp: null, resources: {},
// status: {}) present even when empty. -o json shows that order; -o yaml sorts keys anyway.
import { isObject } from '../../../api/patch';

/**
 * One struct field: its JSON name, marked `!` when Go always writes it (no omitempty, or a struct value)
 * and `*` when it is a pointer (written whenever set, even to 0 or false); and the struct type it holds
 * (`[]T` for a list of one) when its fields are ordered too.
 */
type Field = [name: string, type?: string];

const S = (...fields: (string | Field)[]): Field[] => fields.map((f) => (typeof f === 'string' ? [f] : f));

/** The k8s.io/api v0.32 structs the generator commands print, in declaration order. */
const STRUCTS: Record<string, Field[]> = {
  ObjectMeta: S(
    'name',
    'generateName',
    'namespace',
    'selfLink',
    'uid',
    'resourceVersion',
    'generation',
    ['!creationTimestamp', 'Time'],
    '*deletionTimestamp',
    '*deletionGracePeriodSeconds',
    'labels',
    'annotations',
    'ownerReferences',
    'finalizers',
    'managedFields',
  ),
  Pod: S(['!metadata', 'ObjectMeta'], ['!spec', 'PodSpec'], ['!status', 'PodStatus']),
  PodTemplateSpec: S(['!metadata', 'ObjectMeta'], ['!spec', 'PodSpec']),
  PodSpec: S(
    'volumes',
    ['initContainers', '[]Container'],
    ['!containers', '[]Container'],
    'ephemeralContainers',
    'restartPolicy',
    '*terminationGracePeriodSeconds',
    '*activeDeadlineSeconds',
    'dnsPolicy',
    'nodeSelector',
    'serviceAccountName',
    'serviceAccount',
    '*automountServiceAccountToken',
    'nodeName',
    'hostNetwork',
    'hostPID',
    'hostIPC',
    '*shareProcessNamespace',
    '*securityContext',
    'imagePullSecrets',
    'hostname',
    'subdomain',
    '*affinity',
    'schedulerName',
    'tolerations',
    'hostAliases',
    'priorityClassName',
    '*priority',
    '*dnsConfig',
    'readinessGates',
    '*runtimeClassName',
    '*enableServiceLinks',
    '*preemptionPolicy',
    'overhead',
    'topologySpreadConstraints',
    '*setHostnameAsFQDN',
    '*os',
    '*hostUsers',
    'schedulingGates',
    'resourceClaims',
    '*resources',
  ),
  Container: S(
    '!name',
    'image',
    'command',
    'args',
    'workingDir',
    ['ports', '[]ContainerPort'],
    'envFrom',
    ['env', '[]EnvVar'],
    ['!resources', 'ResourceRequirements'],
    'resizePolicy',
    '*restartPolicy',
    'volumeMounts',
    'volumeDevices',
    '*livenessProbe',
    '*readinessProbe',
    '*startupProbe',
    '*lifecycle',
    'terminationMessagePath',
    'terminationMessagePolicy',
    'imagePullPolicy',
    '*securityContext',
    'stdin',
    'stdinOnce',
    'tty',
  ),
  ContainerPort: S('name', 'hostPort', '!containerPort', 'protocol', 'hostIP'),
  EnvVar: S('!name', 'value', '*valueFrom'),
  ResourceRequirements: S('limits', 'requests', 'claims'),
  PodStatus: S(
    'phase',
    ['conditions', '[]PodCondition'],
    'message',
    'reason',
    'nominatedNodeName',
    'hostIP',
    'hostIPs',
    'podIP',
    'podIPs',
    '*startTime',
    'initContainerStatuses',
    'containerStatuses',
    'qosClass',
    'ephemeralContainerStatuses',
    'resize',
    'resourceClaimStatuses',
  ),
  PodCondition: S(
    'type',
    'status',
    ['!lastProbeTime', 'Time'],
    ['!lastTransitionTime', 'Time'],
    'reason',
    'message',
  ),
  Deployment: S(['!metadata', 'ObjectMeta'], ['!spec', 'DeploymentSpec'], ['!status', 'DeploymentStatus']),
  DeploymentSpec: S(
    '*replicas',
    ['*selector', 'LabelSelector'],
    ['!template', 'PodTemplateSpec'],
    ['!strategy', 'DeploymentStrategy'],
    'minReadySeconds',
    '*revisionHistoryLimit',
    'paused',
    '*progressDeadlineSeconds',
  ),
  LabelSelector: S('matchLabels', 'matchExpressions'),
  DeploymentStrategy: S('type', ['*rollingUpdate', 'RollingUpdateDeployment']),
  RollingUpdateDeployment: S('*maxUnavailable', '*maxSurge'),
  DeploymentStatus: S(
    'observedGeneration',
    'replicas',
    'updatedReplicas',
    'readyReplicas',
    'availableReplicas',
    'unavailableReplicas',
    ['conditions', '[]DeploymentCondition'],
    '*collisionCount',
  ),
  DeploymentCondition: S(
    'type',
    'status',
    ['!lastUpdateTime', 'Time'],
    ['!lastTransitionTime', 'Time'],
    'reason',
    'message',
  ),
  Service: S(['!metadata', 'ObjectMeta'], ['!spec', 'ServiceSpec'], ['!status', 'ServiceStatus']),
  ServiceSpec: S(
    ['ports', '[]ServicePort'],
    'selector',
    'clusterIP',
    'clusterIPs',
    'type',
    'externalIPs',
    'sessionAffinity',
    'loadBalancerIP',
    'loadBalancerSourceRanges',
    'externalName',
    'externalTrafficPolicy',
    'healthCheckNodePort',
    'publishNotReadyAddresses',
    '*sessionAffinityConfig',
    'ipFamilies',
    '*ipFamilyPolicy',
    '*allocateLoadBalancerNodePorts',
    '*loadBalancerClass',
    '*internalTrafficPolicy',
    '*trafficDistribution',
  ),
  ServicePort: S('name', 'protocol', '*appProtocol', '!port', ['!targetPort', 'IntOrString'], 'nodePort'),
  ServiceStatus: S(['!loadBalancer', 'LoadBalancerStatus'], 'conditions'),
  LoadBalancerStatus: S('ingress'),
  Secret: S(['!metadata', 'ObjectMeta'], '*immutable', 'data', 'stringData', 'type'),
  ConfigMap: S(['!metadata', 'ObjectMeta'], '*immutable', 'data', 'binaryData'),
  Namespace: S(['!metadata', 'ObjectMeta'], ['!spec', 'NamespaceSpec'], ['!status', 'NamespaceStatus']),
  NamespaceSpec: S('finalizers'),
  NamespaceStatus: S('phase', 'conditions'),
  ServiceAccount: S(
    ['!metadata', 'ObjectMeta'],
    'secrets',
    'imagePullSecrets',
    '*automountServiceAccountToken',
  ),
};

/** What Go writes for an empty field it never omits. */
function zero(type: string | undefined): unknown {
  if (type === 'Time') return null;
  if (type === 'IntOrString') return 0;
  if (type === undefined) return '';
  if (type.startsWith('[]')) return null;
  return shape(type, {});
}

/** Go's omitempty: false, 0, "", and empty maps and lists are left out. */
const empty = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === false ||
  v === 0 ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (isObject(v) && Object.keys(v).length === 0);

function shape(type: string, value: unknown): unknown {
  if (type.startsWith('[]')) return Array.isArray(value) ? value.map((v) => shape(type.slice(2), v)) : value;
  const fields = STRUCTS[type];
  if (!fields || !isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [marked, t] of fields) {
    const mark = marked[0];
    const name = mark === '!' || mark === '*' ? marked.slice(1) : marked;
    const v = value[name];
    if (mark === '!' && (v === undefined || v === null)) out[name] = zero(t);
    else if (mark === '!' || (mark === '*' ? v !== undefined && v !== null : !empty(v)))
      out[name] = t ? shape(t, v) : v;
  }
  return out;
}

/** `obj` as kubectl's typed client would print it: kind, apiVersion, then the struct's fields. */
export function typed(obj: Record<string, unknown>): Record<string, unknown> {
  const kind = String(obj.kind ?? '');
  const body = STRUCTS[kind] ? (shape(kind, obj) as Record<string, unknown>) : obj;
  return { kind: obj.kind, apiVersion: obj.apiVersion, ...body };
}

/** Go's encoding/json escapes these in strings; JSON.stringify does not. */
const goEscape = (s: string) =>
  s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** kubectl -o json of a typed object: field order kept, four-space indent, Go's escaping. */
export function typedJson(obj: Record<string, unknown>): string {
  return `${goEscape(JSON.stringify(typed(obj), null, 4))}\n`;
}

/** Go's json.Marshal of a value whose keys are already in Go's order (maps sorted, structs declared). */
export function goMarshal(v: unknown): string {
  return goEscape(JSON.stringify(v));
}
