import type { WireJob, WireJobFields } from '#protocol';

export type { WireJob };

/** `created`/`modified` as the legacy service wrote them: `2019-06-18T15:31:45.610+0000`. */
export const wireDate = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+0000"')`;

/** The work queue's columns (docs/protocol.md, "Work queue"), times in the wire form. */
const WORK_QUEUE_COLUMNS = `priority, ${wireDate('run_at')} AS run_at, depends_on, retry, repeat,
  attempts, last_error, worker_id, lease_ms, ${wireDate('lease_expires')} AS lease_expires,
  blocked_reason, repeat_of`;

/**
 * The select list that turns a `jobs` row into wire-ready values. Dates are formatted and the
 * bigint stamps cast to text in SQL, so PGlite and `pg` (which parse types differently) agree.
 */
export const JOB_COLUMNS = `job_id, user_name, status, job_name, service, current_host,
  current_stage, origination_host, parent_id, child_ids, update_parent, service_fields,
  progress, logs, ${wireDate('created')} AS created, ${wireDate('modified')} AS modified,
  stamp::text AS stamp, created_stamp::text AS created_stamp, ${WORK_QUEUE_COLUMNS}`;

/** The work queue's columns of a row; null where the job has no such field. */
export interface WorkQueueColumns {
  priority: number | null;
  run_at: string | null;
  depends_on: string[] | null;
  retry: unknown;
  repeat: unknown;
  attempts: number | null;
  last_error: unknown;
  worker_id: string | null;
  lease_ms: number | null;
  lease_expires: string | null;
  blocked_reason: string | null;
  repeat_of: string | null;
}

/** One `jobs` row as `JOB_COLUMNS` selects it: the wire job, `user` stored as `user_name`. */
export interface JobRow extends Omit<WireJobFields, 'user'>, WorkQueueColumns {
  user_name: string;
  stamp: string;
  created_stamp: string;
}

// The work-queue fields a job carries only once it has them, as the testing kit writes them: a
// job that was never scheduled or claimed carries none of them, as a legacy client expects.
const SCHEDULING_KEYS = ['priority', 'run_at', 'depends_on', 'retry', 'repeat'] as const;
const ATTEMPT_KEYS = ['attempts', 'worker_id', 'lease_ms'] as const;
const OUTCOME_KEYS = ['last_error', 'blocked_reason', 'repeat_of'] as const;

function workQueueFields(row: WorkQueueColumns): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of [...SCHEDULING_KEYS, ...ATTEMPT_KEYS]) {
    if (row[key] !== null && row[key] !== undefined) fields[key] = row[key];
  }
  // Once claimed, a job keeps `lease_expires`: null when it is not leased any more.
  if (row.worker_id !== null && row.worker_id !== undefined) {
    fields.lease_expires = row.lease_expires ?? null;
  }
  for (const key of OUTCOME_KEYS) {
    if (row[key] !== null && row[key] !== undefined) fields[key] = row[key];
  }
  return fields;
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
    ...workQueueFields(row),
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
