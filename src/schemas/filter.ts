import { JOB_STATUSES, type KnownJobStatus } from '#protocol/statuses';
import { toCamelKey } from '../wire/casing';
import {
  anyJson,
  checkLiteral,
  checkOperand,
  FILTER_OPERATORS,
  isBrandedOperator,
  type FieldCondition,
} from './filter-operators';
import {
  describeValue,
  issueAt,
  MAX_REPORTED_ISSUES,
  nullableCheck,
  oneOfCheck,
  type Check,
  type Path,
  type ValidationIssue,
} from './issues';
import {
  depthIssue,
  FORBIDDEN_KEYS,
  forbiddenKeyIssue,
  isPlainObject,
  MAX_NESTING_DEPTH,
} from './json-value';

/**
 * How filters treat plain objects with `$` keys.
 * - `'legacy'` (default): accepted if every operator is allowlisted, as the legacy client did.
 * - `'strict'`: refused; operators must come from the helpers (`eq`, `oneOf`, …), so a value that
 *   came from a request body or query string can never turn into an operator.
 */
export type FilterMode = 'legacy' | 'strict';

/**
 * The service fields part of a filter: nested objects name a path (`{ a: { b: 1 } }` matches
 * `serviceFields.a.b === 1`), and an object of operators may stand at any depth.
 */
export type ServiceFieldsFilter = { [key: string]: unknown };

/**
 * Which jobs to return; every condition given must hold. A condition is a literal (equality) or
 * an object of operators (`$in $nin $eq $ne $gt $gte $lt $lte $exists`, nothing else).
 *
 * **Operator injection:** never put a value taken from a request, a URL or a file straight into a
 * filter. `{ serviceFields: { owner: req.query.owner } }` lets the sender pass
 * `owner[$ne]=nobody` and read every job. Wrap such values in `eq(value)`, which always means a
 * literal, and consider `filters: 'strict'`, which refuses operator objects not built by the
 * helpers.
 *
 * @example
 * { user: 'demo', status: oneOf(['FAILED', 'UNRECOVERABLE']), serviceFields: { type: 'upload' } }
 */
export interface JobFilter {
  jobId?: FieldCondition<string>;
  user?: FieldCondition<string>;
  /** Only the statuses this SDK knows (a typo would silently match nothing). */
  status?: FieldCondition<KnownJobStatus>;
  jobName?: FieldCondition<string | null>;
  service?: FieldCondition<string | null>;
  currentHost?: FieldCondition<string | null>;
  currentStage?: FieldCondition<string | null>;
  originationHost?: FieldCondition<string | null>;
  parentId?: FieldCondition<string | null>;
  /** A string matches jobs listing that child; an array matches the exact list. */
  childIds?: FieldCondition<string | readonly string[] | null>;
  updateParent?: FieldCondition<boolean | null>;
  created?: FieldCondition<Date | string>;
  modified?: FieldCondition<Date | string>;
  serviceFields?: ServiceFieldsFilter;
}

// The literal values a field accepts. Filters are checked by hand, not by zod: a condition is a
// literal or an object of allowlisted operators whose operands follow the field's literal rule,
// at any depth of serviceFields, which zod cannot express without its union machinery.
// A filter's literals are never undefined (absent conditions are skipped first).
const textCheck = nullableCheck('a string', (value) => typeof value === 'string');
const isStringArray = (value: unknown): boolean =>
  Array.isArray(value) && value.every((element) => typeof element === 'string');
const timeCheck: Check = (value) =>
  typeof value === 'string' || value instanceof Date
    ? undefined
    : `must be a Date or an ISO date string, received ${describeValue(value)}`;

/** The top-level fields a filter may name, each with the literal values it accepts. */
const topLevelRules: Record<string, Check> = {
  jobId: textCheck,
  user: textCheck,
  status: oneOfCheck(JOB_STATUSES),
  jobName: textCheck,
  service: textCheck,
  currentHost: textCheck,
  currentStage: textCheck,
  originationHost: textCheck,
  parentId: textCheck,
  childIds: nullableCheck(
    'a string, an array of strings',
    (value) => typeof value === 'string' || isStringArray(value),
  ),
  updateParent: nullableCheck('a boolean', (value) => typeof value === 'boolean'),
  created: timeCheck,
  modified: timeCheck,
};

