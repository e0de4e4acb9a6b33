import { RequestValidationError } from '../errors';
import { jobIdProblem } from '../schemas';

/** What a subscription follows: every job of one user, or the listed jobs whoever owns them. */
export type SubscriptionTarget = { user: string } | { jobIds: readonly string[] };

/**
 * The path of the event stream, relative to the base URL, every dynamic part percent-encoded.
 *
 * @throws RequestValidationError for an empty user, an empty list or an invalid job id
 */
export function subscriptionPath(target: SubscriptionTarget): string {
  if ('user' in target) {
    if (typeof target.user !== 'string' || target.user === '') {
      throw new RequestValidationError([
        { path: ['user'], message: 'must be a non-empty string', code: 'invalid_type' },
      ]);
    }
    return `1.0/job/subscribe/${encodeURIComponent(target.user)}`;
  }
  const { jobIds } = target;
  if (!Array.isArray(jobIds) || jobIds.length === 0) {
    throw new RequestValidationError([
      { path: ['jobIds'], message: 'must list at least one job id', code: 'too_small' },
    ]);
  }
  const issues = jobIds.flatMap((jobId, index) => {
    const problem = jobIdProblem(jobId);
    return problem === undefined
      ? []
      : [{ path: ['jobIds', index], message: problem, code: 'invalid_job_id' }];
  });
  if (issues.length > 0) throw new RequestValidationError(issues);
  const query = jobIds.map((jobId) => `job_id=${encodeURIComponent(jobId)}`).join('&');
  return `1.0/job/subscribe?${query}`;
}
