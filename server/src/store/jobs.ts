import {
  applyDependencyState,
  checkServiceFieldsSize,
  resolveDependencies,
  type JobRecord,
  type Principal,
} from '#protocol';
import { ApiError, badBody, notFound } from '../http/api-error';
import { withApiErrors } from '../wire/model-errors';
import type { NewJob } from '../wire/create-body';
import type { JobPatch } from '../wire/patch-body';
import type { LogInput, Progress } from '../wire/report-bodies';
import { isInProgressStatus as isInProgress, isTerminalStatus as isTerminal } from '#protocol';
import { announcerOf } from './announcer';
import type { Sql } from './db';
import { JOB_COLUMNS, wireDate, type JobRow } from './job-row';
import { ARRAY_INDEX_TOO_LARGE, MAX_ARRAY_PADDING } from './migrations';
import { accessSql, requireJobFor } from './scope-sql';
import { SqlParams } from './sql-params';
import { BUMP_MODIFIED, patchToSql, renewLeaseSql } from './set-sql';
import type { Store } from './store';
import type { ChangeNotice, WriteTx } from './write';
import { LIMITS } from '../limits';

/** Reads one job whoever owns it, or `undefined` (requests go through `scope-sql.ts`). */
export async function loadJob(sql: Sql, jobId: string): Promise<JobRow | undefined> {
  const { rows } = await sql.query<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM jobs WHERE job_id = $1`,
    [jobId],
    'jss_load_job',
  );
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

const noticeOf = (row: JobRow, kind: 'insert' | 'update'): ChangeNotice => ({
  stamp: Number(row.stamp),
  job_id: row.job_id,
  user: row.user_name,
  kind,
  status: row.status,
  service: row.service,
});

async function announce(tx: WriteTx, row: JobRow, kind: 'insert' | 'update') {
  await tx.notify(noticeOf(row, kind));
}

const INSERT_COLUMNS = `job_id, user_name, status, job_name, service, current_host, current_stage,
  origination_host, parent_id, child_ids, update_parent, service_fields, created, modified, stamp,
  created_stamp, create_hash, priority, run_at, depends_on, retry, repeat, blocked_reason,
  repeat_of`;

/** `run_at` of a new row: as sent, or `delay_ms` after the time of the insert. */
const runAtSql = (runAt: string, delayMs: string, time: string) =>
  `coalesce(${runAt}, ${time} + ${delayMs} * interval '1 millisecond')`;

// `created` is the database's time at the insert, shared by the rows of one statement; `stamp`
// and `created_stamp` are the same change.
const NEW_ROW_TIMES = `date_trunc('milliseconds', clock_timestamp())`;

/**
 * The requests that found their job id taken: a retry when the stored creation request is the
 * same (the stored job comes back), else 409 `job_exists` naming the request's place.
 */
async function existingJobs(
  sql: Sql,
  jobs: readonly NewJob[],
  describe: (index: number) => string,
): Promise<Map<string, JobRow>> {
  const found = new Map<string, JobRow>();
  if (jobs.length === 0) return found;
  const { rows } = await sql.query<JobRow & { create_hash: string }>(
    `SELECT ${JOB_COLUMNS}, create_hash FROM jobs WHERE job_id = ANY($1::text[])`,
    [jobs.map((job) => job.job_id)],
  );
  const byId = new Map(rows.map((row) => [row.job_id, row]));
  jobs.forEach((job, index) => {
    const previous = byId.get(job.job_id);
    if (previous && previous.create_hash === job.create_hash) {
      const { create_hash: _hash, ...row } = previous;
      found.set(job.job_id, row);
      return;
    }
    throw new ApiError(
      409,
      'job_exists',
      `A different job with id ${JSON.stringify(job.job_id)} exists${describe(index)}`,
    );
  });
  return found;
}

/**
 * Creates a job. A job id that exists already is a retry when the stored creation request is
 * the same (`created: false`, the stored job), else 409 `job_exists`. Two concurrent creates of
 * one id meet at the primary key: the second waits for the first and then finds its job.
 */
export async function createJob(
  tx: WriteTx,
  job: NewJob,
): Promise<{ created: boolean; row: JobRow }> {
  const { rows } = await tx.guarded<JobRow>(insertJobSql, insertJobParams(job), 'jss_create_job');
  const row = rows[0];
  if (!row) {
    const existing = await existingJobs(tx.sql, [job], () => '');
    return { created: false, row: existing.get(job.job_id)! };
  }
  await announce(tx, row, 'insert');
  return { created: true, row };
}

/**
 * `createJob` in one statement and one round trip, without a transaction of its own: for a create
 * that needs nothing else in its transaction (no idempotency key to store, no parent to advance).
 */
export async function createJobAlone(
  store: Store,
  job: NewJob,
): Promise<{ created: boolean; row: JobRow }> {
  if (isTerminal(job.status)) throw new Error('A terminal job may advance its parent');
  const { rows } = await store.db.query<JobRow>(
    insertJobSql('TRUE'),
    insertJobParams(job),
    'jss_create_job',
  );
  const row = rows[0];
  if (row) {
    announcerOf(store).announce([noticeOf(row, 'insert')]);
    return { created: true, row };
  }
  const existing = await existingJobs(store.db, [job], () => '');
  return { created: false, row: existing.get(job.job_id)! };
}

/** The insert of one job, which inserts nothing unless `claimed` holds (see `WriteTx.guarded`). */
const insertJobSql = (claimed: string) => `INSERT INTO jobs (${INSERT_COLUMNS})
  SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text,
    $9::text, $10::text[], $11::boolean, $12::jsonb, t.time, t.time, s.stamp, s.stamp, $13::text,
    $14::int, ${runAtSql('$15::timestamptz', '$16::int', 't.time')}, $17::text[], $18::jsonb,
    $19::jsonb, $20::text, $21::text
  FROM (SELECT ${NEW_ROW_TIMES} AS time) t, (SELECT jss_next_stamp() AS stamp) s
  WHERE ${claimed}
  ON CONFLICT (job_id) DO NOTHING
  RETURNING ${JOB_COLUMNS}`;

function insertJobParams(job: NewJob): unknown[] {
  return [
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
    job.priority,
    job.run_at,
    job.delay_ms,
    job.depends_on,
    job.retry === null ? null : JSON.stringify(job.retry),
    job.repeat === null ? null : JSON.stringify(job.repeat),
    job.blocked_reason,
    job.repeat_of,
  ];
}

/**
 * New jobs checked against their `depends_on` (docs/protocol.md, "Dependencies"): every
 * dependency must be a job the creator can read, or an earlier job of the same batch, and not
 * the job itself; a job whose dependency can no longer succeed starts BLOCKED.
 *
 * @throws ApiError 400 `invalid_body` naming `depends_on` (and the item of a batch)
 */
export async function withDependencies(
  sql: Sql,
  jobs: readonly NewJob[],
  principal: Principal,
  describe: (index: number) => string = () => '',
): Promise<NewJob[]> {
  const wanted = [...new Set(jobs.flatMap((job) => job.depends_on ?? []))];
  if (wanted.length === 0) return [...jobs];
  const params = new SqlParams();
  const ids = params.add(wanted, 'text[]');
  const { rows } = await sql.query<{ job_id: string; status: string }>(
    `SELECT job_id, status FROM jobs
     WHERE job_id = ANY(${ids}) AND ${accessSql(principal, 'read', params)}`,
    params.values,
  );
  const statuses = new Map(rows.map((row) => [row.job_id, row.status]));
  return jobs.map((job, index) => {
    const dependsOn = job.depends_on ?? [];
    const checked = { ...job };
    if (dependsOn.length > 0) {
      for (const id of dependsOn) {
        if (id === job.job_id || !statuses.has(id)) {
          throw badBody(
            `"depends_on" names job ${JSON.stringify(id)}, which does not exist${describe(index)}`,
          );
        }
      }
      const state = resolveDependencies(dependsOn, (id) => statuses.get(id));
      const blocked = applyDependencyState<JobRecord>(
        { job_id: job.job_id, user: job.user, status: job.status },
        state,
      );
      if (blocked !== undefined && blocked.status === 'BLOCKED') {
        checked.status = 'BLOCKED';
        checked.blocked_reason = String(blocked.blocked_reason);
      }
    }
    // A later job of the batch may depend on this one.
    if (!statuses.has(job.job_id)) statuses.set(job.job_id, checked.status);
    return checked;
  });
}

/**
 * The work queue's dependencies (docs/protocol.md): after a job's status changed, each job that
 * depends on it is blocked (a dependency can no longer succeed) or released again, in the same
 * transaction, which may in turn move its own dependants and parent.
 */
async function resolveDependants(tx: WriteTx, jobId: string, depth: number): Promise<void> {
  const { rows } = await tx.sql.query<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM jobs WHERE depends_on @> ARRAY[$1::text] ORDER BY job_id FOR UPDATE`,
    [jobId],
  );
  for (const dependant of rows) {
    const dependsOn = dependant.depends_on ?? [];
    const { rows: statuses } = await tx.sql.query<{ job_id: string; status: string }>(
      'SELECT job_id, status FROM jobs WHERE job_id = ANY($1::text[])',
      [dependsOn],
    );
    const statusById = new Map(statuses.map((row) => [row.job_id, row.status]));
    const state = resolveDependencies(dependsOn, (id) => statusById.get(id));
    const next = applyDependencyState(
      {
        job_id: dependant.job_id,
        user: dependant.user_name,
        status: dependant.status,
        blocked_reason: dependant.blocked_reason,
      },
      state,
    );
    if (next === undefined) continue;
    const { rows: written } = await tx.sql.query<JobRow>(
      `UPDATE jobs SET status = $2::text, blocked_reason = $3::text, ${BUMP_MODIFIED}, stamp = jss_next_stamp()
       WHERE job_id = $1 RETURNING ${JOB_COLUMNS}`,
      [dependant.job_id, next.status, next.blocked_reason ?? null],
    );
    const row = written[0]!;
    await announce(tx, row, 'update');
    await afterStatusChange(tx, row, dependant.status, depth + 1);
  }
}

