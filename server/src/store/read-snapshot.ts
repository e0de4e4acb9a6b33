import type { Db, Sql } from './db';
import { STAMP_FRONTIER } from './migrations';

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
 * The stamp below which this snapshot has every change (docs/architecture.md, "The change
 * feed"). Changes at or above it may still be joined by a transaction that commits later with a
 * smaller stamp, so feeds answer only what lies below it, and hand out `frontier - 1` as "seen".
 */
export async function stampFrontier(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ frontier: string }>(
    `SELECT ${STAMP_FRONTIER}::text AS frontier`,
    [],
    'jss_stamp_frontier',
  );
  return Number(rows[0]!.frontier);
}
