import * as z from 'zod/mini';
import { jobIdProblem } from '#protocol/job-id';
import { issueAt, throwIfIssues, type Path } from './issues';

export { jobIdProblem, MAX_JOB_ID_LENGTH } from '#protocol/job-id';

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
