import { formatJssDate, parseJssDate } from './dates';
import { nextCronTime, parseCron } from './cron';
import { ModelError } from './errors';
import { cloneJson, isJsonObject } from './json';
import { compareCodePoints } from './order';
import type { JobRecord } from './types';
import {
  DEFAULT_LEASE_MS,
  DEFAULT_RETRY_WAIT_MS,
  MAX_CLAIM_LIMIT,
  MAX_CLAIM_SERVICES,
  MAX_CLAIM_WAIT_MS,
  MAX_COMPLETE_BATCH,
  MAX_DEPENDENCIES,
  MAX_ERROR_MESSAGE_LENGTH,
  MAX_LEASE_MS,
  MAX_PRIORITY,
  MAX_RETRIES,
  MAX_WAIT_MS,
  MAX_WORKER_ID_LENGTH,
  MIN_LEASE_MS,
  MIN_PRIORITY,
  PRIORITY_LEVELS,
  type PriorityLevel,
} from './work-queue-limits';

// The work queue (docs/protocol.md, "Work queue"): the pure rules that the testing kit's store and
// the reference server both apply. Every function takes the time it needs (`now`) and returns a
// new job; none of them reads a clock or writes anything.

export * from './work-queue-limits';

/** The key of `service_fields` under which `complete` keeps the worker's result. */
export const RESULT_KEY = 'result';

/** The `last_error` a lease that ran out records as its failed attempt. */
export const LEASE_EXPIRED_ERROR = {
  message: 'The worker did not report before its lease expired',
  code: 'lease_expired',
} as const;

/** The scheduling fields a create request may carry (wire names). */
export const SCHEDULING_FIELDS = [
  'priority',
  'run_at',
  'delay_ms',
  'depends_on',
  'retry',
  'repeat',
] as const;

export type RetryBackoff = 'constant' | 'exponential';

/** A retry policy as stored on the job (every default filled in). */
export interface WireRetryPolicy {
  retries: number;
  wait_ms: number;
  backoff: RetryBackoff;
  max_wait_ms: number | null;
  until: string | null;
}

/** A repeat policy as stored on the job: `repeats` null repeats until `until`. */
export interface WireRepeatPolicy {
  repeats: number | null;
  wait_ms: number | null;
  schedule: string | null;
  until: string | null;
}

/** The scheduling fields of a create request, validated; times still as sent. */
export interface SchedulingRequest {
  priority?: number;
  /** `run_at` as a time, or `delay_ms` to add to the time of the create. */
  runAt?: Date;
  delayMs?: number;
  dependsOn?: string[];
  retry?: WireRetryPolicy;
  repeat?: WireRepeatPolicy;
}

/** How a job's dependencies stand: all SUCCEEDED, some still to finish, or one that never will. */
export type DependencyState =
  { state: 'ready' } | { state: 'pending' } | { state: 'blocked'; reason: string };

/** What a `fail` (or an expired lease) does to a job. */
export interface FailurePlan {
  status: 'RETRYING' | 'FAILED' | 'UNRECOVERABLE';
  /** When RETRYING: the earliest time of the next attempt. */
  runAt: Date | null;
}

/** A claim request, validated. */
export interface ClaimRequest {
  services: string[];
  limit: number;
  leaseMs: number;
  workerId: string;
  waitMs: number;
}

const invalidBody = (message: string) => new ModelError('invalid_body', message);

const isInteger = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

function refuseExtraFields(
  body: Record<string, unknown>,
  allowed: readonly string[],
  what: string,
) {
  const extra = Object.keys(body).filter((key) => !allowed.includes(key));
  if (extra.length > 0) throw invalidBody(`Unknown field(s) in ${what}: ${extra.join(', ')}`);
}

function requireTime(value: unknown, field: string): Date {
  const date = typeof value === 'string' ? parseJssDate(value) : undefined;
  if (date === undefined) throw invalidBody(`"${field}" must be a date and time with a zone`);
  return date;
}

