import { ModelError } from './errors';
import { isInProgressStatus, isTerminalStatus } from './statuses';
import type { WireJob } from './types';

/** The actions of the state machine (docs/protocol.md). */
export type JobAction = 'abort' | 'retry' | 'delete';

/**
 * What an action does to a job: allowed (with the status to write, or none when the job stays
 * as it is or is removed), or refused with 409 `invalid_transition`.
 */
export type ActionPlan = { ok: true; status?: string } | { ok: false; error: ModelError };

const RETRYABLE: ReadonlySet<string> = new Set(['FAILED', 'ABORTED']);

function refused(action: JobAction, job: WireJob, allowed: string): ActionPlan {
  return {
    ok: false,
    error: new ModelError(
      'invalid_transition',
      `Cannot ${action} job ${job.job_id}: its status is ${job.status}; ${action} is allowed ${allowed}`,
    ),
  };
}

/** Plans `abort`, `retry` or `delete` on a job according to the state machine table. */
export function planAction(job: WireJob, action: JobAction): ActionPlan {
  switch (action) {
    case 'abort':
      if (job.status === 'ABORTED') return { ok: true }; // idempotent: unchanged
      return isInProgressStatus(job.status)
        ? { ok: true, status: 'ABORTED' }
        : refused(action, job, 'only while the job is in progress');
    case 'retry':
      return RETRYABLE.has(job.status)
        ? { ok: true, status: 'RETRYING' }
        : refused(action, job, 'only from FAILED or ABORTED');
    case 'delete':
      return isTerminalStatus(job.status)
        ? { ok: true }
        : refused(action, job, 'only once the job has ended');
  }
}

/**
 * The status `parent` moves to now that one of its children reached a terminal status
 * (`update_parent`), or undefined when it stays as it is: the parent must have
 * `update_parent: true`, be not yet terminal, and list at least one child in `child_ids`, every
 * one of which is among `children` and terminal. Then SUCCEEDED if all succeeded, else FAILED.
 *
 * @param children the jobs found for the parent's `child_ids` (others are ignored)
 */
export function parentOutcome(
  parent: WireJob,
  children: readonly WireJob[],
): 'SUCCEEDED' | 'FAILED' | undefined {
  if (parent.update_parent !== true || isTerminalStatus(parent.status)) return undefined;
  const childIds = parent.child_ids;
  if (!Array.isArray(childIds) || childIds.length === 0) return undefined;
  const statusById = new Map(children.map((child) => [child.job_id, child.status]));
  let allSucceeded = true;
  for (const id of childIds) {
    const status = typeof id === 'string' ? statusById.get(id) : undefined;
    if (status === undefined || !isTerminalStatus(status)) return undefined;
    if (status !== 'SUCCEEDED') allSucceeded = false;
  }
  return allSucceeded ? 'SUCCEEDED' : 'FAILED';
}
