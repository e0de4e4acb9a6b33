import { ApiError, ResponseValidationError } from '../errors';
import { decodeJobList, decodeSingleJob, type DecodeContext } from '../decode';
import { newIdempotencyKey } from '#protocol/ids';
import { MAX_ERROR_MESSAGE_LENGTH } from '#protocol/work-queue-limits';
import type { CallOptions, TransportResponse } from '../internal/transport-types';
import { assertJobId } from '../schemas/job-id';
import { checkBodySize } from '../schemas/body-size';
import { parseInput } from '../schemas/issues';
import type { Job } from '../schemas/job';
import {
  claimJobsOptionsSchema,
  failJobOptionsSchema,
  failureSchema,
  heartbeatOptionsSchema,
  jobSchedulingSchema,
  resultSchema,
  type ClaimJobsOptions,
  type ClaimedJob,
  type FailJobOptions,
  type HeartbeatOptions,
  type JobFailure,
  type WorkerCallOptions,
} from '../schemas/work-queue';
import {
  encodeClaimBody,
  encodeCompleteBatchBody,
  encodeCompleteBody,
  encodeFailBody,
  encodeHeartbeatBody,
} from '../wire/work-queue';
import type { WorkerContext } from './context';

const JOB_PATH = '1.0/job/';

const jobPath = (jobId: string, suffix: string) =>
  `${JOB_PATH}${encodeURIComponent(jobId)}${suffix}`;

function contextOf(
  request: { method: string; path: string },
  response: TransportResponse,
): DecodeContext {
  return { method: request.method, path: request.path, status: response.status };
}

/** The call options of a work-queue call, without the worker's own options. */
function callOptionsOf(options: CallOptions | undefined): CallOptions | undefined {
  if (options === undefined) return undefined;
  const picked: CallOptions = {};
  if (options.signal !== undefined) picked.signal = options.signal;
  if (options.timeout !== undefined) picked.timeout = options.timeout;
  if (options.deadline !== undefined) picked.deadline = options.deadline;
  if (options.maxRetries !== undefined) picked.maxRetries = options.maxRetries;
  return picked;
}

/**
 * Checks the scheduling fields of a job to create (`createJob` loads this module for a job that
 * has one).
 *
 * @throws RequestValidationError naming the field and the rule
 */
export function checkScheduling(job: Record<string, unknown>): void {
  parseInput(jobSchedulingSchema, job, 'job');
}

/** Some slack over a long poll's wait: the service answers when the wait is over. */
const LONG_POLL_SLACK_MS = 15_000;

/**
 * `POST 1.0/job/claim`: up to `limit` jobs of the service(s), leased to the worker, in claim order
 * (higher priority, then older, first). An empty array when there is nothing to do.
 */
export async function claimJobs(
  context: WorkerContext,
  options: ClaimJobsOptions,
  callOptions?: CallOptions,
): Promise<ClaimedJob[]> {
  const claim = parseInput(claimJobsOptionsSchema, options, 'options');
  const request = {
    method: 'POST',
    path: `${JOB_PATH}claim`,
    body: encodeClaimBody({ ...claim, workerId: claim.workerId ?? context.workerId }),
    idempotent: true,
    // A retried claim whose answer was lost gets the jobs of the first attempt again.
    idempotencyKey: newIdempotencyKey(),
  } as const;
  const waitMs = claim.waitMs ?? 0;
  const timeout = callOptions?.timeout ?? (waitMs > 0 ? waitMs + LONG_POLL_SLACK_MS : undefined);
  const picked = callOptionsOf(callOptions) ?? {};
  if (timeout !== undefined) picked.timeout = timeout;
  const response = await context.send(request, picked);
  return decodeJobList(response.data, context.wire, contextOf(request, response)) as ClaimedJob[];
}

/** `POST 1.0/job/{jobId}/heartbeat`: renews the lease. ConflictError when it is lost. */
export async function heartbeat(
  context: WorkerContext,
  jobId: string,
  options?: HeartbeatOptions & CallOptions,
): Promise<Job> {
  assertJobId(jobId);
  const own = parseInput(
    heartbeatOptionsSchema,
    { workerId: options?.workerId, leaseMs: options?.leaseMs },
    'options',
  );
  const request = {
    method: 'POST',
    path: jobPath(jobId, '/heartbeat'),
    body: encodeHeartbeatBody(own.workerId ?? context.workerId, own.leaseMs),
    // Renewing twice leaves the lease as renewing once (a little later).
    idempotent: true,
  } as const;
  const response = await context.send(request, callOptionsOf(options));
  return decodeSingleJob(response.data, context.wire, contextOf(request, response));
}

/** `POST 1.0/job/{jobId}/complete`: SUCCEEDED, with `result` in `serviceFields.result`. */
export async function completeJob(
  context: WorkerContext,
  jobId: string,
  result?: unknown,
  options?: WorkerCallOptions & CallOptions,
): Promise<Job> {
  assertJobId(jobId);
  checkResult(result);
  const own = parseInput(heartbeatOptionsSchema, { workerId: options?.workerId }, 'options');
  const request = {
    method: 'POST',
    path: jobPath(jobId, '/complete'),
    body: checkBodySize(
      encodeCompleteBody(own.workerId ?? context.workerId, result, context.wire),
      'result',
    ),
    idempotent: true,
    idempotencyKey: newIdempotencyKey(),
  } as const;
  const response = await context.send(request, callOptionsOf(options));
  return decodeSingleJob(response.data, context.wire, contextOf(request, response));
}