function optionalWait(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (!isInteger(value, 0, MAX_WAIT_MS)) {
    throw invalidBody(`"${field}" must be an integer of 0..${MAX_WAIT_MS} milliseconds`);
  }
  return value;
}

const optionalUntil = (value: unknown, field: string): string | null =>
  value === undefined || value === null ? null : formatJssDate(requireTime(value, field));

/**
 * A priority as a number: an integer, or one of {@link PRIORITY_LEVELS}' names.
 *
 * @throws ModelError `invalid_body`
 */
export function normalizePriority(value: unknown): number {
  if (typeof value === 'string' && Object.hasOwn(PRIORITY_LEVELS, value)) {
    return PRIORITY_LEVELS[value as PriorityLevel];
  }
  if (isInteger(value, MIN_PRIORITY, MAX_PRIORITY)) return value;
  throw invalidBody(
    `"priority" must be an integer or one of ${Object.keys(PRIORITY_LEVELS).join(', ')}`,
  );
}

function parseRetry(value: unknown): WireRetryPolicy {
  if (!isJsonObject(value)) throw invalidBody('"retry" must be an object {retries, wait_ms?, ...}');
  refuseExtraFields(value, ['retries', 'wait_ms', 'backoff', 'max_wait_ms', 'until'], 'retry');
  const { retries, backoff = 'constant' } = value;
  if (!isInteger(retries, 0, MAX_RETRIES)) {
    throw invalidBody(`"retry.retries" is required: an integer of 0..${MAX_RETRIES}`);
  }
  if (backoff !== 'constant' && backoff !== 'exponential') {
    throw invalidBody('"retry.backoff" must be "constant" or "exponential"');
  }
  return {
    retries,
    wait_ms: optionalWait(value.wait_ms, 'retry.wait_ms') ?? DEFAULT_RETRY_WAIT_MS,
    backoff,
    max_wait_ms: optionalWait(value.max_wait_ms, 'retry.max_wait_ms'),
    until: optionalUntil(value.until, 'retry.until'),
  };
}

function parseRepeat(value: unknown): WireRepeatPolicy {
  if (!isJsonObject(value))
    throw invalidBody('"repeat" must be an object {repeats?, wait_ms | schedule, until?}');
  refuseExtraFields(value, ['repeats', 'wait_ms', 'schedule', 'until'], 'repeat');
  const repeats = value.repeats ?? null;
  if (repeats !== null && !isInteger(repeats, 0, MAX_RETRIES)) {
    throw invalidBody(
      `"repeat.repeats" must be an integer of 0..${MAX_RETRIES}, or null (no limit)`,
    );
  }
  const waitMs = optionalWait(value.wait_ms, 'repeat.wait_ms');
  const schedule = value.schedule ?? null;
  if (schedule !== null && typeof schedule !== 'string') {
    throw invalidBody('"repeat.schedule" must be a 5-field cron expression');
  }
  if ((waitMs === null) === (schedule === null)) {
    throw invalidBody('"repeat" needs exactly one of "wait_ms" and "schedule"');
  }
  if (schedule !== null) parseCron(schedule);
  return { repeats, wait_ms: waitMs, schedule, until: optionalUntil(value.until, 'repeat.until') };
}

/**
 * Validates the scheduling fields of a create body (`priority`, `run_at` or `delay_ms`,
 * `depends_on`, `retry`, `repeat`); other keys are left to the create body's own rules.
 *
 * @throws ModelError `invalid_body` naming the field and the rule
 */
