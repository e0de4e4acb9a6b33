import type { JobPatch } from '../wire/patch-body';
import { DEFAULT_LEASE_MS } from '#protocol';
import { JOB_COLUMNS } from './job-row';
import { SqlParams } from './sql-params';

/** Tables a patch may be applied to: the real one, or the scratch copy of the oracle hooks. */
export type JobsTable = 'jobs' | 'pg_temp.jss_scratch';

/** `modified` never goes backwards, even if the database clock does. */
export const BUMP_MODIFIED = `modified = greatest(date_trunc('milliseconds', clock_timestamp()), modified)`;

/**
 * The lease of a job after a report (docs/protocol.md, "Leases"): a WORKING job whose lease is
 * live and that stays WORKING (`nextStatus`, the status the statement writes) gets it renewed
 * for its `lease_ms`; a job that leaves WORKING is no longer leased.
 */
export const renewLeaseSql = (nextStatus = 'status') =>
  `lease_expires = CASE
     WHEN ${nextStatus} <> 'WORKING' THEN NULL
     WHEN status = 'WORKING' AND lease_expires > clock_timestamp()
       THEN clock_timestamp() + coalesce(lease_ms, ${DEFAULT_LEASE_MS}) * interval '1 millisecond'
     ELSE lease_expires END`;

/**
 * One UPDATE that applies every key of a PATCH: all service-field paths nest into a single
 * expression over the row's current `service_fields`, so two concurrent patches to different
 * paths of one job both survive (neither writes back a document it read earlier).
 */
export function patchToSql(
  table: JobsTable,
  jobId: string,
  patch: JobPatch,
): { text: string; params: unknown[] } {
  const params = new SqlParams();
  const assignments: string[] = [];
  for (const [column, value] of Object.entries(patch.columns)) {
    // `column` is one of the PatchableColumn names the validator let through.
    assignments.push(
      `${column} = ${params.add(value, column === 'child_ids' ? 'text[]' : 'text')}`,
    );
  }
  if (patch.paths.length > 0) {
    let document = 'service_fields';
    for (const { path, value } of patch.paths) {
      document = `jss_set_path(${document}, ${params.add(path, 'text[]')}, ${params.add(JSON.stringify(value), 'jsonb')})`;
    }
    assignments.push(`service_fields = ${document}`);
  }
  const nextStatus =
    patch.columns.status === undefined ? 'status' : `${params.add(patch.columns.status, 'text')}`;
  assignments.push(renewLeaseSql(nextStatus), BUMP_MODIFIED, `stamp = jss_next_stamp()`);
  const text = `UPDATE ${table} SET ${assignments.join(', ')}
    WHERE job_id = ${params.add(jobId, 'text')} RETURNING ${JOB_COLUMNS}`;
  return { text, params: params.values };
}
