import { ModelError, type WireJob } from '../../internal/model';
import { isJsonObject } from '../../internal/model/json';
import { invalidBody } from '../service-error';
import { canonicalJson } from './canonical-json';
import { newServerJobId, requireJobId } from './job-id';

/** The longest user name the service accepts. */
export const MAX_USER_LENGTH = 256;

const STATUS_PATTERN = /^[A-Z_]+$/;
const NULLABLE_TEXT_FIELDS = [
  'job_name',
  'service',
  'current_host',
  'current_stage',
  'origination_host',
  'parent_id',
] as const;
// Set by the service: a client that echoes a job back may still send them, and they are ignored.
const SERVER_TIME_FIELDS: ReadonlySet<string> = new Set(['created', 'modified']);
const CREATE_FIELDS: ReadonlySet<string> = new Set([
  'job_id',
  'user',
  'status',
  'child_ids',
  'update_parent',
  'service_fields',
  ...NULLABLE_TEXT_FIELDS,
  ...SERVER_TIME_FIELDS,
]);

/** A validated create request. */
export interface ParsedCreate {
  /** The job with every default filled in, still without times, progress and logs. */
  job: WireJob;
  /** The request less `created`/`modified`, canonicalised: an equal one is a replay. */
  request: string;
}

/** `null` counts as absent for the fields that have a default. */
function orDefault<T>(value: unknown, fallback: T): unknown {
  return value === undefined || value === null ? fallback : value;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((element) => typeof element === 'string');
}

/**
 * Validates the body of `POST 1.0/job/` (docs/protocol.md, "The job on the wire") and fills in
 * the defaults: `status` WAITING, a server-made `job_id`, `service_fields` `{}`,
 * `update_parent` false, every other field null.
 *
 * @throws ModelError `invalid_body`, `invalid_status` or `invalid_job_id`
 */
export function parseCreateBody(body: unknown): ParsedCreate {
  if (!isJsonObject(body)) throw invalidBody('The body must be a JSON object (the job)');
  const unknown = Object.keys(body).filter((key) => !CREATE_FIELDS.has(key));
  if (unknown.length > 0) throw invalidBody(`Unknown field(s) on create: ${unknown.join(', ')}`);

  const user = body.user;
  if (typeof user !== 'string' || user.length === 0 || user.length > MAX_USER_LENGTH) {
    throw invalidBody(`"user" is required: a string of 1..${MAX_USER_LENGTH} characters`);
  }
  const status = orDefault(body.status, 'WAITING');
  if (typeof status !== 'string' || !STATUS_PATTERN.test(status)) {
    throw new ModelError('invalid_status', `Invalid status ${JSON.stringify(status)}: use [A-Z_]+`);
  }
  const jobId =
    body.job_id === undefined || body.job_id === null
      ? newServerJobId()
      : requireJobId(body.job_id);

  // Built in the order the reference server writes a job's fields.
  const job: WireJob = { job_id: jobId, user, status };
  for (const field of NULLABLE_TEXT_FIELDS) {
    const value = body[field] ?? null;
    if (value !== null && typeof value !== 'string') {
      throw invalidBody(`"${field}" must be a string or null`);
    }
    job[field] = value;
  }
  const childIds = body.child_ids ?? null;
  if (childIds !== null && !isStringArray(childIds)) {
    throw invalidBody('"child_ids" must be an array of strings or null');
  }
  job.child_ids = childIds;
  const updateParent = orDefault(body.update_parent, false);
  if (typeof updateParent !== 'boolean')
    throw invalidBody('"update_parent" must be a boolean or null');
  job.update_parent = updateParent;
  const serviceFields = orDefault(body.service_fields, {});
  if (!isJsonObject(serviceFields))
    throw invalidBody('"service_fields" must be a JSON object or null');
  job.service_fields = serviceFields;

  const request = Object.fromEntries(
    Object.entries(body).filter(([key]) => !SERVER_TIME_FIELDS.has(key)),
  );
  return { job, request: canonicalJson(request) };
}
