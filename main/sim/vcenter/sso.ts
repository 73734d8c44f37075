// vCenter Single Sign-On: password authentication of SSO users, their groups, and sessions behind
// bearer tokens that expire after 10 hours of lab time, as the Supervisor's tokens do. The secret token
// itself is minted by the host; the lab keeps only its SHA-256.
import { createHash } from 'node:crypto';
import { rfc3339 } from '../../api/environment';
import type { UserInfo } from '../../api/types';
import type { World } from '../world';
import { GROUP } from './kinds';
import { passwordDigest } from './scenario';

export const SESSION_TTL_MS = 10 * 60 * 60 * 1000;
export const DEFAULT_DOMAIN = 'vsphere.local';

export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');

/** `devops` → `devops@vsphere.local`; `VSPHERE.LOCAL\\devops` → `devops@vsphere.local`. */
export function principalName(input: string): string {
  const back = input.split('\\');
  if (back.length === 2) return `${back[1]}@${back[0]!.toLowerCase()}`;
  return input.includes('@')
    ? input.replace(/@(.*)$/, (_m, d: string) => `@${d.toLowerCase()}`)
    : `${input}@${DEFAULT_DOMAIN}`;
}

/** The SSO groups a principal belongs to, as `DevOps@vsphere.local`. */
export function groupsOf(w: World, principal: string): string[] {
  return w.vc
    .list('ssogroups')
    .items.filter((g) => ((g.spec as { members?: string[] }).members ?? []).includes(principal))
    .map((g) => g.metadata.name!)
    .sort();
}

/** The user behind a username and password, or undefined when they do not match. */
export function authenticate(w: World, username: string, password: string): UserInfo | undefined {
  const principal = principalName(username);
  const user = w.vc.tryGet('ssousers', '', principal);
  if (
    !user ||
    (user.spec as { passwordSha256?: string }).passwordSha256 !== passwordDigest(principal, password)
  )
    return undefined;
  return { username: principal, groups: [...groupsOf(w, principal), 'system:authenticated'] };
}

/** Records a session for a token the host minted; returns when it expires (lab time). */
export function openSession(w: World, user: UserInfo, token: string): string {
  const expiresAt = rfc3339(new Date(w.now() + SESSION_TTL_MS));
  w.vc.create({
    apiVersion: `${GROUP}/v1`,
    kind: 'SsoSession',
    metadata: { name: tokenDigest(token).slice(0, 48) },
    spec: { principal: user.username, groups: [...user.groups], expiresAt },
  });
  return expiresAt;
}

/** How Kubernetes names SSO principals (users and groups): `sso:devops@vsphere.local`. */
export const SSO_PREFIX = 'sso:';

/** The SSO principal behind a Kubernetes user or group name. */
export const ssoPrincipal = (name: string): string =>
  name.startsWith(SSO_PREFIX) ? name.slice(SSO_PREFIX.length) : name;

/**
 * The user a bearer token stands for, while its session lives, as the Supervisor's authenticator
 * names them: `sso:devops@vsphere.local`, in groups `sso:DevOps@vsphere.local` and system:authenticated.
 */
export function sessionUser(w: World, token: string): UserInfo | undefined {
  if (!/^[A-Za-z0-9._~+/=-]{16,512}$/.test(token)) return undefined;
  const s = w.vc.tryGet('ssosessions', '', tokenDigest(token).slice(0, 48));
  if (!s) return undefined;
  const spec = s.spec as { principal: string; groups: string[]; expiresAt: string };
  if (Date.parse(spec.expiresAt) <= w.now()) return undefined;
  const principal = ssoPrincipal(spec.principal);
  return {
    username: `${SSO_PREFIX}${principal}`,
    groups: [
      ...spec.groups.filter((g) => !g.startsWith('system:')).map((g) => `${SSO_PREFIX}${ssoPrincipal(g)}`),
      'system:authenticated',
    ],
  };
}
