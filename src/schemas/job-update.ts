import * as z from 'zod/mini';
import type { KnownJobStatus } from '#protocol/statuses';
import type { AssertTrue, IsSameType } from './issues';
import { childIdsSchema, optionalTextSchema } from './new-job';
import {
  serviceFieldsInputSchema,
  type ServiceFields,
  type ServiceFieldsShape,
  type ServiceFieldsUpdate,
} from './service-fields';
import { UPDATABLE_FIELDS } from './names';
import { jobStatusInputSchema } from './status';

export { UPDATABLE_FIELDS };

/** The fields to change on a job whose service fields have shape `F`. */
export interface JobUpdate<F extends ServiceFieldsShape = ServiceFields> {
  jobName?: string | null | undefined;
  childIds?: string[] | null | undefined;
  /**
   * The service fields to set (see `updateJob` for patch and replace). `null` sets nothing, as
   * with the legacy client: the service fields as a whole are never overwritten.
   */
  serviceFields?: ServiceFieldsUpdate<F> | null | undefined;
  currentHost?: string | null | undefined;
  currentStage?: string | null | undefined;
  status?: KnownJobStatus | undefined;
}

const updatableFields = UPDATABLE_FIELDS.join(', ');

/** What `updateJob` accepts: updatable fields only, at least one of them. */
export const jobUpdateSchema = z
  .strictObject(
    {
      jobName: optionalTextSchema,
      childIds: childIdsSchema,
      serviceFields: z.optional(z.nullable(serviceFieldsInputSchema)),
      currentHost: optionalTextSchema,
      currentStage: optionalTextSchema,
      status: z.optional(jobStatusInputSchema),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `is not updatable (updatable fields: ${updatableFields})`
          : undefined,
    },
  )
  .check(
    z.refine((update) => Object.values(update).some((value) => value !== undefined), {
      error: `must set at least one of ${updatableFields}`,
      // Only for an update that is otherwise fine: a misspelt field already says what is wrong.
      when: (payload) => payload.issues.length === 0,
    }),
  );

type _JobUpdateIsTheSchemaInput = AssertTrue<
  IsSameType<JobUpdate, z.input<typeof jobUpdateSchema>>
>;
