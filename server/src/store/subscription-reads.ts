import type { Principal } from '../../../src/internal/model';
import { JOB_COLUMNS, type JobRow } from './job-row';
import { readSnapshot, visibleStamp } from './read-snapshot';
import { accessSql } from './scope-sql';
import { SqlParams } from './sql-params';
import type { Store } from './store';

/** Whose jobs a subscription follows. */
export type SubscriptionScope = { user: string } | { jobIds: string[] };

function scopeSql(scope: SubscriptionScope, params: SqlParams): string {
  return 'user' in scope
    ? `user_name = ${params.add(scope.user, 'text')}`
    : `job_id = ANY(${params.add(scope.jobIds, 'text[]')})`;
}

/** The jobs a new subscription starts with, and the stamp they are current as of. */
export async function readInitialJobs(
  store: Store,
  scope: SubscriptionScope,
  principal: Principal,
): Promise<{ rows: JobRow[]; stamp: number }> {
  return readSnapshot(store.db, async (sql) => {
    const params = new SqlParams();
    const { rows } = await sql.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs
       WHERE ${scopeSql(scope, params)} AND ${accessSql(principal, 'read', params)}
       ORDER BY created, job_id`,
      params.values,
    );
    return { rows, stamp: await visibleStamp(sql) };
  });
}

/** A change a resumed subscription missed. */
export type MissedChange =
  | { kind: 'insert' | 'update'; stamp: number; row: JobRow }
  | { kind: 'delete'; stamp: number; job_id: string; user: string };

/**
 * What changed in scope after `since` (the client's `Last-Event-ID`), in stamp order: each job's
 * current state (an insert when it was created after `since`) and each deletion.
 */
export async function readChangesSince(
  store: Store,
  scope: SubscriptionScope,
  since: number,
  principal: Principal,
): Promise<{ changes: MissedChange[]; stamp: number }> {
  return readSnapshot(store.db, async (sql) => {
    const jobParams = new SqlParams();
    const { rows } = await sql.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs
       WHERE ${scopeSql(scope, jobParams)} AND ${accessSql(principal, 'read', jobParams)}
         AND stamp > ${jobParams.add(String(since), 'bigint')}`,
      jobParams.values,
    );
    const deletionParams = new SqlParams();
    const { rows: deletions } = await sql.query<{
      stamp: string;
      job_id: string;
      user_name: string;
    }>(
      `SELECT stamp::text AS stamp, job_id, user_name FROM job_deletions
       WHERE ${scopeSql(scope, deletionParams)}
         AND ${accessSql(principal, 'read', deletionParams, 'job_deletions')}
         AND stamp > ${deletionParams.add(String(since), 'bigint')}`,
      deletionParams.values,
    );
    const changes: MissedChange[] = [
      ...rows.map((row) => ({
        kind: Number(row.created_stamp) > since ? ('insert' as const) : ('update' as const),
        stamp: Number(row.stamp),
        row,
      })),
      ...deletions.map((deletion) => ({
        kind: 'delete' as const,
        stamp: Number(deletion.stamp),
        job_id: deletion.job_id,
        user: deletion.user_name,
      })),
    ].sort((a, b) => a.stamp - b.stamp);
    return { changes, stamp: await visibleStamp(sql) };
  });
}
