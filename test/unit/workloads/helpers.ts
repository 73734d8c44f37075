// Shared pieces of the workload controller tests: a lab shell, objects by kind, and small builders.
import type { ApiClient } from '../../../main/api/client';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';

/** A lab shell: run a line to its end and get its status, stdout and stderr. */
export function shell(lab: Lab) {
  let out = '';
  const session = createShell(lab, { write: (d) => (out += d), terminal: false });
  return async (line: string) => {
    const from = out.length;
    await session.runScript(`${line} 2> /err.txt`);
    return { code: session.lastStatus, out: out.slice(from), err: session.workspace.read('/err.txt') };
  };
}

export const names = (items: KubeObject[]) => items.map((o) => o.metadata.name!).sort();

export function list(
  c: ApiClient,
  resource: string,
  namespace = 'default',
  labelSelector?: string,
): KubeObject[] {
  return c.list(resource, { namespace, labelSelector }).items;
}

export const phase = (p: KubeObject) => (p.status as { phase?: string } | undefined)?.phase;
export const spec = <T = Record<string, unknown>>(o: KubeObject) => (o.spec ?? {}) as T;
export const status = <T = Record<string, unknown>>(o: KubeObject) => (o.status ?? {}) as T;

export type Cond = {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
};
export const condition = (o: KubeObject, type: string) =>
  ((o.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).find((c) => c.type === type);

export function podTemplate(
  labels: Record<string, string>,
  image = 'nginx:1.25',
  extra: Record<string, unknown> = {},
) {
  return {
    metadata: { labels },
    spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80 }] }], ...extra },
  };
}

export function deployment(
  name: string,
  replicas: number,
  spec: Record<string, unknown> = {},
  namespace = 'default',
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: podTemplate({ app: name }),
      ...spec,
    },
  };
}

export function events(c: ApiClient, involved: string, namespace = 'default'): string[] {
  return list(c, 'events', namespace)
    .filter((e) => (e.involvedObject as { name?: string }).name === involved)
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => `${e.type as string} ${e.reason as string} ${e.message as string}`);
}
