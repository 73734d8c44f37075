// authorization.k8s.io/v1 SelfSubjectAccessReview: "may I?", answered by the same authorizer every
// request goes through — what `kubectl auth can-i` asks.
import type { KindDefinition } from '../registry';
import { bool, obj, str } from '../schema';
import { KUBERNETES } from './flavors';

type Attrs = {
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
};

export const selfSubjectAccessReviewKind: KindDefinition = {
  flavors: KUBERNETES,
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  namespaced: false,
  verbs: ['create'],
  nameFormat: 'subdomain',
  description: 'SelfSubjectAccessReview checks whether or the current user can perform an action.',
  schema: obj({
    spec: obj({
      resourceAttributes: obj({
        namespace: str(),
        verb: str(),
        group: str(),
        version: str(),
        resource: str(),
        subresource: str(),
        name: str(),
      }),
      nonResourceAttributes: obj({ path: str(), verb: str() }),
    }),
    status: obj({ allowed: bool(), denied: bool(), reason: str(), evaluationError: str() }),
  }),
  columns: [],
  virtualCreate(review, ctx) {
    const a = ((review.spec as { resourceAttributes?: Attrs } | undefined)?.resourceAttributes ??
      {}) as Attrs;
    const nonResource = (review.spec as { nonResourceAttributes?: { path?: string } } | undefined)
      ?.nonResourceAttributes;
    const d = nonResource
      ? { allowed: true, reason: '' }
      : ctx.authorize({
          verb: a.verb ?? '',
          group: a.group ?? '',
          resource: a.resource ?? '',
          subresource: a.subresource || undefined,
          namespace: a.namespace || undefined,
          name: a.name || undefined,
        });
    return {
      ...review,
      metadata: { creationTimestamp: undefined as unknown as string },
      status: { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) },
    };
  },
};
