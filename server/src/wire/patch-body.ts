import { checkPatchSize, checkPathLength, isForbiddenKey } from '#protocol';
import { ApiError, badBody } from '../http/api-error';
import { SERVICE_FIELDS_PREFIX, splitFieldPath } from './field-path';
import { isJsonObject, isStringArray, isStringOrNull } from './json-types';
import { withApiErrors } from './model-errors';
import { STATUS_PATTERN } from './statuses';

/** The top-level fields a PATCH may set directly. */
export type PatchableColumn =
  'job_name' | 'current_host' | 'current_stage' | 'status' | 'child_ids';

/**
 * A validated PATCH: column values, and `$set` paths inside `service_fields` in the body's order
 * (a later key sets inside, or over, what an earlier one set).
 */
export interface JobPatch {
  columns: Partial<Record<PatchableColumn, string | string[] | null>>;
  paths: { path: string[]; value: unknown }[];
}

const NULLABLE_STRING_COLUMNS = new Set(['job_name', 'current_host', 'current_stage']);

/** Validates the body of `PATCH 1.0/job/{jobId}` (docs/protocol.md, "Patch semantics"). */
export function parsePatchBody(body: unknown): JobPatch {
  if (!isJsonObject(body)) throw badBody('The body must be a JSON object of fields to set');
  withApiErrors(() => checkPatchSize(body));
  const patch: JobPatch = { columns: {}, paths: [] };
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith(SERVICE_FIELDS_PREFIX)) {
      const path = splitFieldPath(key.slice(SERVICE_FIELDS_PREFIX.length));
      withApiErrors(() => checkPathLength(path));
      // Harmless in SQL, but they would reach a prototype in JavaScript that handles the same job.
      const forbidden = path.find(isForbiddenKey);
      if (forbidden) throw badBody(`The path segment "${forbidden}" is not allowed`);
      patch.paths.push({ path, value });
    } else if (NULLABLE_STRING_COLUMNS.has(key)) {
      if (!isStringOrNull(value)) throw badBody(`"${key}" must be a string or null`);
      patch.columns[key as PatchableColumn] = value;
    } else if (key === 'status') {
      if (typeof value !== 'string' || !STATUS_PATTERN.test(value)) {
        throw new ApiError(
          400,
          'invalid_status',
          `Invalid status ${JSON.stringify(value)}: use [A-Z_]+`,
        );
      }
      patch.columns.status = value;
    } else if (key === 'child_ids') {
      if (value !== null && !isStringArray(value)) {
        throw badBody('"child_ids" must be an array of strings or null');
      }
      patch.columns.child_ids = value;
    } else {
      throw new ApiError(
        400,
        'field_not_updatable',
        `Field ${JSON.stringify(key)} cannot be updated: only job_name, child_ids, current_host, current_stage, status and service_fields.<path>`,
      );
    }
  }
  return patch;
}
