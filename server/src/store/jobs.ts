import { checkServiceFieldsSize, type Principal } from '../../../src/internal/model';
import { ApiError, badBody, notFound } from '../http/api-error';
import { withApiErrors } from '../wire/model-errors';
import type { NewJob } from '../wire/create-body';
import type { JobPatch } from '../wire/patch-body';
import type { LogInput, Progress } from '../wire/report-bodies';
import { isInProgress, isTerminal } from '../wire/statuses';
import type { Sql } from './db';
import { JOB_COLUMNS, wireDate, type JobRow } from './job-row';
import { ARRAY_INDEX_TOO_LARGE, MAX_ARRAY_PADDING } from './migrations';
import { requireJobFor } from './scope-sql';
import { BUMP_MODIFIED, patchToSql } from './set-sql';
import type { WriteTx } from './write';
import { LIMITS } from '../limits';

/** Reads one job whoever owns it, or `undefined` (requests go through `scope-sql.ts`). */
export async function loadJob(sql: Sql, jobId: string): Promise<JobRow | undefined> {
  const { rows } = await sql.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE job_id = $1`, [
    jobId,
  ]);
  return rows[0];
}

/** Reads one job with the owner of its parent (what the visibility rule needs), or `undefined`. */
export async function loadJobWithParentUser(
  sql: Sql,
  jobId: string,
): Promise<(JobRow & { parent_user: string | null }) | undefined> {
  const { rows } = await sql.query<JobRow & { parent_user: string | null }>(
    `SELECT ${JOB_COLUMNS},
       (SELECT parent.user_name FROM jobs parent WHERE parent.job_id = jobs.parent_id) AS parent_user
     FROM jobs WHERE job_id = $1`,
    [jobId],
  );
  return rows[0];
}

async function announce(tx: WriteTx, row: JobRow, kind: 'insert' | 'update' | 'delete') {
  await tx.notify({ stamp: Number(row.stamp), job_id: row.job_id, user: row.user_name, kind });
}

/**
 * Creates a job. A job id that exists already is a retry when the stored creation request is
 * the same (`created: false`, the stored job), else 409 `job_exists`.
 */
export async function createJob(
  tx: WriteTx,
  job: NewJob,
): Promise<{ created: boolean; row: JobRow }> {
  const { rows: existing } = await tx.sql.query<JobRow & { create_hash: string }>(
    `SELECT ${JOB_COLUMNS}, create_hash FROM jobs WHERE job_id = $1`,
    [job.job_id],
  );
  const previous = existing[0];
  if (previous) {
    if (previous.create_hash === job.create_hash) return { created: false, row: previous };
    throw new ApiError(
      409,
      'job_exists',
      `A different job with id ${JSON.stringify(job.job_id)} exists`,
    );
  }
  // `created` comes from a one-row clock, under the write lock: strictly increasing, so that
  // cursor paging in (created, job_id) order never skips a job created meanwhile.
  const { rows } = await tx.sql.query<JobRow>(
    `WITH clock AS (
       UPDATE jss_clock
       SET last_created = greatest(date_trunc('milliseconds', clock_timestamp()),
                                   last_created + interval '1 millisecond')
       WHERE id = 1 RETURNING last_created
     ), stamp AS (SELECT nextval('jss_stamp') AS value)
     INSERT INTO jobs (job_id, user_name, status, job_name, service, current_host, current_stage,
       origination_host, parent_id, child_ids, update_parent, service_fields, created, modified,
       stamp, created_stamp, create_hash)
     SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text,
       $9::text, $10::text[], $11::boolean, $12::jsonb,
       clock.last_created, clock.last_created, stamp.value, stamp.value, $13::text
     FROM clock, stamp
     RETURNING ${JOB_COLUMNS}`,
    [
      job.job_id,
      job.user,
      job.status,
      job.job_name,
      job.service,
      job.current_host,
      job.current_stage,
      job.origination_host,
      job.parent_id,
      job.child_ids,
      job.update_parent,
      JSON.stringify(job.service_fields),
      job.create_hash,
    ],
  );
  const row = rows[0]!;
  await announce(tx, row, 'insert');
  return { created: true, row };
}

/** Applies a PATCH (`$set` semantics) in one statement. */
export async function patchJob(
  tx: WriteTx,
  jobId: string,
  patch: JobPatch,
  principal: Principal,
): Promise<JobRow> {
  const before = await requireJobFor(tx.sql, jobId, principal, 'update');
  const { text, params } = patchToSql('jobs', jobId, patch);
  let row: JobRow;
  try {
    row = (await tx.sql.query<JobRow>(text, params)).rows[0]!;
  } catch (error) {
    if ((error as { code?: unknown }).code === ARRAY_INDEX_TOO_LARGE) {
      throw badBody(`An array index may add at most ${MAX_ARRAY_PADDING} elements to an array`);
    }
    throw error;
  }
  // Thrown inside the transaction, so the oversized document is rolled back.
  withApiErrors(() => checkServiceFieldsSize(row.service_fields));
  await announce(tx, row, 'update');
  await updateParent(tx, row, before.status);
  return row;
}

async function setStatus(tx: WriteTx, before: JobRow, status: string): Promise<JobRow> {
  const { rows } = await tx.sql.query<JobRow>(
    `UPDATE jobs SET status = $2, ${BUMP_MODIFIED}, stamp = nextval('jss_stamp')
     WHERE job_id = $1 RETURNING ${JOB_COLUMNS}`,
    [before.job_id, status],
  );
  const row = rows[0]!;
  await announce(tx, row, 'update');
  await updateParent(tx, row, before.status);
  return row;
}

const refuse = (action: string, row: JobRow) =>
  new ApiError(
    409,
    'invalid_transition',
    `Cannot ${action} job ${row.job_id}: its status is ${row.status}`,
  );

/** In progress → ABORTED; aborting an aborted job changes nothing. */
export async function abortJob(tx: WriteTx, jobId: string, principal: Principal): Promise<JobRow> {
  const row = await requireJobFor(tx.sql, jobId, principal, 'abort');
  if (row.status === 'ABORTED') return row;
  if (!isInProgress(row.status)) throw refuse('abort', row);
  return setStatus(tx, row, 'ABORTED');
}

/** FAILED or ABORTED → RETRYING. */
export async function retryJob(tx: WriteTx, jobId: string, principal: Principal): Promise<JobRow> {
  const row = await requireJobFor(tx.sql, jobId, principal, 'retry');
  if (row.status !== 'FAILED' && row.status !== 'ABORTED') throw refuse('retry', row);
  return setStatus(tx, row, 'RETRYING');
}

/** Removes a job that has ended and leaves a tombstone for pollers and resumed subscriptions. */
export async function deleteJob(tx: WriteTx, jobId: string, principal: Principal): Promise<JobRow> {
  const row = await requireJobFor(
    tx.sql,
    jobId,
    principal,
    'delete',
    ', (SELECT parent.user_name FROM jobs parent WHERE parent.job_id = jobs.parent_id) AS parent_user',
  );
  if (!isTerminal(row.status)) throw refuse('delete', row);
  const parentUser = (row as JobRow & { parent_user: string | null }).parent_user ?? null;
  delete (row as Partial<JobRow & { parent_user: unknown }>).parent_user;
  await tx.sql.query('DELETE FROM jobs WHERE job_id = $1', [jobId]);
  const { rows } = await tx.sql.query<{ stamp: string }>(
    `INSERT INTO job_deletions (stamp, job_id, user_name, service, parent_user)
     VALUES (nextval('jss_stamp'), $1, $2, $3, $4) RETURNING stamp::text AS stamp`,
    [jobId, row.user_name, row.service ?? null, parentUser],
  );
  await tx.notify({
    stamp: Number(rows[0]!.stamp),
    job_id: jobId,
    user: row.user_name,
    kind: 'delete',
    service: row.service ?? null,
    parent_user: parentUser,
  });
  return row;
}

/** Stores the job's progress. */
export async function setProgress(
  tx: WriteTx,
  jobId: string,
  progress: Progress,
  principal: Principal,
): Promise<JobRow> {
  await requireJobFor(tx.sql, jobId, principal, 'update');
  const { rows } = await tx.sql.query<JobRow>(
    `UPDATE jobs SET progress = $2::jsonb, ${BUMP_MODIFIED}, stamp = nextval('jss_stamp')
     WHERE job_id = $1 RETURNING ${JOB_COLUMNS}`,
    [jobId, JSON.stringify(progress)],
  );
  const row = rows[0];
  if (!row) throw notFound();
  await announce(tx, row, 'update');
  return row;
}

/**
 * Appends one entry to the job's log, stamped with the database's time, then keeps the newest
 * entries that fit `logEntriesPerJob` and `logBytesPerJob` (the model's `capLog`): the oldest
 * are dropped.
 */
export async function appendLog(
  tx: WriteTx,
  jobId: string,
  entry: LogInput,
  principal: Principal,
): Promise<JobRow> {
  await requireJobFor(tx.sql, jobId, principal, 'update');
  const { rows } = await tx.sql.query<JobRow>(
    `UPDATE jobs SET
       logs = (
         SELECT coalesce(jsonb_agg(entry ORDER BY position), '[]'::jsonb) FROM (
           SELECT entry, position,
             row_number() OVER newest_first AS newer,
             sum(octet_length(entry::text)) OVER newest_first AS bytes
           FROM jsonb_array_elements(logs || jsonb_build_array(
             jsonb_build_object('time', ${wireDate('clock_timestamp()')}) || $2::jsonb))
             WITH ORDINALITY AS appended(entry, position)
           WINDOW newest_first AS (ORDER BY position DESC)
         ) AS kept
         WHERE newer <= $3 AND bytes <= $4),
       ${BUMP_MODIFIED}, stamp = nextval('jss_stamp')
     WHERE job_id = $1 RETURNING ${JOB_COLUMNS}`,
    [jobId, JSON.stringify(entry), LIMITS.logEntriesPerJob, LIMITS.logBytesPerJob],
  );
  const row = rows[0];
  if (!row) throw notFound();
  await announce(tx, row, 'update');
  return row;
}

/** How deep a chain of parents `updateParent` follows (a guard against cycles in bad data). */
const MAX_PARENT_DEPTH = 64;

/**
 * `update_parent` (docs/protocol.md; the model's `shouldUpdateParent` and
 * `parentStatusFromChildren` say the same): when a child that set the flag changes status, its
 * parent's children (those naming it as `parent_id` and those in its `child_ids`) are read in
 * this transaction; when every listed child exists and all share one status the parent does not
 * have, the parent takes it, which may move the parent's own parent in turn.
 */
async function updateParent(
  tx: WriteTx,
  child: JobRow,
  statusBefore: string,
  depth = 0,
): Promise<void> {
  if (depth >= MAX_PARENT_DEPTH || !child.update_parent || !child.parent_id) return;
  if (child.status === statusBefore) return;
  // CTE columns are renamed so that the UPDATE's RETURNING list reads only the `jobs` row.
  const { rows } = await tx.sql.query<JobRow & { status_before: string }>(
    `WITH parent AS (
       SELECT job_id AS parent_job_id, status AS status_before,
         coalesce(child_ids, '{}') AS listed
       FROM jobs WHERE job_id = $1
     ), children AS (
       SELECT j.status AS child_status FROM jobs j, parent p
       WHERE j.parent_id = p.parent_job_id OR j.job_id = ANY(p.listed)
     ), shared AS (
       SELECT min(child_status) AS shared_status FROM children
       HAVING count(*) > 0 AND count(DISTINCT child_status) = 1
         AND NOT EXISTS (SELECT 1 FROM parent p, unnest(p.listed) AS listed_id
                         WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.job_id = listed_id))
     )
     UPDATE jobs SET status = shared_status, ${BUMP_MODIFIED}, stamp = nextval('jss_stamp')
     FROM shared, parent
     WHERE job_id = parent_job_id AND status <> shared_status
     RETURNING ${JOB_COLUMNS}, status_before`,
    [child.parent_id],
  );
  const row = rows[0];
  if (!row) return;
  await announce(tx, row, 'update');
  await updateParent(tx, row, row.status_before, depth + 1);
}