const FILTERABLE_FIELDS = [...Object.keys(topLevelRules), 'serviceFields'];

/** What an object in a filter is: operators, a nested path, an illegal mix, or no object. */
const enum Shape {
  Operators,
  Mixed,
  Nested,
  Other,
}

function shapeOf(value: unknown): Shape {
  if (isBrandedOperator(value)) return Shape.Operators;
  if (!isPlainObject(value)) return Shape.Other;
  const keys = Object.keys(value);
  const operators = keys.filter((key) => key.startsWith('$')).length;
  return !operators ? Shape.Nested : operators < keys.length ? Shape.Mixed : Shape.Operators;
}

/**
 * Every reason why `filter` cannot be sent: unknown fields, operators outside the allowlist,
 * operands of the wrong type, `$`-keys mixed with field keys, forbidden keys, non-JSON values,
 * excessive nesting and, in strict mode, operator objects not built by the helpers.
 */
export function collectFilterIssues(
  filter: unknown,
  mode: FilterMode,
  path: Path = ['filter'],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const refuse = (at: Path, message: string, code: string) =>
    issues.push(issueAt(at, message, code));

  const condition = (value: unknown, at: Path, rule: Check, depth: number): void => {
    const shape = shapeOf(value);
    if (shape === Shape.Mixed) {
      refuse(at, 'must not mix $ keys and field keys', 'mixed_operators');
    } else if (shape !== Shape.Operators) {
      checkLiteral(value, at, rule, issues, depth);
    } else if (mode === 'strict' && !isBrandedOperator(value)) {
      refuse(
        at,
        'must be built with the helpers (eq, oneOf, …) when filters are strict',
        'unbranded_operator',
      );
    } else {
      for (const [operator, operand] of Object.entries(value as object)) {
        if (!(FILTER_OPERATORS as readonly string[]).includes(operator)) {
          refuse(
            [...at, operator],
            `is not allowed (operators: ${FILTER_OPERATORS.join(' ')})`,
            'operator_not_allowed',
          );
        } else if (operand !== undefined) {
          checkOperand(operator, operand, [...at, operator], rule, issues, depth + 1);
        }
      }
    }
  };

  /**
   * The fields of the filter (with `rules`, the top-level fields) or of a path inside
   * `serviceFields` (any key; an object without `$` keys goes one level deeper).
   */
  const fields = (
    value: Record<string, unknown>,
    at: Path,
    depth: number,
    rules?: Record<string, Check>,
  ): void => {
    if (depth >= MAX_NESTING_DEPTH) return void issues.push(depthIssue(at));
    for (const [key, child] of Object.entries(value)) {
      const fieldPath = [...at, key];
      if (issues.length >= MAX_REPORTED_ISSUES) return;
      if (FORBIDDEN_KEYS.includes(key)) {
        issues.push(forbiddenKeyIssue(at, key));
      } else if (child === undefined) {
        continue;
      } else if (rules ? key === 'serviceFields' : shapeOf(child) === Shape.Nested) {
        if (shapeOf(child) === Shape.Nested)
          fields(child as ServiceFieldsFilter, fieldPath, depth + 1);
        else refuse(fieldPath, 'must be a plain object of fields', 'invalid_filter');
      } else if (!rules || Object.hasOwn(rules, key)) {
        condition(child, fieldPath, rules?.[key] ?? anyJson, depth + 1);
      } else if (key.startsWith('$')) {
        refuse(fieldPath, 'top-level operators are not supported', 'operator_not_allowed');
      } else {
        // The legacy client passed snake_case keys through, so old code may still use wire names.
        const camel = toCamelKey(key);
        refuse(
          fieldPath,
          FILTERABLE_FIELDS.includes(camel) && camel !== key
            ? `is not a filterable field; did you mean ${camel}?`
            : `is not a filterable field (fields: ${FILTERABLE_FIELDS.join(', ')})`,
          'unknown_field',
        );
      }
    }
  };

  if (isPlainObject(filter)) fields(filter, path, 0, topLevelRules);
  else refuse(path, `must be a plain object, received ${describeValue(filter)}`, 'invalid_filter');
  return issues.slice(0, MAX_REPORTED_ISSUES);
}
