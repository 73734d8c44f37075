// Plays the kubelet in tests of the workload controllers: pods go Running and Ready (with an IP) through
// the status subresource, or finish, as a Spherelet or a guest node's kubelet would report them.
import type { ApiClient } from '../../main/api/client';
import { rfc3339 } from '../../main/api/environment';
import type { KubeObject } from '../../main/api/types';
import type { Lab } from '../../main/sim/lab';
import { splitKey, type Controller } from '../../main/sim/runtime/controllers';

type Containers = { name: string; image?: string }[];
const containersOf = (p: KubeObject) =>
  ((p.spec as { containers?: Containers })?.containers ?? []) as Containers;

const ipCounters = new WeakMap<object, number>();
/** Pod IPs from the Supervisor's default pod CIDR, 10.244.0.0/21, in the order a lab's pods start. */
function podIp(c: ApiClient): string {
  const i = ipCounters.get(c.server) ?? 0;
  ipCounters.set(c.server, i + 1);
  const n = 2 + (i % 2000);
  return `10.244.${Math.floor(n / 250)}.${n % 250}`;
}

const cond = (type: string, status: string, t: string) => ({
  type,
  status,
  lastProbeTime: null,
  lastTransitionTime: t,
});

/** Sets a pod Running; Ready too unless ready is false (a failing readiness probe). */
export function startPod(
  c: ApiClient,
  pod: KubeObject,
  now: Date,
  o: { ready?: boolean; ip?: string } = {},
): KubeObject {
  const fresh = c.get('pods', pod.metadata.namespace ?? '', pod.metadata.name!);
  const t = rfc3339(now);
  const ready = o.ready ?? true;
  const st = (fresh.status ?? {}) as { podIP?: string; startTime?: string };
  const ip = o.ip ?? st.podIP ?? podIp(c);
  return c.updateStatus({
    ...fresh,
    status: {
      ...(fresh.status as object),
      phase: 'Running',
      conditions: [
        cond('Initialized', 'True', t),
        cond('Ready', ready ? 'True' : 'False', t),
        cond('ContainersReady', ready ? 'True' : 'False', t),
        cond('PodScheduled', 'True', t),
      ],
      hostIP: '192.168.10.11',
      podIP: ip,
      podIPs: [{ ip }],
      startTime: st.startTime ?? t,
      containerStatuses: containersOf(fresh).map((ct) => ({
        name: ct.name,
        image: ct.image,
        ready,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: t } },
      })),
    },
  });
}

/** Ends a pod's containers: Succeeded (exit 0) or Failed (exit 1). */
export function finishPod(
  c: ApiClient,
  pod: KubeObject,
  phase: 'Succeeded' | 'Failed',
  now: Date,
): KubeObject {
  const fresh = c.get('pods', pod.metadata.namespace ?? '', pod.metadata.name!);
  const t = rfc3339(now);
  const exitCode = phase === 'Succeeded' ? 0 : 1;
  return c.updateStatus({
    ...fresh,
    status: {
      ...(fresh.status as object),
      phase,
      conditions: [
        cond('Initialized', 'True', t),
        cond('Ready', 'False', t),
        cond('ContainersReady', 'False', t),
        cond('PodScheduled', 'True', t),
      ],
      containerStatuses: containersOf(fresh).map((ct) => ({
        name: ct.name,
        image: ct.image,
        ready: false,
        restartCount: 0,
        started: false,
        state: {
          terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed', startedAt: t, finishedAt: t },
        },
      })),
    },
  });
}

/** Starts every Pending pod now (of a namespace, or all). */
export function startPending(
  lab: Lab,
  c: ApiClient,
  namespace?: string,
  o: { ready?: boolean } = {},
): number {
  let n = 0;
  for (const p of c.list('pods', namespace ? { namespace } : {}).items) {
    if ((p.status as { phase?: string })?.phase !== 'Pending' || p.metadata.deletionTimestamp) continue;
    startPod(c, p, lab.clock.now(), o);
    n++;
  }
  return n;
}

/**
 * A kubelet for whole labs: every new pod goes Running and Ready startupMs of lab time after it was
 * created (unless `ready` says otherwise for it).
 */
export function kubelet(
  lab: Lab,
  c: ApiClient,
  o: { startupMs?: number; ready?: (pod: KubeObject) => boolean } = {},
): Controller {
  const startup = o.startupMs ?? 0;
  const controller: Controller = {
    name: 'test-kubelet',
    watches: [{ group: '', kind: 'Pod' }],
    reconcile(key) {
      const { cluster, namespace, name } = splitKey(key);
      if (cluster !== c.cluster) return;
      const pod = c.tryGet('pods', namespace, name);
      if (!pod || pod.metadata.deletionTimestamp) return;
      if ((pod.status as { phase?: string })?.phase !== 'Pending') return;
      const due = Date.parse(pod.metadata.creationTimestamp!) + startup;
      const now = lab.clock.nowMs();
      if (due > now) return { requeueAfterMs: due - now };
      startPod(c, pod, lab.clock.now(), { ready: o.ready ? o.ready(pod) : true });
    },
  };
  lab.runtime.register(controller);
  return controller;
}
