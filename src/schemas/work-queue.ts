import * as z from 'zod/mini';
import {
  MAX_CLAIM_LIMIT,
  MAX_CLAIM_SERVICES,
  MAX_CLAIM_WAIT_MS,
  MAX_CRON_LENGTH,
  MAX_DEPENDENCIES,
  MAX_ERROR_MESSAGE_LENGTH,
  MAX_LEASE_MS,
  MAX_PRIORITY,
  MAX_RETRIES,
  MAX_WAIT_MS,
  MAX_WORKER_ID_LENGTH,
  MIN_LEASE_MS,
  MIN_PRIORITY,
  type PriorityLevel,
} from '#protocol/work-queue-limits';
import type { AssertTrue, IsSameType } from './issues';
import type { Job, WorkQueueFields } from './job';
import { jobIdSchema } from './job-id';
import { jsonDataSchema } from './json-value';

// The work queue's shapes in the SDK (docs/protocol.md, "Work queue"): camelCase here, snake_case
// on the wire. The bounds are the model's, so the SDK refuses what the service would.

/** A priority: a named level or an integer; higher is claimed first (`normal` is 0). */
export type JobPriority = PriorityLevel | number;

/** How a failed job is retried. */
export interface RetryPolicy {
  /** How many times to retry after the first attempt (0 = never). */
  retries: number;
  /**
   * The wait before the first retry, in milliseconds.
   * @default 300000
   */
  waitMs?: number | undefined;
  /**
   * `exponential` doubles the wait for every further retry.
   * @default 'constant'
   */
  backoff?: 'constant' | 'exponential' | undefined;
  /** The longest wait between retries (no cap when absent). */
  maxWaitMs?: number | undefined;
  /** No retry is scheduled after this time. */
  until?: Date | undefined;
}

/** How a job that succeeded runs again: after `waitMs`, or at the next time of a cron `schedule`. */
export interface RepeatPolicy {
  /** How many more runs (no limit but `until` when absent). */
  repeats?: number | undefined;
  /** Milliseconds between the end of a run and the next run. Give this or `schedule`. */
  waitMs?: number | undefined;
  /** A 5-field cron expression in UTC (`m h dom mon dow`), e.g. `'0 3 * * *'`. */
  schedule?: string | undefined;
  /** No run is scheduled after this time. */
  until?: Date | undefined;
}

/** The scheduling fields of a new job, for the work queue. */
export interface JobScheduling {
  /**
   * @default 'normal' (0)
   * @example { priority: 'high' }
   */
  priority?: JobPriority | undefined;
  /** Not claimable before this time. Give this or `delayMs`. */
  runAt?: Date | undefined;
  /** Not claimable before this many milliseconds after its creation. */
  delayMs?: number | undefined;
  /** Job ids that must all succeed first; if one fails or is aborted this job becomes BLOCKED. */
  dependsOn?: string[] | undefined;
  retry?: RetryPolicy | undefined;
  repeat?: RepeatPolicy | undefined;
}

/** A job handed to a worker by `claimJobs`. */
export type ClaimedJob = Job &
  WorkQueueFields & { attempts: number; workerId: string; leaseExpires: Date };

const intIn = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));
const waitSchema = intIn(0, MAX_WAIT_MS);

const retryPolicySchema = z.strictObject({
  retries: intIn(0, MAX_RETRIES),
  waitMs: z.optional(waitSchema),
  backoff: z.optional(z.enum(['constant', 'exponential'])),
  maxWaitMs: z.optional(waitSchema),
  until: z.optional(z.date()),
});

const repeatPolicySchema = z
  .strictObject({
    repeats: z.optional(intIn(0, MAX_RETRIES)),
    waitMs: z.optional(waitSchema),
    schedule: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_CRON_LENGTH))),
    until: z.optional(z.date()),
  })
  .check(
    z.refine((policy) => (policy.waitMs === undefined) !== (policy.schedule === undefined), {
      error: 'needs exactly one of waitMs and schedule',
    }),
  );

/** The scheduling fields of `createJob`, merged into its schema. */
export const jobSchedulingShape = {
  priority: z.optional(
    z.union([
      z.enum(['low', 'normal', 'medium', 'high', 'critical']),
      intIn(MIN_PRIORITY, MAX_PRIORITY),
    ]),
  ),
  runAt: z.optional(z.date()),
  delayMs: z.optional(waitSchema),
  dependsOn: z.optional(z.array(jobIdSchema).check(z.maxLength(MAX_DEPENDENCIES))),
  retry: z.optional(retryPolicySchema),
  repeat: z.optional(repeatPolicySchema),
};

type _SchedulingIsTheShape = AssertTrue<
  IsSameType<JobScheduling, z.input<z.ZodMiniObject<typeof jobSchedulingShape>>>
>;

