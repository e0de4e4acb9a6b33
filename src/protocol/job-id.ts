import { ModelError } from './errors';
import { describeValue } from './plain';

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
 * Why a service would refuse `jobId`: the rule of {@link jobIdProblem}, plus `subscribe`, which
 * the subscription route `GET 1.0/job/subscribe` shadows (docs/protocol.md, "Endpoints").
 */
export function serviceJobIdProblem(jobId: unknown): string | undefined {
  return jobId === 'subscribe' ? 'is reserved for the subscription route' : jobIdProblem(jobId);
}

/**
 * Returns `jobId` when a service accepts it as a job id.
 *
 * @throws ModelError `invalid_job_id` naming the rule it breaks
 */
export function requireJobId(jobId: unknown): string {
  const problem = serviceJobIdProblem(jobId);
  if (problem === undefined) return jobId as string;
  throw new ModelError('invalid_job_id', `Invalid job id ${JSON.stringify(jobId)}: ${problem}`);
}
