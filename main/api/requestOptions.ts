// The options a write request carries in its query and body, read and checked as kube-apiserver reads
// them: dryRun, fieldValidation and the combined object-and-status write for every write; the
// DeleteOptions of a delete (propagation policy, grace period, preconditions).
import { badRequest, forbidden, statusFailure } from './errors';
import type { Query } from './list';
import type { ResourceRequest } from './server';
import type { DeleteOptions, FieldValidation, PropagationPolicy, WriteOptions } from './writer';

const fieldValidationModes = new Set(['Strict', 'Warn', 'Ignore']);
const propagationPolicies = new Set(['Orphan', 'Background', 'Foreground']);

/** DELETE carries dryRun in its DeleteOptions body (kubectl delete --dry-run=server), not the query. */
export function withBodyDryRun(q: Query, body: unknown): Query {
  const d = (body as { dryRun?: unknown } | undefined)?.dryRun;
  if (q.dryRun !== undefined || !Array.isArray(d) || d.length === 0) return q;
  if (d.length !== 1 || d[0] !== 'All') throw badRequest(`Invalid dry run value: ${JSON.stringify(d)}`);
  return { ...q, dryRun: 'All' };
}

export function writeOptions(r: ResourceRequest, q: Query): WriteOptions {
  const dryRun = q.dryRun;
  if (dryRun !== undefined && dryRun !== 'All' && dryRun !== '')
    throw badRequest(`Invalid dry run value: "${dryRun}"`);
  const fv = q.fieldValidation ?? 'Warn';
  if (!fieldValidationModes.has(fv))
    throw badRequest(
      `fieldValidation parameter unsupported value: "${fv}"; supported values: "Ignore", "Warn", "Strict"`,
    );
  if (r.withStatus && !r.user.groups.includes('system:masters'))
    throw forbidden(`User "${r.user.username}" cannot update an object and its status in one write`);
  return {
    cluster: r.cluster,
    user: r.user,
    dryRun: dryRun === 'All',
    fieldValidation: fv as FieldValidation,
    subresource: r.subresource,
    withStatus: r.withStatus === true && r.verb === 'update' && r.subresource === undefined,
  };
}

export function deleteOptions(body: unknown, q: Query): DeleteOptions {
  const b = (body && typeof body === 'object' ? body : {}) as {
    propagationPolicy?: string;
    gracePeriodSeconds?: number;
    preconditions?: { uid?: string; resourceVersion?: string };
    orphanDependents?: boolean;
  };
  const policy = q.propagationPolicy ?? b.propagationPolicy ?? (b.orphanDependents ? 'Orphan' : undefined);
  if (policy !== undefined && !propagationPolicies.has(policy)) {
    throw statusFailure(
      422,
      'Invalid',
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  const grace = q.gracePeriodSeconds !== undefined ? Number(q.gracePeriodSeconds) : b.gracePeriodSeconds;
  return {
    propagationPolicy: policy as PropagationPolicy | undefined,
    gracePeriodSeconds: grace,
    preconditions: b.preconditions,
  };
}
