import {
  checkPatchSize,
  checkUpdatableField,
  isJsonObject,
  SERVICE_FIELDS_PREFIX,
  serviceFieldPath,
} from '#protocol';
import { badBody } from '../http/api-error';
import { withApiErrors } from './model-errors';

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

/**
 * Validates the body of `PATCH 1.0/job/{jobId}` (docs/protocol.md, "Patch semantics") with the
 * protocol's rules, the ones the testing kit applies.
 */
export function parsePatchBody(body: unknown): JobPatch {
  if (!isJsonObject(body)) throw badBody('The body must be a JSON object of fields to set');
  return withApiErrors(() => {
    checkPatchSize(body);
    const patch: JobPatch = { columns: {}, paths: [] };
    for (const [key, value] of Object.entries(body)) {
      if (key.startsWith(SERVICE_FIELDS_PREFIX)) {
        patch.paths.push({ path: serviceFieldPath(key), value });
      } else {
        checkUpdatableField(key, value);
        patch.columns[key as PatchableColumn] = value as string | string[] | null;
      }
    }
    return patch;
  });
}