export function parseSchedulingRequest(body: Record<string, unknown>): SchedulingRequest {
  const request: SchedulingRequest = {};
  if (body.priority !== undefined && body.priority !== null) {
    request.priority = normalizePriority(body.priority);
  }
  const hasRunAt = body.run_at !== undefined && body.run_at !== null;
  const hasDelay = body.delay_ms !== undefined && body.delay_ms !== null;
  if (hasRunAt && hasDelay) throw invalidBody('Give "run_at" or "delay_ms", not both');
  if (hasRunAt) request.runAt = requireTime(body.run_at, 'run_at');
  if (hasDelay) {
    if (!isInteger(body.delay_ms, 0, MAX_WAIT_MS)) {
      throw invalidBody(`"delay_ms" must be an integer of 0..${MAX_WAIT_MS}`);
    }
    request.delayMs = body.delay_ms;
  }
  if (body.depends_on !== undefined && body.depends_on !== null) {
    const ids = body.depends_on;
    if (
      !Array.isArray(ids) ||
      ids.length > MAX_DEPENDENCIES ||
      !ids.every((id) => typeof id === 'string' && id.length > 0)
    ) {
      throw invalidBody(`"depends_on" must be an array of at most ${MAX_DEPENDENCIES} job ids`);
    }
    request.dependsOn = [...new Set(ids as string[])];
  }
  if (body.retry !== undefined && body.retry !== null) request.retry = parseRetry(body.retry);
  if (body.repeat !== undefined && body.repeat !== null) request.repeat = parseRepeat(body.repeat);
  return request;
}

/**
 * The wire fields a new job gets from its scheduling request, made at `now`: `delay_ms` becomes
 * `run_at`. Only what the request sets is written (absent fields mean their defaults: priority 0,
 * no `run_at`, no dependencies, no retry, no repeat).
 */
export function schedulingFields(request: SchedulingRequest, now: Date): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (request.priority !== undefined) fields.priority = request.priority;
  if (request.runAt !== undefined) fields.run_at = formatJssDate(request.runAt);
  if (request.delayMs !== undefined) {
    fields.run_at = formatJssDate(new Date(now.getTime() + request.delayMs));
  }
  if (request.dependsOn !== undefined) fields.depends_on = [...request.dependsOn];
  if (request.retry !== undefined) fields.retry = { ...request.retry };
  if (request.repeat !== undefined) fields.repeat = { ...request.repeat };
  return fields;
}

/** A job's priority (0 when it has none). */
export function priorityOf(job: JobRecord): number {
  return typeof job.priority === 'number' ? job.priority : 0;
}

const timeOfField = (job: JobRecord, field: string): number | undefined => {
  const value = job[field];
  return typeof value === 'string' ? parseJssDate(value)?.getTime() : undefined;
};

/** The job ids a job waits for. */
export function dependenciesOf(job: JobRecord): string[] {
  return Array.isArray(job.depends_on)
    ? job.depends_on.filter((id): id is string => typeof id === 'string')
    : [];
}

const NEVER_SUCCEED: ReadonlySet<string> = new Set([
  'FAILED',
  'UNRECOVERABLE',
  'ABORTED',
  'BLOCKED',
]);

/**
 * How a job's dependencies stand, given the status of each (undefined for a job that does not
 * exist): ready when every one SUCCEEDED; blocked, with a reason naming the first culprit, when
 * one FAILED, is UNRECOVERABLE, ABORTED, BLOCKED itself or gone; pending otherwise.
 */
export function resolveDependencies(
  dependsOn: readonly string[],
  statusOf: (jobId: string) => string | undefined,
): DependencyState {
  let pending = false;
  for (const id of dependsOn) {
    const status = statusOf(id);
    if (status === undefined)
      return { state: 'blocked', reason: `Dependency ${id} does not exist` };
    if (NEVER_SUCCEED.has(status)) {
      return { state: 'blocked', reason: `Dependency ${id} is ${status}` };
    }
    if (status !== 'SUCCEEDED') pending = true;
  }
  return pending ? { state: 'pending' } : { state: 'ready' };
}

/**
 * The job after its dependencies changed: BLOCKED with `blocked_reason` when they are blocked;
 * back to WAITING when it was blocked by them and no longer is; otherwise unchanged (undefined).
 * Only a job waiting to run (WAITING, RETRYING) is blocked, and only one blocked by its
 * dependencies (`blocked_reason` set) is released.
 */
