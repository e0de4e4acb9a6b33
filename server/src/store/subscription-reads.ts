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

/** Where `readInitialJobs` hands the pages of a subscription's initial state. */
export interface InitialJobsSink {
  /** Before the first page, with the stamp the state is current as of. */
  start(stamp: number): void;
  /** Each non-empty page, in (created, job_id) order. */
  page(rows: JobRow[], first: boolean): void;
  end(): void;
  /** Whether the reader went away: reading stops early. */
  stopped(): boolean;
}

/**
 * The jobs a new subscription starts with, read in pages of `pageSize` (keyset order on
 * `created, job_id`) from one snapshot, so that no page sees a change another missed. Resolves
 * with the stamp the state is current as of.
 */
export async function readInitialJobs(
  store: Store,
  scope: SubscriptionScope,
  principal: Principal,
  pageSize: number,
  sink: InitialJobsSink,
): Promise<number> {
  return readSnapshot(store.db, async (sql) => {
    const stamp = await visibleStamp(sql);
    sink.start(stamp);
    let after: { created: string; job_id: string } | undefined;
    for (let first = true; !sink.stopped(); first = false) {
      const params = new SqlParams();
      const conditions = [scopeSql(scope, params), accessSql(principal, 'read', params)];
      if (after) {
        conditions.push(
          `(created, job_id) > (${params.add(after.created, 'timestamptz')}, ${params.add(after.job_id, 'text')})`,
        );
      }
      const { rows } = await sql.query<JobRow>(
        `SELECT ${JOB_COLUMNS} FROM jobs WHERE ${conditions.join(' AND ')}
         ORDER BY created, job_id LIMIT ${params.add(pageSize, 'int')}`,
        params.values,
      );
      if (rows.length > 0) sink.page(rows, first);
      if (rows.length < pageSize) break;
      const last = rows[rows.length - 1]!;
      after = { created: last.created, job_id: last.job_id };
    }
    sink.end();
    return stamp;
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
