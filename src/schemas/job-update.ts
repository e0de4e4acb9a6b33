import * as z from 'zod/mini';
import { serviceFieldsInputSchema } from './service-fields';
import { jobStatusInputSchema } from './status';

/** The only fields an update may change (the contract's list). */
export const UPDATABLE_FIELDS = [
  'jobName',
  'childIds',
  'serviceFields',
  'currentHost',
  'currentStage',
  'status',
] as const;

const optionalText = z.optional(z.nullable(z.string()));

/** What `updateJob` accepts: updatable fields only, at least one of them. */
export const jobUpdateSchema = z
  .strictObject(
    {
      jobName: optionalText,
      childIds: z.optional(z.nullable(z.array(z.string()))),
      serviceFields: z.optional(serviceFieldsInputSchema),
      currentHost: optionalText,
      currentStage: optionalText,
      status: z.optional(jobStatusInputSchema),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `is not updatable (updatable fields: ${UPDATABLE_FIELDS.join(', ')})`
          : undefined,
    },
  )
  .check(
    z.refine((update) => Object.values(update).some((value) => value !== undefined), {
      error: `must set at least one of ${UPDATABLE_FIELDS.join(', ')}`,
    }),
  );

/** The fields to change on a job. */
export type JobUpdate = z.input<typeof jobUpdateSchema>;
