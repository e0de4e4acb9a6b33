import type { Principal } from '../../../src/internal/model';
import { ApiError } from '../http/api-error';
import { LIMITS } from '../limits';
import { filterToSql } from './filter-sql';
import { JOB_COLUMNS, type JobRow } from './job-row';
import { readSnapshot } from './read-snapshot';
import { accessSql } from './scope-sql';
import { SqlParams } from './sql-params';
import type { Store } from './store';

/** Wire names a query may sort by → columns. */
export const SORT_COLUMNS = new Map([
  ['created', 'created'],
  ['modified', 'modified'],
  ['job_id', 'job_id'],
  ['status', 'status'],
  ['user', 'user_name'],
  ['job_name', 'job_name'],
  ['service', 'service'],
  ['current_stage', 'current_stage'],
]);

/** One key of a sort, already checked against `SORT_COLUMNS`. */
export interface SortKey {
  field: string;
  descending: boolean;
}

/** Where a page of a query starts. */
export interface PageRequest {
  /** `undefined`: every match (the legacy behaviour). */
  limit: number | undefined;
  offset: number;
  sort: SortKey[];
  /** Continue after this job in the default order (created, job_id). */
  after?: { created: string; job_id: string };
}

export interface Page {
  rows: JobRow[];
  total: number;
  offset: number;
  hasMore: boolean;
}

/**
 * The ORDER BY of a query. Nulls sort after every value (before them when descending), and
 * `job_id` always ends the list so that the order is total.
 */
export function orderBySql(sort: SortKey[]): string {
  const keys = sort.map(({ field, descending }) => {
    const column = SORT_COLUMNS.get(field);
    if (!column) throw new Error(`Unchecked sort field ${field}`);
    return `${column} ${descending ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`;
  });
  if (!sort.some(({ field }) => field === 'job_id')) keys.push('job_id ASC');
  return keys.join(', ');
}

/**
 * Runs `POST 1.0/job/query`: the matching jobs of one page, and the counts that describe it. The
 * page is read first: when it holds the last match, its offset plus its length is the total, and
 * counting every match (the costly part: each candidate is read whole) is skipped.
 */
export async function queryJobs(
  store: Store,
  filter: unknown,
  page: PageRequest,
  principal: Principal,
): Promise<Page> {
  // Build the filter once up front so that a bad filter fails before any SQL runs.
  filterToSql(filter, new SqlParams());
  return readSnapshot(store.db, async (sql) => {
    const params = new SqlParams();
    const conditions = [filterToSql(filter, params), accessSql(principal, 'read', params)];
    if (page.after) {
      conditions.push(
        `(created, job_id) > (${params.add(page.after.created, 'timestamptz')}, ${params.add(page.after.job_id, 'text')})`,
      );
    }
    // Without a limit (every match, the legacy form) one more than the cap is read, to tell a
    // set that fits from one that does not without reading all of it.
    const cap = page.limit ?? LIMITS.unpagedQueryJobs;
    const limit = `LIMIT ${params.add(cap + 1, 'int')}`;
    const { rows } = await sql.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}
       ORDER BY ${orderBySql(page.sort)} ${limit} OFFSET ${params.add(page.offset, 'int')}`,
      params.values,
    );
    if (page.limit === undefined && rows.length > cap) {
      throw new ApiError(
        413,
        'response_too_large',
        `More than ${cap} jobs match, the most a query without ?limit answers (unpagedQueryJobs); ask for pages with ?limit`,
      );
    }
    const hasMore = page.limit !== undefined && rows.length > page.limit;
    const pageRows = hasMore ? rows.slice(0, page.limit) : rows;
    // Past the end, an empty page says nothing of how many matches lie before its offset.
    const endSeen = !page.after && !hasMore && (pageRows.length > 0 || page.offset === 0);
    if (endSeen) {
      return { rows: pageRows, total: page.offset + pageRows.length, offset: page.offset, hasMore };
    }

    const countParams = new SqlParams();
    const where = `(${filterToSql(filter, countParams)}) AND ${accessSql(principal, 'read', countParams)}`;
    const before = page.after
      ? `count(*) FILTER (WHERE (created, job_id) <= (${countParams.add(page.after.created, 'timestamptz')}, ${countParams.add(page.after.job_id, 'text')}))`
      : '0';
    const { rows: counts } = await sql.query<{ total: string; before: string }>(
      `SELECT count(*)::text AS total, (${before})::text AS before FROM jobs WHERE ${where}`,
      countParams.values,
    );
    return {
      rows: pageRows,
      total: Number(counts[0]?.total ?? 0),
      offset: page.after ? Number(counts[0]?.before ?? 0) : page.offset,
      hasMore,
    };
  });
}
