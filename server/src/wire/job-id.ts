import { requireJobId as requireModelJobId } from '#protocol/job-id';
import { withApiErrors } from './model-errors';

/** Returns `id` when it may name a job (the protocol's rule), else throws 400 `invalid_job_id`. */
export function requireJobId(id: unknown): string {
  return withApiErrors(() => requireModelJobId(id));
}
