import { readField, TIME_FIELDS } from './fields';
import { isOperatorCondition } from './filter-validate';
import { isJsonObject, jsonEqual } from './json';
import { compareCodePoints, timeOf } from './order';
import type { JobRecord } from './types';

/** Equality as a literal or `$eq` means it: null matches missing; child_ids matches a member. */
function equals(field: string, value: unknown, operand: unknown): boolean {
  if (operand === null) return value === undefined || value === null;
  if (TIME_FIELDS.has(field)) {
    const time = timeOf(value);
    return time !== undefined && time === timeOf(operand);
  }
  if (
    field === 'child_ids' &&
    Array.isArray(value) &&
    !Array.isArray(operand) &&
    !isJsonObject(operand)
  ) {
    return value.some((element: unknown) => jsonEqual(element, operand));
  }
  return jsonEqual(value, operand);
}

/** The sign of `value` against `operand`, or undefined when they are not of one comparable type. */
function compare(field: string, value: unknown, operand: unknown): number | undefined {
  if (TIME_FIELDS.has(field)) {
    const left = timeOf(value);
    const right = timeOf(operand);
    return left === undefined || right === undefined ? undefined : Math.sign(left - right);
  }
  if (typeof value === 'number' && typeof operand === 'number') return Math.sign(value - operand);
  if (typeof value === 'string' && typeof operand === 'string') {
    return Math.sign(compareCodePoints(value, operand));
  }
  return undefined;
}

function holds(field: string, value: unknown, operator: string, operand: unknown): boolean {
  switch (operator) {
    case '$eq':
      return equals(field, value, operand);
    case '$ne':
      return !equals(field, value, operand);
    case '$in':
      return Array.isArray(operand) && operand.some((element) => equals(field, value, element));
    case '$nin':
      return Array.isArray(operand) && !operand.some((element) => equals(field, value, element));
    case '$exists':
      // Missing and null are one thing to a filter (as for `{field: null}`).
      return (value !== undefined && value !== null) === operand;
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const sign = compare(field, value, operand);
      if (sign === undefined) return false;
      if (operator === '$gt') return sign > 0;
      if (operator === '$gte') return sign >= 0;
      if (operator === '$lt') return sign < 0;
      return sign <= 0;
    }
    default:
      // validateFilter refuses unknown operators; one that slipped through matches nothing.
      return false;
  }
}

/**
 * Whether `job` satisfies every condition of a wire filter (docs/protocol.md, Filters). Expects
 * a filter that {@link validateFilter} accepted.
 */
export function matchesFilter(job: JobRecord, filter: Record<string, unknown>): boolean {
  for (const field of Object.keys(filter)) {
    const condition = filter[field];
    const value = readField(job, field);
    if (isOperatorCondition(condition)) {
      for (const operator of Object.keys(condition)) {
        if (!holds(field, value, operator, condition[operator])) return false;
      }
    } else if (!equals(field, value, condition)) {
      return false;
    }
  }
  return true;
}