// A dependant's state changes only when a dependency enters or leaves one of these (ready on
// SUCCEEDED, blocked on the others); WAITING to WORKING, say, changes nothing for it.
const DEPENDENCY_STATUSES: ReadonlySet<string> = new Set([
  'SUCCEEDED',
  'FAILED',
  'UNRECOVERABLE',
  'ABORTED',
  'BLOCKED',
]);

/**
 * What a change of a job's status sets off, in its transaction: its parent may move
 * (`update_parent`), and its dependants may be blocked or released.
 */
export async function afterStatusChange(
  tx: WriteTx,
  row: JobRow,
  statusBefore: string,
  depth = 0,
): Promise<void> {
  if (row.status === statusBefore || depth >= MAX_PARENT_DEPTH) return;
  if (DEPENDENCY_STATUSES.has(row.status) || DEPENDENCY_STATUSES.has(statusBefore)) {
    await resolveDependants(tx, row.job_id, depth);
  }
  await updateParent(tx, row, statusBefore, depth);
}

/**
 * {@link afterStatusChange} for several changes of one transaction: the dependants of all of them
 * are looked up in one statement, so that jobs nothing depends on cost no statement each.
 * `knownDependedOn`, when the caller read it already, names the jobs some job depends on.
 */
export async function afterStatusChanges(
  tx: WriteTx,
  changes: readonly { row: JobRow; statusBefore: string }[],
  knownDependedOn?: ReadonlySet<string>,
): Promise<void> {
  const moved = changes.filter(({ row, statusBefore }) => row.status !== statusBefore);
  const ids = moved
    .filter(
      ({ row, statusBefore }) =>
        DEPENDENCY_STATUSES.has(row.status) || DEPENDENCY_STATUSES.has(statusBefore),
    )
    .map(({ row }) => row.job_id);
  let depended = new Set<string>();
  if (knownDependedOn) {
    depended = new Set(ids.filter((id) => knownDependedOn.has(id)));
  } else if (ids.length > 0) {
    const { rows } = await tx.sql.query<{ id: string }>(
      `SELECT DISTINCT d.id FROM jobs, unnest(depends_on) AS d(id)
       WHERE depends_on && $1::text[] AND d.id = ANY($1::text[])`,
      [ids],
      'jss_depended_on',
    );
    depended = new Set(rows.map(({ id }) => id));
  }
  for (const { row, statusBefore } of moved) {
    if (depended.has(row.job_id)) await resolveDependants(tx, row.job_id, 0);
    await updateParent(tx, row, statusBefore, 0);
  }
}

