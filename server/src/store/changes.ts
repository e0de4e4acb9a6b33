import { TERMINAL_STATUSES } from '#protocol';
import type { Principal } from '#protocol';
import { filterToSql } from './filter-sql';
import { JOB_COLUMNS, type JobRow } from './job-row';
import { readSnapshot, stampFrontier } from './read-snapshot';
import { accessSql } from './scope-sql';
import { SqlParams } from './sql-params';
import type { Store } from './store';

export interface ChangesRequest {
  since: number;
  limit: number;
  finished: boolean;
}

export interface Changes {
  rows: JobRow[];
  hasMore: boolean;
  /** What the poller passes as `since` next time. */
  stamp: number;
}

/**
 * Runs `POST 1.0/job/changes`: the matching jobs whose last change is newer than `since` and
 * settled (below the snapshot's frontier), in stamp order. The next `since` is the last job's
 * stamp when the page is full, else just below the frontier: nothing up to it is left unseen,
 * and every change a transaction still running makes will have a larger stamp.
 */
export async function listChanges(
  store: Store,
  filter: unknown,
  request: ChangesRequest,
  principal: Principal,
): Promise<Changes> {
  filterToSql(filter, new SqlParams());
  return readSnapshot(store.db, async (sql) => {
    const frontier = await stampFrontier(sql);
    const params = new SqlParams();
    const conditions = [
      filterToSql(filter, params),
      accessSql(principal, 'read', params),
      `stamp > ${params.add(String(request.since), 'bigint')}`,
      `stamp < ${params.add(String(frontier), 'bigint')}`,
    ];
    if (request.finished)
      conditions.push(`status = ANY(${params.add(TERMINAL_STATUSES, 'text[]')})`);
    const { rows } = await sql.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}
       ORDER BY jobs.stamp LIMIT ${params.add(request.limit + 1, 'int')}`,
      params.values,
    );
    const hasMore = rows.length > request.limit;
    const page = hasMore ? rows.slice(0, request.limit) : rows;
    const stamp = hasMore
      ? Number(page[page.length - 1]!.stamp)
      : Math.max(request.since, frontier - 1);
    return { rows: page, hasMore, stamp };
  });
}
