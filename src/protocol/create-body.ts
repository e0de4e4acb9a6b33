import { ModelError } from './errors';
import { isJsonObject } from './json';
import { STATUS_PATTERN } from './statuses';
import { parseSchedulingRequest, SCHEDULING_FIELDS, type SchedulingRequest } from './work-queue';

/** The longest user name the service accepts (it travels in every change notice). */
export const MAX_USER_LENGTH = 256;

/** The most jobs one batch create (`POST 1.0/job/batch`) may hold. */
export const MAX_BATCH_JOBS = 1000;

/** The text fields a create request may leave out: they default to null. */
export const NULLABLE_TEXT_FIELDS = [
  'job_name',
  'service',
  'current_host',
  'current_stage',
  'origination_host',
  'parent_id',
] as const;

/**
 * What a create request sets on a job besides its id, defaults filled in. The server's row and
 * wire types and the testing kit's jobs are built from it.
 */
export interface NewJobFields extends Record<(typeof NULLABLE_TEXT_FIELDS)[number], string | null> {
  user: string;
  status: string;
  child_ids: string[] | null;
  update_parent: boolean;
  service_fields: Record<string, unknown>;
}

/** A create body that passed every rule of docs/protocol.md except the job id's. */
export interface CreateRequest {
  /**
   * `job_id` as sent, or undefined when absent or null (the service then makes one). Each side
   * checks it with its own id rule after every other field.
   */
  requestedJobId: unknown;
  fields: NewJobFields;
  /** The body less `created`/`modified`: an equal one later is a replay of this create. */
  request: Record<string, unknown>;
  /** The work-queue fields, when {@link CreateBodyOptions.scheduling} accepts them. */
  scheduling?: SchedulingRequest;
}

/** Options of {@link parseCreateBody}. */
export interface CreateBodyOptions {
  /**
   * Accept the work queue's scheduling fields (`priority`, `run_at`, `delay_ms`, `depends_on`,
   * `retry`, `repeat`). Without it they are unknown fields, refused like any other, so that a
   * service that does not schedule jobs never stores them silently.
   * @default false
   */
  scheduling?: boolean;
}

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

const CREATE_FIELDS_WITH_SCHEDULING: ReadonlySet<string> = new Set([
  ...CREATE_FIELDS,
  ...SCHEDULING_FIELDS,
]);

const invalidBody = (message: string) => new ModelError('invalid_body', message);

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((element) => typeof element === 'string');

/**
 * Validates the body of `POST 1.0/job/` (docs/protocol.md, "The job on the wire") and fills in
 * the defaults: `status` WAITING, `service_fields` `{}`, `update_parent` false, every other
 * field null. A null counts as absent.
 *
 * @throws ModelError `invalid_body` or `invalid_status`
 */
export function parseCreateBody(body: unknown, options: CreateBodyOptions = {}): CreateRequest {
  if (!isJsonObject(body)) throw invalidBody('The body must be a JSON object (the job)');
  const known = options.scheduling === true ? CREATE_FIELDS_WITH_SCHEDULING : CREATE_FIELDS;
  const unknown = Object.keys(body).filter((key) => !known.has(key));
  if (unknown.length > 0) throw invalidBody(`Unknown field(s) on create: ${unknown.join(', ')}`);

  const user = body.user;
  if (typeof user !== 'string' || user.length === 0 || user.length > MAX_USER_LENGTH) {
    throw invalidBody(`"user" is required: a string of 1..${MAX_USER_LENGTH} characters`);
  }
  const status = body.status ?? 'WAITING';
  if (typeof status !== 'string' || !STATUS_PATTERN.test(status)) {
    throw new ModelError('invalid_status', `Invalid status ${JSON.stringify(status)}: use [A-Z_]+`);
  }
  // Filled in the order the reference server writes a job's fields.
  const texts = {} as Record<(typeof NULLABLE_TEXT_FIELDS)[number], string | null>;
  for (const field of NULLABLE_TEXT_FIELDS) {
    const value = body[field] ?? null;
    if (value !== null && typeof value !== 'string') {
      throw invalidBody(`"${field}" must be a string or null`);
    }
    texts[field] = value;
  }
  const childIds = body.child_ids ?? null;
  if (childIds !== null && !isStringArray(childIds)) {
    throw invalidBody('"child_ids" must be an array of strings or null');
  }
  const updateParent = body.update_parent ?? false;
  if (typeof updateParent !== 'boolean') {
    throw invalidBody('"update_parent" must be a boolean or null');
  }
  const serviceFields = body.service_fields ?? {};
  if (!isJsonObject(serviceFields)) {
    throw invalidBody('"service_fields" must be a JSON object or null');
  }

  const scheduling = options.scheduling === true ? parseSchedulingRequest(body) : undefined;

  return {
    ...(scheduling === undefined ? {} : { scheduling }),
    requestedJobId: body.job_id ?? undefined,
    fields: {
      user,
      status,
      ...texts,
      child_ids: childIds,
      update_parent: updateParent,
      service_fields: serviceFields,
    },
    request: Object.fromEntries(
      Object.entries(body).filter(([key]) => !SERVER_TIME_FIELDS.has(key)),
    ),
  };
}

/**
 * The body of `POST 1.0/job/batch` (docs/protocol.md, "Batch create"): a JSON array of 1..
 * `MAX_BATCH_JOBS` create bodies, each then checked as `POST 1.0/job/` checks its own.
 *
 * @throws ModelError `invalid_body`
 */
export function batchItems(body: unknown): unknown[] {
  if (!Array.isArray(body)) throw invalidBody('The body must be a JSON array of jobs');
  if (body.length === 0 || body.length > MAX_BATCH_JOBS) {
    throw invalidBody(`A batch holds 1..${MAX_BATCH_JOBS} jobs, not ${body.length}`);
  }
  return body;
}

/**
 * The message of a refusal of one item of a batch, naming it: `"user" is required` of item 3
 * becomes `"jobs[3].user" is required`, any other message gets `jobs[3]: ` before it.
 */
export function batchItemMessage(message: string, index: number): string {
  const named = message.replace(/^"([a-z_]+)"/, `"jobs[${index}].$1"`);
  return named === message ? `jobs[${index}]: ${message}` : named;
}

/**
 * Refuses a batch that names one job id twice.
 *
 * @throws ModelError `invalid_body`, always
 */
export function repeatedBatchJobId(jobId: string, index: number): never {
  throw invalidBody(`"jobs[${index}].job_id" repeats ${JSON.stringify(jobId)} of an earlier job`);
}
