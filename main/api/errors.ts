// API errors are Status objects with the reason and code the real API server uses, so every client
// (the in-app kubectl, the HTTPS endpoint, the UI) prints them the way kubectl would.
import type { Status, StatusCause } from './types';

export interface ResourceRef {
  group: string;
  /** plural resource name, as it appears in messages: `pods "x" not found` */
  resource: string;
  name?: string;
}

const qualified = (r: ResourceRef): string => (r.group ? `${r.resource}.${r.group}` : r.resource);

export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason ?? '';
  }
}

export function statusFailure(
  code: number,
  reason: string,
  message: string,
  details?: Status['details'],
): ApiError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) status.details = details;
  return new ApiError(status);
}

export const statusSuccess = (details?: Status['details']): Status => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  ...(details ? { details } : {}),
  code: 200,
});

export const notFound = (r: ResourceRef): ApiError =>
  statusFailure(404, 'NotFound', `${qualified(r)} "${r.name}" not found`, {
    name: r.name,
    group: r.group,
    kind: r.resource,
  });

export const alreadyExists = (r: ResourceRef): ApiError =>
  statusFailure(409, 'AlreadyExists', `${qualified(r)} "${r.name}" already exists`, {
    name: r.name,
    group: r.group,
    kind: r.resource,
  });

export const conflict = (r: ResourceRef, why: string): ApiError =>
  statusFailure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${r.name}": ${why}`, {
    name: r.name,
    group: r.group,
    kind: r.resource,
  });

export const modifiedConflict = (r: ResourceRef): ApiError =>
  conflict(r, 'the object has been modified; please apply your changes to the latest version and try again');

/** 422 Invalid, message in the form `Pod "x" is invalid: [a, b]` with one cause per field error. */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
  const texts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : (c.message ?? '')));
  const joined = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  return statusFailure(422, 'Invalid', `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${joined}`, {
    name,
    group,
    kind,
    causes,
  });
}

export const forbidden = (message: string, r?: ResourceRef): ApiError =>
  statusFailure(
    403,
    'Forbidden',
    message,
    r ? { name: r.name, group: r.group, kind: r.resource } : undefined,
  );

export const badRequest = (message: string): ApiError => statusFailure(400, 'BadRequest', message);

export const gone = (message: string): ApiError => statusFailure(410, 'Expired', message);

export const methodNotAllowed = (message: string): ApiError =>
  statusFailure(405, 'MethodNotAllowed', message);

export const unsupportedMediaType = (message: string): ApiError =>
  statusFailure(415, 'UnsupportedMediaType', message);

export const internalError = (message: string): ApiError =>
  statusFailure(500, 'InternalError', `Internal error occurred: ${message}`);

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return internalError(message);
}

/** 410 with reason Expired: what a watch or continue token gets once its resourceVersion is compacted. */
export const expired = (message: string): ApiError => statusFailure(410, 'Expired', message);
