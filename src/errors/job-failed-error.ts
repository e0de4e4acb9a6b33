import type { JobStatusErrorJSON } from './job-status-error';
import { JobStatusError } from './job-status-error';

/** The least a job needs for {@link JobFailedError}. */
export interface FailedJobLike {
  jobId: string;
  status: string;
}

/**
 * A job that was waited for ended without succeeding (`FAILED`, `UNRECOVERABLE`, `ABORTED`).
 * Thrown by `waitForJob`; `job` is the job as last seen.
 */
export class JobFailedError<TJob extends FailedJobLike = FailedJobLike> extends JobStatusError {
  static override readonly kind: string = 'JobFailedError';

  override readonly name: string = 'JobFailedError';
  /** The job in its final state. */
  readonly job: TJob;
  /** Its final status. */
  readonly status: string;

  constructor(job: TJob) {
    super(`Job ${job.jobId} ended with status ${job.status}`, { code: 'job_failed' });
    this.job = job;
    this.status = job.status;
  }

  // The job's service fields belong to the caller's service: only its identity goes to logs.
  override toJSON(): JobStatusErrorJSON {
    const json = super.toJSON();
    json.jobId = this.job.jobId;
    json.status = this.status;
    return json;
  }
}
