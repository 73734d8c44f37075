// The points where policy plugs into every request: an authorizer (RBAC arrives with the namespaces
// issue) and an admission chain (quota, pod security, TKC webhooks). Mutating plugins run before
// validation, validating plugins after, exactly as in the API server.
import type { ResolvedKind } from './registry';
import type { KubeObject, UserInfo, Verb } from './types';

export interface AuthorizationAttributes {
  user: UserInfo;
  verb: Verb | string;
  cluster: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface Decision {
  allowed: boolean;
  reason?: string;
}

export interface Authorizer {
  authorize(attrs: AuthorizationAttributes): Decision;
  /**
   * Which of the objects a permitted list or watch may show the user (the Supervisor shows a user only
   * the namespaces they hold a permission on); all of them when absent.
   */
  visible?(user: UserInfo, cluster: string, kind: ResolvedKind): ((o: KubeObject) => boolean) | undefined;
}

export const allowAll: Authorizer = { authorize: () => ({ allowed: true }) };

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionAttributes {
  operation: Operation;
  kind: ResolvedKind;
  cluster: string;
  namespace: string;
  name: string;
  subresource?: string;
  user: UserInfo;
  /** the object being written (absent for DELETE); mutating plugins may change it */
  object?: KubeObject;
  /** the stored object (UPDATE and DELETE) */
  oldObject?: KubeObject;
  dryRun: boolean;
  /** warnings a plugin gives the client (kubectl prints them as "Warning: …"); admitted all the same */
  warnings?: string[];
}

export interface AdmissionPlugin {
  name: string;
  /** may modify attrs.object; throw an ApiError to refuse */
  mutate?(attrs: AdmissionAttributes): void;
  /** throw an ApiError (usually Forbidden or Invalid) to refuse */
  validate?(attrs: AdmissionAttributes): void;
}

/** The Forbidden message kubectl prints, for a denied request. */
export function forbiddenMessage(a: AuthorizationAttributes, reason?: string): string {
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const subject = a.name
    ? `${a.resource}${a.group ? `.${a.group}` : ''} "${a.name}"`
    : `${a.resource}${a.group ? `.${a.group}` : ''}`;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const tail = reason ? `: ${reason}` : '';
  return `${subject} is forbidden: User "${a.user.username}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${scope}${tail}`;
}
