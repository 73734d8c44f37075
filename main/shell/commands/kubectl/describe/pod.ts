// The parts of kubectl's describe output about pods and pod templates: containers (image, ports,
// command, state, resources, probes, environment, mounts), volumes, conditions, QoS and scheduling.
import type { PrefixWriter } from '../../../printers/tabwriter';
import {
  arr,
  bool,
  byString,
  formatLabelSelector,
  labelsMultiline,
  num,
  obj,
  objs,
  type Obj,
  rfc1123z,
  since,
  sortedKeys,
  stableSort,
  str,
  strMap,
  tolerationsMultiline,
  annotationsMultiline,
} from './format';
import {
  addQuantity,
  addResources,
  cmpQuantity,
  maxResources,
  milliValue,
  parseQuantity,
  type Quantity,
  quantityString,
  quantityValue,
  resourceList,
  ZERO,
} from '../../../../api/quantity';

/** Resource names sorted, each with its canonical quantity (describeResources). */
export function describeResources(resources: unknown, w: PrefixWriter, level: number): void {
  if (resources === undefined || resources === null) return;
  const r = obj(resources);
  for (const [title, list] of [
    ['Limits', resourceList(r.limits)],
    ['Requests', resourceList(r.requests)],
  ] as const) {
    if (list.size) w.write(level, `${title}:\n`);
    for (const name of [...list.keys()].sort(byString))
      w.write(level + 1, `${name}:\t${quantityString(list.get(name)!)}\n`);
  }
}

/** An IntOrString as Go's String() writes it. */
export const intOrString = (v: unknown): string =>
  typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '0';

/** A probe in one line (DescribeProbe). */
export function describeProbe(p: Obj): string {
  const attrs = `delay=${num(p.initialDelaySeconds)}s timeout=${num(p.timeoutSeconds)}s period=${num(p.periodSeconds)}s #success=${num(p.successThreshold)} #failure=${num(p.failureThreshold)}`;
  if (p.exec) return `exec [${arr(obj(p.exec).command).map(String).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const h = obj(p.httpGet);
    const scheme = str(h.scheme).toLowerCase();
    const port = intOrString(h.port);
    const hostname = str(h.host);
    const host = port ? `${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}` : hostname;
    const path = str(h.path);
    // net/url's URL.String()
    let url = scheme ? `${scheme}:` : '';
    if (scheme || host) url += host || path ? `//${host}` : host;
    if (path && !path.startsWith('/') && host) url += '/';
    return `http-get ${url}${path} ${attrs}`;
  }
  if (p.tcpSocket) {
    const t = obj(p.tcpSocket);
    return `tcp-socket ${str(t.host)}:${intOrString(t.port)} ${attrs}`;
  }
  if (p.grpc) {
    const g = obj(p.grpc);
    return `grpc <pod>:${num(g.port)} ${str(g.service)} ${attrs}`;
  }
  return `unknown ${attrs}`;
}

/**
 * The value kubectl shows for an env var taken from a pod field. Its scheme only converts
 * metadata.name and metadata.namespace for v1 Pods; every other path comes out empty.
 */
function fieldRefValue(pod: Obj | undefined, ref: Obj): string {
  if (!pod) return '';
  const path = str(ref.fieldPath);
  const meta = obj(pod.metadata);
  if (path === 'metadata.name') return str(meta.name);
  if (path === 'metadata.namespace') return str(meta.namespace);
  return '';
}

/** A container's resource as an env var shows it (ExtractContainerResourceValue), '' when unsupported. */
function resourceFieldValue(container: Obj, ref: Obj): string {
  const resource = str(ref.resource);
  const divisorQ = parseQuantity(ref.divisor);
  const divisor = divisorQ && divisorQ.value !== 0n ? divisorQ : parseQuantity('1')!;
  const res = obj(container.resources);
  const [kind, name] = resource.split(/\.(.*)/s) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !name) return '';
  const known = ['cpu', 'memory', 'ephemeral-storage'].includes(name) || name.startsWith('hugepages-');
  if (!known) return '';
  const q = resourceList(res[kind]).get(name) ?? ZERO;
  const ratio =
    name === 'cpu' ? milliValue(q) / milliValue(divisor) : quantityValue(q) / quantityValue(divisor);
  return String(Math.ceil(ratio));
}

