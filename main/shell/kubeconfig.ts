// The lab's kubeconfig: a workspace file (`$KUBECONFIG`, else `$HOME/.kube/config`) that the in-app
// kubectl reads and `kubectl config` and `kubectl vsphere login` write — the same file a learner can
// `cat`, edit, or copy out. It is written as kubectl writes one (keys sorted, empty lists as null).
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import type { UserInfo } from '../api/types';
import { openSession } from '../sim/vcenter/sso';
import type { World } from '../sim/world';
import { FsError, resolvePath, type Workspace } from '../store/files';
import { isObject } from '../api/patch';
import { kubectlYaml } from './commands/kubectl/get';
import { sortKeys } from './commands/kubectl/common';

export interface NamedCluster {
  name: string;
  cluster: Record<string, unknown> & { server?: string };
}
export interface NamedUser {
  name: string;
  user: Record<string, unknown> & { token?: string };
}
export interface NamedContext {
  name: string;
  context: { cluster?: string; user?: string; namespace?: string } & Record<string, unknown>;
}
export interface Kubeconfig {
  apiVersion: string;
  kind: string;
  preferences: Record<string, unknown>;
  clusters: NamedCluster[];
  users: NamedUser[];
  contexts: NamedContext[];
  'current-context': string;
}

export const emptyKubeconfig = (): Kubeconfig => ({
  apiVersion: 'v1',
  kind: 'Config',
  preferences: {},
  clusters: [],
  users: [],
  contexts: [],
  'current-context': '',
});

/** The file kubectl reads: the first of `$KUBECONFIG`'s paths, else `$HOME/.kube/config`. */
export function kubeconfigPath(env: Map<string, string>, cwd = '/', flag?: string): string {
  const first = (flag ?? env.get('KUBECONFIG') ?? '').split(':').find(Boolean);
  const home = env.get('HOME') ?? '/';
  return resolvePath(cwd, first ?? `${home.replace(/\/$/, '')}/.kube/config`);
}

const named = <T extends { name: string }>(v: unknown): T[] =>
  Array.isArray(v) ? v.filter((e): e is T => isObject(e) && typeof e.name === 'string') : [];

/** Reads a kubeconfig; a missing file is an empty config, a malformed one kubectl's kind of error. */
export function readKubeconfig(ws: Workspace, path: string): Kubeconfig | { error: string } {
  let text: string;
  try {
    text = ws.read(path);
  } catch (e) {
    if (e instanceof FsError && e.code === 'ENOENT') return emptyKubeconfig();
    if (e instanceof FsError && e.code === 'EISDIR')
      return { error: `error: error loading config file "${path}": read ${path}: is a directory\n` };
    throw e;
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    return {
      error: `error: error loading config file "${path}": yaml: ${line ? `line ${line}: ` : ''}${(e as Error).message.split('\n')[0]}\n`,
    };
  }
  if (doc === null || doc === undefined) return emptyKubeconfig();
  if (!isObject(doc))
    return {
      error: `error: error loading config file "${path}": couldn't get version/kind; json parse error: json: cannot unmarshal ${typeof doc} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }\n`,
    };
  const base = emptyKubeconfig();
  return {
    apiVersion: typeof doc.apiVersion === 'string' ? doc.apiVersion : base.apiVersion,
    kind: typeof doc.kind === 'string' ? doc.kind : base.kind,
    preferences: isObject(doc.preferences) ? doc.preferences : {},
    clusters: named<NamedCluster>(doc.clusters).map((c) => ({
      name: c.name,
      cluster: isObject(c.cluster) ? c.cluster : {},
    })),
    users: named<NamedUser>(doc.users).map((u) => ({ name: u.name, user: isObject(u.user) ? u.user : {} })),
    contexts: named<NamedContext>(doc.contexts).map((c) => ({
      name: c.name,
      context: isObject(c.context) ? c.context : {},
    })),
    'current-context': typeof doc['current-context'] === 'string' ? doc['current-context'] : '',
  };
}

/** Entries by name: kubectl keeps them in maps, so it writes and prints them sorted. */
export const byName = <T extends { name: string }>(l: T[]): T[] =>
  [...l].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** kubectl's on-disk form: keys and entries sorted, empty lists as null, a context's cluster and user always present. */
export function kubeconfigYaml(c: Kubeconfig): string {
  const list = <T extends { name: string }>(l: T[]) => (l.length ? byName(l) : null);
  return kubectlYaml(
    sortKeys({
      ...c,
      clusters: list(c.clusters),
      users: list(c.users),
      contexts: list(c.contexts.map((x) => ({ ...x, context: { cluster: '', user: '', ...x.context } }))),
    }),
  );
}

/** Writes the kubeconfig, making its folder as kubectl does; mode bits are not modelled. */
export function writeKubeconfig(ws: Workspace, path: string, c: Kubeconfig): void {
  const dir = path.slice(0, path.lastIndexOf('/')) || '/';
  if (dir !== '/') ws.mkdir(dir, true);
  ws.write(path, kubeconfigYaml(c));
}

/** Replaces the entry called `name` in place, or appends it. */
export function upsert<T extends { name: string }>(list: T[], entry: T): T[] {
  const i = list.findIndex((e) => e.name === entry.name);
  return i < 0 ? [...list, entry] : list.map((e, j) => (j === i ? entry : e));
}

/** Mints a bearer token for a user: 32 random bytes, of which the lab keeps only the digest. */
export function mintToken(world: World, user: UserInfo): { token: string; expiresAt: string } {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = openSession(world, user, token);
  return { token, expiresAt };
}

/** The principal behind a kubeconfig user entry the plugin wrote (`wcp:HOST:devops@vsphere.local`). */
export const principalOf = (userName: string): string =>
  userName.startsWith('wcp:') ? userName.slice(userName.lastIndexOf(':') + 1) : userName;
