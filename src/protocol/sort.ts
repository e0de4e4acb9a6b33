import { readField, TIME_FIELDS } from './fields';
import { compareCodePoints, timeOf } from './order';
import type { JobRecord } from './types';

/** One sort key: a wire field name and its direction (1 ascending, -1 descending). */
export interface SortKey {
  field: string;
  direction: 1 | -1;
}

/** The order of a query without `sort`, and the order cursors continue in. */
export const DEFAULT_SORT: readonly SortKey[] = [
  { field: 'created', direction: 1 },
  { field: 'job_id', direction: 1 },
];

const TYPE_RANK: Readonly<Record<string, number>> = { boolean: 0, number: 1, string: 2, object: 3 };

/**
 * Ascending order of two field values. Null and missing sort after everything, as in
 * PostgreSQL (`NULLS LAST` ascending, first descending); times compare as instants and strings
 * by code point (`COLLATE "C"`).
 */
function compareValues(field: string, left: unknown, right: unknown): number {
  const a = TIME_FIELDS.has(field) ? timeOf(left) : left;
  const b = TIME_FIELDS.has(field) ? timeOf(right) : right;
  const aMissing = a === undefined || a === null;
  const bMissing = b === undefined || b === null;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const rankDifference = (TYPE_RANK[typeof a] ?? 4) - (TYPE_RANK[typeof b] ?? 4);
  return rankDifference !== 0
    ? rankDifference
    : compareCodePoints(JSON.stringify(a), JSON.stringify(b));
}

/**
 * A comparator for `Array.prototype.sort` in the given order (the default order when `sort` is
 * empty), always ending with `job_id` ascending unless `sort` names it, so that the order is total.
 */
export function compareJobs(
  sort: readonly SortKey[],
): (left: JobRecord, right: JobRecord) => number {
  const keys = sort.length > 0 ? [...sort] : [...DEFAULT_SORT];
  if (!keys.some((key) => key.field === 'job_id')) keys.push({ field: 'job_id', direction: 1 });
  return (left, right) => {
    for (const { field, direction } of keys) {
      const order = compareValues(field, readField(left, field), readField(right, field));
      if (order !== 0) return order * direction;
    }
    return 0;
  };
}
