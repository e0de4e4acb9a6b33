import { describeValue, type ValidationIssue } from './issues';
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

const allowedOperators: ReadonlySet<string> = new Set(FILTER_OPERATORS);

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
export const FILTER_OPERATOR_BRAND: unique symbol = Symbol.for('job-status-client.filter-operator');

/** Marks and freezes an operator object built by a helper. */
export function brandOperator<T extends object>(operators: T): Readonly<T> {
  Object.defineProperty(operators, FILTER_OPERATOR_BRAND, { value: true, enumerable: false });
  return Object.freeze(operators);
}

/** True for an operator object made by one of the helpers. */
export function isBrandedOperator(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.prototype.hasOwnProperty.call(value, FILTER_OPERATOR_BRAND)
  );
}

/**
 * How one field's values are checked: `literal` for an equality value (also each `$in`/`$nin`
 * element and `$eq`/`$ne` operand), returning the broken rule or undefined.
 */
export interface FieldRule {
  literal(value: unknown): string | undefined;
}

/** Any JSON value; the deep checks (no `$` keys, no functions, …) are done separately. */
export const anyJsonRule: FieldRule = { literal: () => undefined };

function isScalar(value: unknown): value is FilterScalar {
  return (
    value === null ||
    value instanceof Date ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}

function issueAt(path: (string | number)[], message: string, code: string): ValidationIssue {
  return { path: [...path], message, code };
}

function checkLiteral(
  value: unknown,
  path: (string | number)[],
  rule: FieldRule,
  issues: ValidationIssue[],
  depth: number,
): void {
  const problem = rule.literal(value);
  if (problem !== undefined) {
    issues.push(issueAt(path, problem, 'invalid_filter_value'));
    return;
  }
  collectJsonIssues(value, path, issues, depth, { refuseOperatorKeys: true });
}

/**
 * Checks one operator's operand: `$in`/`$nin` an array of scalars, comparisons a number, string or
 * Date, `$exists` a boolean, `$eq`/`$ne` a literal without `$` keys.
 */
export function checkOperand(
  operator: FilterOperatorName,
  operand: unknown,
  path: (string | number)[],
  rule: FieldRule,
  issues: ValidationIssue[],
  depth = 0,
): void {
  switch (operator) {
    case '$eq':
    case '$ne':
      checkLiteral(operand, path, rule, issues, depth);
      return;
    case '$in':
    case '$nin':
      if (!Array.isArray(operand)) {
        issues.push(
          issueAt(path, `must be an array, received ${describeValue(operand)}`, 'invalid_operand'),
        );
        return;
      }
      operand.forEach((element: unknown, index) => {
        if (!isScalar(element)) {
          issues.push(
            issueAt(
              [...path, index],
              `must be a string, number, boolean, null or Date, received ${describeValue(element)}`,
              'invalid_operand',
            ),
          );
          return;
        }
        checkLiteral(element, [...path, index], rule, issues, depth + 1);
      });
      return;
    case '$exists':
      if (typeof operand !== 'boolean') {
        issues.push(
          issueAt(path, `must be a boolean, received ${describeValue(operand)}`, 'invalid_operand'),
        );
      }
      return;
    default: {
      const comparable =
        typeof operand === 'string' ||
        (typeof operand === 'number' && Number.isFinite(operand)) ||
        (operand instanceof Date && !Number.isNaN(operand.getTime()));
      if (!comparable) {
        issues.push(
          issueAt(
            path,
            `must be a finite number, a string or a valid Date, received ${describeValue(operand)}`,
            'invalid_operand',
          ),
        );
      }
    }
  }
}

/** Checks every key of an operator object against the allowlist, then each operand. */
export function checkOperators(
  operators: Record<string, unknown>,
  path: (string | number)[],
  rule: FieldRule,
  issues: ValidationIssue[],
  depth = 0,
): void {
  for (const key of Object.keys(operators)) {
    if (!allowedOperators.has(key)) {
      issues.push(
        issueAt(
          [...path, key],
          `operator ${key} is not allowed (allowed: ${FILTER_OPERATORS.join(' ')})`,
          'operator_not_allowed',
        ),
      );
      continue;
    }
    const operand = operators[key];
    if (operand === undefined) continue;
    checkOperand(key as FilterOperatorName, operand, [...path, key], rule, issues, depth + 1);
  }
}