function describeStatus(title: string, state: Obj, w: PrefixWriter): void {
  if (state.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(obj(state.running).startedAt)}\n`);
  } else if (state.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (str(obj(state.waiting).reason)) w.write(3, `Reason:\t${str(obj(state.waiting).reason)}\n`);
  } else if (state.terminated) {
    const t = obj(state.terminated);
    w.write(2, `${title}:\tTerminated\n`);
    if (str(t.reason)) w.write(3, `Reason:\t${str(t.reason)}\n`);
    if (str(t.message)) w.write(3, `Message:\t${str(t.message)}\n`);
    w.write(3, `Exit Code:\t${num(t.exitCode)}\n`);
    if (num(t.signal) > 0) w.write(3, `Signal:\t${num(t.signal)}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(2, `${title}:\tWaiting\n`);
}

const portsOf = (ports: Obj[], field: 'containerPort' | 'hostPort') =>
  ports.map((p) => `${num(p[field])}/${str(p.protocol)}`).join(', ');

/**
 * One block of containers (describeContainers): `space` is '' for a pod and two spaces in a pod
 * template; `pod` resolves env vars from pod fields (none in a template).
 */
export function describeContainers(
  label: string,
  containers: Obj[],
  statuses: Obj[] | undefined,
  pod: Obj | undefined,
  w: PrefixWriter,
  space: string,
): void {
  const byName = new Map((statuses ?? []).map((s) => [str(s.name), s]));
  w.write(0, `${space}${label}:${containers.length ? '' : ' <none>'}\n`);
  for (const c of containers) {
    const status = byName.get(str(c.name));
    w.write(1, `${space ? ' ' : ''}${str(c.name)}:\n`);
    if (status) w.write(2, `Container ID:\t${str(status.containerID)}\n`);
    w.write(2, `Image:\t${str(c.image)}\n`);
    if (status) w.write(2, `Image ID:\t${str(status.imageID)}\n`);
    const ports = objs(c.ports);
    const portText = portsOf(ports, 'containerPort');
    if (portText.includes(',')) w.write(2, `Ports:\t${portText}\n`);
    else w.write(2, `Port:\t${portText || '<none>'}\n`);
    const hostText = portsOf(ports, 'hostPort');
    if (hostText.includes(',')) w.write(2, `Host Ports:\t${hostText}\n`);
    else w.write(2, `Host Port:\t${hostText || '<none>'}\n`);
    const seccomp = obj(c.securityContext).seccompProfile;
    if (seccomp) {
      w.write(2, `SeccompProfile:\t${str(obj(seccomp).type)}\n`);
      if (obj(seccomp).type === 'Localhost')
        w.write(3, `LocalhostProfile:\t${str(obj(seccomp).localhostProfile)}\n`);
    }
    for (const [title, list] of [
      ['Command', c.command],
      ['Args', c.args],
    ] as const) {
      if (!arr(list).length) continue;
      w.write(2, `${title}:\n`);
      for (const item of arr(list)) for (const line of String(item).split('\n')) w.write(3, `${line}\n`);
    }
    if (status) {
      describeStatus('State', obj(status.state), w);
      if (obj(status.lastState).terminated) describeStatus('Last State', obj(status.lastState), w);
      w.write(2, `Ready:\t${bool(status.ready) ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${num(status.restartCount)}\n`);
    }
    describeResources(obj(c.resources), w, 2);
    for (const [title, probe] of [
      ['Liveness', c.livenessProbe],
      ['Readiness', c.readinessProbe],
      ['Startup', c.startupProbe],
    ] as const)
      if (probe !== undefined && probe !== null) w.write(2, `${title}:\t${describeProbe(obj(probe))}\n`);
    const envFrom = objs(c.envFrom);
    if (envFrom.length) {
      w.write(2, 'Environment Variables from:\n');
      for (const e of envFrom) {
        const [from, ref] = e.configMapRef
          ? ['ConfigMap', obj(e.configMapRef)]
          : e.secretRef
            ? ['Secret', obj(e.secretRef)]
            : ['', {} as Obj];
        const optional = bool(ref.optional);
        if (!str(e.prefix)) w.write(3, `${str(ref.name)}\t${from}\tOptional: ${optional}\n`);
        else w.write(3, `${str(ref.name)}\t${from} with prefix '${str(e.prefix)}'\tOptional: ${optional}\n`);
      }
    }
    describeEnv(c, pod, w);
    const mounts = stableSort(objs(c.volumeMounts), (a, b) => byString(str(a.mountPath), str(b.mountPath)));
    w.write(2, `Mounts:${mounts.length ? '' : '\t<none>'}\n`);
    for (const m of mounts) {
      const flags = [bool(m.readOnly) ? 'ro' : 'rw'];
      if (str(m.subPath)) flags.push(`path=${JSON.stringify(str(m.subPath))}`);
      w.write(3, `${str(m.mountPath)} from ${str(m.name)} (${flags.join(',')})\n`);
    }
    const devices = stableSort(objs(c.volumeDevices), (a, b) =>
      byString(str(a.devicePath), str(b.devicePath)),
    );
    if (devices.length) {
      w.write(2, `Devices:${mounts.length ? '' : '\t<none>'}\n`);
      for (const d of devices) w.write(3, `${str(d.devicePath)} from ${str(d.name)}\n`);
    }
  }
}

