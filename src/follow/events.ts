import { ResponseValidationError } from '../errors';
import type { JobStatusError } from '../errors';
import type { SseEvent } from '../internal/sse';
import type { Job } from '../schemas';

/** The jobs the subscription follows, as they were when it connected (first event only). */
export interface InitialJobsEvent {
  type: 'initialJobs';
  jobs: Job[];
}

/** A job was created; `job` is its state. */
export interface JobInsertEvent {
  type: 'jobInsert';
  job: Job;
}

/** A job changed; `job` is its new state. */
export interface JobUpdateEvent {
  type: 'jobUpdate';
  job: Job;
}

/** A job was created or changed. */
export type JobChangeEvent = JobInsertEvent | JobUpdateEvent;

/** A job was deleted. */
export interface JobDeleteEvent {
  type: 'jobDelete';
  jobId: string;
  user?: string;
}

/** The event stream is open (after the first connect and after every reconnect). */
export interface OpenEvent {
  type: 'open';
}

/** The connection dropped; the next attempt starts after `delayMs`. */
export interface ReconnectingEvent {
  type: 'reconnecting';
  /** 1 for the first reconnect after a drop; back to 1 once a connection opens. */
  attempt: number;
  delayMs: number;
  /** Why the connection was lost (a ConnectionError, or an ApiError for a 5xx). */
  error: JobStatusError;
}

/** What the service reports about the followed jobs. */
export type JobDataEvent = InitialJobsEvent | JobChangeEvent | JobDeleteEvent;

/** Everything a subscription delivers: the jobs' changes and the connection's state. */
export type JobEvent = JobDataEvent | OpenEvent | ReconnectingEvent;

/** The `type` of a {@link JobEvent}. */
export type JobEventType = JobEvent['type'];

/** The event of a given type. */
export type JobEventOfType<T extends JobEventType> = Extract<JobEvent, { type: T }>;

const DATA_EVENT_TYPES = ['initialJobs', 'jobInsert', 'jobUpdate', 'jobDelete'];

/**
 * Turns one server-sent event into a {@link JobDataEvent}, validating each job through
 * `decodeJob`. Returns undefined for event types it does not know (a newer server may add some).
 * Throws ResponseValidationError for a known event whose data is malformed.
 */
export function decodeJobEvent(
  { type, data }: SseEvent,
  decodeJob: (wire: unknown) => Job,
): JobDataEvent | undefined {
  if (!DATA_EVENT_TYPES.includes(type)) return undefined;
  // Issues are named after the event type: `jobDelete.job_id: must be a non-empty string`.
  const invalid = (message: string, code = 'invalid_type', path: string[] = []) =>
    new ResponseValidationError([{ path: [type, ...path], message, code }]);
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    throw invalid('is not valid JSON', 'invalid_json');
  }
  if (type === 'initialJobs') {
    if (!Array.isArray(payload)) throw invalid('must be an array of jobs');
    return { type, jobs: payload.map((wire) => decodeJob(wire)) };
  }
  if (type !== 'jobDelete')
    return { type: type as JobChangeEvent['type'], job: decodeJob(payload) };
  // Any payload without a usable job_id (null, an array, a number) fails on job_id.
  const { job_id: jobId, user } = (payload ?? {}) as Record<string, unknown>;
  if (typeof jobId !== 'string' || jobId === '') {
    throw invalid('must be a non-empty string', 'invalid_type', ['job_id']);
  }
  return typeof user === 'string' ? { type, jobId, user } : { type, jobId };
}
