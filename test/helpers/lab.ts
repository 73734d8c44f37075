// Test helpers: an in-memory lab on a stepped clock with a fixed seed, and an admin client.
import { ApiClient } from '../../main/api/client';
import { systemUser, type KubeObject } from '../../main/api/types';
import { Lab, SUPERVISOR, type LabOptions } from '../../main/sim/lab';

export function newLab(o: Partial<LabOptions> = {}): Lab {
  return Lab.open({ path: ':memory:', seed: 'test-seed', ...o });
}

export function adminClient(lab: Lab, cluster = SUPERVISOR): ApiClient {
  return new ApiClient(lab.api, systemUser, cluster);
}

export function pod(
  name: string,
  namespace = 'default',
  extra: Partial<KubeObject> & { labels?: Record<string, string> } = {},
): KubeObject {
  const { labels, ...rest } = extra;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
    ...rest,
  };
}