function describeEnv(c: Obj, pod: Obj | undefined, w: PrefixWriter): void {
  const env = objs(c.env);
  w.write(2, `Environment:${env.length ? '' : '\t<none>'}\n`);
  for (const e of env) {
    const name = str(e.name);
    if (e.valueFrom === undefined || e.valueFrom === null) {
      str(e.value)
        .split('\n')
        .forEach((line, i) => w.write(3, i === 0 ? `${name}:\t${line}\n` : `\t${line}\n`));
      continue;
    }
    const from = obj(e.valueFrom);
    if (from.fieldRef) {
      const ref = obj(from.fieldRef);
      w.write(3, `${name}:\t${fieldRefValue(pod, ref)} (${str(ref.apiVersion)}:${str(ref.fieldPath)})\n`);
    } else if (from.resourceFieldRef) {
      const ref = obj(from.resourceFieldRef);
      let value = resourceFieldValue(c, ref);
      const resource = str(ref.resource);
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory'))
        value = 'node allocatable';
      w.write(3, `${name}:\t${value} (${resource})\n`);
    } else if (from.secretKeyRef) {
      const ref = obj(from.secretKeyRef);
      w.write(
        3,
        `${name}:\t<set to the key '${str(ref.key)}' in secret '${str(ref.name)}'>\tOptional: ${bool(ref.optional)}\n`,
      );
    } else if (from.configMapKeyRef) {
      const ref = obj(from.configMapKeyRef);
      w.write(
        3,
        `${name}:\t<set to the key '${str(ref.key)}' of config map '${str(ref.name)}'>\tOptional: ${bool(ref.optional)}\n`,
      );
    }
  }
}

/** Go's %v of a *bool: <nil>, or an address no one can predict (written here as kubectl's shape, 0xc…). */
const boolPointer = (v: unknown): string => (typeof v === 'boolean' ? '0xc000000000' : '<nil>');

