// What a pod's containers go through once their images are asked for, the same under a Spherelet (a
// vSphere Pod's CRX) and under a guest cluster node's kubelet: a failed pull (ErrImagePull, then
// ImagePullBackOff with doubling back-off), the images pulled, the containers created and started, and
// their exit — done for restartPolicy Never/OnFailure, CrashLoopBackOff for Always. The caller says how
// to write the pod and record events (its component's name), and what its runtime calls containers.
import { rfc3339 } from '../../api/environment';
import type { KubeObject } from '../../api/types';
import { lifecycle } from '../lifecycle';
import { pullTimeMs, type PullResult } from './images';

const spec = (p: KubeObject) => (p.spec ?? {}) as unknown as PodSpec;

export interface PodRuntime {
  pod: KubeObject;
  st: PodState;
  now: number;
  /** records an event about the pod, from the Spherelet or kubelet */
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** the runtime's bookkeeping and (when given) the status it reports, in one write */
  write(st: PodState, status: Record<string, unknown> | undefined): void;
}

export type Pull = { c: Container; r: PullResult };
type Wake = { requeueAfterMs: number } | undefined;

/** the lab's own bookkeeping of a pod's lifecycle (times are lab time) */
export const STATE_ANNOTATION = 'vmware-system-lab/pod-state';

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  ports?: { containerPort: number }[];
}

export interface PodSpec {
  nodeName?: string;
  containers: Container[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: {
        nodeSelectorTerms?: { matchExpressions?: { key: string; operator: string; values?: string[] }[] }[];
      };
    };
  };
}

/** What the lab keeps about a pod between reconciles. */
export interface PodState {
  /** when the current step completes */
  until?: string;
  step?: 'creating' | 'pulling' | 'starting' | 'running' | 'backoff' | 'exited';
  /** the image pull failed with this */
  pullError?: string;
  /** when it last started, and how many restarts */
  startedAt?: string;
  restarts?: number;
  /** failed image pulls so far (for the back-off) */
  pullAttempts?: number;
  /** ms the containers run before they exit (absent: they keep running) */
  runsForMs?: number;
  ip?: string;
  /** when its host was lost */
  lostAt?: string;
}

export const stateOf = (p: KubeObject): PodState => {
  const raw = p.metadata.annotations?.[STATE_ANNOTATION];
  return raw ? (JSON.parse(raw) as PodState) : {};
};

/** How long a container runs before it exits: undefined for one that keeps running. */
export function runsFor(c: Container, service: boolean): number | undefined {
  const cmd = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  if (!cmd) return service ? undefined : 0;
  if (/while\s+true|sleep\s+infinity|tail\s+-f|nginx|httpd|--?serve|server/.test(cmd)) return undefined;
  const sleep = /sleep\s+(\d+)/.exec(cmd);
  if (sleep) return Number(sleep[1]) * 1000;
  return 0;
}

export function conditions(
  pod: KubeObject,
  ready: boolean,
  at: string,
  reason?: string,
): Record<string, unknown>[] {
  const v = ready ? 'True' : 'False';
  // fields that do not apply are left out, as the API server would drop them
  const notReady: Record<string, string> = {};
  if (!ready) {
    notReady.reason = reason ?? 'ContainersNotReady';
    if (!reason)
      notReady.message = `containers with unready status: [${spec(pod)
        .containers.map((c) => c.name)
        .join(' ')}]`;
  }
  return [
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: at },
    { type: 'Ready', status: v, lastProbeTime: null, lastTransitionTime: at, ...notReady },
    { type: 'ContainersReady', status: v, lastProbeTime: null, lastTransitionTime: at, ...notReady },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at },
  ];
}

export function waiting(pod: KubeObject, reason: string, message?: string): Record<string, unknown>[] {
  return spec(pod).containers.map((c) => ({
    name: c.name,
    image: c.image,
    imageID: '',
    ready: false,
    started: false,
    restartCount: stateOf(pod).restarts ?? 0,
    state: { waiting: message ? { reason, message } : { reason } },
  }));
}

const stamp = (ms: number) => new Date(ms).toISOString();
const shown = (ms: number) => rfc3339(new Date(ms));

