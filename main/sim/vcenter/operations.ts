// What an administrator or the lab does to the vCenter world: enable and disable Workload Management,
// maintenance mode, and the lab's host faults. Each is one API write; controllers do the rest.
import type { ApiClient } from '../../api/client';
import { ApiError, notFound } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import type { SupervisorSpec } from '../supervisor/admission';
import { GROUP } from './kinds';

const host = (c: ApiClient, name: string): KubeObject => {
  const h = c.tryGet('hostsystems', '', name);
  if (!h) throw notFound({ group: GROUP, resource: 'hostsystems', name });
  return h;
};

export function enableWorkloadManagement(c: ApiClient, spec: SupervisorSpec): KubeObject {
  return c.create({
    apiVersion: `${GROUP}/v1`,
    kind: 'Supervisor',
    metadata: { name: spec.cluster },
    spec: JSON.parse(JSON.stringify(spec)) as object,
  });
}

export function disableWorkloadManagement(c: ApiClient, cluster: string): KubeObject {
  return c.delete('supervisors', '', cluster);
}

/** `lab host fail NAME`: the host stops answering (its VMs go down with it). */
export function failHost(c: ApiClient, name: string): KubeObject {
  host(c, name);
  return c.patch('hostsystems', '', name, 'merge', { spec: { powerState: 'poweredOff' } });
}

/** `lab host recover NAME`: the host is back; DRS rebalances onto it. */
export function recoverHost(c: ApiClient, name: string): KubeObject {
  host(c, name);
  return c.patch('hostsystems', '', name, 'merge', { spec: { powerState: 'poweredOn' } });
}

export function setMaintenanceMode(c: ApiClient, name: string, on: boolean): KubeObject {
  const h = host(c, name);
  if (on && (h.spec as { powerState?: string }).powerState === 'poweredOff') {
    throw new ApiError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message: `The operation is not allowed in the current connection state of the host ${name}.`,
    });
  }
  return c.patch('hostsystems', '', name, 'merge', { spec: { maintenanceMode: on } });
}
