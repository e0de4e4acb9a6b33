import { describeValue, issueAt, type Check, type Path, type ValidationIssue } from './issues';
import { collectJsonIssues } from './json-value';

/** The only operators a filter may use; the server refuses the rest as well. */
export const FILTER_OPERATORS = [
  '$in',
  '$nin',
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$exists',
] as const;

/** One of {@link FILTER_OPERATORS}. */
export type FilterOperatorName = (typeof FILTER_OPERATORS)[number];

/** A value a filter can compare against. Dates are sent as ISO strings. */
export type FilterScalar = string | number | boolean | null | Date;

/**
 * Mongo-style operators on one field; all of those given must hold.
 *
 * Building such an object from untrusted input is an operator-injection risk (see
 * {@link JobFilter}); prefer the helpers `eq`, `oneOf`, `gt`, … from this package.
 */
export interface FilterOperators<T> {
  $eq?: T;
  $ne?: T;
  $in?: readonly T[];
  $nin?: readonly T[];
  $gt?: T;
  $gte?: T;
  $lt?: T;
  $lte?: T;
  $exists?: boolean;
}

/** A field's condition: a literal (equality) or an object of operators. */
export type FieldCondition<T> = T | FilterOperators<T>;

/**
 * Marks operator objects made by the helpers. `Symbol.for` so that two copies of the SDK (an ESM
 * import and the global build) recognise each other's; JSON cannot carry a symbol, so untrusted
 * input can never wear the mark.
 */
const BRAND = Symbol.for('job-status-client.filter-operator');

/** Marks and freezes an operator object built by a helper. */
export function brandOperator<T extends object>(operators: T): Readonly<T> {
  Object.defineProperty(operators, BRAND, { value: true });
  return Object.freeze(operators);
}

/** True for an operator object made by one of the helpers. */
export function isBrandedOperator(value: unknown): boolean {
  return value != null && Object.hasOwn(value as object, BRAND);
}

/** Any JSON value: the deep checks (no `$` keys, no functions, …) are made by `checkLiteral`. */
export const anyJson: Check = () => undefined;

/**
 * Checks an equality value (a literal, an `$eq`/`$ne` operand or an `$in`/`$nin` element): first
 * the field's own rule, then that it is JSON without `$` keys at any depth.
 */
export function checkLiteral(
  value: unknown,
  path: Path,
  rule: Check,
  issues: ValidationIssue[],
  depth: number,
): void {
  const problem = rule(value, path, issues);
  if (problem) issues.push(issueAt(path, problem, 'invalid_filter_value'));
  else collectJsonIssues(value, path, issues, depth, { refuseOperatorKeys: true });
}

/**
 * Checks one operator's operand: `$in`/`$nin` an array of scalars, comparisons a number, string or
 * Date, `$exists` a boolean, `$eq`/`$ne` a literal without `$` keys.
 */
export function checkOperand(
  operator: string,
  operand: unknown,
  path: Path,
  rule: Check,
  issues: ValidationIssue[],
  depth = 0,
): void {
  const refuse = (kind: string, value = operand, at = path) =>
    issues.push(
      issueAt(at, `must be ${kind}, received ${describeValue(value)}`, 'invalid_operand'),
    );
  if (operator === '$eq' || operator === '$ne') {
    checkLiteral(operand, path, rule, issues, depth);
  } else if (operator === '$in' || operator === '$nin') {
    if (!Array.isArray(operand)) return void refuse('an array');
    operand.forEach((element: unknown, index) => {
      const at = [...path, index];
      if (
        element === null ||
        element instanceof Date ||
        ['string', 'number', 'boolean'].includes(typeof element)
      ) {
        checkLiteral(element, at, rule, issues, depth + 1);
      } else refuse('a string, number, boolean, null or Date', element, at);
    });
  } else if (operator === '$exists') {
    if (typeof operand !== 'boolean') refuse('a boolean');
  } else if (!(
    typeof operand === 'string' ||
    Number.isFinite(operand) ||
    (operand instanceof Date && !Number.isNaN(operand.getTime()))
  )) {
    refuse('a finite number, a string or a valid Date');
  }
}
