import { jobIdProblem } from '../schemas/job-id';
import { throwIfIssues } from '../schemas/issues';

/** What a subscription follows: every job of one user, or the listed jobs whoever owns them. */
export type SubscriptionTarget = { user: string } | { jobIds: readonly string[] };

/**
 * The path of the event stream, relative to the base URL, every dynamic part percent-encoded.
 *
 * @throws RequestValidationError for an empty user, an empty list or an invalid job id
 */
export function subscriptionPath(target: SubscriptionTarget): string {
  if ('user' in target) {
    const { user } = target;
    if (typeof user !== 'string' || user === '') {
      throwIfIssues([
        { path: ['user'], message: 'must be a non-empty string', code: 'invalid_type' },
      ]);
    }
    return `1.0/job/subscribe/${encodeURIComponent(user)}`;
  }
  const { jobIds } = target;
  if (!Array.isArray(jobIds) || jobIds.length === 0) {
    throwIfIssues([
      { path: ['jobIds'], message: 'must list at least one job id', code: 'too_small' },
    ]);
  }
  throwIfIssues(
    jobIds.flatMap((jobId, index) => {
      const message = jobIdProblem(jobId);
      return message === undefined
        ? []
        : [{ path: ['jobIds', index], message, code: 'invalid_job_id' }];
    }),
  );
  return `1.0/job/subscribe?${jobIds.map((jobId) => `job_id=${encodeURIComponent(jobId)}`).join('&')}`;
}
