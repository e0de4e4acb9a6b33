import * as z from 'zod/mini';
import { describeValue, issueAt, throwIfIssues, type Path } from './issues';

/** The longest job id the server accepts. */
export const MAX_JOB_ID_LENGTH = 256;

/**
 * Why `jobId` cannot be a job id, or undefined when it can. A job id is one URL path segment, so
 * anything that could climb out of it (`/`, `\`, `.`, `..`) is refused before a request is built.
 */
export function jobIdProblem(jobId: unknown): string | undefined {
  if (typeof jobId !== 'string') {
    return jobId === undefined
      ? 'is required'
      : `must be a string, received ${describeValue(jobId)}`;
  }
  if (!jobId) return 'must not be empty';
  if (jobId.length > MAX_JOB_ID_LENGTH) {
    return `must be at most ${MAX_JOB_ID_LENGTH} characters long`;
  }
  if (jobId === '.' || jobId === '..' || /[/\\]/.test(jobId)) {
    return 'must not be ".", ".." or contain "/" or "\\" (path traversal)';
  }
  // C0 controls, DEL and C1 controls: never part of a real id, and some survive URL encoding into
  // logs and terminals.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(jobId)) return 'must not contain control characters';
  return undefined;
}

/**
 * Checks a job id argument.
 *
 * @throws RequestValidationError naming `path` and the rule
 */
export function assertJobId(jobId: unknown, path: Path = ['jobId']): asserts jobId is string {
  const problem = jobIdProblem(jobId);
  if (problem) throwIfIssues([issueAt(path, problem, 'invalid_job_id')]);
}

/** A job id inside a larger input (a new job's `jobId`), with the rules of {@link jobIdProblem}. */
export const jobIdSchema = z.string().check(
  z.superRefine((jobId, context) => {
    const problem = jobIdProblem(jobId);
    if (problem) context.addIssue({ code: 'custom', message: problem, input: jobId });
  }),
);
