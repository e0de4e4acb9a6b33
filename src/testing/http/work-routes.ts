import {
  ModelError,
  parseClaimBody,
  parseCompleteBatchBody,
  parseCompleteBody,
  parseFailBody,
  parseHeartbeatBody,
  type ClaimRequest,
  type CompleteItemResult,
  type WireJob,
} from '#protocol';
import { requireJobId } from '#protocol/job-id';
import type { JobTable } from '../store/job-table';
import { requireAccess, requireClaimAccess } from './access';
import { envelope, oneJob, type Answer } from './answers';
import type { RouteContext } from './context';
import { runWrite } from './idempotency';
import { readJsonBody } from './request-body';

/**
 * Resolves at the first of: a write to the table, the time a job of the claim's services may
 * become claimable by the clock (a `run_at`, a lease running out), the deadline, or the request
 * being aborted. The kit's stand-in for the server's LISTEN/NOTIFY wake-up.
 */
function waitForWork(
  table: JobTable,
  claim: ClaimRequest,
  deadline: number,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const wakeUp = Math.min(deadline, table.nextWakeUp(claim.services) ?? deadline);
    const done = () => {
      clearTimeout(timer);
      stopListening();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, wakeUp - table.now().getTime()));
    const stopListening = table.listen(done);
    signal.addEventListener('abort', done);
  });
}

/**
 * `POST 1.0/job/claim`: leases up to `limit` claimable jobs at once; when there are none and
 * `wait_ms` is given, holds the request until one becomes claimable or `wait_ms` has passed.
 */
export async function claimRoute(context: RouteContext): Promise<Answer> {
  const body = await readJsonBody(context.request);
  const claim = parseClaimBody(body);
  requireClaimAccess(context.principal, claim.services);
  const { table, request } = context;
  const deadline = table.now().getTime() + claim.waitMs;
  while (
    !table.hasClaimable(claim) &&
    table.now().getTime() < deadline &&
    !request.signal.aborted
  ) {
    await waitForWork(table, claim, deadline, request.signal);
  }
  return runWrite(table, { ...context, body }, () => ({
    status: 200,
    body: envelope(table.claim(claim)),
  }));
}

/** `POST 1.0/job/{jobId}/heartbeat`, `/complete` and `/fail`. */
export async function workerReport(
  context: RouteContext,
  jobId: string,
  report: 'heartbeat' | 'complete' | 'fail',
): Promise<Answer> {
  const id = requireJobId(jobId);
  const body = await readJsonBody(context.request);
  const { table } = context;
  // As on the server: the body is checked first, then whether the caller may update the job.
  const allowed = <T>(request: T): T => {
    requireAccess(table, context.principal, id, 'update');
    return request;
  };
  switch (report) {
    case 'heartbeat': {
      const request = allowed(parseHeartbeatBody(body));
      return runWrite(table, { ...context, body }, () => oneJob(table.heartbeat(id, request)));
    }
    case 'complete': {
      const request = allowed(parseCompleteBody(body));
      return runWrite(table, { ...context, body }, () => oneJob(table.complete(id, request)));
    }
    case 'fail': {
      const request = allowed(parseFailBody(body));
      return runWrite(table, { ...context, body }, () => oneJob(table.fail(id, request)));
    }
  }
}

/**
 * `POST 1.0/job/complete`: each job completed as its own `complete` would be; one that is missing
 * or not held by the worker is refused in its item, and the others go on.
 */
export async function completeJobsRoute(context: RouteContext): Promise<Answer> {
  const body = await readJsonBody(context.request);
  const { workerId, jobs } = parseCompleteBatchBody(body);
  const { table } = context;
  return runWrite(table, { ...context, body }, () => {
    const results: CompleteItemResult[] = [];
    const completed: WireJob[] = [];
    for (const { jobId, ...result } of jobs) {
      try {
        completed.push(table.complete(jobId, { workerId, ...result }));
        results.push({ job_id: jobId, completed: true });
      } catch (error) {
        if (!(error instanceof ModelError)) throw error;
        results.push({ job_id: jobId, completed: false, code: error.code, error: error.message });
      }
    }
    return { status: 200, body: envelope(completed, { results }) };
  });
}
