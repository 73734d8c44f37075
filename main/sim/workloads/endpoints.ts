// The Endpoints controller: for every Service with a selector, an Endpoints object of the same name
// listing the selected pods that have an IP — Ready ones under addresses, the others under
// notReadyAddresses (all as ready with publishNotReadyAddresses) — with the service's ports resolved on
// each pod (a named targetPort looked up in its containers), packed as RepackSubsets packs them.
import type { KubeObject } from '../../api/types';
import { keyFor, splitKey, type Controller, type Key } from '../runtime/controllers';
import type { World } from '../world';
import type { InformerCache } from './cache';
import { canonicalJson } from './hash';
import { isPodReady, podPhase, podSpec, podStatus } from './pods';

type ServicePort = {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
  targetPort?: number | string;
};
type ServiceSpec = {
  selector?: Record<string, string>;
  ports?: ServicePort[];
  clusterIP?: string;
  publishNotReadyAddresses?: boolean;
};
type EndpointAddress = {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: string; namespace: string; name: string; uid: string };
};
type EndpointPort = { name?: string; port: number; protocol?: string; appProtocol?: string };
type EndpointSubset = {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
};

const HEADLESS = 'service.kubernetes.io/headless';
const TOLERATE_UNREADY = 'service.alpha.kubernetes.io/tolerate-unready-endpoints';

/** FindPort: a numeric targetPort as it is, a named one from the pod's containers (same protocol). */
function findPort(pod: KubeObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  const containers =
    (
      (pod.spec ?? {}) as {
        containers?: { ports?: { name?: string; containerPort?: number; protocol?: string }[] }[];
      }
    ).containers ?? [];
  for (const c of containers)
    for (const p of c.ports ?? [])
      if (p.name === target && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
  return undefined;
}

/** shouldPodBeInEndpoints: a finished pod that will not restart is no endpoint, not even a not-ready one. */
function mayBeEndpoint(pod: KubeObject): boolean {
  const policy = podSpec(pod).restartPolicy;
  if (policy === 'Never') return podPhase(pod) !== 'Failed' && podPhase(pod) !== 'Succeeded';
  if (policy === 'OnFailure') return podPhase(pod) !== 'Succeeded';
  return true;
}

const portKey = (p: EndpointPort | undefined) =>
  p ? `${p.name ?? ''}/${p.port}/${p.protocol ?? ''}/${p.appProtocol ?? ''}` : '-';
const addrKey = (a: EndpointAddress) => `${a.ip}/${a.targetRef.uid}`;

/** RepackSubsets: ports that share the same addresses (and readiness) become one subset; sorted. */
function repack(entries: { addr: EndpointAddress; port?: EndpointPort; ready: boolean }[]): EndpointSubset[] {
  const byPort = new Map<
    string,
    { port?: EndpointPort; addrs: Map<string, { addr: EndpointAddress; ready: boolean }> }
  >();
  for (const e of entries) {
    const k = portKey(e.port);
    let slot = byPort.get(k);
    if (!slot) byPort.set(k, (slot = { port: e.port, addrs: new Map() }));
    slot.addrs.set(addrKey(e.addr), { addr: e.addr, ready: e.ready });
  }
  const groups = new Map<
    string,
    { ports: EndpointPort[]; addrs: { addr: EndpointAddress; ready: boolean }[] }
  >();
  for (const slot of byPort.values()) {
    const addrs = [...slot.addrs.values()].sort((a, b) => (addrKey(a.addr) < addrKey(b.addr) ? -1 : 1));
    const sig = addrs.map((a) => `${addrKey(a.addr)}:${a.ready}`).join(',');
    let g = groups.get(sig);
    if (!g) groups.set(sig, (g = { ports: [], addrs }));
    if (slot.port) g.ports.push(slot.port);
  }
  const subsets = [...groups.values()].map((g) => {
    const ports = g.ports.sort((a, b) => portKey(a).localeCompare(portKey(b)));
    const ready = g.addrs.filter((a) => a.ready).map((a) => a.addr);
    const notReady = g.addrs.filter((a) => !a.ready).map((a) => a.addr);
    return {
      ...(ready.length ? { addresses: ready } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady } : {}),
      ...(ports.length ? { ports } : {}),
    };
  });
  return subsets.sort((a, b) => portKey(a.ports?.[0]).localeCompare(portKey(b.ports?.[0])));
}

