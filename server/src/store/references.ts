import { hiddenParentRefusal, type Principal } from '#protocol';
import { badBody } from '../http/api-error';
import type { NewJob } from '../wire/create-body';
import type { Sql } from './db';
import { withDependencies } from './jobs';
import { accessSql } from './scope-sql';
import { SqlParams } from './sql-params';

/**
 * Checks the `parent_id` of new jobs: a parent that exists must be a job the creator may read.
 * One out of its reach would hand the child to that job's owner (children of one's jobs are
 * one's own to read and change) and let `update_parent` move their job. A parent that does not
 * exist stays allowed, as the legacy service had it (a child may come before its parent), so this
 * answer tells that the id is taken, the one thing a create with that `job_id` tells as well.
 *
 * @throws ApiError 400 `invalid_body` naming `parent_id` (and the item of a batch)
 */
export async function checkParents(
  sql: Sql,
  jobs: readonly NewJob[],
  principal: Principal,
  describe: (index: number) => string = () => '',
): Promise<void> {
  const wanted = [
    ...new Set(jobs.flatMap((job) => (job.parent_id === null ? [] : [job.parent_id]))),
  ];
  if (wanted.length === 0) return;
  const params = new SqlParams();
  const ids = params.add(wanted, 'text[]');
  const { rows } = await sql.query<{ job_id: string }>(
    `SELECT job_id FROM jobs
     WHERE job_id = ANY(${ids}) AND (${accessSql(principal, 'read', params)}) IS NOT TRUE`,
    params.values,
  );
  const hidden = new Set(rows.map((row) => row.job_id));
  jobs.forEach((job, index) => {
    if (job.parent_id !== null && hidden.has(job.parent_id)) {
      throw badBody(`${hiddenParentRefusal(job.parent_id)}${describe(index)}`);
    }
  });
}

/**
 * New jobs whose references are checked: `parent_id` ({@link checkParents}) and `depends_on`
 * (`withDependencies`), both against what the creator may read.
 */
export async function withReferences(
  sql: Sql,
  jobs: readonly NewJob[],
  principal: Principal,
  describe: (index: number) => string = () => '',
): Promise<NewJob[]> {
  await checkParents(sql, jobs, principal, describe);
  return withDependencies(sql, jobs, principal, describe);
}
