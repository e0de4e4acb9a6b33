import type { ServiceFields, ServiceFieldsShape } from './service-fields';
import type { JobStatus, LogLevel } from './status';

// The job as the SDK hands it to callers: camelCase, arrays rebuilt, `(dot)` unescaped, times as
// Dates. Plain types: responses are validated in their wire form (./wire) and then mapped by
// src/wire's decodeJob in one go, which is far cheaper than validating twice.

/** A job's progress as last reported by its worker. */
export interface JobProgress {
  /** Units of work done. */
  completed: number;
  /** Units of work in all. */
  total: number;
  /** `completed / total * 100`, rounded to two decimals by the server. */
  percent: number;
}

/** One line of a job's log, oldest first in `Job.logs`. `{ time, level, message, data? }`. */
export interface LogEntry {
  time: Date;
  level: LogLevel | (string & {});
  message: string;
  data?: unknown;
  [key: string]: unknown;
}

/** The descriptive fields of a job, the same when it is created and when it is read. */
export interface JobDescription {
  jobName?: string | null | undefined;
  service?: string | null | undefined;
  currentHost?: string | null | undefined;
  currentStage?: string | null | undefined;
  originationHost?: string | null | undefined;
  parentId?: string | null | undefined;
  childIds?: string[] | null | undefined;
  /**
   * Set on a CHILD: when this job's status changes, its parent takes the status all of the
   * parent's children share, if they share one (docs/protocol.md, `update_parent`).
   */
  updateParent?: boolean | null | undefined;
}

/** The work-queue fields a job carries once scheduled or claimed (absent = default). */
export interface WorkQueueFields {
  priority?: number;
  runAt?: Date | null;
  dependsOn?: string[];
  retry?: {
    retries: number;
    waitMs: number;
    backoff: string;
    maxWaitMs: number | null;
    until: Date | null;
  } | null;
  repeat?: {
    repeats: number | null;
    waitMs: number | null;
    schedule: string | null;
    until: Date | null;
  } | null;
  /** How many times the job has been claimed. */
  attempts?: number;
  /** The error of the last failed attempt. */
  lastError?: { message: string; [key: string]: unknown } | null;
  /** The worker holding (or that last held) the job. */
  workerId?: string | null;
  leaseMs?: number | null;
  /** When the current lease runs out (null once the job is no longer leased). */
  leaseExpires?: Date | null;
  /** Why the job is BLOCKED by its dependencies. */
  blockedReason?: string | null;
  /** The job id of the run this (repeating) job follows. */
  repeatOf?: string;
}

/**
 * A job as the SDK returns it, its service fields of shape `F` (see `JobStatusClient<F>`).
 *
 * Fields the SDK does not know (from a newer server) are kept on the object at run time, but the
 * type lists only the protocol's, so that a misspelt property does not compile; read a newer
 * field as `(job as Job & Record<string, unknown>).newField`.
 */
export interface Job<F extends ServiceFieldsShape = ServiceFields>
  extends JobDescription, WorkQueueFields {
  jobId: string;
  user: string;
  /** Any string at run time: a newer server may send a status this SDK does not know. */
  status: JobStatus;
  /** Not checked against `F` at run time: the shape is the caller's promise about its service. */
  serviceFields?: F | null | undefined;
  created: Date;
  modified: Date;
  progress?: JobProgress | null | undefined;
  logs?: LogEntry[] | undefined;
}

/** The cheap status-only read (`getJobStatus`): `{ jobId, status, currentStage, progress, modified }`. */
export interface JobStatusSummary {
  jobId: string;
  status: JobStatus;
  currentStage?: string | null | undefined;
  progress?: JobProgress | null | undefined;
  modified: Date;
}
