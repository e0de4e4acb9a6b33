import {
  actionRefusal,
  completeJob,
  compareClaimOrder,
  expireLease,
  extendLease,
  failJob,
  isLeaseExpired,
  MIN_LEASE_MS,
  nextRepeatRun,
  requireLease,
  ModelError,
  type ClaimRequest,
  type CompleteItem,
  type CompleteItemResult,
  type Principal,
  type WireJob as ModelJob,
} from '#protocol';
import { parseJssDate } from '#protocol/dates';
import { parseCreateBody } from '../wire/create-body';
import { withApiErrors } from '../wire/model-errors';
import type { Sql } from './db';
import { afterStatusChange, afterStatusChanges, createJob } from './jobs';
import { JOB_COLUMNS, toWireJob, type JobRow } from './job-row';
import { notFound } from '../http/api-error';
import { accessSql, assertMayEver, forbidden } from './scope-sql';
import { SqlParams } from './sql-params';
import { BUMP_MODIFIED } from './set-sql';
import type { WriteTx } from './write';

// The work queue on the server (docs/protocol.md, "Work queue"). The rules are the model's
// (src/protocol/work-queue.ts), applied to the job as the wire shows it; this module reads
// the rows, takes the database's time as `now`, and writes back what the rules decided.

/** The database's time, so that every instance on one database agrees on leases and `run_at`. */
const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::float8 AS now_ms`;

/** How many expired leases one claim fails before it claims (the rest wait for the next). */
const EXPIRED_PER_CLAIM = 100;

type TimedRow = JobRow & { now_ms: number };

const asModelJob = (row: JobRow): ModelJob => toWireJob(row) as unknown as ModelJob;

/** A wire time (JSS form) as an ISO time PostgreSQL reads in any setting, or null. */
function isoTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return parseJssDate(value)?.toISOString() ?? null;
}

const jsonOrNull = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

async function announce(tx: WriteTx, rows: readonly JobRow[]): Promise<void> {
  await tx.notify(
    ...rows.map((row) => ({
      stamp: Number(row.stamp),
      job_id: row.job_id,
      user: row.user_name,
      kind: 'update' as const,
      status: row.status,
      service: row.service,
    })),
  );
}

/**
 * Stores what a rule made of jobs that left WORKING (failed, retried, expired, completed): their
 * status, lease, `run_at`, `last_error` and service fields, in one statement, announced in one
 * round trip; then what each change of status sets off (dependants, parent).
 */
async function writeOutcomes(
  tx: WriteTx,
  outcomes: readonly { before: JobRow; next: ModelJob }[],
): Promise<JobRow[]> {
  if (outcomes.length === 0) return [];
  // The values' columns are prefixed so that RETURNING reads only the `jobs` row. Which of the
  // jobs some job depends on comes back with them (one index scan for all, as
  // `afterStatusChanges` would make), which saves the dependants' lookup a statement.
  const { rows } = await tx.sql.query<JobRow & { depended_on: boolean }>(
    `WITH written AS (
       UPDATE jobs SET status = v.v_status, lease_expires = v.v_lease_expires, run_at = v.v_run_at,
         last_error = v.v_last_error, service_fields = v.v_service_fields, ${BUMP_MODIFIED},
         stamp = jss_next_stamp()
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::jsonb[],
         $6::jsonb[]) AS v(v_id, v_status, v_lease_expires, v_run_at, v_last_error, v_service_fields)
       WHERE job_id = v.v_id RETURNING ${JOB_COLUMNS}
     ), depended AS (
       SELECT DISTINCT d.id FROM jobs, unnest(depends_on) AS d(id)
       WHERE depends_on && $1::text[] AND d.id = ANY($1::text[])
     )
     SELECT written.*, written.job_id IN (SELECT id FROM depended) AS depended_on FROM written`,
    [
      outcomes.map(({ before }) => before.job_id),
      outcomes.map(({ next }) => next.status),
      outcomes.map(({ next }) => isoTime(next.lease_expires)),
      outcomes.map(({ next }) => isoTime(next.run_at)),
      outcomes.map(({ next }) => jsonOrNull(next.last_error)),
      outcomes.map(({ next }) => JSON.stringify(next.service_fields ?? {})),
    ],
    'jss_write_outcomes_depended',
  );
  const dependedOn = new Set<string>();
  const byId = new Map<string, JobRow>();
  for (const { depended_on: depended, ...row } of rows) {
    byId.set(row.job_id, row);
    if (depended) dependedOn.add(row.job_id);
  }
  const written = outcomes.map(({ before }) => byId.get(before.job_id)!);
  await announce(tx, written);
  await afterStatusChanges(
    tx,
    written.map((row, index) => ({ row, statusBefore: outcomes[index]!.before.status })),
    dependedOn,
  );
  return written;
}

async function writeOutcome(tx: WriteTx, before: JobRow, next: ModelJob): Promise<JobRow> {
  return (await writeOutcomes(tx, [{ before, next }]))[0]!;
}

/**
 * When each set of services may next hold an expired lease, as far as one server instance knows:
 * a claim skips the scan for expired leases until then. A scan that found none learns the
 * earliest live lease; a lease made afterwards, on any instance, lasts at least `MIN_LEASE_MS`
 * from then, and heartbeats only move deadlines later, so no lease can run out before the
 * earlier of the two. Times are the database's, carried over to this process's clock.
 */
export class LeaseWatch {
  readonly #due = new Map<string, number>();

  static #key = (services: readonly string[]) => JSON.stringify([...services].sort());

  /** Whether a lease of `services` may have run out by now. */
  mayHaveExpired(services: readonly string[]): boolean {
    return performance.now() >= (this.#due.get(LeaseWatch.#key(services)) ?? 0);
  }

  /** After a scan that found no expired lease, at database time `nowMs`. */
  noneUntil(services: readonly string[], nowMs: number, nextDeadlineMs: number | null): void {
    const until = Math.min(nowMs + MIN_LEASE_MS, nextDeadlineMs ?? Infinity);
    this.#due.set(LeaseWatch.#key(services), performance.now() + (until - nowMs));
  }

  /** After a scan that found some (its work may yet be rolled back): scan again next time. */
  forget(services: readonly string[]): void {
    this.#due.delete(LeaseWatch.#key(services));
  }
}

/**
 * Fails, as an attempt, every WORKING job of `services` whose lease has run out (meteor's
 * `workTimeout` autofail), a bounded number at a time; rows another transaction holds are left
 * to it. The same statement reads the earliest live lease, for `watch`.
 */
export async function expireLeases(
  tx: WriteTx,
  services: readonly string[],
  watch?: LeaseWatch,
): Promise<void> {
  if (watch && !watch.mayHaveExpired(services)) return;
  const { rows } = await tx.sql.query<
    Omit<TimedRow, 'job_id'> & { job_id: string | null; next_ms: number | null }
  >(
    `SELECT w.next_ms, w.now_ms, e.* FROM (
       SELECT (extract(epoch from (SELECT min(lease_expires) FROM jobs
         WHERE service = ANY($1::text[]) AND status = 'WORKING'
           AND lease_expires > clock_timestamp())) * 1000)::float8 AS next_ms, ${NOW_MS}
     ) AS w LEFT JOIN LATERAL (
       SELECT ${JOB_COLUMNS} FROM jobs
       WHERE service = ANY($1::text[]) AND status = 'WORKING'
         AND lease_expires <= clock_timestamp()
       ORDER BY lease_expires LIMIT ${EXPIRED_PER_CLAIM} FOR UPDATE SKIP LOCKED
     ) AS e ON TRUE`,
    [services],
    'jss_expired_leases',
  );
  const expired = rows.filter((row): row is TimedRow & { next_ms: number | null } => {
    return row.job_id !== null;
  });
  if (expired.length === 0) {
    const first = rows[0];
    if (watch && first) watch.noneUntil(services, Number(first.now_ms), first.next_ms);
    return;
  }
  watch?.forget(services);
  await writeOutcomes(
    tx,
    expired.map(({ next_ms: _next, ...row }) => ({
      before: row,
      next: expireLease(asModelJob(row), new Date(row.now_ms)),
    })),
  );
}

/**
 * `POST 1.0/job/claim`: leases up to `limit` claimable jobs to the worker in one statement, in
 * claim order. `SKIP LOCKED` passes over the rows a concurrent claim holds, and the recheck of
 * the locked row's status keeps a job another claim took from being taken twice. Each service
 * and status is read on its own, in the claim index's order, so that a claim reads about `limit`
 * rows of each instead of sorting every waiting job (the rows one of them locked beyond the
 * `limit` kept are unlocked when the claim commits).
 */
export async function claimJobs(
  tx: WriteTx,
  claim: ClaimRequest,
  watch?: LeaseWatch,
): Promise<JobRow[]> {
  await expireLeases(tx, claim.services, watch);
  const { rows } = await tx.guarded<JobRow & { status_before: string }>(
    (claimed) => `WITH picked AS (
       SELECT p.picked_id, p.status_before FROM unnest($1::text[]) AS s(service)
       CROSS JOIN unnest(ARRAY['WAITING', 'RETRYING']) AS st(status)
       CROSS JOIN LATERAL (
         SELECT c.job_id AS picked_id, c.status AS status_before,
           coalesce(c.priority, 0) AS picked_priority, c.created AS picked_created
         FROM jobs c
         WHERE c.service = s.service AND c.status = st.status
           AND c.status IN ('WAITING', 'RETRYING')
           AND (c.run_at IS NULL OR c.run_at <= clock_timestamp())
           AND (c.depends_on IS NULL OR NOT EXISTS (
             SELECT 1 FROM unnest(c.depends_on) AS d(id) LEFT JOIN jobs dep ON dep.job_id = d.id
             WHERE dep.status IS DISTINCT FROM 'SUCCEEDED'))
         ORDER BY coalesce(c.priority, 0) DESC, c.created, c.job_id
         LIMIT $4::int FOR UPDATE OF c SKIP LOCKED
       ) AS p
       WHERE ${claimed}
       ORDER BY p.picked_priority DESC, p.picked_created, p.picked_id
       LIMIT $4::int
     )
     UPDATE jobs SET status = 'WORKING', attempts = coalesce(attempts, 0) + 1,
       worker_id = $2::text, lease_ms = $3::int,
       lease_expires = clock_timestamp() + $3::int * interval '1 millisecond',
       ${BUMP_MODIFIED}, stamp = jss_next_stamp()
     FROM picked WHERE job_id = picked_id
     RETURNING ${JOB_COLUMNS}, status_before`,
    [claim.services, claim.workerId, claim.leaseMs, claim.limit],
    'jss_claim_jobs',
  );
  const claimed = rows.map(({ status_before: statusBefore, ...row }) => ({ row, statusBefore }));
  claimed.sort((left, right) => compareClaimOrder(asModelJob(left.row), asModelJob(right.row)));
  await announce(
    tx,
    claimed.map(({ row }) => row),
  );
  for (const { row, statusBefore } of claimed) await afterStatusChange(tx, row, statusBefore);
  return claimed.map(({ row }) => row);
}

/**
 * How long until a job of `services` may become claimable by the clock alone (a `run_at`
 * coming, a lease running out), in milliseconds, or undefined when none will.
 */
export async function msUntilNextWakeUp(
  sql: Sql,
  services: readonly string[],
): Promise<number | undefined> {
  const { rows } = await sql.query<{ ms: number | null }>(
    `SELECT (extract(epoch from min(t) - clock_timestamp()) * 1000)::float8 AS ms FROM (
       SELECT min(run_at) AS t FROM jobs
       WHERE service = ANY($1::text[]) AND status IN ('WAITING', 'RETRYING')
         AND run_at > clock_timestamp()
       UNION ALL
       SELECT min(lease_expires) FROM jobs
       WHERE service = ANY($1::text[]) AND status = 'WORKING'
         AND lease_expires > clock_timestamp()
     ) AS times`,
    [services],
    'jss_next_wake_up',
  );
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? undefined : Math.max(0, Number(ms));
}

/** Why a report on a job is refused before its lease is looked at, or undefined. */
type Access = { code: 'not_found' | 'forbidden'; error: string } | undefined;

/**
 * The jobs a worker reports on, locked (in job id order, so that two reports over the same jobs
 * cannot deadlock), with the database's time and whether the caller may see and update each: one
 * statement, where a scope check and a locked read would be two.
 */
async function lockForReport(
  tx: WriteTx,
  jobIds: readonly string[],
  principal: Principal,
): Promise<Map<string, { row: JobRow; now: Date; refused: Access }>> {
  assertMayEver(principal, 'update');
  const params = new SqlParams();
  const ids = params.add(jobIds, 'text[]');
  const mayRead = accessSql(principal, 'read', params);
  const mayUpdate = accessSql(principal, 'update', params);
  const { rows } = await tx.guarded<TimedRow & { may_read: boolean; may_update: boolean }>(
    (claimed) =>
      `SELECT ${JOB_COLUMNS}, ${NOW_MS}, (${mayRead}) AS may_read, (${mayUpdate}) AS may_update
       FROM jobs WHERE job_id = ANY(${ids}) AND ${claimed} ORDER BY job_id FOR UPDATE OF jobs`,
    params.values,
  );
  const locked = new Map<string, { row: JobRow; now: Date; refused: Access }>();
  for (const { now_ms: nowMs, may_read: mayReadIt, may_update: mayUpdateIt, ...row } of rows) {
    const refused: Access = !mayReadIt
      ? { code: 'not_found', error: notFound().message }
      : !mayUpdateIt
        ? { code: 'forbidden', error: actionRefusal(principal, 'update', 'this job') }
        : undefined;
    locked.set(row.job_id, { row, now: new Date(nowMs), refused });
  }
  return locked;
}

/**
 * The job, locked, when `workerId` holds it under a live lease.
 *
 * @throws ApiError 404 (not visible), 403 (no `update` on it), 409 `not_claimed`
 */
async function leasedJob(
  tx: WriteTx,
  jobId: string,
  principal: Principal,
  workerId: string,
): Promise<{ row: JobRow; now: Date }> {
  const found = (await lockForReport(tx, [jobId], principal)).get(jobId);
  if (!found || found.refused?.code === 'not_found') throw notFound();
  if (found.refused) throw forbidden(found.refused.error);
  withApiErrors(() => requireLease(asModelJob(found.row), workerId, found.now));
  return found;
}

/**
 * Fails the job's attempt when its lease has run out: what a refused report on it leaves behind
 * (in a transaction of its own, since the refusal rolls the report's back).
 */
export async function expireLeaseOf(tx: WriteTx, jobId: string): Promise<void> {
  const { rows } = await tx.sql.query<TimedRow>(
    `SELECT ${JOB_COLUMNS}, ${NOW_MS} FROM jobs
     WHERE job_id = $1 AND status = 'WORKING' AND lease_expires <= clock_timestamp()
     FOR UPDATE SKIP LOCKED`,
    [jobId],
  );
  const row = rows[0];
  const now = row && new Date(row.now_ms);
  if (row && now && isLeaseExpired(asModelJob(row), now)) {
    await writeOutcome(tx, row, expireLease(asModelJob(row), now));
  }
}

/** `POST 1.0/job/{jobId}/heartbeat`: the lease renewed from now. */
export async function heartbeatJob(
  tx: WriteTx,
  jobId: string,
  request: { workerId: string; leaseMs?: number },
  principal: Principal,
): Promise<JobRow> {
  const { row, now } = await leasedJob(tx, jobId, principal, request.workerId);
  const renewed = extendLease(asModelJob(row), now, request.leaseMs);
  const { rows } = await tx.sql.query<JobRow>(
    `UPDATE jobs SET lease_ms = $2::int,
       lease_expires = clock_timestamp() + $2::int * interval '1 millisecond',
       ${BUMP_MODIFIED}, stamp = jss_next_stamp()
     WHERE job_id = $1 RETURNING ${JOB_COLUMNS}`,
    [jobId, renewed.lease_ms],
  );
  await announce(tx, rows);
  return rows[0]!;
}

/** A batched complete's answer: its items' results in request order, and the jobs completed. */
export interface CompletedJobs {
  results: CompleteItemResult[];
  rows: JobRow[];
}

/**
 * `POST 1.0/job/complete` (and, with one job, `POST 1.0/job/{jobId}/complete`): each job the
 * worker holds under a live lease becomes SUCCEEDED with its result in `service_fields.result`,
 * and a repeating one gets its next run, all in this transaction. The caller's access and the
 * jobs' locks come from one statement; the outcomes are written by one more. A job refused
 * (not visible, not the caller's to update, not held) is left as it is, except that a lease
 * found expired is failed as an attempt, as any report on it would.
 */
export async function completeLeasedJobs(
  tx: WriteTx,
  request: { workerId: string; jobs: readonly CompleteItem[] },
  principal: Principal,
): Promise<CompletedJobs> {
  const locked = await lockForReport(
    tx,
    request.jobs.map((job) => job.jobId),
    principal,
  );
  const results: CompleteItemResult[] = [];
  const accepted: { before: JobRow; next: ModelJob; now: Date }[] = [];
  const expired: { before: JobRow; next: ModelJob }[] = [];
  for (const item of request.jobs) {
    const found = locked.get(item.jobId);
    const refuse = (code: string, error: string) =>
      results.push({ job_id: item.jobId, completed: false, code, error });
    if (!found) {
      refuse('not_found', notFound().message);
      continue;
    }
    if (found.refused) {
      refuse(found.refused.code, found.refused.error);
      continue;
    }
    const { row, now } = found;
    const job = asModelJob(row);
    try {
      requireLease(job, request.workerId, now);
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      refuse(error.code, error.message);
      if (isLeaseExpired(job, now)) expired.push({ before: row, next: expireLease(job, now) });
      continue;
    }
    results.push({ job_id: item.jobId, completed: true });
    accepted.push({ before: row, next: completeJob(job, item.result), now });
  }
  await writeOutcomes(tx, expired);
  const written = await writeOutcomes(tx, accepted);
  for (const [index, row] of written.entries()) {
    const next = nextRepeatRun(asModelJob(row), accepted[index]!.now);
    if (next === undefined) continue;
    const { repeat_of: repeatOf, ...body } = next;
    const job = parseCreateBody(body);
    await createJob(tx, { ...job, repeat_of: typeof repeatOf === 'string' ? repeatOf : null });
  }
  return { results, rows: written };
}

/** `POST 1.0/job/{jobId}/fail`: RETRYING at its next time, FAILED or UNRECOVERABLE. */
export async function failLeasedJob(
  tx: WriteTx,
  jobId: string,
  request: { workerId: string; error: Record<string, unknown>; fatal: boolean },
  principal: Principal,
): Promise<JobRow> {
  const { row, now } = await leasedJob(tx, jobId, principal, request.workerId);
  return writeOutcome(tx, row, failJob(asModelJob(row), request.error, request.fatal, now));
}
