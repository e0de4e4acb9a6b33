// Helpers that build filter operators safely. Each returns a frozen object marked as made here,
// which is what `filters: 'strict'` accepts, and each checks its operand at once so that a bad
// value fails where it was put in, not later inside a request.
import {
  anyJson,
  brandOperator,
  checkOperand,
  type FilterOperatorName,
  type FilterOperators,
  type FilterScalar,
} from './schemas/filter-operators';
import { throwIfIssues, type ValidationIssue } from './schemas/issues';

/** What the ordering operators (`gt`, `gte`, `lt`, `lte`) compare. */
export type Comparable = string | number | Date;

/**
 * The helper for `operator`. A list operand is copied and frozen, so that changing the caller's
 * array later cannot change a checked operator.
 */
function helper(operator: FilterOperatorName, fallback?: boolean) {
  return (operand: unknown = fallback): FilterOperators<never> => {
    const value = Array.isArray(operand) ? Object.freeze([...operand]) : operand;
    const issues: ValidationIssue[] = [];
    checkOperand(operator, value, [operator], anyJson, issues);
    throwIfIssues(issues);
    return brandOperator({ [operator]: value });
  };
}

/**
 * Equal to `value`, always as a literal: use it for every value that comes from outside the
 * program (a request, a URL, a file). An object with `$` keys is refused instead of being read as
 * operators, which closes operator injection (`owner[$ne]=nobody` matching every job).
 *
 * @throws RequestValidationError when `value` is not JSON or holds a `$` key at any depth
 * @example client.listJobs({ serviceFields: { owner: eq(req.query.owner) } })
 */
export const eq: <const T>(value: T) => FilterOperators<T> = /* @__PURE__ */ helper('$eq');

/**
 * Not equal to `value` (also matches jobs without the field); a literal, like {@link eq}.
 * @example { currentStage: ne('copying') }
 */
export const ne: <const T>(value: T) => FilterOperators<T> = /* @__PURE__ */ helper('$ne');

/**
 * Equal to one of `values` (`$in`): strings, numbers, booleans, null or Dates.
 * @example { status: oneOf(['FAILED', 'UNRECOVERABLE']) }
 */
export const oneOf: <const T extends FilterScalar>(values: readonly T[]) => FilterOperators<T> =
  /* @__PURE__ */ helper('$in');

/**
 * Equal to none of `values` (`$nin`).
 * @example { status: noneOf(['SUCCEEDED']) }
 */
export const noneOf: <const T extends FilterScalar>(values: readonly T[]) => FilterOperators<T> =
  /* @__PURE__ */ helper('$nin');

/**
 * Greater than `value`; compares numbers with numbers, strings with strings, times with times.
 * @example { created: gt(new Date('2024-01-01')) }
 */
export const gt: <const T extends Comparable>(value: T) => FilterOperators<T> =
  /* @__PURE__ */ helper('$gt');

/** Greater than or equal to `value` (see {@link gt}). */
export const gte: <const T extends Comparable>(value: T) => FilterOperators<T> =
  /* @__PURE__ */ helper('$gte');

/** Less than `value` (see {@link gt}). */
export const lt: <const T extends Comparable>(value: T) => FilterOperators<T> =
  /* @__PURE__ */ helper('$lt');

/** Less than or equal to `value` (see {@link gt}). */
export const lte: <const T extends Comparable>(value: T) => FilterOperators<T> =
  /* @__PURE__ */ helper('$lte');

/**
 * Whether the field is present (`true`, the default) or absent.
 * @example { serviceFields: { error: exists() } }
 */
export const exists: (present?: boolean) => FilterOperators<never> = /* @__PURE__ */ helper(
  '$exists',
  true,
);
