import {
  parseCreateBody as parseCreateRequest,
  type SchedulingRequest,
  type JobRecord,
  type NewJobFields,
} from '#protocol';
import { canonicalJson } from '#protocol/canonical-json';
import { newJobId } from '#protocol/ids';
import { requireJobId } from '#protocol/job-id';

/** A validated create request. */
export interface ParsedCreate {
  /** The job with every default filled in, still without times, progress and logs. */
  job: JobRecord & NewJobFields;
  /** The request less `created`/`modified`, canonicalised: an equal one is a replay. */
  request: string;
  /** The work-queue fields of the request (docs/protocol.md, "Work queue"). */
  scheduling?: SchedulingRequest;
}

/**
 * Validates the body of `POST 1.0/job/` with the model's rules and gives the job its id: the one
 * asked for (checked last, as the reference server does) or a server-made one.
 *
 * @throws ModelError `invalid_body`, `invalid_status` or `invalid_job_id`
 */
export function parseCreateBody(body: unknown): ParsedCreate {
  const { requestedJobId, fields, request, scheduling } = parseCreateRequest(body, {
    scheduling: true,
  });
  const jobId = requestedJobId === undefined ? newJobId() : requireJobId(requestedJobId);
  // `job_id` first: the order the reference server writes a job's fields.
  const parsed: ParsedCreate = {
    job: { job_id: jobId, ...fields },
    request: canonicalJson(request),
  };
  if (scheduling !== undefined) parsed.scheduling = scheduling;
  return parsed;
}
