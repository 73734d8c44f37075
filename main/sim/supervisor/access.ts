// Where an SSO user may work on the Supervisor after `kubectl vsphere login`: the vSphere Namespaces on
// which they hold a permission, and the TKCs in them. Both the endpoint's /wcp/workloads and the lab
// shell's plugin ask here.
import type { UserInfo } from '../../api/types';
import type { World } from '../world';

export interface Workload {
  namespace: string;
  /** a TKC's name, for a guest-cluster context */
  cluster?: string;
  /** a TKC's API server */
  server?: string;
}

/**
 * The workloads a user may log in to. vSphere Namespaces and their permissions are not part of the
 * model yet, so there are none: login gives the Supervisor context alone, as it does on a real
 * Supervisor for a user who holds no namespace permission.
 */
export function workloadsOf(_w: World, _user: UserInfo): Workload[] {
  return [];
}