export function applyDependencyState<Job extends JobRecord>(
  job: Job,
  dependencies: DependencyState,
): Job | undefined {
  if (dependencies.state === 'blocked') {
    if (job.status !== 'WAITING' && job.status !== 'RETRYING') return undefined;
    return { ...job, status: 'BLOCKED', blocked_reason: dependencies.reason };
  }
  if (job.status === 'BLOCKED' && typeof job.blocked_reason === 'string') {
    return { ...job, status: 'WAITING', blocked_reason: null };
  }
  return undefined;
}

/**
 * Whether a job may be claimed now by a worker of `services`: WAITING or RETRYING, of one of the
 * services, its `run_at` passed (or none), every dependency SUCCEEDED.
 */
export function isClaimable(
  job: JobRecord,
  services: readonly string[],
  now: Date,
  statusOf: (jobId: string) => string | undefined,
): boolean {
  if (job.status !== 'WAITING' && job.status !== 'RETRYING') return false;
  if (typeof job.service !== 'string' || !services.includes(job.service)) return false;
  const runAt = timeOfField(job, 'run_at');
  if (runAt !== undefined && runAt > now.getTime()) return false;
  return resolveDependencies(dependenciesOf(job), statusOf).state === 'ready';
}

/**
 * The order of claims: higher priority first, then the oldest (`created`), then `job_id` by code
 * point, so that the order is total.
 */
export function compareClaimOrder(left: JobRecord, right: JobRecord): number {
  const byPriority = priorityOf(right) - priorityOf(left);
  if (byPriority !== 0) return byPriority;
  const byCreated = (timeOfField(left, 'created') ?? 0) - (timeOfField(right, 'created') ?? 0);
  if (byCreated !== 0) return byCreated;
  return compareCodePoints(left.job_id, right.job_id);
}

/** The job a claim hands to `workerId` at `now`: WORKING, one more attempt, leased. */
export function claimJob<Job extends JobRecord>(
  job: Job,
  request: { workerId: string; leaseMs: number },
  now: Date,
): Job {
  return {
    ...job,
    status: 'WORKING',
    attempts: attemptsOf(job) + 1,
    worker_id: request.workerId,
    lease_ms: request.leaseMs,
    lease_expires: formatJssDate(new Date(now.getTime() + request.leaseMs)),
  };
}

/** How many times the job has been claimed. */
export function attemptsOf(job: JobRecord): number {
  return typeof job.attempts === 'number' ? job.attempts : 0;
}

/** Whether the job is WORKING under a lease that has run out by `now`. */
export function isLeaseExpired(job: JobRecord, now: Date): boolean {
  if (job.status !== 'WORKING') return false;
  const expires = timeOfField(job, 'lease_expires');
  return expires !== undefined && expires <= now.getTime();
}

/**
 * Refuses a worker's report on a job it does not hold: not WORKING, leased to another worker,
 * or its lease already expired.
 *
 * @throws ModelError `not_claimed` (409)
 */
export function requireLease(job: JobRecord, workerId: string, now: Date): void {
  const why =
    job.status !== 'WORKING' || typeof job.lease_expires !== 'string'
      ? `it is ${job.status}, not claimed`
      : job.worker_id !== workerId
        ? 'it is claimed by another worker'
        : isLeaseExpired(job, now)
          ? `its lease expired at ${job.lease_expires}`
          : undefined;
  if (why !== undefined) {
    throw new ModelError(
      'not_claimed',
      `Job ${job.job_id} is not held by worker ${workerId}: ${why}`,
    );
  }
}

/** The job with its lease renewed from `now` for `leaseMs` (the job's own lease when absent). */
export function extendLease<Job extends JobRecord>(job: Job, now: Date, leaseMs?: number): Job {
  const ms = leaseMs ?? (typeof job.lease_ms === 'number' ? job.lease_ms : DEFAULT_LEASE_MS);
  return { ...job, lease_ms: ms, lease_expires: formatJssDate(new Date(now.getTime() + ms)) };
}

