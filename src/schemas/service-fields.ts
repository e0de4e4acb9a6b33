import * as z from 'zod/mini';
import { isPlainObject, refineJsonData } from './json-value';

/**
 * The fields a job's service owns: any JSON object. Dates are allowed and sent as ISO strings; on
 * the way back they are strings again (JSON has no dates).
 */
export type ServiceFields = Record<string, unknown>;

/**
 * The shape of a client's service fields: `ServiceFields` (any JSON object) unless the caller
 * names one (`new JobStatusClient<MyFields>(...)`). An interface works as well as a type alias.
 */
export type ServiceFieldsShape = object;

/**
 * What an update may send of service fields of shape `F`: any subset of its leaves (a patch
 * changes only the leaves given; a replace, only the top-level properties given).
 */
export type ServiceFieldsUpdate<F extends ServiceFieldsShape = ServiceFields> =
  ServiceFields extends F ? ServiceFields : DeepPartial<F>;

/** `F` with every property optional, at every depth of plain objects. */
export type DeepPartial<F> = {
  [K in keyof F]?: F[K] extends readonly unknown[] | Date | ((...args: never[]) => unknown)
    ? F[K]
    : F[K] extends object
      ? DeepPartial<F[K]>
      : F[K];
};

/**
 * The `serviceFields` of a new job or an update: a plain JSON object, checked to its leaves by
 * `collectJsonIssues` (once, inside the parse). The leaves are only read: the parse returns the
 * object as given.
 */
export const serviceFieldsInputSchema = z
  .custom<ServiceFields>(isPlainObject, {
    error: 'must be a plain JSON object (not an array)',
    abort: true,
  })
  .check(z.superRefine(refineJsonData));
