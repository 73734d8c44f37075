// Who the app acts as: the signed-in user of the workspace kubeconfig's current context, exactly as the
// terminal's kubectl would be. Signed out or expired, that is the anonymous user.
import { ApiClient } from '../../api/client';
import type { UserInfo } from '../../api/types';
import type { Lab } from '../../sim/lab';
import { sessionUser } from '../../sim/vcenter/sso';
import { principalOf, readKubeconfig } from '../../shell/kubeconfig';
import { Workspace } from '../../store/files';

export interface SignedIn {
  user: UserInfo;
  principal: string;
  context: string;
  namespace: string;
}

const anonymous: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

export function signedIn(lab: Lab): SignedIn {
  const ws = new Workspace(lab.store, () => lab.clock.nowMs());
  const config = ws.stat('/.kube/config') ? readKubeconfig(ws, '/.kube/config') : { error: 'none' };
  if ('error' in config) return { user: anonymous, principal: '', context: '', namespace: 'default' };
  const name = config['current-context'];
  const context = config.contexts.find((c) => c.name === name)?.context;
  const token = config.users.find((u) => u.name === context?.user)?.user.token;
  const user = typeof token === 'string' ? sessionUser(lab.world, token) : undefined;
  return {
    user: user ?? anonymous,
    principal: user ? principalOf(context?.user ?? '') : '',
    context: name,
    namespace: context?.namespace || 'default',
  };
}

/** An API client for the Supervisor as the signed-in user: what they may not read, they do not see. */
export const supervisorAs = (lab: Lab, who: SignedIn): ApiClient =>
  new ApiClient(lab.api, who.user, 'supervisor');

/** A list the user may not make comes back empty, as the UI shows nothing it cannot read. */
export function listOrEmpty(c: ApiClient, resource: string, namespace?: string) {
  try {
    return c.list(resource, namespace ? { namespace } : {}).items;
  } catch {
    return [];
  }
}
