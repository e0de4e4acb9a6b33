import * as z from 'zod/mini';
import type { ValidationIssue } from './issues';
import { collectJsonIssues, isPlainObject } from './json-value';

/**
 * The fields a job's service owns: any JSON object. Dates are allowed and sent as ISO strings; on
 * the way back they are strings again (JSON has no dates).
 */
export type ServiceFields = Record<string, unknown>;

/**
 * The `serviceFields` of a new job or an update: a plain JSON object, checked to its leaves (see
 * `collectJsonIssues`). Nested one level below the argument, so depth starts at 1.
 */
export const serviceFieldsInputSchema = z
  .custom<ServiceFields>(isPlainObject, { error: 'must be a plain JSON object (not an array)' })
  .check(
    z.superRefine((value, context) => {
      const issues: ValidationIssue[] = [];
      collectJsonIssues(value, [], issues, 1);
      for (const issue of issues) {
        context.addIssue({
          code: 'custom',
          message: issue.message,
          path: issue.path,
          input: value,
        });
      }
    }),
  );
