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

  /** The job in its final state. */
  declare readonly job: TJob;
  /** Its final status. */
  declare readonly status: string;

  constructor(job: TJob) {
    super(`Job ${job.jobId} ended with status ${job.status}`, { code: 'job_failed' });
    this.status = job.status;
    // Not enumerable: the job's service fields belong to the caller's service, so only its
    // identity goes to logs.
    Object.defineProperty(this, 'job', { value: job });
  }

  override toJSON(): JobStatusErrorJSON {
    return { ...super.toJSON(), jobId: this.job.jobId };
  }
}
