import { ModelError } from './errors';
import { isInProgressStatus, isTerminalStatus } from './statuses';
import type { JobRecord } from './types';

/** The actions of the state machine (docs/protocol.md). */
export type JobAction = 'abort' | 'retry' | 'delete';

/**
 * What an action does to a job: allowed (with the status to write, or none when the job stays
 * as it is or is removed), or refused with 409 `invalid_transition`.
 */
export type ActionPlan = { ok: true; status?: string } | { ok: false; error: ModelError };

const RETRYABLE: ReadonlySet<string> = new Set(['FAILED', 'ABORTED']);

function refused(action: JobAction, job: JobRecord, allowed: string): ActionPlan {
  return {
    ok: false,
    error: new ModelError(
      'invalid_transition',
      `Cannot ${action} job ${job.job_id}: its status is ${job.status}; ${action} is allowed ${allowed}`,
    ),
  };
}

/** Plans `abort`, `retry` or `delete` on a job according to the state machine table. */
export function planAction(job: JobRecord, action: JobAction): ActionPlan {
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
 * Whether a write that changed `child` (its status was `statusBefore`) must check the child's
 * parent (`update_parent`, set on the CHILD, as the legacy client's types say): the child asked
 * for it, names a parent, and its status changed. A create is not a change of status.
 */
export function shouldUpdateParent(
  child: JobRecord,
  statusBefore: string,
): child is JobRecord & { parent_id: string } {
  return (
    child.update_parent === true &&
    typeof child.parent_id === 'string' &&
    child.status !== statusBefore
  );
}

/**
 * The status `parent` takes now that one of its `update_parent` children changed status, or
 * undefined when it stays as it is: every job in `parent.child_ids` exists, and all of
 * `children` share one status (any status, not only a terminal one) that the parent does not
 * have yet. Then the parent takes it, and may in turn move its own parent.
 *
 * @param children every job that names `parent` as its `parent_id`, and every job found for the
 *   parent's `child_ids`, each once
 */
export function parentStatusFromChildren(
  parent: JobRecord,
  children: readonly JobRecord[],
): string | undefined {
  const found = new Set(children.map((child) => child.job_id));
  const listed = Array.isArray(parent.child_ids) ? parent.child_ids : [];
  if (!listed.every((id) => typeof id === 'string' && found.has(id))) return undefined;
  const first = children[0];
  if (first === undefined) return undefined;
  if (!children.every((child) => child.status === first.status)) return undefined;
  return first.status === parent.status ? undefined : first.status;
}
