// Pods in a guest cluster: its kube-scheduler places them on the worker nodes by what each node's VM
// class offers (CPU and memory requests against allocatable, taints, nodeSelector, required affinity),
// and each node's kubelet pulls the images and runs the containers, with an address from the node's pod
// CIDR. The images come from the same simulated registries as vSphere Pods'. A node whose VM stopped
// (its host failed) goes NotReady; its pods are evicted after the default toleration and their
// controllers make new ones on the nodes left. The system pods the TKG Service runs (tkgs/guest.ts) are
// not this controller's.
import { rfc3339 } from '../../api/environment';
import type { ApiClient } from '../../api/client';
import type { KubeObject } from '../../api/types';
import { lifecycle } from '../lifecycle';
import { keyFor, splitKey, type Controller } from '../runtime/controllers';
import { formatIp, parseCidr } from '../vcenter/ipv4';
import type { World } from '../world';
import { pullFor } from '../supervisor/harbor';
import { pullTimeMs } from '../supervisor/images';
import {
  bindPod,
  candidatesOf,
  claimsBlock,
  filter,
  podSize,
  unschedulable,
  unschedulableMessage,
  type Candidate,
} from '../supervisor/pods';
import {
  conditions,
  containersExited,
  pulledEvents,
  pullFailed,
  startContainers,
  stateOf,
  STATE_ANNOTATION,
  waiting,
  type PodRuntime,
  type PodSpec,
  type PodState,
} from '../supervisor/containers';
import { COMPONENT_LABEL } from './guest';

const SCHEDULER = '~scheduler';
const isGuest = (w: World, space: string) => w.api.flavorOf(space) === 'guest';
const podSpec = (p: KubeObject) =>
  (p.spec ?? {}) as unknown as PodSpec & {
    securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  };
