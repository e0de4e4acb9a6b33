// Validate, then map: every response body goes through here (the client and src/follow), so a
// malformed answer fails with a ResponseValidationError naming the path and the rule instead of
// surfacing later as `undefined` (legacy defects 8 and 9).
import type * as z from 'zod/mini';
import { ResponseValidationError, type ResponseValidationContext } from '../errors';
import { fromZodIssues, parseContext, type ValidationIssue } from '../schemas/issues';
import type { Job, JobStatusSummary } from '../schemas/job';
import type { JobChanges, JobPage } from '../schemas/paging';
import {
  jobsEnvelopeSchema,
  statusEnvelopeSchema,
  WIRE_DATE_RULE,
  wireJobSchema,
  type WireJob,
  type WireJobsEnvelope,
} from '../schemas/wire';
import { readJobsEnvelope, readWireJob } from '../schemas/wire-reader';
import { decodeJob, parseJssDate, type WireOptions } from '../wire';

/** Which call a body answered, for the error message: `{ method, path, status }`. */
export type DecodeContext = ResponseValidationContext;

type Path = (string | number)[];

function validate<Schema extends z.ZodMiniType>(
  schema: Schema,
  body: unknown,
  context: DecodeContext,
): z.output<Schema> {
  const result = schema.safeParse(body, parseContext);
  if (!result.success) {
    throw new ResponseValidationError(fromZodIssues(result.error.issues), context);
  }
  return result.data as z.output<Schema>;
}

/** A jobs answer, checked: by the hand-written reader when it can vouch for it, else by zod. */
function validateJobsEnvelope(body: unknown, context: DecodeContext): WireJobsEnvelope {
  return readJobsEnvelope(body) ?? validate(jobsEnvelopeSchema, body, context);
}

function invalid(issues: ValidationIssue[], context: DecodeContext): ResponseValidationError {
  return new ResponseValidationError(issues, context);
}

function emptyDataError(context: DecodeContext): ResponseValidationError {
  return invalid(
    [{ path: ['data'], message: 'must hold the job, but it is empty', code: 'too_small' }],
    context,
  );
}

function badTime(path: Path): ValidationIssue {
  return { path, message: WIRE_DATE_RULE, code: 'invalid_date' };
}

/**
 * Maps a validated wire job. The schema checked only the shape of its times (a regex is cheap);
 * `decodeJob` leaves a time it cannot read (February 30th) as a string, which is refused here.
 * One parse per time in all.
 */
function toJob(wire: WireJob, options: WireOptions, path: Path, context: DecodeContext): Job {
  const job = decodeJob(wire, options) as Job;
  const issues: ValidationIssue[] = [];
  if (!(job.created instanceof Date)) issues.push(badTime([...path, 'created']));
  if (!(job.modified instanceof Date)) issues.push(badTime([...path, 'modified']));
  job.logs?.forEach((entry, index) => {
    if (!(entry.time instanceof Date)) issues.push(badTime([...path, 'logs', index, 'time']));
  });
  if (issues.length > 0) throw invalid(issues, context);
  return job;
}

function mapJobs(envelope: WireJobsEnvelope, options: WireOptions, context: DecodeContext): Job[] {
  return envelope.data.map((wire, index) => toJob(wire, options, ['data', index], context));
}

/** Validates one job in its wire form (a live event's payload) and maps it. */
export function decodeWireJob(
  wire: unknown,
  options: WireOptions,
  context: DecodeContext = {},
): Job {
  const checked = readWireJob(wire) ?? validate(wireJobSchema, wire, context);
  return toJob(checked, options, [], context);
}

/** A body whose `data` holds jobs: every one of them, mapped. */
export function decodeJobList(
  body: unknown,
  options: WireOptions,
  context: DecodeContext = {},
): Job[] {
  return mapJobs(validateJobsEnvelope(body, context), options, context);
}

/** A body whose `data` holds the one job the call is about; empty `data` is an error. */
export function decodeSingleJob(
  body: unknown,
  options: WireOptions,
  context: DecodeContext = {},
): Job {
  const envelope = validateJobsEnvelope(body, context);
  const first = envelope.data[0];
  if (first === undefined) throw emptyDataError(context);
  return toJob(first, options, ['data', 0], context);
}

/**
 * A page of a listing. A legacy server may leave out the paging fields; they are then derived
 * from the request and the jobs received.
 */
export function decodeJobPage(
  body: unknown,
  options: WireOptions,
  requestedOffset = 0,
  context: DecodeContext = {},
): JobPage {
  const envelope = validateJobsEnvelope(body, context);
  const jobs = mapJobs(envelope, options, context);
  const offset = envelope.offset ?? requestedOffset;
  const totalCount = envelope.total_count ?? offset + jobs.length;
  const page: JobPage = {
    jobs,
    totalCount,
    offset,
    hasMore: envelope.has_more ?? offset + jobs.length < totalCount,
  };
  if (typeof envelope.next_cursor === 'string') page.nextCursor = envelope.next_cursor;
  return page;
}

/** The answer of `POST 1.0/job/changes`: the jobs and the stamp to pass next time. */
export function decodeJobChanges(
  body: unknown,
  options: WireOptions,
  context: DecodeContext = {},
): JobChanges {
  const envelope = validateJobsEnvelope(body, context);
  if (envelope.stamp === undefined) {
    throw invalid(
      [
        {
          path: ['stamp'],
          message: 'is required in an answer to a changes request',
          code: 'invalid_type',
        },
      ],
      context,
    );
  }
  return { jobs: mapJobs(envelope, options, context), stamp: envelope.stamp };
}

/** The answer of the status-only read. */
export function decodeJobStatusSummary(
  body: unknown,
  context: DecodeContext = {},
): JobStatusSummary {
  const envelope = validate(statusEnvelopeSchema, body, context);
  const wire = envelope.data[0];
  if (wire === undefined) throw emptyDataError(context);
  const modified = parseJssDate(wire.modified);
  if (modified === undefined) throw invalid([badTime(['data', 0, 'modified'])], context);
  const summary: JobStatusSummary = { jobId: wire.job_id, status: wire.status, modified };
  if (wire.current_stage !== undefined) summary.currentStage = wire.current_stage;
  if (wire.progress !== undefined) {
    summary.progress = wire.progress && {
      completed: wire.progress.completed,
      total: wire.progress.total,
      percent: wire.progress.percent,
    };
  }
  return summary;
}