/**
 * The wait before retry number `attempt` (1 for the first retry): `wait_ms`, doubled for each
 * earlier retry when exponential, capped by `max_wait_ms`.
 */
export function retryDelayMs(policy: WireRetryPolicy, attempt: number): number {
  const factor = policy.backoff === 'exponential' ? 2 ** Math.max(0, attempt - 1) : 1;
  const delay = policy.wait_ms * factor;
  const capped = policy.max_wait_ms === null ? delay : Math.min(delay, policy.max_wait_ms);
  return Math.min(capped, MAX_WAIT_MS);
}

function retryPolicyOf(job: JobRecord): WireRetryPolicy | undefined {
  return isJsonObject(job.retry) ? (job.retry as unknown as WireRetryPolicy) : undefined;
}

/**
 * Where a failed attempt leads: UNRECOVERABLE when fatal; RETRYING at its next run time while
 * retries remain (a job that has been attempted n times has used n - 1 retries) and that time is
 * not past the policy's `until`; FAILED otherwise.
 */
export function planFailure(job: JobRecord, fatal: boolean, now: Date): FailurePlan {
  if (fatal) return { status: 'UNRECOVERABLE', runAt: null };
  const policy = retryPolicyOf(job);
  const attempts = Math.max(1, attemptsOf(job));
  if (policy === undefined || attempts > policy.retries) return { status: 'FAILED', runAt: null };
  const runAt = new Date(now.getTime() + retryDelayMs(policy, attempts));
  const until = policy.until === null ? undefined : parseJssDate(policy.until)?.getTime();
  if (until !== undefined && runAt.getTime() > until) return { status: 'FAILED', runAt: null };
  return { status: 'RETRYING', runAt };
}

const releaseLease = <Job extends JobRecord>(job: Job): Job => ({ ...job, lease_expires: null });

/** The job after a failed attempt with `error` (see {@link planFailure}). */
export function failJob<Job extends JobRecord>(
  job: Job,
  error: Record<string, unknown>,
  fatal: boolean,
  now: Date,
): Job {
  const plan = planFailure(job, fatal, now);
  const failed: Job = {
    ...releaseLease(job),
    status: plan.status,
    last_error: cloneJson(error),
  };
  if (plan.runAt !== null) (failed as JobRecord).run_at = formatJssDate(plan.runAt);
  return failed;
}

/** The job after its lease ran out: a failed attempt, like meteor's `workTimeout` autofail. */
export function expireLease<Job extends JobRecord>(job: Job, now: Date): Job {
  return failJob(job, { ...LEASE_EXPIRED_ERROR }, false, now);
}

/** The job after its worker completed it: SUCCEEDED, the result in `service_fields.result`. */
export function completeJob<Job extends JobRecord>(job: Job, result: unknown): Job {
  const serviceFields = isJsonObject(job.service_fields) ? { ...job.service_fields } : {};
  if (result !== undefined) serviceFields[RESULT_KEY] = cloneJson(result);
  return { ...releaseLease(job), status: 'SUCCEEDED', service_fields: serviceFields };
}

function repeatPolicyOf(job: JobRecord): WireRepeatPolicy | undefined {
  return isJsonObject(job.repeat) ? (job.repeat as unknown as WireRepeatPolicy) : undefined;
}

/** When the next run of a repeat policy is due after a run that succeeded at `now`, if ever. */
export function nextRepeatTime(policy: WireRepeatPolicy, now: Date): Date | undefined {
  if (policy.repeats !== null && policy.repeats <= 0) return undefined;
  const next =
    policy.schedule !== null
      ? nextCronTime(parseCron(policy.schedule), now)
      : new Date(now.getTime() + (policy.wait_ms ?? 0));
  if (next === undefined) return undefined;
  const until = policy.until === null ? undefined : parseJssDate(policy.until)?.getTime();
  return until !== undefined && next.getTime() > until ? undefined : next;
}

