import { ApiError, badBody } from '../http/api-error';
import { hashJson } from './canonical-json';
import { isJsonObject, isStringArray, isStringOrNull, type JsonObject } from './json-types';
import { newJobId, requireJobId } from './job-id';
import { STATUS_PATTERN } from './statuses';

/** A validated create request, with the server's defaults filled in. */
export interface NewJob {
  job_id: string;
  user: string;
  status: string;
  job_name: string | null;
  service: string | null;
  current_host: string | null;
  current_stage: string | null;
  origination_host: string | null;
  parent_id: string | null;
  child_ids: string[] | null;
  update_parent: boolean;
  service_fields: JsonObject;
  /** Fingerprint of the request (less `created`/`modified`) for idempotent re-creation. */
  create_hash: string;
}

/** The most characters a user name may have (it travels in every NOTIFY payload). */
export const MAX_USER_LENGTH = 256;

const NULLABLE_STRINGS = [
  'job_name',
  'service',
  'current_host',
  'current_stage',
  'origination_host',
  'parent_id',
] as const;
// The server sets these; a client that echoes a job back may still send them.
const IGNORED = ['created', 'modified'];
const KNOWN = new Set<string>([
  'job_id',
  'user',
  'status',
  'child_ids',
  'update_parent',
  'service_fields',
  ...NULLABLE_STRINGS,
  ...IGNORED,
]);

/** Validates the body of `POST 1.0/job/` (docs/protocol.md, "The job on the wire"). */
export function parseCreateBody(body: unknown): NewJob {
  if (!isJsonObject(body)) throw badBody('The body must be a JSON object (the job)');
  const unknown = Object.keys(body).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) throw badBody(`Unknown field(s) on create: ${unknown.join(', ')}`);

  const user = body.user;
  if (typeof user !== 'string' || user.length === 0 || user.length > MAX_USER_LENGTH) {
    throw badBody(`"user" is required: a string of 1..${MAX_USER_LENGTH} characters`);
  }
  const status = body.status ?? 'WAITING';
  if (typeof status !== 'string' || !STATUS_PATTERN.test(status)) {
    throw new ApiError(
      400,
      'invalid_status',
      `Invalid status ${JSON.stringify(status)}: use [A-Z_]+`,
    );
  }
  const strings = {} as Record<(typeof NULLABLE_STRINGS)[number], string | null>;
  for (const field of NULLABLE_STRINGS) {
    const value = body[field] ?? null;
    if (!isStringOrNull(value)) throw badBody(`"${field}" must be a string or null`);
    strings[field] = value;
  }
  const childIds = body.child_ids ?? null;
  if (childIds !== null && !isStringArray(childIds)) {
    throw badBody('"child_ids" must be an array of strings or null');
  }
  const updateParent = body.update_parent ?? false;
  if (typeof updateParent !== 'boolean') throw badBody('"update_parent" must be a boolean or null');
  const serviceFields = body.service_fields ?? {};
  if (!isJsonObject(serviceFields)) throw badBody('"service_fields" must be a JSON object or null');

  const request = Object.fromEntries(
    Object.entries(body).filter(([key]) => !IGNORED.includes(key)),
  );
  return {
    job_id:
      body.job_id === undefined || body.job_id === null ? newJobId() : requireJobId(body.job_id),
    user,
    status,
    ...strings,
    child_ids: childIds,
    update_parent: updateParent,
    service_fields: serviceFields,
    create_hash: hashJson(request),
  };
}