/** One request of a batch and what became of it. */
export interface BatchItemResult {
  created: boolean;
  row: JobRow;
}

/**
 * Creates many jobs in one statement and announces them in one round trip. Each item behaves as
 * `createJob` would (a retry of an existing job answers the stored job); a different job under
 * one of the ids fails the whole batch with 409 naming the item (`jobs[3]`).
 */
export async function createJobs(tx: WriteTx, jobs: readonly NewJob[]): Promise<BatchItemResult[]> {
  // A key left out reads as NULL in jsonb_to_recordset, as JSON null would: most of a job's
  // fields are null, and leaving them out makes a batch's text about a quarter shorter.
  const records = jobs.map((job, index) => ({
    ord: index,
    job_id: job.job_id,
    user_name: job.user,
    status: job.status,
    job_name: job.job_name ?? undefined,
    service: job.service ?? undefined,
    current_host: job.current_host ?? undefined,
    current_stage: job.current_stage ?? undefined,
    origination_host: job.origination_host ?? undefined,
    parent_id: job.parent_id ?? undefined,
    child_ids: job.child_ids ?? undefined,
    update_parent: job.update_parent,
    service_fields: job.service_fields,
    create_hash: job.create_hash,
    priority: job.priority ?? undefined,
    run_at: job.run_at ?? undefined,
    delay_ms: job.delay_ms ?? undefined,
    depends_on: job.depends_on ?? undefined,
    retry: job.retry ?? undefined,
    repeat: job.repeat ?? undefined,
    blocked_reason: job.blocked_reason ?? undefined,
    repeat_of: job.repeat_of ?? undefined,
  }));
  // One call reserves the batch's stamps (item `ord` takes the first plus `ord`); a CTE with a
  // volatile function runs once, where a subquery in FROM might be run again per row.
  const { rows: inserted } = await tx.sql.query<JobRow>(
    `WITH new AS MATERIALIZED (
       SELECT ${NEW_ROW_TIMES} AS time, jss_next_stamps($2::int) AS first_stamp)
     INSERT INTO jobs (${INSERT_COLUMNS})
     SELECT r.job_id, r.user_name, r.status, r.job_name, r.service, r.current_host,
       r.current_stage, r.origination_host, r.parent_id,
       CASE WHEN jsonb_typeof(r.child_ids) = 'array'
         THEN ARRAY(SELECT jsonb_array_elements_text(r.child_ids)) END,
       r.update_parent, r.service_fields, new.time, new.time, new.first_stamp + r.ord,
       new.first_stamp + r.ord, r.create_hash,
       r.priority, ${runAtSql('r.run_at', 'r.delay_ms', 'new.time')},
       CASE WHEN jsonb_typeof(r.depends_on) = 'array'
         THEN ARRAY(SELECT jsonb_array_elements_text(r.depends_on)) END,
       r.retry, r.repeat, r.blocked_reason, r.repeat_of
     FROM new, jsonb_to_recordset($1::jsonb) AS r(
       ord int, job_id text, user_name text, status text, job_name text, service text,
       current_host text, current_stage text, origination_host text, parent_id text,
       child_ids jsonb, update_parent boolean, service_fields jsonb, create_hash text,
       priority int, run_at timestamptz, delay_ms int, depends_on jsonb, retry jsonb,
       repeat jsonb, blocked_reason text, repeat_of text)
     ON CONFLICT (job_id) DO NOTHING
     RETURNING ${JOB_COLUMNS}`,
    [JSON.stringify(records), records.length],
    'jss_create_jobs',
  );
  const created = new Map(inserted.map((row) => [row.job_id, row]));
  const taken = jobs.filter((job) => !created.has(job.job_id));
  const indexOf = new Map(jobs.map((job, index) => [job.job_id, index]));
  const existing = await existingJobs(
    tx.sql,
    taken,
    (index) => ` (jobs[${indexOf.get(taken[index]!.job_id)}])`,
  );
  await tx.notify(...inserted.map((row) => noticeOf(row, 'insert')));
  return jobs.map((job) =>
    created.has(job.job_id)
      ? { created: true, row: created.get(job.job_id)! }
      : { created: false, row: existing.get(job.job_id)! },
  );
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
  await afterStatusChange(tx, row, before.status);
  return row;
}

