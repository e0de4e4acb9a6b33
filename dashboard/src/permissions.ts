import type { Job } from 'job-status-client';
import { planAction, type JobAction } from '#protocol/actions';
import type { WireJob } from '#protocol/types';
import type { Principal } from './session';

export type { JobAction };

/** The buttons of a job page, in the order they are shown. */
export const JOB_ACTIONS: readonly JobAction[] = ['abort', 'retry', 'delete'];

/**
 * Whether the caller's role lets it act on this job: admins and managers on any job, creators
 * on their own, workers on none (they update jobs, they do not end them). An unknown role (a
 * server without roles) is offered everything: the server decides.
 */
export function roleAllows(principal: Principal | undefined, job: Pick<Job, 'user'>): boolean {
  switch (principal?.role) {
    case undefined:
    case 'admin':
    case 'manager':
      return true;
    case 'creator':
      return job.user === principal.user;
    case 'worker':
      return false;
  }
}

/**
 * The actions to offer on a job: those the role allows and the job's status permits (the state
 * machine's own rule, so the dashboard never offers what the server would refuse with 409).
 */
export function allowedActions(
  principal: Principal | undefined,
  job: Pick<Job, 'jobId' | 'user' | 'status'>,
): JobAction[] {
  if (!roleAllows(principal, job)) return [];
  // The plan reads only the id (for its message) and the status.
  const wire = { job_id: job.jobId, status: job.status } as WireJob;
  return JOB_ACTIONS.filter((action) => {
    const plan = planAction(wire, action);
    // Aborting an aborted job is allowed but does nothing: no button for it.
    return plan.ok && !(action === 'abort' && plan.status === undefined);
  });
}
