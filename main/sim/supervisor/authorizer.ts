// Who may do what on a Supervisor, from vCenter's permissions: a vSphere administrator (Admin on the
// vCenter root, directly or through a group) may work in every namespace; anyone else may work only in
// the vSphere Namespaces where they hold a role — view reads (not Secrets), edit and owner change
// workloads. Namespaces themselves, their quotas and their bindings are vCenter's to manage: nobody
// creates or deletes a namespace with kubectl. Each user lists only the namespaces they may use. The
// same code answers the lab shell, the HTTPS endpoint and SelfSubjectAccessReviews.
import type { Authorizer, Decision } from '../../api/admission';
import type { KubeObject, UserInfo } from '../../api/types';
import { GROUP, VCENTER } from '../vcenter/kinds';
import { ssoPrincipal } from '../vcenter/sso';
import type { World } from '../world';
import { roleOn } from './namespaces';
import { tkcOfSpace, tkcRole } from './access';

const ALLOW: Decision = { allowed: true };
const DENY: Decision = { allowed: false };
const READ = new Set(['get', 'list', 'watch']);

/** Cluster-scoped catalogues every signed-in user may read (the classes, images and releases to pick from). */
const CATALOGUES = new Set([
  'storageclasses',
  'virtualmachineclasses',
  'virtualmachineimages',
  'tanzukubernetesreleases',
  'tanzukubernetesaddons',
]);

/** Namespaced objects vCenter writes for a namespace: readable there, changed only through vCenter. */
const MANAGED = new Set([
  'resourcequotas',
  'limitranges',
  'virtualmachineclassbindings',
  'contentsourcebindings',
]);

interface Who {
  principal: string;
  groups: string[];
}

const whoOf = (u: UserInfo): Who => ({
  principal: ssoPrincipal(u.username),
  groups: u.groups.filter((g) => !g.startsWith('system:')).map(ssoPrincipal),
});

/** Admin on the vCenter root, for the user or a group of theirs. */
export function isVsphereAdmin(w: World, who: Who): boolean {
  return w.vc.list('permissions').items.some((p) => {
    const s = p.spec as { entity?: string; principal?: string; group?: boolean; role?: string };
    if (s.entity !== '/' || s.role !== 'Admin') return false;
    return s.group ? who.groups.includes(s.principal ?? '') : s.principal === who.principal;
  });
}

export function supervisorAuthorizer(w: World): Authorizer {
  const isSystem = (u: UserInfo) => u.groups.includes('system:masters');
  const vsphereNamespace = (name: string): KubeObject | undefined =>
    w.api.objects.getByKey({ cluster: VCENTER, group: GROUP, kind: 'VSphereNamespace', namespace: '', name });
  const supervisorFlavored = (cluster: string) => w.api.flavorOf(cluster) === 'supervisor';
  return {
    authorize(a) {
      if (isSystem(a.user)) return ALLOW;
      // a guest cluster: cluster-admin for those who may edit its vSphere Namespace, nothing for others
      const tkc = w.api.flavorOf(a.cluster) === 'guest' ? tkcOfSpace(a.cluster) : undefined;
      if (tkc) return tkcRole(w, a.user, tkc.namespace) ? ALLOW : DENY;
      if (!supervisorFlavored(a.cluster)) return ALLOW;
      // asking what one may do is always allowed
      if (a.group === 'authorization.k8s.io') return ALLOW;
      const who = whoOf(a.user);
      const admin = isVsphereAdmin(w, who);
      const roleIn = (ns: string) =>
        admin ? 'edit' : roleOn(vsphereNamespace(ns), who.principal, who.groups);

      if (a.resource === 'namespaces' && a.group === '') {
        if (!READ.has(a.verb) || a.subresource) return DENY;
        if (a.verb === 'get' && a.name) return roleIn(a.name) ? ALLOW : DENY;
        return ALLOW; // lists show only the namespaces the user may use (visible below)
      }
      if (!a.namespace) {
        if (READ.has(a.verb) && CATALOGUES.has(a.resource)) return ALLOW;
        // every namespace at once, nodes and the rest of the cluster scope: the administrator reads them
        return admin && READ.has(a.verb) ? ALLOW : DENY;
      }
      const role = roleIn(a.namespace);
      if (!role) return DENY;
      if (READ.has(a.verb))
        return role === 'view' && a.resource === 'secrets' && a.group === '' ? DENY : ALLOW;
      if (role === 'view' || MANAGED.has(a.resource)) return DENY;
      // the edit role (Kubernetes' own) leaves status and binding to the system's controllers and scheduler
      if (a.subresource === 'status' || a.subresource === 'binding') return DENY;
      return ALLOW;
    },
    visible(user, cluster, kind) {
      if (isSystem(user) || !supervisorFlavored(cluster) || kind.group !== '' || kind.kind !== 'Namespace')
        return undefined;
      const who = whoOf(user);
      if (isVsphereAdmin(w, who)) return undefined;
      return (o) => roleOn(vsphereNamespace(o.metadata.name ?? ''), who.principal, who.groups) !== undefined;
    },
  };
}
