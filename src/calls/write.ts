// The calls that change jobs, loaded on first use (./index): their input schemas and encoders load
// with them, not with an app that only reads.
import { decodeSingleJob } from '../decode';
import { decodeCreatedJobs, type CreatedJob } from '../decode/batch';
import { newIdempotencyKey, newJobId } from '#protocol/ids';
import type { CallOptions } from '../internal/transport-types';
import { checkBodySize } from '../schemas/body-size';
import { parseInput } from '../schemas/issues';
import type { Job } from '../schemas/job';
import { jobUpdateSchema, type JobUpdate } from '../schemas/job-update';
import { logInputSchema, type LogOptions } from '../schemas/log';
import { METHOD_OPTION_NAMES } from '../schemas/call-options';
import { newJobSchema, newJobsSchema, SCHEDULING_KEYS, type NewJob } from '../schemas/new-job';
import { progressInputSchema } from '../schemas/progress';
import type { ServiceFieldsShape } from '../schemas/service-fields';
import { encodeCreateBody, encodePatchBody } from '../wire/encode';
import { loadWorkers } from '../workers/load';
import { JOB_PATH, jobPath, type CallContext } from './context';

/** `POST 1.0/job/`, with a job id and an `Idempotency-Key` fixed before the first attempt. */
export async function createJob<T extends ServiceFieldsShape>(
  context: CallContext,
  job: NewJob<T>,
  options: CallOptions | undefined,
): Promise<Job<T>> {
  parseInput(newJobSchema, job, 'job');
  if (SCHEDULING_KEYS.some((key) => job[key] !== undefined)) {
    (await loadWorkers()).checkScheduling(job as unknown as Record<string, unknown>);
  }
  // The caller's object, not zod's copy, is encoded: it keeps the caller's key order on the wire.
  const { jobId, ...rest } = job;
  const body = checkBodySize(
    encodeCreateBody({ jobId: jobId ?? newJobId(), ...rest }, context.wire),
    'job',
  );
  const request = {
    method: 'POST',
    path: JOB_PATH,
    body,
    idempotent: true,
    idempotencyKey: newIdempotencyKey(),
  } as const;
  return context.call(request, options, decodeSingleJob<T>);
}

/** `POST 1.0/job/batch`: one request, one transaction, one `Idempotency-Key`. */
export function createJobs(
  context: CallContext,
  jobs: readonly NewJob[],
  options: CallOptions | undefined,
): Promise<CreatedJob[]> {
  parseInput(newJobsSchema, jobs, 'jobs');
  const body = checkBodySize(
    jobs.map(({ jobId, ...rest }) =>
      encodeCreateBody({ jobId: jobId ?? newJobId(), ...rest }, context.wire),
    ),
    'jobs',
  );
  const request = {
    method: 'POST',
    path: `${JOB_PATH}batch`,
    body,
    idempotent: true,
    idempotencyKey: newIdempotencyKey(),
  } as const;
  return context.call(request, options, (data, wire, decodeContext) =>
    decodeCreatedJobs(data, wire, jobs.length, decodeContext),
  );
}

/** `PATCH 1.0/job/{jobId}`: a `$set` of the given values (leaves, or whole properties). */
export function updateJob<T extends ServiceFieldsShape>(
  context: CallContext,
  jobId: string,
  update: JobUpdate<T>,
  isPatch: boolean,
  options: CallOptions | undefined,
): Promise<Job<T>> {
  parseInput(jobUpdateSchema, update, 'update');
  // Encoded from the caller's object: the legacy bytes follow the caller's key order.
  const body = checkBodySize(
    encodePatchBody(update as Record<string, unknown>, { ...context.wire, isPatch }),
    'update',
  );
  // Sending the same `$set` twice leaves the job as sending it once.
  const request = { method: 'PATCH', path: jobPath(jobId), body, idempotent: true } as const;
  return context.call(request, options, decodeSingleJob<T>);
}

/** abort, retry (`POST .../abort`, `.../retry`) and delete (`DELETE 1.0/job/{jobId}`). */
export function jobAction<T extends ServiceFieldsShape>(
  context: CallContext,
  method: 'POST' | 'DELETE',
  jobId: string,
  suffix: string,
  options: CallOptions | undefined,
): Promise<Job<T>> {
  // Actions carry no body (the transport then sends no Content-Type either).
  // The key is fixed before the first attempt: a retry after a lost answer is recognised.
  const request = {
    method,
    path: jobPath(jobId, suffix),
    idempotent: true,
    idempotencyKey: newIdempotencyKey(),
  };
  return context.call(request, options, decodeSingleJob<T>);
}

/** `POST 1.0/job/{jobId}/progress`: absolute values, so a repeat lands on the same state. */
export function reportProgress<T extends ServiceFieldsShape>(
  context: CallContext,
  jobId: string,
  completed: number,
  total: number,
  options: CallOptions | undefined,
): Promise<Job<T>> {
  const body = parseInput(progressInputSchema, { completed, total }, 'progress');
  const request = {
    method: 'POST',
    path: jobPath(jobId, '/progress'),
    body,
    idempotent: true,
  } as const;
  return context.call(request, options, decodeSingleJob<T>);
}

/** `POST 1.0/job/{jobId}/logs`, with an `Idempotency-Key` so that a retried append counts once. */
export function log<T extends ServiceFieldsShape>(
  context: CallContext,
  jobId: string,
  message: string,
  options: (LogOptions & CallOptions) | undefined,
): Promise<Job<T>> {
  const entry = parseInput(
    logInputSchema,
    { level: options?.level ?? 'info', message, data: options?.data },
    'log',
  );
  const body: Record<string, unknown> = { level: entry.level, message: entry.message };
  // Log data travels like service fields: same key conversion, Dates as ISO strings.
  if (entry.data !== undefined) {
    body.data = encodeCreateBody({ serviceFields: entry.data }, context.wire).service_fields;
  }
  const request = {
    method: 'POST',
    path: jobPath(jobId, '/logs'),
    body: checkBodySize(body, 'log'),
    idempotent: true,
    idempotencyKey: newIdempotencyKey(),
  } as const;
  return context.call(request, options, decodeSingleJob<T>, METHOD_OPTION_NAMES.log);
}
