import type { Principal } from '#protocol';
import { ApiError } from '../http/api-error';
import { LIMITS } from '../limits';
import { filterToSql } from './filter-sql';
import { JOB_COLUMNS, type JobRow } from './job-row';
import type { Sql } from './db';
import { readSnapshot } from './read-snapshot';
import { readAccessSql } from './scope-sql';
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
  /** Every match, or `LIMITS.queryCountCap` when there are more (then `totalCapped`). */
  total: number;
  totalCapped: boolean;
  offset: number;
  hasMore: boolean;
}

/**
 * The ORDER BY of a query. Nulls sort after every value (before them when descending), and
 * `job_id` always ends the list so that the order is total. Columns are qualified with `table`:
 * a bare `created` would name `JOB_COLUMNS`' formatted text of that name, which no index serves.
 */
export function orderBySql(sort: SortKey[], table = 'jobs'): string {
  const keys = sort.map(({ field, descending }) => {
    const column = SORT_COLUMNS.get(field);
    if (!column) throw new Error(`Unchecked sort field ${field}`);
    return `${table}.${column} ${descending ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`;
  });
  if (!sort.some(({ field }) => field === 'job_id')) keys.push(`${table}.job_id ASC`);
  return keys.join(', ');
}

/**
 * Runs `POST 1.0/job/query`: the matching jobs of one page, and the counts that describe it. The
 * page is read first: when it holds the last match, its offset plus its length is the total, and
 * counting is skipped. Otherwise counting stops at `LIMITS.queryCountCap` matches, so that a page
 * of a broad filter does not cost a scan of every match.
 */
export async function queryJobs(
  store: Store,
  filter: unknown,
  page: PageRequest,
  principal: Principal,
): Promise<Page> {
  if (page.limit !== undefined) {
    const answered = await pageWithCounts(store, filter, { ...page, limit: page.limit }, principal);
    if (answered) return answered;
  } else {
    // Build the filter once up front so that a bad filter fails before any SQL runs.
    filterToSql(filter, new SqlParams());
  }
  return readSnapshot(store.db, async (sql) => {
    const params = new SqlParams();
    const conditions = [filterToSql(filter, params), readAccessSql(principal, filter, params)];
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
      const total = page.offset + pageRows.length;
      return { rows: pageRows, total, totalCapped: false, offset: page.offset, hasMore };
    }

    const countCap = LIMITS.queryCountCap;
    const total = await cappedCount(sql, filter, principal, [], countCap);
    const before = page.after
      ? await cappedCount(
          sql,
          filter,
          principal,
          [
            (params) =>
              `(created, job_id) <= (${params.add(page.after!.created, 'timestamptz')}, ${params.add(page.after!.job_id, 'text')})`,
          ],
          countCap,
        )
      : page.offset;
    return {
      rows: pageRows,
      // Capped, the total is a lower bound that still counts this page and one match after it.
      total:
        total >= countCap
          ? Math.max(countCap, before + pageRows.length + (hasMore ? 1 : 0))
          : total,
      totalCapped: total >= countCap,
      offset: before,
      hasMore,
    };
  });
}

/** How many jobs match, counting no further than `cap`. */
async function cappedCount(
  sql: Sql,
  filter: unknown,
  principal: Principal,
  extra: ((params: SqlParams) => string)[],
  cap: number,
): Promise<number> {
  const params = new SqlParams();
  const conditions = [
    filterToSql(filter, params),
    readAccessSql(principal, filter, params),
    ...extra.map((condition) => condition(params)),
  ];
  const { rows } = await sql.query<{ total: string }>(
    `SELECT count(*)::text AS total FROM (
       SELECT 1 FROM jobs WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}
       LIMIT ${params.add(cap, 'int')}) matches`,
    params.values,
  );
  return Number(rows[0]?.total ?? 0);
}

/**
 * A page and its capped counts in one statement: one snapshot without a transaction, one round
 * trip. The counts are uncorrelated subqueries, run once; they and the page share the filter's
 * parameters. `undefined` for an empty page, which holds no row to carry them (`queryJobs` then
 * counts on its own).
 */
async function pageWithCounts(
  store: Store,
  filter: unknown,
  page: PageRequest & { limit: number },
  principal: Principal,
): Promise<Page | undefined> {
  const params = new SqlParams();
  const matching = `(${filterToSql(filter, params)}) AND (${readAccessSql(principal, filter, params)})`;
  const cap = params.add(LIMITS.queryCountCap, 'int');
  const counted = (condition: string) =>
    `(SELECT count(*) FROM (SELECT 1 FROM jobs WHERE ${condition} LIMIT ${cap}) m)::text`;
  const after = page.after;
  const position = after
    ? `(${params.add(after.created, 'timestamptz')}, ${params.add(after.job_id, 'text')})`
    : '';
  const before = after ? counted(`${matching} AND (created, job_id) <= ${position}`) : 'NULL';
  const { rows } = await store.db.query<
    JobRow & { matches: string; matches_before: string | null }
  >(
    `SELECT ${JOB_COLUMNS}, ${counted(matching)} AS matches, ${before} AS matches_before FROM jobs
     WHERE ${after ? `${matching} AND (created, job_id) > ${position}` : matching}
     ORDER BY ${orderBySql(page.sort)} LIMIT ${params.add(page.limit + 1, 'int')}
     OFFSET ${params.add(page.offset, 'int')}`,
    params.values,
  );
  const first = rows[0];
  if (!first) return undefined;
  const hasMore = rows.length > page.limit;
  const pageRows = hasMore ? rows.slice(0, page.limit) : rows;
  const offset = after ? Number(first.matches_before) : page.offset;
  if (!after && !hasMore) {
    return { rows: pageRows, total: offset + pageRows.length, totalCapped: false, offset, hasMore };
  }
  const total = Number(first.matches);
  return {
    rows: pageRows,
    // Capped, the total is a lower bound that still counts this page and one match after it.
    total:
      total >= LIMITS.queryCountCap
        ? Math.max(LIMITS.queryCountCap, offset + pageRows.length + (hasMore ? 1 : 0))
        : total,
    totalCapped: total >= LIMITS.queryCountCap,
    offset,
    hasMore,
  };
}