/** One entry of a batched complete's `results`, as the service sent it. */
interface CompleteResult {
  job_id: string;
  completed: boolean;
  code?: string;
  error?: string;
}

/** The answer's `results`: one per job sent, in the order sent. */
function decodeCompleteResults(
  body: unknown,
  sent: readonly { jobId: string }[],
  context: DecodeContext,
): CompleteResult[] {
  const results = (body as { results?: unknown }).results;
  const valid =
    Array.isArray(results) &&
    results.length === sent.length &&
    results.every(
      (item: unknown, index) =>
        typeof item === 'object' &&
        item !== null &&
        (item as CompleteResult).job_id === sent[index]!.jobId &&
        typeof (item as CompleteResult).completed === 'boolean',
    );
  if (!valid) {
    throw new ResponseValidationError(
      [
        {
          path: ['results'],
          message: `must hold one {job_id, completed} per job sent (${sent.length}), in order`,
          code: 'custom',
        },
      ],
      context,
    );
  }
  return results as CompleteResult[];
}

/** How a batched complete went for one job: the job as stored, or why it was refused. */
export type CompleteOutcome = { jobId: string; job: Job } | { jobId: string; error: unknown };

const ITEM_STATUS: Readonly<Record<string, number>> = {
  not_found: 404,
  forbidden: 403,
  not_claimed: 409,
};

/**
 * `POST 1.0/job/complete`: several jobs in one request, each completed or refused on its own
 * (a refused one is the error its own `POST 1.0/job/{jobId}/complete` would have answered).
 * Results must already be checked (see {@link checkResult}).
 */
export async function completeJobs(
  context: WorkerContext,
  items: readonly { jobId: string; result?: unknown }[],
  options: { workerId: string },
): Promise<CompleteOutcome[]> {
  const request = {
    method: 'POST',
    path: `${JOB_PATH}complete`,
    body: checkBodySize(encodeCompleteBatchBody(options.workerId, items, context.wire), 'result'),
    idempotent: true,
    idempotencyKey: newIdempotencyKey(),
  } as const;
  const response = await context.send(request);
  const decodeContext = contextOf(request, response);
  const jobs = decodeJobList(response.data, context.wire, decodeContext);
  const results = decodeCompleteResults(response.data, items, decodeContext);
  const byId = new Map(jobs.map((job) => [job.jobId, job]));
  return results.map((item): CompleteOutcome => {
    const job = item.completed ? byId.get(item.job_id) : undefined;
    if (job !== undefined) return { jobId: item.job_id, job };
    const code = typeof item.code === 'string' ? item.code : 'not_claimed';
    const status = ITEM_STATUS[code] ?? 409;
    const body = { response_type: 'CLIENT_ERROR', error: item.error, code };
    return { jobId: item.job_id, error: ApiError.from(status, body, {}, request) };
  });
}

/** Checks a handler's result as `completeJob` would. @throws RequestValidationError */
export function checkResult(result: unknown): void {
  if (result !== undefined) parseInput(resultSchema, result, 'result');
}

/** A failure reduced to what the wire takes: an Error's message (never empty, bounded). */
function failureOf(error: JobFailure): JobFailure {
  if (typeof error === 'string' || error instanceof Error) {
    const message = (typeof error === 'string' ? error : error.message || error.name) || 'Error';
    const bounded = message.slice(0, MAX_ERROR_MESSAGE_LENGTH);
    if (typeof error === 'string') return bounded;
    const copy = new Error(bounded);
    copy.name = error.name;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') (copy as Error & { code?: string }).code = code;
    return copy;
  }
  return error;
}

/**
 * `POST 1.0/job/{jobId}/fail`: RETRYING while its retry policy allows, else FAILED;
 * UNRECOVERABLE with `fatal`. An Error is sent as its message and name, never its stack.
 */
export async function failJob(
  context: WorkerContext,
  jobId: string,
  error: JobFailure,
  options?: FailJobOptions & CallOptions,
): Promise<Job> {
  assertJobId(jobId);
  const own = parseInput(
    failJobOptionsSchema,
    { workerId: options?.workerId, fatal: options?.fatal },
    'options',
  );
  const failure = failureOf(error);
  if (typeof failure !== 'string' && !(failure instanceof Error)) {
    parseInput(failureSchema, failure, 'error');
    parseInput(resultSchema, failure, 'error');
  }
  const request = {
    method: 'POST',
    path: jobPath(jobId, '/fail'),
    body: checkBodySize(
      encodeFailBody(
        own.workerId ?? context.workerId,
        failure as Error | string | Record<string, unknown>,
        own.fatal ?? false,
        context.wire,
      ),
      'error',
    ),
    idempotent: true,
    idempotencyKey: newIdempotencyKey(),
  } as const;
  const response = await context.send(request, callOptionsOf(options));
  return decodeSingleJob(response.data, context.wire, contextOf(request, response));
}