/**
 * The create body of the next run of a repeating job that succeeded at `now`, or undefined when
 * it does not repeat (no policy, repeats used up, or the next time past `until`). The next run is
 * a new job: the same description, its service fields without the result, one repeat fewer,
 * `run_at` the next time and `repeat_of` the run it repeats. Its id is the service's to make.
 */
export function nextRepeatRun(job: JobRecord, now: Date): Record<string, unknown> | undefined {
  const policy = repeatPolicyOf(job);
  if (policy === undefined) return undefined;
  const next = nextRepeatTime(policy, now);
  if (next === undefined) return undefined;
  const serviceFields = isJsonObject(job.service_fields) ? { ...job.service_fields } : {};
  delete serviceFields[RESULT_KEY];
  const run: Record<string, unknown> = {};
  for (const field of [
    'user',
    'job_name',
    'service',
    'origination_host',
    'parent_id',
    'priority',
    'retry',
  ]) {
    if (job[field] !== undefined) run[field] = cloneJson(job[field]);
  }
  return {
    ...run,
    status: 'WAITING',
    service_fields: cloneJson(serviceFields),
    run_at: formatJssDate(next),
    repeat: { ...policy, repeats: policy.repeats === null ? null : policy.repeats - 1 },
    repeat_of: job.job_id,
  };
}

// Request bodies of the worker endpoints.

function requireWorkerId(value: unknown): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > MAX_WORKER_ID_LENGTH ||
    !/^[\x21-\x7e]+$/.test(value)
  ) {
    throw invalidBody(
      `"worker_id" is required: 1..${MAX_WORKER_ID_LENGTH} visible ASCII characters`,
    );
  }
  return value;
}

function optionalLease(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isInteger(value, MIN_LEASE_MS, MAX_LEASE_MS)) {
    throw invalidBody(`"lease_ms" must be an integer of ${MIN_LEASE_MS}..${MAX_LEASE_MS}`);
  }
  return value;
}

const requireObject = (body: unknown, shape: string): Record<string, unknown> => {
  if (!isJsonObject(body)) throw invalidBody(`The body must be a JSON object ${shape}`);
  return body;
};

/**
 * `POST 1.0/job/claim {service, limit?, lease_ms?, worker_id, wait_ms?}`.
 *
 * @throws ModelError `invalid_body`
 */
export function parseClaimBody(body: unknown): ClaimRequest {
  const claim = requireObject(body, '{service, limit?, lease_ms?, worker_id, wait_ms?}');
  refuseExtraFields(claim, ['service', 'limit', 'lease_ms', 'worker_id', 'wait_ms'], 'claim');
  const service = claim.service;
  const services = typeof service === 'string' ? [service] : service;
  if (
    !Array.isArray(services) ||
    services.length === 0 ||
    services.length > MAX_CLAIM_SERVICES ||
    !services.every((name) => typeof name === 'string' && name.length > 0)
  ) {
    throw invalidBody(`"service" must be a service name or 1..${MAX_CLAIM_SERVICES} of them`);
  }
  const limit = claim.limit ?? 1;
  if (!isInteger(limit, 1, MAX_CLAIM_LIMIT)) {
    throw invalidBody(`"limit" must be an integer of 1..${MAX_CLAIM_LIMIT}`);
  }
  const waitMs = claim.wait_ms ?? 0;
  if (!isInteger(waitMs, 0, MAX_CLAIM_WAIT_MS)) {
    throw invalidBody(`"wait_ms" must be an integer of 0..${MAX_CLAIM_WAIT_MS}`);
  }
  return {
    services: [...new Set(services as string[])],
    limit,
    leaseMs: optionalLease(claim.lease_ms) ?? DEFAULT_LEASE_MS,
    workerId: requireWorkerId(claim.worker_id),
    waitMs,
  };
}

