// Where an SSO user may work on the Supervisor after `kubectl vsphere login`: the vSphere Namespaces on
// which they hold a permission, and (with the TKG Service) the TKCs in them. Both the endpoint's
// /wcp/workloads and the lab shell's plugin ask here.
import type { UserInfo } from '../../api/types';
import type { World } from '../world';
import { ssoPrincipal } from '../vcenter/sso';
import { isVsphereAdmin } from './authorizer';
import { roleOn } from './namespaces';

export interface Workload {
  namespace: string;
  /** a TKC's name, for a guest-cluster context */
  cluster?: string;
  /** a TKC's API server */
  server?: string;
}

/**
 * The workloads a user may log in to: every vSphere Namespace for a vSphere administrator, otherwise
 * those where the user (or a group of theirs) holds a role; TKCs join with the TKG Service.
 */
export function workloadsOf(w: World, user: UserInfo): Workload[] {
  const who = {
    principal: ssoPrincipal(user.username),
    groups: user.groups.filter((g) => !g.startsWith('system:')).map(ssoPrincipal),
  };
  const admin = isVsphereAdmin(w, who);
  return w.vc
    .list('vspherenamespaces')
    .items.filter((n) => !n.metadata.deletionTimestamp && (admin || roleOn(n, who.principal, who.groups)))
    .map((n) => ({ namespace: n.metadata.name! }));
}
