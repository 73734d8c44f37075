// Test helpers: an in-memory lab on a stepped clock with a fixed seed, and an admin client.
import { ApiClient } from '../../main/api/client';
import { systemUser, type KubeObject } from '../../main/api/types';
import { Lab, SUPERVISOR, type LabOptions } from '../../main/sim/lab';

/**
 * An in-memory lab. Without a scenario its vCenter is empty but for the one permission every vCenter
 * has — administrator@vsphere.local is Admin on the root — so the lab shell's administrator may work.
 */
export function newLab(o: Partial<LabOptions> = {}): Lab {
  const lab = Lab.open({ path: ':memory:', seed: 'test-seed', ...o });
  if (!o.scenario && !lab.world.vc.tryGet('permissions', '', 'permission-admin')) {
    lab.world.vc.create({
      apiVersion: 'vcenter.lab/v1',
      kind: 'Permission',
      metadata: { name: 'permission-admin' },
      spec: {
        entity: '/',
        principal: 'administrator@vsphere.local',
        group: false,
        role: 'Admin',
        propagate: true,
      },
    });
    lab.api.flush();
  }
  return lab;
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