/** The scheduling fields of a new job (the rest of it is checked by `newJobSchema`). */
export const jobSchedulingSchema = z.object(jobSchedulingShape).check(
  z.refine((job) => job.runAt === undefined || job.delayMs === undefined, {
    error: 'give runAt or delayMs, not both',
    path: ['delayMs'],
  }),
);

const workerIdSchema = z
  .string()
  .check(z.minLength(1), z.maxLength(MAX_WORKER_ID_LENGTH), z.regex(/^[\x21-\x7e]+$/));
const leaseSchema = intIn(MIN_LEASE_MS, MAX_LEASE_MS);
const serviceNameSchema = z.string().check(z.minLength(1));

/** Options of `claimJobs`. */
export interface ClaimJobsOptions {
  /** The service (or services) whose jobs to claim. */
  service: string | string[];
  /**
   * At most this many jobs (1..100).
   * @default 1
   */
  limit?: number | undefined;
  /**
   * How long each job is held without a heartbeat (1 000..3 600 000 ms).
   * @default 30000
   */
  leaseMs?: number | undefined;
  /**
   * The worker's id (1..128 visible ASCII characters); its heartbeats, completions and failures
   * must give the same.
   * @default the client's own worker id (`client.workerId`)
   */
  workerId?: string | undefined;
  /**
   * When nothing is claimable, how long the service may hold the request open until something
   * is (0..30 000 ms): a long poll, which the service ends early as soon as work arrives.
   * @default 0
   */
  waitMs?: number | undefined;
}

export const claimJobsOptionsSchema = z.strictObject({
  service: z.union([
    serviceNameSchema,
    z.array(serviceNameSchema).check(z.minLength(1), z.maxLength(MAX_CLAIM_SERVICES)),
  ]),
  limit: z.optional(intIn(1, MAX_CLAIM_LIMIT)),
  leaseMs: z.optional(leaseSchema),
  workerId: z.optional(workerIdSchema),
  waitMs: z.optional(intIn(0, MAX_CLAIM_WAIT_MS)),
});

type _ClaimOptionsAreTheSchemaInput = AssertTrue<
  IsSameType<ClaimJobsOptions, z.input<typeof claimJobsOptionsSchema>>
>;

/** Options of `heartbeat`, `completeJob` and `failJob`: whose lease it is. */
export interface WorkerCallOptions {
  /**
   * @default the client's own worker id (`client.workerId`)
   */
  workerId?: string | undefined;
}

/** Options of `heartbeat`. */
export interface HeartbeatOptions extends WorkerCallOptions {
  /**
   * The lease's new length from now (1 000..3 600 000 ms).
   * @default the length given when the job was claimed
   */
  leaseMs?: number | undefined;
}

/** Options of `failJob`. */
export interface FailJobOptions extends WorkerCallOptions {
  /**
   * No retry: the job becomes UNRECOVERABLE.
   * @default false
   */
  fatal?: boolean | undefined;
}

export const heartbeatOptionsSchema = z.object({
  workerId: z.optional(workerIdSchema),
  leaseMs: z.optional(leaseSchema),
});

export const failJobOptionsSchema = z.object({
  workerId: z.optional(workerIdSchema),
  fatal: z.optional(z.boolean()),
});

/** What `failJob` records: an Error, a message, or an object with a `message`. */
export type JobFailure = Error | string | { message: string; [key: string]: unknown };

/** A failure as the wire takes it: `{message, ...}` as JSON. */
export const failureSchema = z.looseObject({
  message: z.string().check(z.minLength(1), z.maxLength(MAX_ERROR_MESSAGE_LENGTH)),
});

/** Any JSON value, for a job's result. */
export const resultSchema = jsonDataSchema;

/** Options of `processJobs`. */
export interface ProcessJobsOptions {
  /**
   * How many jobs the handler runs at once (1..1000).
   * @default 1
   */
  concurrency?: number | undefined;
  /**
   * How many jobs to claim beyond `concurrency`, held (and kept leased) until a slot is free, to
   * hide the latency of claiming (0..1000).
   * @default 0
   */
  prefetch?: number | undefined;
  /**
   * The lease of each claimed job; heartbeats renew it every third of it.
   * @default 30000
   */
  leaseMs?: number | undefined;
  /**
   * The longest an idle processor goes between claims. Each claim is a long poll of up to this
   * long (at most 30 000 ms), which the service ends as soon as work arrives; against a service
   * that answers at once, the processor waits out the rest of the interval itself.
   * @default 5000
   */
  pollIntervalMs?: number | undefined;
  /**
   * Stops the processor, gracefully, when aborted.
   * @example { signal: AbortSignal.timeout(60_000) }
   */
  signal?: AbortSignal | undefined;
  /**
   * The id the processor claims under.
   * @default a fresh random id per processor
   */
  workerId?: string | undefined;
}
