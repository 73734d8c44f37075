// What the embedded Harbor registry does as a registry: its projects (one per vSphere Namespace, members
// from the namespace's permissions), pushing an image into a project, and pulls by vSphere Pods — a pod
// reaches the project of its own namespace (through the namespace's pull secret) and no other:
//   <harbor-ip>/<namespace>/<repository>:<tag>
// Harbor's own pods pull from the Supervisor's internal image store (localhost:5002) on the control plane.
import { createHash } from 'node:crypto';
import { rfc3339 } from '../../api/environment';
import type { KubeObject } from '../../api/types';
import { parseCidr, parseIp } from '../vcenter/ipv4';
import type { NamespaceRole } from '../vcenter/kinds';
import { groupsOf, principalName } from '../vcenter/sso';
import type { World } from '../world';
import type { SupervisorSpec } from './admission';
import { parseImage, pull, type PullResult } from './images';
import { roleOn, type NamespaceSpec } from './namespaces';
import type {
  HarborProjectSpec,
  HarborProjectStatus,
  ImageTag,
  ProjectRole,
  RegistrySpec,
  RegistryStatus,
} from './registryKinds';

export const HARBOR_VERSION = '2.2.3';
/** the Supervisor's internal image store, which Harbor's own images come from */
export const SYSTEM_IMAGE_STORE = 'localhost:5002';
export const REGISTRY_NAMESPACE_PREFIX = 'vmware-system-registry-';
/** Harbor's control plane: one vSphere Pod each */
export const HARBOR_COMPONENTS = [
  'harbor-core',
  'harbor-database',
  'harbor-jobservice',
  'harbor-nginx',
  'harbor-portal',
  'harbor-redis',
  'harbor-registry',
] as const;
export const harborImage = (component: string): string =>
  `${SYSTEM_IMAGE_STORE}/vmware/${component}:${HARBOR_VERSION}`;

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export const registryStatus = (r: KubeObject): RegistryStatus => (r.status ?? {}) as RegistryStatus;
export const registrySpec = (r: KubeObject): RegistrySpec => r.spec as RegistrySpec;
export const projectSpec = (p: KubeObject): HarborProjectSpec => p.spec as HarborProjectSpec;
export const projectStatus = (p: KubeObject): HarborProjectStatus => (p.status ?? {}) as HarborProjectStatus;

/** The registry of a cluster (the lab's one Supervisor when no cluster is given). */
export function registryOf(w: World, cluster?: string): KubeObject | undefined {
  const c = cluster ?? (w.vc.list('supervisors').items[0]?.spec as SupervisorSpec | undefined)?.cluster;
  return c ? w.vc.tryGet('registries', '', c) : undefined;
}

/** Harbor answers pulls and pushes once it runs (a WARNING still serves). */
export const serving = (r: KubeObject): boolean =>
  !r.metadata.deletionTimestamp && ['RUNNING', 'WARNING'].includes(registryStatus(r).health ?? '');

/** The Supervisor namespaces Harbor's vSphere Pods run in. */
export function registryNamespaces(w: World): string[] {
  return w.vc
    .list('registries')
    .items.map((r) => registryStatus(r).namespace)
    .filter((n): n is string => Boolean(n));
}

/** The network of Harbor's system namespace, as a vSphere Namespace's status gives its segment. */
export function registryNetwork(w: World, namespace: string): { segment?: string } | undefined {
  const reg = w.vc.list('registries').items.find((r) => registryStatus(r).namespace === namespace);
  return reg ? { segment: registryStatus(reg).segment } : undefined;
}

/** Addresses the registries hold in the ingress CIDRs (for whoever else allocates from them). */
export function registryAddresses(w: World): string[] {
  return w.vc
    .list('registries')
    .items.map((r) => registryStatus(r).ip)
    .filter((n): n is string => Boolean(n));
}

/** A namespace permission as a Harbor project role: owner → master, edit → developer, view → guest. */
export const projectRole = (role: NamespaceRole): ProjectRole =>
  role === 'owner' ? 'master' : role === 'edit' ? 'developer' : 'guest';

export function membersFor(ns: KubeObject): NonNullable<HarborProjectStatus['members']> {
  return ((ns.spec as NamespaceSpec).access ?? []).map((a) => ({
    principal: a.principal,
    ...(a.group ? { group: true } : {}),
    role: projectRole(a.role),
  }));
}

/** The digest an image has in Harbor: the same content pushed twice has the same digest. */
export const digestOf = (source: string): string =>
  `sha256:${createHash('sha256').update(source).digest('hex')}`;

const unauthorized = (repository: string, action: 'pull' | 'push') =>
  `unauthorized: unauthorized to access repository: ${repository}, action: ${action}: unauthorized to access repository: ${repository}, action: ${action}`;

/**
 * How a vSphere Pod in `namespace` pulls an image: from Harbor when the reference names its address,
 * from the Supervisor's image store for Harbor's own images, and otherwise as images.ts pulls.
 */