/** `POST 1.0/job/{jobId}/heartbeat {worker_id, lease_ms?}`. @throws ModelError `invalid_body` */
export function parseHeartbeatBody(body: unknown): { workerId: string; leaseMs?: number } {
  const heartbeat = requireObject(body, '{worker_id, lease_ms?}');
  refuseExtraFields(heartbeat, ['worker_id', 'lease_ms'], 'heartbeat');
  const leaseMs = optionalLease(heartbeat.lease_ms);
  const workerId = requireWorkerId(heartbeat.worker_id);
  return leaseMs === undefined ? { workerId } : { workerId, leaseMs };
}

/** `POST 1.0/job/{jobId}/complete {worker_id, result?}`. @throws ModelError `invalid_body` */
export function parseCompleteBody(body: unknown): { workerId: string; result?: unknown } {
  const complete = requireObject(body, '{worker_id, result?}');
  refuseExtraFields(complete, ['worker_id', 'result'], 'complete');
  const workerId = requireWorkerId(complete.worker_id);
  return complete.result === undefined ? { workerId } : { workerId, result: complete.result };
}

/** One item of a batched complete. */
export interface CompleteItem {
  jobId: string;
  result?: unknown;
}

/** How a batched complete went for one of its jobs (`results[i]` of the answer). */
export type CompleteItemResult =
  | { job_id: string; completed: true }
  | { job_id: string; completed: false; code: string; error: string };

/**
 * `POST 1.0/job/complete {worker_id, jobs: [{job_id, result?}, ...]}`: 1..100 jobs, each named
 * once. Each job is completed as `POST 1.0/job/{jobId}/complete` would, on its own: one the
 * worker does not hold leaves the others alone (its item says why).
 *
 * @throws ModelError `invalid_body`
 */
export function parseCompleteBatchBody(body: unknown): { workerId: string; jobs: CompleteItem[] } {
  const batch = requireObject(body, '{worker_id, jobs: [{job_id, result?}, ...]}');
  refuseExtraFields(batch, ['worker_id', 'jobs'], 'complete');
  const workerId = requireWorkerId(batch.worker_id);
  const items = batch.jobs;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_COMPLETE_BATCH) {
    throw invalidBody(`"jobs" must be an array of 1..${MAX_COMPLETE_BATCH} {job_id, result?}`);
  }
  const seen = new Set<string>();
  const jobs = items.map((item: unknown, index): CompleteItem => {
    const at = `jobs[${index}]`;
    if (!isJsonObject(item)) throw invalidBody(`"${at}" must be an object {job_id, result?}`);
    refuseExtraFields(item, ['job_id', 'result'], at);
    const jobId = item.job_id;
    // An id no job can have is simply not found: its item says so, as for any other.
    if (typeof jobId !== 'string' || jobId.length === 0) {
      throw invalidBody(`"${at}.job_id" must be a non-empty string`);
    }
    if (seen.has(jobId)) throw invalidBody(`"${at}.job_id" repeats ${JSON.stringify(jobId)}`);
    seen.add(jobId);
    return item.result === undefined ? { jobId } : { jobId, result: item.result };
  });
  return { workerId, jobs };
}

/**
 * `POST 1.0/job/{jobId}/fail {worker_id, error: {message, ...}, fatal?}`.
 *
 * @throws ModelError `invalid_body`
 */
export function parseFailBody(body: unknown): {
  workerId: string;
  error: Record<string, unknown>;
  fatal: boolean;
} {
  const fail = requireObject(body, '{worker_id, error: {message, ...}, fatal?}');
  refuseExtraFields(fail, ['worker_id', 'error', 'fatal'], 'fail');
  const error = fail.error;
  if (
    !isJsonObject(error) ||
    typeof error.message !== 'string' ||
    error.message.length === 0 ||
    error.message.length > MAX_ERROR_MESSAGE_LENGTH
  ) {
    throw invalidBody(
      `"error" must be an object whose "message" is a string of 1..${MAX_ERROR_MESSAGE_LENGTH} characters`,
    );
  }
  const fatal = fail.fatal ?? false;
  if (typeof fatal !== 'boolean') throw invalidBody('"fatal" must be a boolean');
  return { workerId: requireWorkerId(fail.worker_id), error, fatal };
}
