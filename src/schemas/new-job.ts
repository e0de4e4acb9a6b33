import * as z from 'zod/mini';
import { MAX_BATCH_JOBS } from '#protocol/create-body';
import type { KnownJobStatus } from '#protocol/statuses';
import type { AssertTrue, IsSameType } from './issues';
import type { JobDescription } from './job';
import { jobIdSchema } from './job-id';
import {
  serviceFieldsInputSchema,
  type ServiceFields,
  type ServiceFieldsShape,
} from './service-fields';
import { jobStatusInputSchema } from './status';
import type { JobScheduling } from './work-queue';

/**
 * A job to create: `user` is required, everything else optional. The scheduling fields are for
 * the work queue (a job with a `service` is claimable by its workers).
 */
export interface NewJob<F extends ServiceFieldsShape = ServiceFields>
  extends JobDescription, JobScheduling {
  /** The job's owner. */
  user: string;
  /** Fixed by the SDK (32 hex characters) when absent, so that a retried create is recognised. */
  jobId?: string | undefined;
  /** Defaults to `WAITING` on the server. */
  status?: KnownJobStatus | undefined;
  serviceFields?: F | null | undefined;
}

/** An optional string or null. */
export const optionalTextSchema = z.optional(z.nullable(z.string()));
/** Optional child job ids or null. */
export const childIdsSchema = z.optional(z.nullable(z.array(z.string())));

/**
 * What `createJob` accepts. `created` and `modified` are set by the server and refused here, as is
 * any field the protocol does not define (a typo would otherwise be silently stored nowhere).
 */
export const newJobSchema = z.strictObject(
  {
    user: z.string().check(z.minLength(1)),
    jobId: z.optional(jobIdSchema),
    status: z.optional(jobStatusInputSchema),
    jobName: optionalTextSchema,
    service: optionalTextSchema,
    currentHost: optionalTextSchema,
    currentStage: optionalTextSchema,
    originationHost: optionalTextSchema,
    parentId: optionalTextSchema,
    childIds: childIdsSchema,
    updateParent: z.optional(z.nullable(z.boolean())),
    serviceFields: z.optional(z.nullable(serviceFieldsInputSchema)),
    // The work queue's fields are checked by src/workers (loaded when a job has one), so that an
    // app that never schedules jobs does not ship their schemas.
    priority: z.optional(z.unknown()),
    runAt: z.optional(z.unknown()),
    delayMs: z.optional(z.unknown()),
    dependsOn: z.optional(z.unknown()),
    retry: z.optional(z.unknown()),
    repeat: z.optional(z.unknown()),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? 'is not a field of a new job' : undefined,
  },
);

/** The scheduling fields of a new job, whose schema (src/schemas/work-queue.ts) is loaded lazily. */
export const SCHEDULING_KEYS = [
  'priority',
  'runAt',
  'delayMs',
  'dependsOn',
  'retry',
  'repeat',
] as const satisfies readonly (keyof JobScheduling)[];

type _NewJobIsTheSchemaInput = AssertTrue<
  IsSameType<
    Omit<NewJob, keyof JobScheduling>,
    Omit<z.input<typeof newJobSchema>, keyof JobScheduling>
  >
>;

/** What `createJobs` accepts: 1..1000 new jobs (the server's batch limit). */
export const newJobsSchema = z
  .array(newJobSchema)
  .check(z.minLength(1), z.maxLength(MAX_BATCH_JOBS));