async function setStatus(tx: WriteTx, before: JobRow, status: string): Promise<JobRow> {
  const { rows } = await tx.sql.query<JobRow>(
    `UPDATE jobs SET status = $2::text, ${renewLeaseSql('$2::text')}, ${BUMP_MODIFIED},
       stamp = jss_next_stamp()
     WHERE job_id = $1 RETURNING ${JOB_COLUMNS}`,
    [before.job_id, status],
  );
  const row = rows[0]!;
  await announce(tx, row, 'update');
  await afterStatusChange(tx, row, before.status);
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
     VALUES (jss_next_stamp(), $1, $2, $3, $4) RETURNING stamp::text AS stamp`,
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
  await resolveDependants(tx, jobId, 0);
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
    `UPDATE jobs SET progress = $2::jsonb, ${renewLeaseSql()}, ${BUMP_MODIFIED},
       stamp = jss_next_stamp()
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
       ${renewLeaseSql()}, ${BUMP_MODIFIED}, stamp = jss_next_stamp()
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
     UPDATE jobs SET status = shared_status, ${BUMP_MODIFIED}, stamp = jss_next_stamp()
     FROM shared, parent
     WHERE job_id = parent_job_id AND status <> shared_status
     RETURNING ${JOB_COLUMNS}, status_before`,
    [child.parent_id],
  );
  const row = rows[0];
  if (!row) return;
  await announce(tx, row, 'update');
  await afterStatusChange(tx, row, row.status_before, depth + 1);
}
