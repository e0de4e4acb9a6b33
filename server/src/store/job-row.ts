import type { NewJobFields } from '../../../src/internal/model';

/** `created`/`modified` as the legacy service wrote them: `2019-06-18T15:31:45.610+0000`. */
export const wireDate = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+0000"')`;

/**
 * The select list that turns a `jobs` row into wire-ready values. Dates are formatted and the
 * bigint stamps cast to text in SQL, so PGlite and `pg` (which parse types differently) agree.
 */
export const JOB_COLUMNS = `job_id, user_name, status, job_name, service, current_host,
  current_stage, origination_host, parent_id, child_ids, update_parent, service_fields,
  progress, logs, ${wireDate('created')} AS created, ${wireDate('modified')} AS modified,
  stamp::text AS stamp, created_stamp::text AS created_stamp`;

/** A job as the wire carries it (docs/protocol.md, "The job on the wire"). */
export interface WireJob extends Omit<NewJobFields, 'service_fields'> {
  job_id: string;
  // Whatever JSON the row holds: the column is not re-validated on the way out.
  service_fields: unknown;
  created: string;
  modified: string;
  progress: unknown;
  logs: unknown;
}

/** One `jobs` row as `JOB_COLUMNS` selects it: the wire job, `user` stored as `user_name`. */
export interface JobRow extends Omit<WireJob, 'user'> {
  user_name: string;
  stamp: string;
  created_stamp: string;
}

export function toWireJob(row: JobRow): WireJob {
  return {
    job_id: row.job_id,
    user: row.user_name,
    status: row.status,
    job_name: row.job_name,
    service: row.service,
    current_host: row.current_host,
    current_stage: row.current_stage,
    origination_host: row.origination_host,
    parent_id: row.parent_id,
    child_ids: row.child_ids,
    update_parent: row.update_parent,
    service_fields: row.service_fields,
    created: row.created,
    modified: row.modified,
    progress: row.progress ?? null,
    logs: row.logs,
  };
}

/** The short form `GET 1.0/job/{jobId}/status` answers. */
export function toStatusSummary(row: JobRow) {
  return {
    job_id: row.job_id,
    status: row.status,
    current_stage: row.current_stage,
    progress: row.progress ?? null,
    modified: row.modified,
  };
}
