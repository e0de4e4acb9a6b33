// The answers of the paged reads (listJobs, listQueue, getJobsChangedSince) and of the
// status-only read, decoded in a module of their own so that they load with those calls
// (src/pages), not with getJob.
import { ResponseValidationError } from '../errors';
import type { JobStatusSummary } from '../schemas/job';
import type { JobChanges, JobPage } from '../schemas/paging';
import type { ServiceFields, ServiceFieldsShape } from '../schemas/service-fields';
import type { WireOptions } from '../wire/options';
import { parseJssDate } from '#protocol/dates';
import { badTime, firstOf, mapJobs, validate, type DecodeContext } from './index';
import { changesEnvelopeSchema, jobsEnvelopeSchema, statusEnvelopeSchema } from './wire-schemas';

/**
 * A page of a listing. A legacy server may leave out the paging fields; they are then derived
 * from the request and the jobs received.
 */
export function decodeJobPage<F extends ServiceFieldsShape = ServiceFields>(
  body: unknown,
  options: WireOptions,
  requestedOffset = 0,
  context: DecodeContext = {},
): JobPage<F> {
  const envelope = validate(jobsEnvelopeSchema, body, context);
  const jobs = mapJobs<F>(envelope, options, context);
  const offset = envelope.offset ?? requestedOffset;
  const totalCount = envelope.total_count ?? offset + jobs.length;
  const page: JobPage<F> = {
    jobs,
    totalCount,
    offset,
    hasMore: envelope.has_more ?? offset + jobs.length < totalCount,
  };
  if (typeof envelope.next_cursor === 'string') page.nextCursor = envelope.next_cursor;
  return page;
}

/** The answer of `POST 1.0/job/changes`: the jobs and the stamp to pass next time. */
export function decodeJobChanges<F extends ServiceFieldsShape = ServiceFields>(
  body: unknown,
  options: WireOptions,
  context: DecodeContext = {},
): JobChanges<F> {
  const envelope = validate(changesEnvelopeSchema, body, context);
  return { jobs: mapJobs<F>(envelope, options, context), stamp: envelope.stamp };
}

/** The answer of the status-only read. */
export function decodeJobStatusSummary(
  body: unknown,
  context: DecodeContext = {},
): JobStatusSummary {
  const wire = firstOf(validate(statusEnvelopeSchema, body, context), context);
  const modified = parseJssDate(wire.modified);
  if (modified === undefined) {
    throw new ResponseValidationError([badTime(['data', 0, 'modified'])], context);
  }
  const summary: JobStatusSummary = { jobId: wire.job_id, status: wire.status, modified };
  if (wire.current_stage !== undefined) summary.currentStage = wire.current_stage;
  if (wire.progress !== undefined) {
    // Only the three known fields: the summary is the cheap read, and says so in its type.
    summary.progress = wire.progress && {
      completed: wire.progress.completed,
      total: wire.progress.total,
      percent: wire.progress.percent,
    };
  }
  return summary;
}
