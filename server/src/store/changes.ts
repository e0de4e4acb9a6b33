import { TERMINAL_STATUSES } from '../wire/statuses';
import type { Principal } from '../../../src/internal/model';
import { filterToSql } from './filter-sql';
import { JOB_COLUMNS, type JobRow } from './job-row';
import { readSnapshot, visibleStamp } from './read-snapshot';
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
 * Runs `POST 1.0/job/changes`: the matching jobs whose last change is newer than `since`, in
 * stamp order. The next `since` is the last job's stamp when the page is full, else the newest
 * stamp of the snapshot (nothing up to it is left unseen).
 */
export async function listChanges(
  store: Store,
  filter: unknown,
  request: ChangesRequest,
  principal: Principal,
): Promise<Changes> {
  filterToSql(filter, new SqlParams());
  return readSnapshot(store.db, async (sql) => {
    const params = new SqlParams();
    const conditions = [
      filterToSql(filter, params),
      accessSql(principal, 'read', params),
      `stamp > ${params.add(String(request.since), 'bigint')}`,
    ];
    if (request.finished)
      conditions.push(`status = ANY(${params.add(TERMINAL_STATUSES, 'text[]')})`);
    const { rows } = await sql.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}
       ORDER BY stamp LIMIT ${params.add(request.limit + 1, 'int')}`,
      params.values,
    );
    const hasMore = rows.length > request.limit;
    const page = hasMore ? rows.slice(0, request.limit) : rows;
    const stamp = hasMore ? Number(page[page.length - 1]!.stamp) : await visibleStamp(sql);
    return { rows: page, hasMore, stamp };
  });
}