/** The volumes of a pod or template (describeVolumes). */
export function describeVolumes(volumes: Obj[], w: PrefixWriter, space: string): void {
  if (!volumes.length) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  // one write: a Type line and the fields under it, as kubectl's volume printers make them
  const t = (lines: [string, unknown][]) =>
    w.write(2, lines.map(([k, v], i) => `${i ? '    ' : ''}${k}:\t${String(v)}\n`).join(''));
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${str(v.name)}:\n`);
    if (v.hostPath) {
      const h = obj(v.hostPath);
      t([
        ['Type', 'HostPath (bare host directory volume)'],
        ['Path', str(h.path)],
        ['HostPathType', typeof h.type === 'string' ? h.type : '<none>'],
      ]);
    } else if (v.emptyDir) {
      const e = obj(v.emptyDir);
      const size = parseQuantity(e.sizeLimit);
      t([
        ['Type', "EmptyDir (a temporary directory that shares a pod's lifetime)"],
        ['Medium', str(e.medium)],
        ['SizeLimit', size && cmpQuantity(size, ZERO) > 0 ? quantityString(size) : '<unset>'],
      ]);
    } else if (v.gitRepo) {
      const g = obj(v.gitRepo);
      t([
        ['Type', 'GitRepo (a volume that is pulled from git when the pod is created)'],
        ['Repository', str(g.repository)],
        ['Revision', str(g.revision)],
      ]);
    } else if (v.secret) {
      const s = obj(v.secret);
      t([
        ['Type', 'Secret (a volume populated by a Secret)'],
        ['SecretName', str(s.secretName)],
        ['Optional', bool(s.optional)],
      ]);
    } else if (v.configMap) {
      const c = obj(v.configMap);
      t([
        ['Type', 'ConfigMap (a volume populated by a ConfigMap)'],
        ['Name', str(c.name)],
        ['Optional', bool(c.optional)],
      ]);
    } else if (v.nfs) {
      const n = obj(v.nfs);
      t([
        ['Type', 'NFS (an NFS mount that lasts the lifetime of a pod)'],
        ['Server', str(n.server)],
        ['Path', str(n.path)],
        ['ReadOnly', bool(n.readOnly)],
      ]);
    } else if (v.persistentVolumeClaim) {
      const p = obj(v.persistentVolumeClaim);
      t([
        ['Type', 'PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)'],
        ['ClaimName', str(p.claimName)],
        ['ReadOnly', bool(p.readOnly)],
      ]);
    } else if (v.downwardAPI) {
      w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
      for (const item of objs(obj(v.downwardAPI).items)) {
        if (item.fieldRef) w.write(3, `${str(obj(item.fieldRef).fieldPath)} -> ${str(item.path)}\n`);
        if (item.resourceFieldRef)
          w.write(3, `${str(obj(item.resourceFieldRef).resource)} -> ${str(item.path)}\n`);
      }
    } else if (v.vsphereVolume) {
      const s = obj(v.vsphereVolume);
      t([
        ['Type', 'vSphereVolume (a Persistent Disk resource in vSphere)'],
        ['VolumePath', str(s.volumePath)],
        ['FSType', str(s.fsType)],
        ['StoragePolicyName', str(s.storagePolicyName)],
      ]);
    } else if (v.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of objs(obj(v.projected).sources)) {
        if (s.secret) {
          const x = obj(s.secret);
          w.write(2, `SecretName:\t${str(x.name)}\n    SecretOptionalName:\t${boolPointer(x.optional)}\n`);
        } else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
        else if (s.configMap) {
          const x = obj(s.configMap);
          w.write(2, `ConfigMapName:\t${str(x.name)}\n    ConfigMapOptional:\t${boolPointer(x.optional)}\n`);
        } else if (s.serviceAccountToken)
          w.write(2, `TokenExpirationSeconds:\t${num(obj(s.serviceAccountToken).expirationSeconds)}\n`);
      }
    } else if (v.csi) {
      const c = obj(v.csi);
      t([
        ['Type', 'CSI (a Container Storage Interface (CSI) volume source)'],
        ['Driver', str(c.driver)],
        ['FSType', str(c.fsType)],
        ['ReadOnly', bool(c.readOnly)],
      ]);
      const attrs = strMap(c.volumeAttributes);
      w.write(2, 'VolumeAttributes:\t');
      const keys = sortedKeys(attrs);
      if (!keys.length) w.writeLine('<none>');
      keys.forEach((k, i) => {
        if (i) {
          w.write(2, '');
          w.write(2, '\t');
        }
        const line = `${k}=${attrs[k]}`;
        w.write(2, line.length > 140 ? `${line.slice(0, 140)}...\n` : `${line}\n`);
      });
    } else if (v.image) {
      const m = obj(v.image);
      t([
        ['Type', 'Image (a container image or OCI artifact)'],
        ['Reference', str(m.reference)],
        ['PullPolicy', str(m.pullPolicy)],
      ]);
    } else w.write(1, '<unknown>\n');
  }
}

/** Topology spread constraints sorted by topology key, one per line. */
export function describeTopologySpread(constraints: Obj[], w: PrefixWriter, space: string): void {
  if (!constraints.length) return;
  const sorted = stableSort(constraints, (a, b) => byString(str(a.topologyKey), str(b.topologyKey)));
  w.write(0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((c, i) => {
    if (i) {
      w.write(0, space);
      w.write(0, '\t');
    }
    let line = `${str(c.topologyKey)}:${str(c.whenUnsatisfiable)} when max skew ${num(c.maxSkew)} is exceeded`;
    if (c.labelSelector !== undefined && c.labelSelector !== null)
      line += ` for selector ${formatLabelSelector(c.labelSelector)}`;
    w.write(0, `${line}\n`);
  });
}

/** A pod template (DescribePodTemplate), as deployments and replica sets show it. */
export function describePodTemplate(template: Obj, w: PrefixWriter): void {
  w.write(0, 'Pod Template:\n');
  const meta = obj(template.metadata);
  const spec = obj(template.spec);
  labelsMultiline(w, '  Labels', strMap(meta.labels));
  if (Object.keys(strMap(meta.annotations)).length)
    annotationsMultiline(w, '  Annotations', strMap(meta.annotations));
  if (str(spec.serviceAccountName)) w.write(1, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  if (objs(spec.initContainers).length)
    describeContainers('Init Containers', objs(spec.initContainers), undefined, undefined, w, '  ');
  describeContainers('Containers', objs(spec.containers), undefined, undefined, w, '  ');
  describeVolumes(objs(spec.volumes), w, '  ');
  describeTopologySpread(objs(spec.topologySpreadConstraints), w, '  ');
  if (str(spec.priorityClassName)) w.write(1, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  labelsMultiline(w, '  Node-Selectors', strMap(spec.nodeSelector));
  tolerationsMultiline(w, '  Tolerations', objs(spec.tolerations));
}

/** The pod's QoS class: the one in its status, else computed from its containers (qos.GetPodQOS). */
export function podQOS(pod: Obj): string {
  const status = str(obj(pod.status).qosClass);
  if (status) return status;
  const spec = obj(pod.spec);
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  // only cpu and memory above zero count
  const qosList = (list: unknown) =>
    new Map(
      [...resourceList(list)].filter(([n, q]) => (n === 'cpu' || n === 'memory') && cmpQuantity(q, ZERO) > 0),
    );
  let guaranteed = true;
  const take = (r: Obj, limitsRequired: boolean) => {
    addResources(requests, qosList(r.requests));
    if (!limitsRequired) return;
    const l = qosList(r.limits);
    addResources(limits, l);
    if (!l.has('cpu') || !l.has('memory')) guaranteed = false;
  };
  if (spec.resources !== undefined && spec.resources !== null) {
    const r = obj(spec.resources);
    take(r, r.limits !== undefined && r.limits !== null);
  } else
    for (const c of [...objs(spec.containers), ...objs(spec.initContainers)]) take(obj(c.resources), true);
  if (!requests.size && !limits.size) return 'BestEffort';
  if (guaranteed)
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || cmpQuantity(lim, req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** `Kind/name` of the controller owning an object, '' when none does. */
export function controllerOf(o: Obj): string {
  const ref = objs(obj(o.metadata).ownerReferences).find((r) => r.controller === true);
  return ref ? `${str(ref.kind)}/${str(ref.name)}` : '';
}

/** The pod describer's body (describePod). */
export function describePodBody(pod: Obj, w: PrefixWriter, now: Date): void {
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  w.write(0, `Name:\t${str(meta.name)}\n`);
  w.write(0, `Namespace:\t${str(meta.namespace)}\n`);
  if (typeof spec.priority === 'number') w.write(0, `Priority:\t${spec.priority}\n`);
  if (str(spec.priorityClassName)) w.write(0, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  if (str(spec.runtimeClassName)) w.write(0, `Runtime Class Name:\t${str(spec.runtimeClassName)}\n`);
  if (str(spec.serviceAccountName)) w.write(0, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  w.write(0, `Node:\t${str(spec.nodeName) ? `${str(spec.nodeName)}/${str(status.hostIP)}` : '<none>'}\n`);
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  labelsMultiline(w, 'Labels', strMap(meta.labels));
  annotationsMultiline(w, 'Annotations', strMap(meta.annotations));
  const phase = str(status.phase);
  if (meta.deletionTimestamp && phase !== 'Failed' && phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, now)})\n`);
    w.write(0, `Termination Grace Period:\t${num(meta.deletionGracePeriodSeconds)}s\n`);
  } else w.write(0, `Status:\t${phase}\n`);
  if (str(status.reason)) w.write(0, `Reason:\t${str(status.reason)}\n`);
  if (str(status.message)) w.write(0, `Message:\t${str(status.message)}\n`);
  const seccomp = obj(spec.securityContext).seccompProfile;
  if (seccomp) {
    w.write(0, `SeccompProfile:\t${str(obj(seccomp).type)}\n`);
    if (obj(seccomp).type === 'Localhost')
      w.write(0, `LocalhostProfile:\t${str(obj(seccomp).localhostProfile)}\n`);
  }
  w.write(0, `IP:\t${str(status.podIP)}\n`);
  const ips = objs(status.podIPs);
  if (!ips.length) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${str(ip.ip)}\n`);
  }
  const controller = controllerOf(pod);
  if (controller) w.write(0, `Controlled By:\t${controller}\n`);
  if (str(status.nominatedNodeName)) w.write(0, `NominatedNodeName:\t${str(status.nominatedNodeName)}\n`);
  if (spec.resources !== undefined && spec.resources !== null) {
    w.write(0, 'Resources:\n');
    describeResources(spec.resources, w, 1);
  }
  if (objs(spec.initContainers).length)
    describeContainers(
      'Init Containers',
      objs(spec.initContainers),
      objs(status.initContainerStatuses),
      pod,
      w,
      '',
    );
  describeContainers('Containers', objs(spec.containers), objs(status.containerStatuses), pod, w, '');
  if (objs(spec.ephemeralContainers).length)
    describeContainers(
      'Ephemeral Containers',
      objs(spec.ephemeralContainers),
      objs(status.ephemeralContainerStatuses),
      pod,
      w,
      '',
    );
  const conditions = objs(status.conditions);
  const gates = objs(spec.readinessGates);
  if (gates.length) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of gates) {
      const c = conditions.find((x) => x.type === g.conditionType);
      w.write(1, `${str(g.conditionType)} \t${c ? str(c.status) : '<none>'} \n`);
    }
  }
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${str(c.type)} \t${str(c.status)} \n`);
  }
  describeVolumes(objs(spec.volumes), w, '');
  w.write(0, `QoS Class:\t${podQOS(pod)}\n`);
  labelsMultiline(w, 'Node-Selectors', strMap(spec.nodeSelector));
  tolerationsMultiline(w, 'Tolerations', objs(spec.tolerations));
  describeTopologySpread(objs(spec.topologySpreadConstraints), w, '');
}

/** What a pod asks of its node (PodRequestsAndLimits): its containers, the largest init container, sidecars, overhead. */
export function podTotals(pod: Obj, which: 'requests' | 'limits'): Map<string, Quantity> {
  const spec = obj(pod.spec);
  const total = new Map<string, Quantity>();
  for (const c of objs(spec.containers)) addResources(total, resourceList(obj(c.resources)[which]));
  const sidecars = new Map<string, Quantity>();
  const init = new Map<string, Quantity>();
  for (const c of objs(spec.initContainers)) {
    const own = resourceList(obj(c.resources)[which]);
    let effective: Map<string, Quantity>;
    if (c.restartPolicy === 'Always') {
      addResources(total, own);
      addResources(sidecars, own);
      effective = sidecars;
    } else {
      effective = new Map();
      addResources(effective, own);
      addResources(effective, sidecars);
    }
    maxResources(init, effective);
  }
  maxResources(total, init);
  const overhead = resourceList(spec.overhead);
  if (which === 'requests') addResources(total, overhead);
  else
    for (const [n, q] of overhead) {
      const have = total.get(n);
      if (have && have.value !== 0n) total.set(n, addQuantity(have, q));
    }
  return total;
}
