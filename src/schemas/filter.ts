import * as z from 'zod/mini';
import { JOB_STATUSES, type KnownJobStatus } from '../internal/model/statuses';
import {
  anyJsonRule,
  checkOperators,
  isBrandedOperator,
  type FieldCondition,
  type FieldRule,
  FILTER_OPERATORS,
} from './filter-operators';
import { describeValue, MAX_REPORTED_ISSUES, type ValidationIssue } from './issues';
import {
  collectJsonIssues,
  depthIssue,
  FORBIDDEN_KEYS,
  forbiddenKeyIssue,
  isPlainObject,
  MAX_NESTING_DEPTH,
} from './json-value';
import { toCamelKey } from '../wire';

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

const knownStatuses: ReadonlySet<string> = new Set(JOB_STATUSES);

const textRule: FieldRule = {
  literal: (value) =>
    typeof value === 'string' || value === null
      ? undefined
      : `must be a string or null, received ${describeValue(value)}`,
};

const statusRule: FieldRule = {
  literal: (value) =>
    typeof value === 'string' && knownStatuses.has(value)
      ? undefined
      : `must be one of ${JOB_STATUSES.join(', ')}`,
};

const childIdsRule: FieldRule = {
  literal: (value) =>
    typeof value === 'string' ||
    value === null ||
    (Array.isArray(value) && value.every((element) => typeof element === 'string'))
      ? undefined
      : `must be a string, an array of strings or null, received ${describeValue(value)}`,
};

const booleanRule: FieldRule = {
  literal: (value) =>
    typeof value === 'boolean' || value === null
      ? undefined
      : `must be a boolean or null, received ${describeValue(value)}`,
};

const timeRule: FieldRule = {
  literal: (value) =>
    typeof value === 'string' || value instanceof Date
      ? undefined
      : `must be a Date or an ISO date string, received ${describeValue(value)}`,
};

/** The top-level fields a filter may name, each with the literal values it accepts. */
const topLevelRules: Readonly<Record<string, FieldRule>> = {
  jobId: textRule,
  user: textRule,
  status: statusRule,
  jobName: textRule,
  service: textRule,
  currentHost: textRule,
  currentStage: textRule,
  originationHost: textRule,
  parentId: textRule,
  childIds: childIdsRule,
  updateParent: booleanRule,
  created: timeRule,
  modified: timeRule,
};

const FILTERABLE_FIELDS = [...Object.keys(topLevelRules), 'serviceFields'];

function unknownFieldMessage(key: string): string {
  // The legacy client passed snake_case keys through, so old code may still use wire names.
  const camel = toCamelKey(key);
  return FILTERABLE_FIELDS.includes(camel) && camel !== key
    ? `is not a filterable field; did you mean ${camel}?`
    : `is not a filterable field (fields: ${FILTERABLE_FIELDS.join(', ')})`;
}

type Shape = 'operators' | 'mixed' | 'nested' | 'other';

/** Whether an object is an operator object, a nested path, or an illegal mix of the two. */
function shapeOf(value: unknown): Shape {
  if (isBrandedOperator(value)) return 'operators';
  if (!isPlainObject(value)) return 'other';
  let operators = 0;
  let plain = 0;
  for (const key of Object.keys(value)) {
    if (key.startsWith('$')) operators++;
    else plain++;
  }
  if (operators > 0 && plain > 0) return 'mixed';
  return operators > 0 ? 'operators' : 'nested';
}

class FilterChecker {
  readonly issues: ValidationIssue[] = [];

  constructor(private readonly mode: FilterMode) {}

  private add(path: (string | number)[], message: string, code: string): void {
    this.issues.push({ path: [...path], message, code });
  }

  condition(value: unknown, path: (string | number)[], rule: FieldRule, depth: number): void {
    const shape = shapeOf(value);
    if (shape === 'mixed') {
      this.add(
        path,
        'must not mix operator keys ($…) and field keys in one object',
        'mixed_operators',
      );
      return;
    }
    if (shape === 'operators') {
      if (this.mode === 'strict' && !isBrandedOperator(value)) {
        this.add(
          path,
          'operator objects must be built with the filter helpers (eq, oneOf, gt, …) when filters are strict',
          'unbranded_operator',
        );
        return;
      }
      checkOperators(value as Record<string, unknown>, path, rule, this.issues, depth);
      return;
    }
    const problem = rule.literal(value);
    if (problem !== undefined) {
      this.add(path, problem, 'invalid_filter_value');
      return;
    }
    collectJsonIssues(value, path, this.issues, depth, { refuseOperatorKeys: true });
  }

  serviceFields(value: Record<string, unknown>, path: (string | number)[], depth: number): void {
    if (depth >= MAX_NESTING_DEPTH) {
      this.issues.push(depthIssue(path));
      return;
    }
    for (const key of Object.keys(value)) {
      if (this.issues.length >= MAX_REPORTED_ISSUES) return;
      if (FORBIDDEN_KEYS.has(key)) {
        this.issues.push(forbiddenKeyIssue(path, key));
        continue;
      }
      const child = value[key];
      if (child === undefined) continue;
      const childPath = [...path, key];
      if (shapeOf(child) === 'nested')
        this.serviceFields(child as Record<string, unknown>, childPath, depth + 1);
      else this.condition(child, childPath, anyJsonRule, depth + 1);
    }
  }

  filter(filter: unknown, path: (string | number)[]): void {
    if (!isPlainObject(filter)) {
      this.add(path, `must be a plain object, received ${describeValue(filter)}`, 'invalid_filter');
      return;
    }
    for (const key of Object.keys(filter)) {
      const value = filter[key];
      const fieldPath = [...path, key];
      if (FORBIDDEN_KEYS.has(key)) {
        this.issues.push(forbiddenKeyIssue(path, key));
      } else if (value === undefined) {
        continue;
      } else if (key === 'serviceFields') {
        if (shapeOf(value) === 'nested')
          this.serviceFields(value as Record<string, unknown>, fieldPath, 1);
        else
          this.add(
            fieldPath,
            'must be a plain object of fields (put operators on a field inside it)',
            'invalid_filter',
          );
      } else if (Object.prototype.hasOwnProperty.call(topLevelRules, key)) {
        this.condition(value, fieldPath, topLevelRules[key] as FieldRule, 1);
      } else if (key.startsWith('$')) {
        this.add(
          fieldPath,
          `top-level operators are not supported; put ${FILTER_OPERATORS.join(' ')} on a field`,
          'operator_not_allowed',
        );
      } else {
        this.add(fieldPath, unknownFieldMessage(key), 'unknown_field');
      }
    }
  }
}

/**
 * Every reason why `filter` cannot be sent: unknown fields, operators outside the allowlist,
 * operands of the wrong type, `$`-keys mixed with field keys, forbidden keys, non-JSON values,
 * excessive nesting and, in strict mode, operator objects not built by the helpers.
 */
export function collectFilterIssues(
  filter: unknown,
  mode: FilterMode,
  path: (string | number)[] = ['filter'],
): ValidationIssue[] {
  const checker = new FilterChecker(mode);
  checker.filter(filter, path);
  return checker.issues.slice(0, MAX_REPORTED_ISSUES);
}

/** Accepts `legacy` or `strict`. */
export const filterModeSchema = z.enum(['legacy', 'strict']);
