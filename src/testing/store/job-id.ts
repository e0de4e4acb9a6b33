import { jobIdProblem } from '../../schemas/job-id';
import { randomHex } from '../../internal/ids';
import { ModelError } from '#protocol';

/**
 * Returns `jobId` when the service accepts it as a job id, else throws 400 `invalid_job_id`.
 * The SDK's own rule, plus `subscribe`, which the subscription route shadows (docs/protocol.md).
 */
export function requireJobId(jobId: unknown): string {
  const problem =
    jobId === 'subscribe' ? 'is reserved for the subscription route' : jobIdProblem(jobId);
  if (problem === undefined) return jobId as string;
  throw new ModelError('invalid_job_id', `Invalid job id ${JSON.stringify(jobId)}: ${problem}`);
}

/** A fresh id in the server's format: 32 hexadecimal characters. */
export function newServerJobId(): string {
  return randomHex(16);
}
