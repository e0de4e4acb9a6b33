import type { Db, Sql } from './db';

/**
 * Runs several reads against one snapshot, so counts, pages and the current stamp agree with
 * each other even while writes commit in between.
 */
export function readSnapshot<T>(db: Db, fn: (sql: Sql) => Promise<T>): Promise<T> {
  return db.transaction(async (sql) => {
    await sql.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return fn(sql);
  });
}

/**
 * The newest stamp visible in this snapshot. Not the sequence's current value: a write that has
 * taken a stamp but not committed yet must not be counted as seen.
 */
export async function visibleStamp(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ stamp: string }>(
    `SELECT greatest((SELECT max(stamp) FROM jobs), (SELECT max(stamp) FROM job_deletions), 0)::text
       AS stamp`,
  );
  return Number(rows[0]?.stamp ?? 0);
}
