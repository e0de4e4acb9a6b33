import { JOB_COLUMNS, type JobRow } from './job-row';
import { STAMP_FRONTIER } from './migrations';
import { readSnapshot, stampFrontier } from './read-snapshot';
import { SqlParams } from './sql-params';
import type { Store } from './store';

/** Whose jobs a subscription follows. */
export type SubscriptionScope = { user: string } | { jobIds: string[] };

function scopeSql(scope: SubscriptionScope, params: SqlParams): string {
  return 'user' in scope
    ? `user_name = ${params.add(scope.user, 'text')}`
    : `job_id = ANY(${params.add(scope.jobIds, 'text[]')})`;
}

/**
 * The jobs a new subscription starts with, and the stamp they are complete up to: every change
 * below it is in the rows (some rows may hold settled-later changes above it too).
 */
export async function readInitialJobs(
  store: Store,
  scope: SubscriptionScope,
): Promise<{ rows: JobRow[]; stamp: number }> {
  return readSnapshot(store.db, async (sql) => {
    const params = new SqlParams();
    const conditions = [scopeSql(scope, params)];
    const { rows } = await sql.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}
       ORDER BY created, job_id`,
      params.values,
    );
    return { rows, stamp: (await stampFrontier(sql)) - 1 };
  });
}

/** A change a resumed subscription missed. */
export type MissedChange =
  | { kind: 'insert' | 'update'; stamp: number; row: JobRow }
  | { kind: 'delete'; stamp: number; job_id: string; user: string };

/**
 * What changed in scope after `since` (the client's `Last-Event-ID`) and below the frontier, in
 * stamp order: each job's current state (an insert when it was created after `since`) and each
 * deletion. Changes at or above the frontier reach the stream live, from the hub.
 */
export async function readChangesSince(
  store: Store,
  scope: SubscriptionScope,
  since: number,
): Promise<{ changes: MissedChange[]; stamp: number }> {
  return readSnapshot(store.db, async (sql) => {
    const frontier = await stampFrontier(sql);
    const inRange = (params: SqlParams) => [
      scopeSql(scope, params),
      `stamp > ${params.add(String(since), 'bigint')}`,
      `stamp < ${params.add(String(frontier), 'bigint')}`,
    ];
    const jobParams = new SqlParams();
    const { rows } = await sql.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs
       WHERE ${inRange(jobParams)
         .map((c) => `(${c})`)
         .join(' AND ')}`,
      jobParams.values,
    );
    const deletionParams = new SqlParams();
    const { rows: deletions } = await sql.query<{
      stamp: string;
      job_id: string;
      user_name: string;
    }>(
      `SELECT stamp::text AS stamp, job_id, user_name FROM job_deletions
       WHERE ${inRange(deletionParams)
         .map((c) => `(${c})`)
         .join(' AND ')}`,
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
    return { changes, stamp: Math.max(since, frontier - 1) };
  });
}

/** The scopes of every stream a hub round reads for. */
export interface RoundScopes {
  users: string[];
  jobIds: string[];
}

/** What one hub round read: the changes in `[from, next)`, in stamp order. */
export interface Round {
  changes: MissedChange[];
  /** Where the next round starts: every change in scope below it has been read. */
  next: number;
}

/**
 * The settled changes in scope from stamp `from` on, in one statement (one snapshot, one round
 * trip): at most `limit` jobs and `limit` deletions, and the point up to which they are complete.
 */
export async function readRound(
  store: Store,
  from: number,
  scopes: RoundScopes,
  limit: number,
): Promise<Round> {
  const range = `stamp >= $1::bigint AND stamp < f.frontier
    AND (user_name = ANY($2::text[]) OR job_id = ANY($3::text[]))`;
  const { rows } = await store.db.query<{
    frontier: string;
    jobs: JobRow[];
    deletions: { stamp: string; job_id: string; user_name: string }[];
  }>(
    `WITH f AS (SELECT ${STAMP_FRONTIER} AS frontier)
     SELECT (SELECT frontier FROM f)::text AS frontier,
       (SELECT coalesce(json_agg(j ORDER BY j.stamp::bigint), '[]'::json) FROM (
          SELECT ${JOB_COLUMNS} FROM jobs, f WHERE ${range} ORDER BY stamp LIMIT $4) j) AS jobs,
       (SELECT coalesce(json_agg(d ORDER BY d.stamp::bigint), '[]'::json) FROM (
          SELECT stamp::text AS stamp, job_id, user_name FROM job_deletions, f WHERE ${range}
          ORDER BY stamp LIMIT $4) d) AS deletions`,
    [String(from), scopes.users, scopes.jobIds, limit],
    'jss_hub_round',
  );
  const { frontier, jobs, deletions } = rows[0]!;
  let next = Number(frontier);
  // A full list may go on past its last entry: stop both lists there.
  if (jobs.length === limit) next = Math.min(next, Number(jobs[jobs.length - 1]!.stamp) + 1);
  if (deletions.length === limit)
    next = Math.min(next, Number(deletions[deletions.length - 1]!.stamp) + 1);
  const changes: MissedChange[] = [
    ...jobs.map((row) => ({
      kind: Number(row.created_stamp) >= from ? ('insert' as const) : ('update' as const),
      stamp: Number(row.stamp),
      row,
    })),
    ...deletions.map((deletion) => ({
      kind: 'delete' as const,
      stamp: Number(deletion.stamp),
      job_id: deletion.job_id,
      user: deletion.user_name,
    })),
  ]
    .filter((change) => change.stamp < next)
    .sort((a, b) => a.stamp - b.stamp);
  return { changes, next: Math.max(from, next) };
}
