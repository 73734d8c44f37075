// Raw API requests for tests that check status codes and Status bodies, as a transport would see them.
import { ApiError } from '../../main/api/errors';
import type { ApiResponse, ResourceRequest } from '../../main/api/server';
import { systemUser } from '../../main/api/types';
import type { Lab } from '../../main/sim/lab';

type Verb = ResourceRequest['verb'];

/** Sends verb on a resource named as kubectl would (`pods`, `rs`, `deployments`) as the admin by default. */
export function request(
  lab: Lab,
  verb: Verb,
  resource: string,
  rest: Partial<ResourceRequest> = {},
): ApiResponse {
  const kind = lab.registry.resolve(resource);
  if (!kind) throw new Error(`unknown resource ${resource}`);
  return lab.api.request({
    verb,
    user: systemUser,
    cluster: 'supervisor',
    group: kind.group,
    version: kind.version,
    resource: kind.plural,
    ...(kind.namespaced && rest.namespace === undefined && verb !== 'list' && verb !== 'deletecollection'
      ? { namespace: 'default' }
      : {}),
    ...rest,
  });
}

/** The ApiError fn throws; fails the test when it throws nothing or something else. */
export function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError, but the call succeeded');
}
