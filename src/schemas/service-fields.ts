import * as z from 'zod/mini';
import { isPlainObject, refineJsonData } from './json-value';

/**
 * The fields a job's service owns: any JSON object. Dates are allowed and sent as ISO strings; on
 * the way back they are strings again (JSON has no dates).
 */
export type ServiceFields = Record<string, unknown>;

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
