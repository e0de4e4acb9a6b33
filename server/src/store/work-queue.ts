import {
  completeJob,
  compareClaimOrder,
  expireLease,
  extendLease,
  failJob,
  isLeaseExpired,
  nextRepeatRun,
  requireLease,
  type ClaimRequest,
  type Principal,
  type WireJob as ModelJob,
} from '#protocol';
import { parseJssDate } from '#protocol/dates';
import { parseCreateBody } from '../wire/create-body';
import { withApiErrors } from '../wire/model-errors';
import type { Sql } from './db';
import { afterStatusChange, createJob } from './jobs';
import { JOB_COLUMNS, toWireJob, type JobRow } from './job-row';
import { requireJobFor } from './scope-sql';
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
    })),
  );
}

/**
 * Stores what a rule made of a job that left WORKING (failed, retried, expired, completed): its
 * status, lease, `run_at`, `last_error` and service fields; then what the change of status sets
 * off (dependants, parent).
 */
async function writeOutcome(tx: WriteTx, before: JobRow, next: ModelJob): Promise<JobRow> {
  const { rows } = await tx.sql.query<JobRow>(
    `UPDATE jobs SET status = $2::text, lease_expires = $3::timestamptz, run_at = $4::timestamptz,
       last_error = $5::jsonb, service_fields = $6::jsonb, ${BUMP_MODIFIED},
       stamp = jss_next_stamp()
     WHERE job_id = $1 RETURNING ${JOB_COLUMNS}`,
    [
      before.job_id,
      next.status,
      isoTime(next.lease_expires),
      isoTime(next.run_at),
      jsonOrNull(next.last_error),
      JSON.stringify(next.service_fields ?? {}),
    ],
  );
  const row = rows[0]!;
  await announce(tx, [row]);
  await afterStatusChange(tx, row, before.status);
  return row;
}

/**
 * Fails, as an attempt, every WORKING job of `services` whose lease has run out (meteor's
 * `workTimeout` autofail), a bounded number at a time; rows another transaction holds are left
 * to it.
 */
export async function expireLeases(tx: WriteTx, services: readonly string[]): Promise<void> {
  const { rows } = await tx.sql.query<TimedRow>(
    `SELECT ${JOB_COLUMNS}, ${NOW_MS} FROM jobs
     WHERE service = ANY($1::text[]) AND status = 'WORKING' AND lease_expires <= clock_timestamp()
     ORDER BY lease_expires LIMIT ${EXPIRED_PER_CLAIM} FOR UPDATE SKIP LOCKED`,
    [services],
    'jss_expired_leases',
  );
  for (const row of rows) {
    await writeOutcome(tx, row, expireLease(asModelJob(row), new Date(row.now_ms)));
  }
}

/**
 * `POST 1.0/job/claim`: leases up to `limit` claimable jobs to the worker in one statement, in
 * claim order. `SKIP LOCKED` passes over the rows a concurrent claim holds, and the recheck of
 * the locked row's status keeps a job another claim took from being taken twice.
 */
export async function claimJobs(tx: WriteTx, claim: ClaimRequest): Promise<JobRow[]> {
  await expireLeases(tx, claim.services);
  const { rows } = await tx.sql.query<JobRow & { status_before: string }>(
    `WITH picked AS (
       SELECT c.job_id AS picked_id, c.status AS status_before FROM jobs c
       WHERE c.service = ANY($1::text[]) AND c.status IN ('WAITING', 'RETRYING')
         AND (c.run_at IS NULL OR c.run_at <= clock_timestamp())
         AND (c.depends_on IS NULL OR NOT EXISTS (
           SELECT 1 FROM unnest(c.depends_on) AS d(id) LEFT JOIN jobs dep ON dep.job_id = d.id
           WHERE dep.status IS DISTINCT FROM 'SUCCEEDED'))
       ORDER BY coalesce(c.priority, 0) DESC, c.created, c.job_id
       LIMIT $4::int FOR UPDATE OF c SKIP LOCKED
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
  await requireJobFor(tx.sql, jobId, principal, 'update');
  const { rows } = await tx.sql.query<TimedRow>(
    `SELECT ${JOB_COLUMNS}, ${NOW_MS} FROM jobs WHERE job_id = $1 FOR UPDATE`,
    [jobId],
  );
  const { now_ms: nowMs, ...row } = rows[0]!;
  const now = new Date(nowMs);
  withApiErrors(() => requireLease(asModelJob(row), workerId, now));
  return { row, now };
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

/**
 * `POST 1.0/job/{jobId}/complete`: SUCCEEDED with the result in `service_fields.result`; a
 * repeating job's next run is created in the same transaction.
 */
export async function completeLeasedJob(
  tx: WriteTx,
  jobId: string,
  request: { workerId: string; result?: unknown },
  principal: Principal,
): Promise<JobRow> {
  const { row, now } = await leasedJob(tx, jobId, principal, request.workerId);
  const written = await writeOutcome(tx, row, completeJob(asModelJob(row), request.result));
  const next = nextRepeatRun(asModelJob(written), now);
  if (next !== undefined) {
    const { repeat_of: repeatOf, ...body } = next;
    const job = parseCreateBody(body);
    await createJob(tx, { ...job, repeat_of: typeof repeatOf === 'string' ? repeatOf : null });
  }
  return written;
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
