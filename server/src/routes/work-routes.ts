import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  claimRefusal,
  ERROR_STATUSES,
  parseClaimBody,
  parseCompleteBatchBody,
  parseCompleteBody,
  parseFailBody,
  parseHeartbeatBody,
  type ClaimRequest,
  type CompleteItemResult,
  type Principal,
} from '#protocol';
import { ApiError } from '../http/api-error';
import { readJsonBody } from '../http/body';
import { envelope } from '../http/envelope';
import type { JssEnv } from '../http/env';
import { idempotencyRequest } from '../http/idempotency';
import { toWireJob, type JobRow } from '../store/job-row';
import { forbidden } from '../store/scope-sql';
import {
  claimJobs,
  completeLeasedJobs,
  expireLeaseOf,
  failLeasedJob,
  heartbeatJob,
  LeaseWatch,
  msUntilNextWakeUp,
} from '../store/work-queue';
import { runWrite, type ChangeNotice, type WriteTx } from '../store/write';
import { requireJobId } from '../wire/job-id';
import { withApiErrors } from '../wire/model-errors';
import type { RouteDeps } from './deps';

/** Thrown inside a claim's transaction to roll it back (its idempotency key too) and wait. */
class NothingClaimed extends Error {}

/** 403 unless `principal` may claim jobs of every service the claim names. */
function assertMayClaim(principal: Principal, services: readonly string[]): void {
  const refusal = claimRefusal(principal, services);
  if (refusal !== undefined) throw forbidden(refusal);
}

/**
 * Whether a change may give a claim on `services` something to do, now or by the clock: a job of
 * theirs that changed (a new or retried job, a lease taken or renewed, whose end is a wake-up
 * time), or any job that succeeded (its dependants, of any service, may be ready). A change
 * whose status or service is not known (from an instance that does not send them) counts.
 */
function mayConcern(notices: readonly ChangeNotice[], services: readonly string[]): boolean {
  return notices.some((notice) => {
    if (notice.status === 'SUCCEEDED') return true;
    if (notice.service === undefined) return true;
    if (notice.service === null || !services.includes(notice.service)) return false;
    return notice.kind !== 'delete';
  });
}

/**
 * Resolves at the first of: a change that may concern the claim, committed by any instance (seen
 * since `changed` was set up),
 * the time a job of the claim's services may become claimable by the clock, the deadline, or the
 * client going away.
 */
async function waitForWork(
  deps: RouteDeps,
  claim: ClaimRequest,
  deadline: number,
  signal: AbortSignal,
  changed: { seen: boolean },
): Promise<void> {
  if (changed.seen || signal.aborted) return;
  const untilClock = await msUntilNextWakeUp(deps.store.db, claim.services);
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stopListening();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const wait = Math.min(deadline - Date.now(), untilClock ?? Infinity);
    const timer = setTimeout(done, Math.max(0, wait));
    const stopListening = deps.hub.onChange((notices) => {
      if (mayConcern(notices, claim.services)) done();
    });
    signal.addEventListener('abort', done);
    if (changed.seen) done();
  });
}

const one = (row: JobRow) => ({ status: 200, body: envelope([toWireJob(row)]) });

/** A refused item of a batched complete as the error the one-job endpoint answers. */
function itemError(item: Exclude<CompleteItemResult, { completed: true }>): ApiError {
  const code = item.code as 'not_found' | 'forbidden' | 'not_claimed';
  return new ApiError(ERROR_STATUSES[code][0], code, item.error);
}

