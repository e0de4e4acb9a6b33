import {
  actionRefusal,
  isJsonObject,
  isOperatorCondition,
  mayEver,
  scopeOf,
  type Action,
  type JobScope,
  type Principal,
} from '#protocol';
import { ApiError, notFound } from '../http/api-error';
import type { Sql } from './db';
import { JOB_COLUMNS, type JobRow } from './job-row';
import { SqlParams } from './sql-params';

/**
 * The visibility rule of `src/protocol/access.ts` as a boolean SQL expression over the
 * rows of `jobs` (or of the tombstones in `job_deletions`). Every read and write that names or
 * lists jobs adds it to its WHERE, so a job outside the caller's scope does not exist for it.
 */
export function scopeSql(
  scope: JobScope,
  params: SqlParams,
  table: 'jobs' | 'job_deletions' = 'jobs',
): string {
  switch (scope.kind) {
    case 'all':
      return 'TRUE';
    case 'nothing':
      return 'FALSE';
    case 'owner': {
      const user = params.add(scope.user, 'text');
      return table === 'jobs'
        ? `(user_name = ${user} OR parent_id IN (SELECT owned.job_id FROM jobs owned WHERE owned.user_name = ${user}))`
        : `(user_name = ${user} OR parent_user = ${user})`;
    }
    case 'services':
      return `(service = ANY(${params.add(scope.services, 'text[]')}))`;
  }
}

/** The condition for what `principal` may do `action` to. */
export const accessSql = (
  principal: Principal,
  action: Action,
  params: SqlParams,
  table: 'jobs' | 'job_deletions' = 'jobs',
) => scopeSql(scopeOf(principal, action), params, table);

/**
 * The read condition of a query for `filter` (already checked). A filter that holds every match
 * to the caller's own user (`{"user": me}`, or `{"user": {"$eq": me}}` beside other operators)
 * matches only jobs the owner rule lets the caller read, so the rule would add nothing but cost:
 * its subquery over the caller's jobs made the planning of each query page dearer than the page.
 */
export function readAccessSql(principal: Principal, filter: unknown, params: SqlParams): string {
  const scope = scopeOf(principal, 'read');
  if (scope.kind === 'owner' && pinnedUser(filter) === scope.user) return 'TRUE';
  return scopeSql(scope, params);
}

/** The one user every match of `filter` has, when its `user` condition is an equality. */
function pinnedUser(filter: unknown): string | undefined {
  if (!isJsonObject(filter) || !Object.hasOwn(filter, 'user')) return undefined;
  const condition = filter.user;
  if (typeof condition === 'string') return condition;
  if (isOperatorCondition(condition) && typeof condition.$eq === 'string') return condition.$eq;
  return undefined;
}

export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);

/** 403 when the role may never do `action`, whichever the job. */
export function assertMayEver(principal: Principal, action: Action): void {
  if (!mayEver(principal, action)) {
    throw forbidden(actionRefusal(principal, action));
  }
}

/**
 * The job `principal` may do `action` to. A job the caller may not even read is 404, the same
 * answer as a job that does not exist, so ids cannot be probed; one it may read but not change
 * is 403.
 */
export async function requireJobFor(
  sql: Sql,
  jobId: string,
  principal: Principal,
  action: Action,
  extraColumns = '',
): Promise<JobRow> {
  assertMayEver(principal, action);
  const params = new SqlParams();
  const id = params.add(jobId, 'text');
  const { rows } = await sql.query<JobRow>(
    `SELECT ${JOB_COLUMNS}${extraColumns} FROM jobs
     WHERE job_id = ${id} AND ${accessSql(principal, action, params)}`,
    params.values,
  );
  if (rows[0]) return rows[0];
  if (action !== 'read' && (await loadJobFor(sql, jobId, principal, 'read'))) {
    throw forbidden(actionRefusal(principal, action, 'this job'));
  }
  throw notFound();
}

/** One job, or `undefined` when it does not exist or lies outside the caller's `action` scope. */
export async function loadJobFor(
  sql: Sql,
  jobId: string,
  principal: Principal,
  action: Action = 'read',
): Promise<JobRow | undefined> {
  if (!mayEver(principal, action)) return undefined;
  const params = new SqlParams();
  const id = params.add(jobId, 'text');
  const { rows } = await sql.query<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM jobs WHERE job_id = ${id} AND ${accessSql(principal, action, params)}`,
    params.values,
  );
  return rows[0];
}