const phaseOf = (p: KubeObject) => (p.status as { phase?: string } | undefined)?.phase;
const readyOf = (n: KubeObject) =>
  ((n.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).find(
    (c) => c.type === 'Ready',
  );
/** the system's pods (tkgs/guest.ts) run on their own */
const systemPod = (p: KubeObject) => p.metadata.labels?.[COMPONENT_LABEL] !== undefined;

export function guestPodController(w: World): Controller {
  /** spaces that may have pods waiting for a node */
  const pending = new Set<string>();
  const ips = new GuestIps();
  /** the images each node has pulled (its containerd's store), by space and node */
  const nodeImages = new Map<string, Set<string>>();
  return {
    name: 'guest-pods',
    watches: [
      {
        group: '',
        kind: 'Pod',
        map: (o, cluster) => {
          if (!isGuest(w, cluster) || systemPod(o)) return [];
          const key = keyFor(cluster, o.metadata.namespace, o.metadata.name!);
          if (podSpec(o).nodeName) return [key];
          pending.add(cluster);
          return [keyFor(cluster, '', SCHEDULER), key];
        },
      },
      {
        group: '',
        kind: 'PersistentVolumeClaim',
        map: (_o, cluster) =>
          isGuest(w, cluster) && pending.has(cluster) ? [keyFor(cluster, '', SCHEDULER)] : [],
      },
      {
        group: '',
        kind: 'Node',
        map: (o, cluster) => {
          if (!isGuest(w, cluster)) return [];
          const keys = pending.has(cluster) ? [keyFor(cluster, '', SCHEDULER)] : [];
          // a node that went NotReady (or came back): its kubelet's pods
          if (readyOf(o)?.status !== 'True' || o.metadata.deletionTimestamp)
            for (const p of w
              .k8s(cluster)
              .list('pods', { fieldSelector: `spec.nodeName=${o.metadata.name}` })
              .items.filter((p) => !systemPod(p)))
              keys.push(keyFor(cluster, p.metadata.namespace, p.metadata.name!));
          return keys;
        },
      },
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      if (!w.api.hasApiSpace(cluster)) {
        ips.forget(cluster);
        for (const k of nodeImages.keys()) if (k.startsWith(`${cluster}/`)) nodeImages.delete(k);
        return;
      }
      if (!isGuest(w, cluster)) return;
      if (name === SCHEDULER) {
        if (schedule(w, cluster) === 0) pending.delete(cluster);
        return undefined;
      }
      const g = w.k8s(cluster);
      const pod = g.tryGet('pods', namespace, name);
      if (!pod) {
        ips.release(cluster, namespace, name);
        return undefined;
      }
      if (systemPod(pod) || !podSpec(pod).nodeName) return undefined;
      const nodeKey = `${cluster}/${podSpec(pod).nodeName}`;
      let images = nodeImages.get(nodeKey);
      if (!images) nodeImages.set(nodeKey, (images = new Set()));
      return kubelet(w, g, pod, ips, images);
    },
  };
}

/** One pass of the guest cluster's kube-scheduler; returns how many pods still wait for a node. */
function schedule(w: World, space: string): number {
  const g = w.k8s(space);
  const pods = g.list('pods').items;
  const waitingPods = pods.filter(
    (p) => !podSpec(p).nodeName && !p.metadata.deletionTimestamp && !systemPod(p),
  );
  if (!waitingPods.length) return 0;
  const nodes = g.list('nodes').items.filter((n) => !n.metadata.deletionTimestamp);
  const candidates = candidatesOf(nodes);
  // what scoring counts: requests, with kube-scheduler's non-zero defaults (100m, 200Mi) for containers
  // that ask for nothing, so that pods without requests spread too
  const scored = new Map<string, { milli: number; mib: number }>(
    [...candidates.keys()].map((n) => [n, { milli: 0, mib: 0 }]),
  );
  const nonZero = (p: KubeObject) => {
    const s = podSize(p);
    const n = Math.max(1, podSpec(p).containers?.length ?? 1);
    return { milli: s.cpuMilli || 100 * n, mib: s.memMiB || 200 * n };
  };
  for (const p of pods) {
    const node = podSpec(p).nodeName ?? '';
    const c = candidates.get(node);
    if (!c || ['Succeeded', 'Failed'].includes(phaseOf(p) ?? '')) continue;
    const s = podSize(p);
    c.allocatedMilli += s.cpuMilli;
    c.allocatedMiB += s.memMiB;
    const z = nonZero(p);
    scored.get(node)!.milli += z.milli;
    scored.get(node)!.mib += z.mib;
  }
  const now = rfc3339(new Date(w.now()));
  let left = 0;
  for (const pod of waitingPods.sort((a, b) =>
    a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : 0,
  )) {
    const size = podSize(pod);
    const reasons: string[] = [];
    // the volume binding plugin: every claim there and bound (pvCSI binds them)
    const claimProblem = claimsBlock(g, pod);
    if (claimProblem) {
      left++;
      unschedulable(
        w,
        g,
        pod,
        `0/${candidates.size} nodes are available: ${claimProblem}. preemption: 0/${candidates.size} nodes are available: ${candidates.size} Preemption is not helpful for scheduling.`,
        now,
      );
      continue;
    }
    let best: { c: Candidate; score: number } | undefined;
    for (const c of candidates.values()) {
      const why = filter(pod, c, size);
      if (why) {
        reasons.push(why);
        continue;
      }
      // least allocated, as kube-scheduler's default scoring
      const used = scored.get(c.node.metadata.name!)!;
      const z = nonZero(pod);
      const score =
        ((c.capacityMilli - used.milli - z.milli) / Math.max(1, c.capacityMilli) +
          (c.capacityMiB - used.mib - z.mib) / Math.max(1, c.capacityMiB)) /
        2;
      if (
        !best ||
        score > best.score ||
        (score === best.score && c.node.metadata.name! < best.c.node.metadata.name!)
      )
        best = { c, score };
    }
    if (!best) {
      left++;
      const message = candidates.size
        ? unschedulableMessage(candidates.size, reasons)
        : 'no nodes available to schedule pods';
      unschedulable(w, g, pod, message, now);
      continue;
    }
    best.c.allocatedMilli += size.cpuMilli;
    best.c.allocatedMiB += size.memMiB;
    const z = nonZero(pod);
    scored.get(best.c.node.metadata.name!)!.milli += z.milli;
    scored.get(best.c.node.metadata.name!)!.mib += z.mib;
    bindPod(w, g, pod, best.c.node.metadata.name!);
  }
  return left;
}

/** The images Docker Hub's official builds run as root; images built to run unprivileged say so. */
const runsAsRoot = (image: string) => !/unprivileged|nonroot|non-root|bitnami\//.test(image);

/**
 * Pod addresses per node, as the CNI's host-local IPAM hands them out from the node's pod CIDR: the next
 * free address after the last one it gave, wrapping round. Built from the pods once per cluster (after a
 * restart too), then kept as pods start and go.
 */
class GuestIps {
  private readonly spaces = new Map<
    string,
    { byPod: Map<string, string>; taken: Set<string>; last: Map<string, number> }
  >();

  private space(g: ApiClient) {
    let m = this.spaces.get(g.cluster);
    if (!m) {
      m = { byPod: new Map(), taken: new Set(), last: new Map() };
      for (const p of g.list('pods').items) {
        const ip = stateOf(p).ip;
        if (ip && podSpec(p).nodeName) {
          m.byPod.set(`${p.metadata.namespace}/${p.metadata.name}`, ip);
          m.taken.add(ip);
        }
      }
      this.spaces.set(g.cluster, m);
    }
    return m;
  }

  allocate(g: ApiClient, node: KubeObject, pod: KubeObject): string | undefined {
    const m = this.space(g);
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const had = m.byPod.get(key);
    if (had) return had;
    const cidr = (node.spec as { podCIDR?: string } | undefined)?.podCIDR ?? '';
    const r = parseCidr(cidr);
    if (!r) return undefined;
    // addresses first+2 .. last-1, starting after the last one given
    const lo = r.first + 2;
    const size = r.last - lo;
    const after = m.last.get(cidr) ?? lo - 1;
    for (let i = 1; i <= size; i++) {
      const ip = lo + ((after - lo + i + size) % size);
      const text = formatIp(ip);
      if (m.taken.has(text)) continue;
      m.taken.add(text);
      m.byPod.set(key, text);
      m.last.set(cidr, ip);
      return text;
    }
    return undefined;
  }

  release(space: string, namespace: string, name: string): void {
    const m = this.spaces.get(space);
    const ip = m?.byPod.get(`${namespace}/${name}`);
    if (!m || !ip) return;
    m.byPod.delete(`${namespace}/${name}`);
    m.taken.delete(ip);
  }

  forget(space: string): void {
    this.spaces.delete(space);
  }
}

function setState(
  g: ApiClient,
  pod: KubeObject,
  st: PodState,
  status: Record<string, unknown> | undefined,
): void {
  const next = {
    ...pod,
    metadata: {
      ...pod.metadata,
      annotations: { ...pod.metadata.annotations, [STATE_ANNOTATION]: JSON.stringify(st) },
    },
  };
  // the API server decodes a copy of what it is sent (fields left undefined are dropped there)
  if (status) g.updateWithStatus({ ...next, status });
  else g.update(next);
}

/** A bound pod on its node: the image pull, the containers, their exits; eviction when the node is lost. */
function kubelet(
  w: World,
  g: ApiClient,
  pod: KubeObject,
  ips: GuestIps,
  images: Set<string>,
): { requeueAfterMs: number } | undefined {
  const ns = pod.metadata.namespace!;
  const name = pod.metadata.name!;
  const spec = podSpec(pod);
  const nodeName = spec.nodeName!;
  const now = w.now();
  const stamp = (ms: number) => new Date(ms).toISOString();
  const shown = (ms: number) => rfc3339(new Date(ms));
  const source = `kubelet`;
  const phase = phaseOf(pod);
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const node = g.tryGet('nodes', '', nodeName);
  const st = stateOf(pod);
  // the node is gone or NotReady: the node lifecycle controller evicts after the toleration
  if (!node || readyOf(node)?.status !== 'True') {
    if (st.lostAt === undefined) {
      setState(
        g,
        pod,
        { ...st, lostAt: stamp(now) },
        st.step ? { ...(pod.status as object), conditions: conditions(pod, false, shown(now)) } : undefined,
      );
      return { requeueAfterMs: lifecycle.nodeMonitorGrace + lifecycle.podEvictionTimeout };
    }
    const evictAt = Date.parse(st.lostAt) + lifecycle.nodeMonitorGrace + lifecycle.podEvictionTimeout;
    if (now < evictAt) return { requeueAfterMs: evictAt - now };
    w.recorder.event(
      g,
      pod,
      'Normal',
      'TaintManagerEviction',
      `Marking for deletion Pod ${ns}/${name}`,
      'taint-controller',
    );
    g.delete('pods', ns, name);
    return undefined;
  }
  if (st.lostAt !== undefined) {
    // the node came back before the eviction: its VM rebooted, so the kubelet starts the containers again
    const wasRunning = st.step === 'running' || st.step === 'exited';
    setState(
      g,
      pod,
      {
        ...st,
        lostAt: undefined,
        ...(wasRunning ? { step: 'exited', restarts: (st.restarts ?? 0) + 1, until: stamp(now) } : {}),
      },
      undefined,
    );
    return { requeueAfterMs: 0 };
  }
  const results = spec.containers.map((c) => ({ c, r: pullFor(w, ns, c.image) }));
  const failed = results.find((x) => !x.r.ok);
  const until = st.until ? Date.parse(st.until) : 0;
  const rt: PodRuntime = {
    pod,
    st,
    now,
    event: (type, reason, message) => w.recorder.event(g, pod, type, reason, message, source),
    write: (next, status) => setState(g, pod, next, status),
  };
  /** The images are on the node: the containers are created, unless the pod may not run them. */
  const pulled = (): { requeueAfterMs: number } | undefined => {
    // runAsNonRoot (the restricted policy sets it) with an image that runs as root: the kubelet refuses
    const nonRoot = spec.containers.find((c) => {
      const sc = (c as { securityContext?: { runAsNonRoot?: boolean; runAsUser?: number } }).securityContext;
      const must = sc?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot;
      const uid = sc?.runAsUser ?? spec.securityContext?.runAsUser;
      return must === true && uid === undefined && runsAsRoot(c.image);
    });
    if (nonRoot) {
      const message = `container has runAsNonRoot and image will run as root (pod: "${name}_${ns}(${pod.metadata.uid})", container: ${nonRoot.name})`;
      w.recorder.event(g, pod, 'Warning', 'Failed', `Error: ${message}`, source);
      setState(
        g,
        pod,
        { ...st, step: 'backoff', until: stamp(now + lifecycle.crashBackOff) },
        {
          ...(pod.status as object),
          phase: 'Pending',
          containerStatuses: waiting(pod, 'CreateContainerConfigError', message),
        },
      );
      return { requeueAfterMs: lifecycle.crashBackOff };
    }
    return startContainers(
      { ...rt, st: { ...st, pullError: undefined } },
      results,
      st.ip ?? ips.allocate(g, node, pod),
      'containerd',
    );
  };
  switch (st.step ?? 'creating') {
    case 'creating': {
      // IfNotPresent (a tagged image): an image the node has is not pulled again
      if (
        results.every(
          (x) =>
            x.r.ok &&
            images.has(x.c.image) &&
            ((x.c as { imagePullPolicy?: string }).imagePullPolicy ?? 'IfNotPresent') !== 'Always',
        )
      ) {
        for (const x of results)
          w.recorder.event(
            g,
            pod,
            'Normal',
            'Pulled',
            `Container image "${x.c.image}" already present on machine`,
            source,
          );
        return pulled();
      }
      for (const x of results)
        w.recorder.event(g, pod, 'Normal', 'Pulling', `Pulling image "${x.c.image}"`, source);
      const ms = pullTimeMs(results.reduce((s, x) => s + (x.r.ok ? x.r.sizeMB : 10), 0));
      setState(
        g,
        pod,
        { ...st, step: 'pulling', until: stamp(now + ms) },
        {
          phase: 'Pending',
          hostIP: (node.status as { addresses?: { address: string }[] } | undefined)?.addresses?.[0]?.address,
          conditions: conditions(pod, false, shown(now)),
          containerStatuses: waiting(pod, 'ContainerCreating'),
        },
      );
      return { requeueAfterMs: ms };
    }
    case 'pulling':
    case 'backoff': {
      if (now < until) return { requeueAfterMs: until - now };
      if (failed && !failed.r.ok) return pullFailed(rt, { c: failed.c, r: failed.r });
      pulledEvents(rt, results);
      for (const x of results) images.add(x.c.image);
      return pulled();
    }
    case 'starting':
    case 'exited':
      if (now < until) return { requeueAfterMs: until - now };
      return startContainers(rt, results, st.ip ?? ips.allocate(g, node, pod), 'containerd');
    case 'running':
      if (st.runsForMs === undefined) return undefined;
      if (now < until) return { requeueAfterMs: until - now };
      return containersExited(rt, () => undefined);
  }
  return undefined;
}
