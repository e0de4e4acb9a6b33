// Hooks for the differential tests that compare the server's SQL with the SDK's pure model
// (src/protocol): both get the same documents and the same patch or filter body, and
// must agree. Nothing here is used by the running server.
import { parsePatchBody } from '../wire/patch-body';
import type { Db, Sql } from './db';
import { filterToSql } from './filter-sql';
import { JOB_COLUMNS, toWireJob, type JobRow, type WireJob } from './job-row';
import { parseSort } from '../http/paging';
import { orderBySql } from './query-jobs';
import { patchToSql } from './set-sql';
import { SqlParams } from './sql-params';

/** A job document as a test builds it: the wire form, where only `job_id` and `user` must be set. */
export type ScratchJob = Partial<WireJob> & Pick<WireJob, 'job_id' | 'user'>;

const SCRATCH = 'pg_temp.jss_scratch';

class Rollback<T> {
  constructor(readonly value: T) {}
}

/**
 * Runs `fn` against a temporary copy of the `jobs` table holding `jobs`, then rolls everything
 * back: the real table is never touched.
 */
async function withScratchJobs<T>(
  db: Db,
  jobs: ScratchJob[],
  fn: (sql: Sql) => Promise<T>,
): Promise<T> {
  try {
    await db.transaction(async (sql) => {
      await sql.query(
        `CREATE TEMP TABLE jss_scratch (LIKE jobs INCLUDING DEFAULTS) ON COMMIT DROP`,
      );
      for (const job of jobs) {
        await sql.query(
          `INSERT INTO ${SCRATCH} (job_id, user_name, status, job_name, service, current_host,
             current_stage, origination_host, parent_id, child_ids, update_parent, service_fields,
             progress, logs, created, modified, stamp, created_stamp, create_hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11, $12::jsonb, $13::jsonb,
             $14::jsonb, $15::timestamptz, $16::timestamptz, 0, 0, '')`,
          [
            job.job_id,
            job.user,
            job.status ?? 'WAITING',
            job.job_name ?? null,
            job.service ?? null,
            job.current_host ?? null,
            job.current_stage ?? null,
            job.origination_host ?? null,
            job.parent_id ?? null,
            job.child_ids ?? null,
            job.update_parent ?? false,
            JSON.stringify(job.service_fields ?? {}),
            JSON.stringify(job.progress ?? null),
            JSON.stringify(job.logs ?? []),
            job.created ?? '2020-01-01T00:00:00.000+0000',
            job.modified ?? job.created ?? '2020-01-01T00:00:00.000+0000',
          ],
        );
      }
      throw new Rollback(await fn(sql));
    });
  } catch (outcome) {
    if (outcome instanceof Rollback) return outcome.value as T;
    throw outcome;
  }
  throw new Error('unreachable: the scratch transaction always rolls back');
}

/**
 * Applies a PATCH body (the flat `$set` map of the wire) to one job exactly as
 * `PATCH 1.0/job/{jobId}` would, and returns the job afterwards (`modified` bumped to now, as
 * the endpoint does). Throws the same `ApiError` the endpoint would answer with for a refused
 * body; its `code` is the wire's error code.
 */
export async function applyPatchWithSql(
  db: Db,
  job: ScratchJob,
  patchBody: unknown,
): Promise<WireJob> {
  const patch = parsePatchBody(patchBody);
  return withScratchJobs(db, [job], async (sql) => {
    const { text, params } = patchToSql(SCRATCH, job.job_id, patch);
    const { rows } = await sql.query<JobRow>(text, params);
    return toWireJob(rows[0]!);
  });
}

/**
 * The ids of the `jobs` that a filter body matches, as `POST 1.0/job/query` would find them, in
 * the query's order: `sort` is the query parameter (`status,-created`), default `created,job_id`.
 * Throws the `ApiError` the endpoint would answer with for a refused filter or sort.
 */
export async function matchFilterWithSql(
  db: Db,
  jobs: ScratchJob[],
  filterBody: unknown,
  sort = 'created,job_id',
): Promise<string[]> {
  const params = new SqlParams();
  const where = filterToSql(filterBody, params);
  const order = orderBySql(parseSort(sort), 'jss_scratch');
  return withScratchJobs(db, jobs, async (sql) => {
    const { rows } = await sql.query<Pick<JobRow, 'job_id'>>(
      `SELECT ${JOB_COLUMNS} FROM ${SCRATCH} WHERE ${where} ORDER BY ${order}`,
      params.values,
    );
    return rows.map((row) => row.job_id);
  });
}
