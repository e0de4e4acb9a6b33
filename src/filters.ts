// Helpers that build filter operators safely. Each returns a frozen object marked as made here,
// which is what `filters: 'strict'` accepts, and each checks its operand at once so that a bad
// value fails where it was put in, not later inside a request.
import { RequestValidationError } from './errors';
import {
  anyJsonRule,
  brandOperator,
  checkOperand,
  type FilterOperatorName,
  type FilterOperators,
  type FilterScalar,
} from './schemas/filter-operators';
import type { ValidationIssue } from './schemas/issues';

type Comparable = string | number | Date;

/** A frozen copy, so that changing the caller's array later cannot change a checked operator. */
function copyOf(values: unknown): unknown {
  return Array.isArray(values) ? Object.freeze([...values]) : values;
}

function build<T>(operator: FilterOperatorName, operand: unknown): FilterOperators<T> {
  const issues: ValidationIssue[] = [];
  checkOperand(operator, operand, [operator], anyJsonRule, issues);
  if (issues.length > 0) throw new RequestValidationError(issues);
  return brandOperator({ [operator]: operand }) as FilterOperators<T>;
}

/**
 * Equal to `value`, always as a literal: use it for every value that comes from outside the
 * program (a request, a URL, a file). An object with `$` keys is refused instead of being read as
 * operators, which closes operator injection (`owner[$ne]=nobody` matching every job).
 *
 * @throws RequestValidationError when `value` is not JSON or holds a `$` key at any depth
 * @example client.listJobs({ serviceFields: { owner: eq(req.query.owner) } })
 */
export function eq<const T>(value: T): FilterOperators<T> {
  return build('$eq', value);
}

/**
 * Not equal to `value` (also matches jobs without the field); a literal, like {@link eq}.
 * @example { currentStage: ne('copying') }
 */
export function ne<const T>(value: T): FilterOperators<T> {
  return build('$ne', value);
}

/**
 * Equal to one of `values` (`$in`): strings, numbers, booleans, null or Dates.
 * @example { status: oneOf(['FAILED', 'UNRECOVERABLE']) }
 */
export function oneOf<const T extends FilterScalar>(values: readonly T[]): FilterOperators<T> {
  return build('$in', copyOf(values));
}

/**
 * Equal to none of `values` (`$nin`).
 * @example { status: noneOf(['SUCCEEDED']) }
 */
export function noneOf<const T extends FilterScalar>(values: readonly T[]): FilterOperators<T> {
  return build('$nin', copyOf(values));
}

/**
 * Greater than `value`; compares numbers with numbers, strings with strings, times with times.
 * @example { created: gt(new Date('2024-01-01')) }
 */
export function gt<const T extends Comparable>(value: T): FilterOperators<T> {
  return build('$gt', value);
}

/** Greater than or equal to `value` (see {@link gt}). */
export function gte<const T extends Comparable>(value: T): FilterOperators<T> {
  return build('$gte', value);
}

/** Less than `value` (see {@link gt}). */
export function lt<const T extends Comparable>(value: T): FilterOperators<T> {
  return build('$lt', value);
}

/** Less than or equal to `value` (see {@link gt}). */
export function lte<const T extends Comparable>(value: T): FilterOperators<T> {
  return build('$lte', value);
}

/**
 * Whether the field is present (`true`, the default) or absent.
 * @example { serviceFields: { error: exists() } }
 */
export function exists(present = true): FilterOperators<never> {
  return build('$exists', present);
}
