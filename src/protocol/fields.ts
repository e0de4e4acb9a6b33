import { splitDottedPath } from './dotted-path';
import { isIndexSegment, isJsonObject } from './json';
import type { JobRecord } from './types';

/** The prefix of a key that addresses a path inside `service_fields`. */
export const SERVICE_FIELDS_PREFIX = 'service_fields.';

/** Fields stored as times: filters and sorting compare them as instants, not as text. */
export const TIME_FIELDS: ReadonlySet<string> = new Set(['created', 'modified']);

/**
 * The value a filter or sort key names on a job, undefined when missing: a top-level field, or
 * `service_fields.<path>` walked segment by segment (a numeric segment indexes an array; there
 * is no implicit search through arrays, as with PostgreSQL's `#>`).
 */
export function readField(job: JobRecord, key: string): unknown {
  if (!key.startsWith(SERVICE_FIELDS_PREFIX)) return Object.hasOwn(job, key) ? job[key] : undefined;
  let current: unknown = job.service_fields;
  for (const segment of splitDottedPath(key.slice(SERVICE_FIELDS_PREFIX.length))) {
    if (Array.isArray(current)) {
      current = isIndexSegment(segment) ? current[Number(segment)] : undefined;
    } else if (isJsonObject(current)) {
      current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    } else {
      return undefined;
    }
  }
  return current;
}