/** A pull failed: ErrImagePull, and from the second attempt on ImagePullBackOff; back-off doubles. */
export function pullFailed(
  rt: PodRuntime,
  failed: { c: Container; r: { ok: false; message: string } },
): Wake {
  const { pod, st, now } = rt;
  const attempts = (st.pullAttempts ?? 0) + 1;
  const backoff = Math.min(lifecycle.crashBackOffMax, lifecycle.imagePullBackOff * 2 ** (attempts - 1));
  // containerd's gRPC code: NotFound for a missing repository or tag, Unknown for the rest
  rt.event(
    'Warning',
    'Failed',
    `Failed to pull image "${failed.c.image}": rpc error: code = ${/(not found|does not exist)/.test(failed.r.message) ? 'NotFound' : 'Unknown'} desc = ${failed.r.message}`,
  );
  rt.event('Warning', 'Failed', 'Error: ErrImagePull');
  rt.write(
    {
      ...st,
      step: 'backoff',
      pullAttempts: attempts,
      pullError: failed.r.message,
      until: stamp(now + backoff),
    },
    {
      ...(pod.status as object),
      phase: 'Pending',
      conditions: conditions(pod, false, shown(now)),
      containerStatuses: waiting(
        pod,
        st.step === 'backoff' ? 'ImagePullBackOff' : 'ErrImagePull',
        `Back-off pulling image "${failed.c.image}"`,
      ),
    },
  );
  if (st.step === 'backoff') rt.event('Normal', 'BackOff', `Back-off pulling image "${failed.c.image}"`);
  return { requeueAfterMs: backoff };
}

/** The Pulled events of images that came down now. */
export function pulledEvents(rt: PodRuntime, results: Pull[]): void {
  for (const x of results)
    rt.event(
      'Normal',
      'Pulled',
      `Successfully pulled image "${x.c.image}" in ${(pullTimeMs(x.r.ok ? x.r.sizeMB : 10) / 1000).toFixed(3)}s`,
    );
}

/** The containers start: Created and Started, the pod Running at ip (or soon to exit). */
export function startContainers(
  rt: PodRuntime,
  results: Pull[],
  ip: string | undefined,
  runtime: string,
): Wake {
  const { pod, st, now } = rt;
  const lives = results.map((x) => runsFor(x.c, x.r.ok && x.r.service));
  const runsForMs = lives.some((l) => l === undefined) ? undefined : Math.max(0, ...(lives as number[]));
  for (const x of results) {
    rt.event('Normal', 'Created', `Created container ${x.c.name}`);
    rt.event('Normal', 'Started', `Started container ${x.c.name}`);
  }
  const startedAt = shown(now);
  rt.write(
    {
      ...st,
      step: 'running',
      ip,
      startedAt,
      runsForMs,
      until: runsForMs === undefined ? undefined : stamp(now + runsForMs),
    },
    {
      ...(pod.status as object),
      phase: 'Running',
      podIP: ip,
      podIPs: ip ? [{ ip }] : [],
      startTime: (pod.status as { startTime?: string } | undefined)?.startTime ?? startedAt,
      conditions: conditions(pod, true, startedAt),
      containerStatuses: spec(pod).containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: `docker.io/${c.image}@sha256:${'0'.repeat(64)}`,
        containerID: `${runtime}://${pod.metadata.uid}-${c.name}`,
        ready: true,
        started: true,
        restartCount: st.restarts ?? 0,
        state: { running: { startedAt } },
      })),
    },
  );
  return runsForMs === undefined ? undefined : { requeueAfterMs: runsForMs };
}

/**
 * The containers exited (0): the pod Succeeded for restartPolicy Never and OnFailure (then `done`
 * runs), or a restart after the CrashLoopBackOff back-off for Always.
 */
export function containersExited(rt: PodRuntime, done: () => void): Wake {
  const { pod, st, now } = rt;
  const s = spec(pod);
  const finishedAt = shown(now);
  const terminated = { exitCode: 0, reason: 'Completed', startedAt: st.startedAt, finishedAt };
  if ((s.restartPolicy ?? 'Always') !== 'Always') {
    rt.write(
      { ...st, step: 'exited', until: undefined },
      {
        ...(pod.status as object),
        phase: 'Succeeded',
        conditions: conditions(pod, false, finishedAt, 'PodCompleted'),
        containerStatuses: s.containers.map((c) => ({
          name: c.name,
          image: c.image,
          ready: false,
          started: false,
          restartCount: st.restarts ?? 0,
          state: { terminated },
        })),
      },
    );
    done();
    return undefined;
  }
  const restarts = (st.restarts ?? 0) + 1;
  const backoff = Math.min(lifecycle.crashBackOffMax, lifecycle.crashBackOff * 2 ** (restarts - 1));
  rt.event('Warning', 'BackOff', 'Back-off restarting failed container');
  rt.write(
    { ...st, step: 'exited', restarts, until: stamp(now + backoff) },
    {
      ...(pod.status as object),
      phase: 'Running',
      conditions: conditions(pod, false, finishedAt),
      containerStatuses: s.containers.map((c) => ({
        name: c.name,
        image: c.image,
        ready: false,
        started: false,
        restartCount: restarts,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${backoff / 1000}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
          },
        },
        lastState: { terminated },
      })),
    },
  );
  return { requeueAfterMs: backoff };
}