export function endpointsController(w: World, cache: InformerCache): Controller {
  /** the Services whose Endpoints list each pod (cluster\0namespace\0pod), for pods that stop matching */
  const memberOf = new Map<string, Set<string>>();
  const podsOf = new Map<Key, Set<string>>();
  const podKey = (cluster: string, ns: string, pod: string) => `${cluster}\u0000${ns}\u0000${pod}`;

  const remember = (key: Key, pods: Set<string>) => {
    const { cluster, namespace, name } = splitKey(key);
    for (const p of podsOf.get(key) ?? []) {
      if (pods.has(p)) continue;
      const s = memberOf.get(podKey(cluster, namespace, p));
      s?.delete(name);
      if (s?.size === 0) memberOf.delete(podKey(cluster, namespace, p));
    }
    for (const p of pods) {
      const k = podKey(cluster, namespace, p);
      let s = memberOf.get(k);
      if (!s) memberOf.set(k, (s = new Set()));
      s.add(name);
    }
    if (pods.size) podsOf.set(key, pods);
    else podsOf.delete(key);
  };

  return {
    name: 'endpoints',
    watches: [
      { group: '', kind: 'Service' },
      {
        // a managed Endpoints edited or deleted by hand is put back; one without a selecting Service is left be
        group: '',
        kind: 'Endpoints',
        map: (ep, cluster) => {
          const ns = ep.metadata.namespace ?? '';
          const svc = cache.get(cluster, '', 'Service', ns, ep.metadata.name ?? '');
          const sel = (svc?.spec as ServiceSpec | undefined)?.selector;
          return sel && Object.keys(sel).length ? [keyFor(cluster, ns, ep.metadata.name!)] : [];
        },
      },
      {
        group: '',
        kind: 'Pod',
        map: (pod, cluster) => {
          const ns = pod.metadata.namespace ?? '';
          const names = new Set(memberOf.get(podKey(cluster, ns, pod.metadata.name ?? '')));
          for (const s of cache.selecting(cluster, '', 'Service', ns, pod.metadata.labels))
            names.add(s.metadata.name!);
          return [...names].map((n) => keyFor(cluster, ns, n));
        },
      },
    ],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      const c = w.k8s(cluster);
      const svc = c.tryGet('services', namespace, name);
      const current = c.tryGet('endpoints', namespace, name);
      if (!svc) {
        remember(key, new Set());
        if (current) c.delete('endpoints', namespace, name);
        return;
      }
      const spec = (svc.spec ?? {}) as ServiceSpec;
      if (!spec.selector || !Object.keys(spec.selector).length) {
        remember(key, new Set());
        return;
      }
      const tolerate =
        spec.publishNotReadyAddresses === true || svc.metadata.annotations?.[TOLERATE_UNREADY] === 'true';
      const entries: { addr: EndpointAddress; port?: EndpointPort; ready: boolean }[] = [];
      const members = new Set<string>();
      const pods = cache
        .selectedBy(cluster, '', 'Pod', namespace, { matchLabels: spec.selector })
        .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
      for (const pod of pods) {
        const ip = podStatus(pod).podIP;
        if (!ip || (!tolerate && pod.metadata.deletionTimestamp)) continue;
        const ready = tolerate || isPodReady(pod);
        if (!ready && !mayBeEndpoint(pod)) continue;
        const ps = (pod.spec ?? {}) as { hostname?: string; subdomain?: string; nodeName?: string };
        const addr: EndpointAddress = {
          ip,
          ...(spec.clusterIP === 'None' && ps.hostname && ps.subdomain === name
            ? { hostname: ps.hostname }
            : {}),
          ...(ps.nodeName ? { nodeName: ps.nodeName } : {}),
          targetRef: { kind: 'Pod', namespace, name: pod.metadata.name!, uid: pod.metadata.uid! },
        };
        members.add(pod.metadata.name!);
        if (!spec.ports?.length) {
          if (spec.clusterIP === 'None') entries.push({ addr, ready });
          continue;
        }
        for (const sp of spec.ports) {
          const port = findPort(pod, sp);
          if (port === undefined) continue;
          entries.push({
            addr,
            ready,
            port: {
              ...(sp.name ? { name: sp.name } : {}),
              port,
              protocol: sp.protocol ?? 'TCP',
              ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
            },
          });
        }
      }
      remember(key, members);
      const subsets = repack(entries);
      const labels: Record<string, string> = { ...svc.metadata.labels };
      if (spec.clusterIP === 'None') labels[HEADLESS] = '';
      else delete labels[HEADLESS];
      const want = {
        ...(Object.keys(labels).length ? { labels } : {}),
        subsets,
      };
      if (current) {
        const have = {
          ...(Object.keys(current.metadata.labels ?? {}).length ? { labels: current.metadata.labels } : {}),
          subsets: current.subsets ?? [],
        };
        if (canonicalJson(have) === canonicalJson(want)) return;
        const next = structuredClone(current) as KubeObject;
        next.metadata.labels = want.labels;
        if (!want.labels) delete next.metadata.labels;
        if (subsets.length) next.subsets = subsets;
        else delete next.subsets;
        c.update(next);
        return;
      }
      c.create({
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace, ...(want.labels ? { labels: want.labels } : {}) },
        ...(subsets.length ? { subsets } : {}),
      });
    },
  };
}
