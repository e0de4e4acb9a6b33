import * as z from 'zod/mini';
import { jobIdSchema } from './job-id';
import { serviceFieldsInputSchema } from './service-fields';
import { jobStatusInputSchema } from './status';

const optionalText = z.optional(z.nullable(z.string()));

/**
 * What `createJob` accepts. `created` and `modified` are set by the server and refused here, as is
 * any field the protocol does not define (a typo would otherwise be silently stored nowhere).
 */
export const newJobSchema = z.strictObject(
  {
    /** The job's owner. */
    user: z.string().check(z.minLength(1)),
    /** Fixed by the SDK (32 hex characters) when absent, so that a retried create is recognised. */
    jobId: z.optional(jobIdSchema),
    /** Defaults to `WAITING` on the server. */
    status: z.optional(jobStatusInputSchema),
    jobName: optionalText,
    service: optionalText,
    currentHost: optionalText,
    currentStage: optionalText,
    originationHost: optionalText,
    parentId: optionalText,
    childIds: z.optional(z.nullable(z.array(z.string()))),
    /** Advance this (parent) job when all of its children have ended. */
    updateParent: z.optional(z.nullable(z.boolean())),
    serviceFields: z.optional(z.nullable(serviceFieldsInputSchema)),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? 'is not a field of a new job (created and modified are set by the server)'
        : undefined,
  },
);

/** A job to create: `user` is required, everything else optional. */
export type NewJob = z.input<typeof newJobSchema>;
