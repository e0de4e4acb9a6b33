import * as z from 'zod/mini';
import { RequestValidationError } from '../errors';

/** The longest job id the server accepts. */
export const MAX_JOB_ID_LENGTH = 256;

// C0 controls, DEL and C1 controls: never part of a real id, and some survive URL encoding into
// logs and terminals.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why `jobId` cannot be a job id, or undefined when it can. A job id is one URL path segment, so
 * anything that could climb out of it (`/`, `\`, `.`, `..`) is refused before a request is built.
 */
export function jobIdProblem(jobId: unknown): string | undefined {
  if (typeof jobId !== 'string') return `must be a string, received ${typeof jobId}`;
  if (jobId.length === 0) return 'must not be empty';
  if (jobId.length > MAX_JOB_ID_LENGTH) {
    return `must be at most ${MAX_JOB_ID_LENGTH} characters long`;
  }
  if (jobId === '.' || jobId === '..') return 'must not be "." or ".." (path traversal)';
  if (jobId.includes('/') || jobId.includes('\\')) {
    return 'must not contain "/" or "\\" (path traversal)';
  }
  if (CONTROL_CHARACTER.test(jobId)) return 'must not contain control characters';
  return undefined;
}

/**
 * Checks a job id argument.
 *
 * @throws RequestValidationError naming `path` and the rule
 */
export function assertJobId(
  jobId: unknown,
  path: (string | number)[] = ['jobId'],
): asserts jobId is string {
  const problem = jobIdProblem(jobId);
  if (problem !== undefined) {
    throw new RequestValidationError([{ path, message: problem, code: 'invalid_job_id' }]);
  }
}

/** A job id inside a larger input (a new job's `jobId`). */
export const jobIdSchema = z.string().check(
  z.superRefine((value, context) => {
    const problem = jobIdProblem(value);
    if (problem !== undefined) {
      context.addIssue({ code: 'custom', message: problem, input: value });
    }
  }),
);
