import type { NewJobFields } from './create-body';

/** The fields every wire job has (docs/protocol.md, "The job on the wire"). */
export interface WireJobFields extends Omit<NewJobFields, 'service_fields'> {
  job_id: string;
  // Whatever JSON the job holds: a stored job is not re-validated on the way out.
  service_fields: unknown;
  created: string;
  modified: string;
  progress: unknown;
  logs: unknown;
}

/**
 * A job in its wire form (snake_case keys), as the model, the testing kit and the server hold it:
 * the fields of every job, and the work queue's fields it has.
 */
export type WireJob = WireJobFields & Record<string, unknown>;

/**
 * What the model's rules (filters, sort, patch, actions, the work queue) read of a job: any object
 * with its wire keys, so that they apply alike to a stored job, a row and a partial fixture.
 */
export type JobRecord = Record<string, unknown> & { job_id: string; user: string; status: string };
