import { randomBytes } from 'node:crypto';
import { ApiError } from '../http/api-error';

// `subscribe` would be shadowed by `GET 1.0/job/subscribe`, so no job may carry that id.
const RESERVED_IDS = new Set(['.', '..', 'subscribe']);
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const FORBIDDEN_CHARACTERS = /[/\\\u0000-\u001f\u007f-\u009f]/;

/** The most characters a job id may have. */
export const MAX_JOB_ID_LENGTH = 256;

/** Whether `id` may name a job (docs/protocol.md, "Endpoints"). */
export function isValidJobId(id: string): boolean {
  return (
    id.length > 0 &&
    id.length <= MAX_JOB_ID_LENGTH &&
    !RESERVED_IDS.has(id) &&
    !FORBIDDEN_CHARACTERS.test(id)
  );
}

/** Returns `id` when it may name a job, else throws 400 `invalid_job_id`. */
export function requireJobId(id: unknown): string {
  if (typeof id !== 'string' || !isValidJobId(id)) {
    throw new ApiError(
      400,
      'invalid_job_id',
      `Invalid job id ${JSON.stringify(id)}: 1..${MAX_JOB_ID_LENGTH} characters, no "/", "\\" or control characters, not ".", ".." or "subscribe"`,
    );
  }
  return id;
}

/** A fresh server-made id: 32 hex characters. */
export function newJobId(): string {
  return randomBytes(16).toString('hex');
}
