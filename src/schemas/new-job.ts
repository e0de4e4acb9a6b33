import * as z from 'zod/mini';
import { MAX_BATCH_JOBS } from '../internal/model/create-body';
import type { KnownJobStatus } from '../internal/model/statuses';
import type { AssertTrue, IsSameType } from './issues';
import type { JobDescription } from './job';
import { jobIdSchema } from './job-id';
import {
  serviceFieldsInputSchema,
  type ServiceFields,
  type ServiceFieldsShape,
} from './service-fields';
import { jobStatusInputSchema } from './status';

/** A job to create: `user` is required, everything else optional. */
export interface NewJob<F extends ServiceFieldsShape = ServiceFields> extends JobDescription {
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
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? 'is not a field of a new job' : undefined,
  },
);

type _NewJobIsTheSchemaInput = AssertTrue<IsSameType<NewJob, z.input<typeof newJobSchema>>>;

/** What `createJobs` accepts: 1..1000 new jobs (the server's batch limit). */
export const newJobsSchema = z
  .array(newJobSchema)
  .check(z.minLength(1), z.maxLength(MAX_BATCH_JOBS));