/** The work queue's endpoints (docs/protocol.md, "Work queue"). */
export function workRoutes(deps: RouteDeps): Hono<JssEnv> {
  const app = new Hono<JssEnv>();
  const leases = new LeaseWatch();
  app.post('/job/claim', async (c) => {
    const principal = c.get('principal');
    const body = await readJsonBody(c);
    const claim = withApiErrors(() => parseClaimBody(body));
    assertMayClaim(principal, claim.services);
    const idempotency = idempotencyRequest(c, body);
    const signal = c.req.raw.signal;
    const deadline = Date.now() + claim.waitMs;
    for (;;) {
      // Listening before the attempt: a change committed while it runs is not missed.
      const changed = { seen: false };
      const stop = deps.hub.onChange((notices) => {
        if (mayConcern(notices, claim.services)) changed.seen = true;
      });
      try {
        // A client that went away gets nothing claimed for it: its jobs would sit leased to
        // nobody until the lease ran out.
        if (signal.aborted) return c.json(envelope([]));
        const lastAttempt = Date.now() >= deadline;
        const answer = await runWrite(deps.store, idempotency, async (tx) => {
          const rows = await claimJobs(tx, claim, leases);
          if (rows.length === 0 && !lastAttempt) throw new NothingClaimed();
          return { status: 200, body: envelope(rows.map(toWireJob)) };
        });
        const headers: Record<string, string> = answer.replayed
          ? { 'Idempotent-Replayed': 'true' }
          : {};
        return c.json(answer.body as object, answer.status as ContentfulStatusCode, headers);
      } catch (error) {
        if (!(error instanceof NothingClaimed)) throw error;
        await waitForWork(deps, claim, deadline, signal, changed);
      } finally {
        stop();
      }
    }
  });

  app.post('/job/complete', async (c) => {
    const body = await readJsonBody(c);
    const request = withApiErrors(() => parseCompleteBatchBody(body));
    const answer = await runWrite(deps.store, idempotencyRequest(c, body), async (tx) => {
      const { results, rows } = await completeLeasedJobs(tx, request, c.get('principal'));
      return { status: 200, body: envelope(rows.map(toWireJob), { results }) };
    });
    const headers: Record<string, string> = answer.replayed
      ? { 'Idempotent-Replayed': 'true' }
      : {};
    return c.json(answer.body as object, answer.status as ContentfulStatusCode, headers);
  });

  const report = (
    path: string,
    operation: (c: Context<JssEnv>, tx: WriteTx, jobId: string, body: unknown) => Promise<JobRow>,
    validate: (body: unknown) => unknown,
  ) =>
    app.post(`/job/:jobId/${path}`, async (c) => {
      const jobId = requireJobId(c.req.param('jobId'));
      const body = await readJsonBody(c);
      withApiErrors(() => validate(body));
      try {
        const answer = await runWrite(deps.store, idempotencyRequest(c, body), async (tx) =>
          one(await operation(c, tx, jobId, body)),
        );
        const headers: Record<string, string> = answer.replayed
          ? { 'Idempotent-Replayed': 'true' }
          : {};
        return c.json(answer.body as object, answer.status as ContentfulStatusCode, headers);
      } catch (error) {
        // The refusal rolled its transaction back; a lease that ran out is still a failed
        // attempt, recorded now.
        if (error instanceof ApiError && error.code === 'not_claimed') {
          await runWrite(deps.store, undefined, async (tx) => {
            await expireLeaseOf(tx, jobId);
            return { status: 200, body: null };
          });
        }
        throw error;
      }
    });

  report(
    'heartbeat',
    (c, tx, jobId, body) => heartbeatJob(tx, jobId, parseHeartbeatBody(body), c.get('principal')),
    parseHeartbeatBody,
  );
  report(
    'complete',
    async (c, tx, jobId, body) => {
      const { workerId, ...result } = parseCompleteBody(body);
      const item = { jobId, ...result };
      const done = await completeLeasedJobs(tx, { workerId, jobs: [item] }, c.get('principal'));
      const outcome = done.results[0]!;
      if (!outcome.completed) throw itemError(outcome);
      return done.rows[0]!;
    },
    parseCompleteBody,
  );
  report(
    'fail',
    (c, tx, jobId, body) => failLeasedJob(tx, jobId, parseFailBody(body), c.get('principal')),
    parseFailBody,
  );
  return app;
}
