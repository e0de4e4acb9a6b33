import { NULLABLE_TEXT_FIELDS } from './create-body';
import { ModelError } from './errors';
import { SERVICE_FIELDS_PREFIX, TIME_FIELDS } from './fields';
import { isJsonObject } from './json';
import { timeOf } from './order';

/** The top-level wire fields a filter may name (besides `service_fields.<path>`). */
export const FILTERABLE_FIELDS: ReadonlySet<string> = new Set([
  'job_id',
  'user',
  'status',
  ...NULLABLE_TEXT_FIELDS,
  'child_ids',
  'update_parent',
  'created',
  'modified',
]);

/** The only operators a filter may use. */
export const FILTER_OPERATORS: ReadonlySet<string> = new Set([
  '$eq',
  '$ne',
  '$in',
  '$nin',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$exists',
]);

/** An object whose keys all start with `$` (at least one): a set of operators, not a literal. */
export function isOperatorCondition(value: unknown): value is Record<string, unknown> {
  if (!isJsonObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

function refuse(message: string): ModelError {
  return new ModelError('invalid_filter', message);
}

/** On `created`/`modified` every value compared must be a time (or null, meaning missing). */
function checkTimeValue(field: string, value: unknown): ModelError | undefined {
  if (value === null || timeOf(value) !== undefined) return undefined;
  return refuse(`${field} must be compared with an ISO date string`);
}

function checkOperand(field: string, operator: string, operand: unknown): ModelError | undefined {
  const isTime = TIME_FIELDS.has(field);
  switch (operator) {
    case '$eq':
    case '$ne':
      return isTime ? checkTimeValue(field, operand) : undefined;
    case '$in':
    case '$nin': {
      if (!Array.isArray(operand)) return refuse(`${operator} on ${field} needs an array`);
      if (!isTime) return undefined;
      for (const element of operand) {
        const problem = checkTimeValue(field, element);
        if (problem) return problem;
      }
      return undefined;
    }
    case '$exists':
      return typeof operand === 'boolean'
        ? undefined
        : refuse(`$exists on ${field} needs a boolean`);
    default: {
      const comparable =
        typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand));
      if (!comparable) return refuse(`${operator} on ${field} needs a number or a string`);
      return isTime && timeOf(operand) === undefined
        ? refuse(`${operator} on ${field} needs an ISO date string`)
        : undefined;
    }
  }
}

function checkCondition(field: string, condition: unknown): ModelError | undefined {
  if (isJsonObject(condition)) {
    const keys = Object.keys(condition);
    const operators = keys.filter((key) => key.startsWith('$'));
    if (operators.length > 0 && operators.length < keys.length) {
      return refuse(`the condition on ${field} mixes operators and field keys`);
    }
    for (const operator of operators) {
      if (!FILTER_OPERATORS.has(operator))
        return refuse(`the operator ${operator} is not supported`);
      const problem = checkOperand(field, operator, condition[operator]);
      if (problem) return problem;
    }
    if (operators.length > 0) return undefined;
  }
  return TIME_FIELDS.has(field) ? checkTimeValue(field, condition) : undefined;
}

/**
 * Why the service would refuse `filter` (400 `invalid_filter`), or undefined when it is valid:
 * not an object, an unknown field, an operator outside the allow-list, operators mixed with
 * field keys, or an operand of the wrong type (docs/protocol.md, Filters).
 */
export function validateFilter(filter: unknown): ModelError | undefined {
  if (!isJsonObject(filter)) return refuse('the filter must be a JSON object');
  for (const field of Object.keys(filter)) {
    if (!FILTERABLE_FIELDS.has(field) && !field.startsWith(SERVICE_FIELDS_PREFIX)) {
      return refuse(`${field} is not a filterable field`);
    }
    const problem = checkCondition(field, filter[field]);
    if (problem) return problem;
  }
  return undefined;
}
