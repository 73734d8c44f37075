// Kubeconfigs for the lab's endpoint, shaped like the ones `kubectl vsphere login` writes: a cluster per
// API space (the Supervisor by its address), a user per SSO principal with a bearer token, and a context
// per place the user may work.
import { stringify } from 'yaml';
import type { UserInfo } from '../../api/types';
import type { Lab } from '../../sim/lab';
import { mintToken as mintSessionToken } from '../../shell/kubeconfig';

export interface KubeContext {
  name: string;
  /** API space; the Supervisor unless a guest cluster */
  space: string;
  namespace?: string;
}

/** Mints a bearer token for a user (see the shell's mintToken) and commits the session. */
export function mintToken(lab: Lab, user: UserInfo): { token: string; expiresAt: string } {
  const minted = mintSessionToken(lab.world, user);
  lab.api.flush();
  return minted;
}

export function kubeconfig(o: {
  server: string;
  caCert: string;
  user: string;
  token: string;
  contexts: KubeContext[];
  current?: string;
}): string {
  const host = new URL(o.server).hostname;
  const clusterName = (space: string) => (space === 'supervisor' ? host : space);
  const spaces = [...new Set(o.contexts.map((c) => c.space))];
  const userName = `wcp:${host}:${o.user}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: spaces.map((s) => ({
      name: clusterName(s),
      cluster: {
        server: s === 'supervisor' ? o.server : `${o.server}/clusters/${encodeURIComponent(s)}`,
        'certificate-authority-data': Buffer.from(o.caCert).toString('base64'),
      },
    })),
    users: [{ name: userName, user: { token: o.token } }],
    contexts: o.contexts.map((c) => ({
      name: c.name,
      context: {
        cluster: clusterName(c.space),
        user: userName,
        ...(c.namespace ? { namespace: c.namespace } : {}),
      },
    })),
    'current-context': o.current ?? o.contexts[0]?.name ?? '',
    preferences: {},
  });
}

/** The contexts a user may use: the Supervisor (named by its address) for now; namespaces and TKCs join as they arrive. */
export function contextsFor(server: string): KubeContext[] {
  return [{ name: new URL(server).hostname, space: 'supervisor' }];
}
