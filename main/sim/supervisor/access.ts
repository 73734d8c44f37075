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

/** A guest cluster's API space name: `tkc:<namespace>:<name>` (see tkgs/guest.ts). */
const guestSpaceOf = (namespace: string, name: string) => `tkc:${namespace}:${name}`;

/** The TKC a guest API space belongs to, if it is one. */
export function tkcOfSpace(space: string): { namespace: string; name: string } | undefined {
  const m = /^tkc:([^:]+):([^:]+)$/.exec(space);
  return m ? { namespace: m[1]!, name: m[2]! } : undefined;
}

/**
 * Whether a user may work in a TKC, and as what: a vSphere administrator or a user with edit or owner
 * on its namespace is bound to cluster-admin there (guest-cluster-auth-svc); view gives no access.
 */
export function tkcRole(w: World, user: UserInfo, namespace: string): 'cluster-admin' | undefined {
  const who = {
    principal: ssoPrincipal(user.username),
    groups: user.groups.filter((g) => !g.startsWith('system:')).map(ssoPrincipal),
  };
  if (isVsphereAdmin(w, who)) return 'cluster-admin';
  const role = roleOn(w.vc.tryGet('vspherenamespaces', '', namespace), who.principal, who.groups);
  return role === 'edit' || role === 'owner' ? 'cluster-admin' : undefined;
}

/**
 * A TKC login (`--tanzu-kubernetes-cluster-name`): its guest API space and control-plane address, or
 * undefined when there is no such cluster with an API endpoint yet, or the user may not use it.
 */
export function tkcLogin(
  w: World,
  user: UserInfo,
  namespace: string,
  name: string,
): { space: string; vip: string } | undefined {
  const tkc = w.k8s('supervisor').tryGet('tanzukubernetesclusters.run.tanzu.vmware.com', namespace, name);
  const vip = (tkc?.status as { apiEndpoints?: { host?: string }[] } | undefined)?.apiEndpoints?.[0]?.host;
  const space = guestSpaceOf(namespace, name);
  if (!tkc || !vip || !w.api.hasApiSpace(space) || !tkcRole(w, user, namespace)) return undefined;
  return { space, vip };
}

/** The TKC whose control plane answers at this address, as a guest API space. */
export function guestSpaceAt(w: World, host: string): string | undefined {
  if (
    !w.api.hasApiSpace('supervisor') ||
    !w.api.registry.byKind('run.tanzu.vmware.com', 'TanzuKubernetesCluster')
  )
    return undefined;
  for (const t of w.k8s('supervisor').list('tanzukubernetesclusters.run.tanzu.vmware.com').items) {
    const eps = (t.status as { apiEndpoints?: { host?: string }[] } | undefined)?.apiEndpoints ?? [];
    if (eps.some((e) => e.host === host)) return guestSpaceOf(t.metadata.namespace!, t.metadata.name!);
  }
  return undefined;
}