export function pullFor(w: World, namespace: string, text: string): PullResult {
  const ref = parseImage(text);
  if (!ref) return pull(text);
  const full = `${ref.registry}/${ref.repository}:${ref.tag}`;
  const fail = (why: string): PullResult => ({
    ok: false,
    message: `failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${why}`,
  });
  if (ref.registry === SYSTEM_IMAGE_STORE)
    return pull(text, (r) =>
      HARBOR_COMPONENTS.some((c) => harborImage(c) === `${r.registry}/${r.repository}:${r.tag}`),
    );
  const host = ref.registry.replace(/:443$/, '');
  // Harbor and the ingress range are addresses: a registry named by host name is out on the Internet
  const ip = parseIp(host);
  if (ip === undefined) return pull(text);
  const reg = w.vc.list('registries').items.find((r) => registryStatus(r).ip === host);
  if (!reg || !serving(reg)) {
    // an address of the Supervisor's ingress range with no Harbor behind it
    const sup = w.vc.list('supervisors').items[0];
    const ingress = ((sup?.spec as SupervisorSpec | undefined)?.ingressCIDRs ?? []).map((c) => parseCidr(c));
    if (reg || ingress.some((r) => r && ip >= r.first && ip <= r.last))
      return fail(
        `failed to do request: Head "https://${host}/v2/${ref.repository}/manifests/${ref.tag}": dial tcp ${host}:443: i/o timeout`,
      );
    return pull(text);
  }
  // the namespace's pull secret is good for its own project only
  const slash = ref.repository.indexOf('/');
  const project = slash < 0 ? '' : ref.repository.slice(0, slash);
  const repo = ref.repository.slice(slash + 1);
  const p = project === namespace ? w.vc.tryGet('harborprojects', '', project) : undefined;
  if (!p || p.metadata.deletionTimestamp) return fail(unauthorized(ref.repository, 'pull'));
  const found = projectSpec(p)
    .repositories?.find((r) => r.name === repo)
    ?.tags.find((t) => t.tag === ref.tag);
  if (!found) return fail(`${full}: not found`);
  const harbor = pull(text, () => true);
  // the image behaves as the one it was pushed from
  const source = pull(found.source);
  return source.ok ? { ...source, sizeMB: found.sizeMB } : harbor;
}

export type PushResult =
  | { ok: true; reference: string; repository: string; tag: string; digest: string; sizeMB: number }
  | { ok: false; message: string };

/**
 * Pushes an image (one the simulated Docker Hub has) into a project: `docker pull SOURCE; docker tag …;
 * docker push <harbor-ip>/<project>/<repository>:<tag>`. The destination is `PROJECT[/REPOSITORY][:TAG]`
 * (with or without the registry's address); the repository and tag default to the source's. With `as`,
 * the push is made with that SSO user's rights in the project (developer or master may push).
 */
export function pushImage(w: World, source: string, dest: string, as?: string): PushResult {
  const failure = (message: string): PushResult => ({ ok: false, message });
  const reg = registryOf(w);
  if (!reg)
    return failure(
      'the embedded Harbor registry is not enabled on this Supervisor (enable it with: lab registry enable)',
    );
  const st = registryStatus(reg);
  if (!serving(reg))
    return failure(
      `the embedded Harbor registry is not running yet (${st.health ?? 'STARTING'}); see lab registry status`,
    );
  const src = parseImage(source);
  const pulled = pull(source);
  if (!src || !pulled.ok)
    return failure(`cannot pull ${source}: ${pulled.ok ? 'invalid reference format' : pulled.message}`);
  let target = dest;
  if (target.startsWith(`${st.ip}/`)) target = target.slice(st.ip!.length + 1);
  const colon = target.lastIndexOf(':');
  const tag = colon > target.lastIndexOf('/') ? target.slice(colon + 1) : src.tag;
  if (colon > target.lastIndexOf('/')) target = target.slice(0, colon);
  const slash = target.indexOf('/');
  const project = slash < 0 ? target : target.slice(0, slash);
  const repo =
    slash < 0 ? src.repository.slice(src.repository.lastIndexOf('/') + 1) : target.slice(slash + 1);
  if (!REPOSITORY.test(`${project}/${repo}`) || !TAG.test(tag))
    return failure(`invalid reference format: "${st.ip}/${project}/${repo}:${tag}"`);
  const p = w.vc.tryGet('harborprojects', '', project);
  if (!p || p.metadata.deletionTimestamp) {
    const projects = w.vc
      .list('harborprojects')
      .items.filter((x) => !x.metadata.deletionTimestamp)
      .map((x) => x.metadata.name!);
    return failure(
      `project ${project} not found: Harbor has a project per vSphere Namespace (${projects.length ? projects.join(', ') : 'none yet'})`,
    );
  }
  const repository = `${project}/${repo}`;
  if (as !== undefined) {
    const principal = principalName(as);
    if (!w.vc.tryGet('ssousers', '', principal)) return failure(`no SSO user ${principal}`);
    const ns = w.vc.tryGet('vspherenamespaces', '', projectSpec(p).namespace);
    const role = roleOn(ns, principal, groupsOf(w, principal));
    if (!role || projectRole(role) === 'guest') return failure(unauthorized(repository, 'push'));
  }
  const from = `${src.registry}/${src.repository}:${src.tag}`;
  const entry: ImageTag = {
    tag,
    digest: digestOf(from),
    sizeMB: pulled.sizeMB,
    source: from,
    pushedAt: rfc3339(new Date(w.now())),
  };
  const repos = (projectSpec(p).repositories ?? []).map((r) => ({ ...r, tags: [...r.tags] }));
  let r = repos.find((x) => x.name === repo);
  if (!r) repos.push((r = { name: repo, tags: [] }));
  r.tags = [...r.tags.filter((t) => t.tag !== tag), entry].sort((a, b) => (a.tag < b.tag ? -1 : 1));
  repos.sort((a, b) => (a.name < b.name ? -1 : 1));
  w.vc.update({ ...p, spec: { ...projectSpec(p), repositories: repos } });
  return {
    ok: true,
    reference: `${st.ip}/${repository}:${tag}`,
    repository: `${st.ip}/${repository}`,
    tag,
    digest: entry.digest,
    sizeMB: entry.sizeMB,
  };
}
