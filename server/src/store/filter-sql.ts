// Filters accept exactly the date forms the SDK reads.
import { parseJssDate } from '#protocol/dates';
import { isOperatorCondition, SERVICE_FIELDS_PREFIX, validateFilter } from '#protocol';
import { splitDottedPath as splitFieldPath } from '#protocol/dotted-path';
import { withApiErrors } from '../wire/model-errors';
import type { SqlParams } from './sql-params';

type ColumnKind = 'text' | 'time' | 'bool' | 'text_array';

/** What a filter key addresses: a column (from the allowlist) or a path in service_fields. */
type Target =
  | { type: 'column'; column: string; kind: ColumnKind; nullable: boolean }
  | { type: 'path'; path: string[] };

/** Wire field → column (and whether it may be NULL). Only these names ever reach SQL. */
const COLUMNS = new Map<string, { column: string; kind: ColumnKind; nullable: boolean }>([
  ['job_id', { column: 'job_id', kind: 'text', nullable: false }],
  ['user', { column: 'user_name', kind: 'text', nullable: false }],
  ['status', { column: 'status', kind: 'text', nullable: false }],
  ['job_name', { column: 'job_name', kind: 'text', nullable: true }],
  ['service', { column: 'service', kind: 'text', nullable: true }],
  ['current_host', { column: 'current_host', kind: 'text', nullable: true }],
  ['current_stage', { column: 'current_stage', kind: 'text', nullable: true }],
  ['origination_host', { column: 'origination_host', kind: 'text', nullable: true }],
  ['parent_id', { column: 'parent_id', kind: 'text', nullable: true }],
  ['child_ids', { column: 'child_ids', kind: 'text_array', nullable: true }],
  ['update_parent', { column: 'update_parent', kind: 'bool', nullable: false }],
  ['created', { column: 'created', kind: 'time', nullable: false }],
  ['modified', { column: 'modified', kind: 'time', nullable: false }],
]);

/**
 * `predicate` (a comparison of a text column with non-null parameters) as a two-valued expression,
 * TRUE or FALSE and never NULL, so that `NOT` of it means what the filter says. Written so that
 * the planner still sees the comparison: inside `coalesce(…, FALSE)` it could not use the
 * column's index, and a filter on `user` scanned every job of every user.
 */
function textPredicate(target: { column: string; nullable: boolean }, predicate: string): string {
  return target.nullable ? `(${target.column} IS NOT NULL AND ${predicate})` : `(${predicate})`;
}

const COMPARISONS = new Map([
  ['$gt', '>'],
  ['$gte', '>='],
  ['$lt', '<'],
  ['$lte', '<='],
]);

/** A filter that reached SQL although the protocol's rules refuse it: a bug, answered 500. */
const unchecked = (what: string) => new Error(`filterToSql was given an unchecked filter: ${what}`);

/**
 * Turns a flattened filter (docs/protocol.md, "Filters") into a boolean SQL expression over the
 * columns of `jobs`, after the protocol's rules (fields, operators, operands: 400
 * `invalid_filter`) have accepted it. Values only ever become parameters; identifiers come from `COLUMNS`;
 * service-field paths travel as text[] parameters.
 */
export function filterToSql(filter: unknown, params: SqlParams): string {
  withApiErrors(() => {
    const problem = validateFilter(filter);
    if (problem) throw problem;
  });
  const clauses = Object.entries(filter as Record<string, unknown>).map(([key, condition]) =>
    conditionToSql(resolveTarget(key), condition, params),
  );
  return clauses.length === 0 ? 'TRUE' : clauses.map((clause) => `(${clause})`).join(' AND ');
}

function resolveTarget(key: string): Target {
  if (key.startsWith(SERVICE_FIELDS_PREFIX)) {
    return { type: 'path', path: splitFieldPath(key.slice(SERVICE_FIELDS_PREFIX.length)) };
  }
  const column = COLUMNS.get(key);
  if (!column) throw unchecked(`field ${key}`);
  return { type: 'column', ...column };
}

function conditionToSql(target: Target, condition: unknown, params: SqlParams): string {
  if (!isOperatorCondition(condition)) return equals(target, condition, params);
  return Object.entries(condition)
    .map(([operator, operand]) => `(${operatorToSql(target, operator, operand, params)})`)
    .join(' AND ');
}

function operatorToSql(
  target: Target,
  operator: string,
  operand: unknown,
  params: SqlParams,
): string {
  const comparison = COMPARISONS.get(operator);
  if (comparison) return compare(target, comparison, operand, params);
  switch (operator) {
    // An operand of $eq/$ne/$in/$nin that looks like operators is still just a value.
    case '$eq':
      return equals(target, operand, params);
    case '$ne':
      return `NOT (${equals(target, operand, params)})`;
    case '$in':
      return isIn(target, operand as unknown[], params);
    case '$nin':
      return `NOT (${isIn(target, operand as unknown[], params)})`;
    case '$exists':
      // Missing and null are one thing to a filter, as for `{field: null}`.
      return operand ? `NOT (${equals(target, null, params)})` : equals(target, null, params);
    default:
      throw unchecked(`operator ${operator}`);
  }
}

/**
 * The value at `path` in service_fields. `jss_get_path` (plpgsql, called per row) is needed only
 * where a segment could address an array element. A segment without a digit cannot: there the
 * native `#>` reads the same value (a key on an object, NULL on an array or a scalar) about ten
 * times faster. With a digit, `#>` would differ (it reads "-1" or " 1" as an index).
 */
function pathValue(path: string[], params: SqlParams): string {
  const pathParam = params.add(path, 'text[]');
  return path.some((segment) => /[0-9]/.test(segment))
    ? `jss_get_path(service_fields, ${pathParam})`
    : `(service_fields #> ${pathParam})`;
}

function dateMillis(operand: unknown, column: string): number {
  const millis = typeof operand === 'string' ? parseJssDate(operand)?.getTime() : undefined;
  if (millis === undefined) {
    throw unchecked(`${column} compared with ${typeof operand}`);
  }
  return millis;
}

// Times travel as whole milliseconds from the epoch, so any year the SDK can read works.
const EPOCH_PLUS = (millis: string) =>
  `(timestamptz 'epoch' + ${millis} * interval '1 millisecond')`;

const dateSql = (operand: unknown, column: string, params: SqlParams) =>
  EPOCH_PLUS(params.add(String(dateMillis(operand, column)), 'bigint'));

/** Whether a segment of `path` could address an array element (see `pathValue`). */
const mayIndexArray = (path: string[]) => path.some((segment) => /[0-9]/.test(segment));

/** A JSON string, number or boolean: what containment compares as equality. */
const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * `service_fields @> {"a": {"b": value}}` for a path of object keys: true whenever the value at
 * the path equals `value`, so it narrows the candidates through the GIN index
 * (jobs_service_fields_idx) before the exact comparison reads each document. Undefined for a
 * path that may address an array element, where containment says nothing.
 */
function containing(path: string[], value: unknown, params: SqlParams): string | undefined {
  if (mayIndexArray(path)) return undefined;
  const document = path.reduceRight<unknown>(
    (inner, segment) => Object.fromEntries([[segment, inner]]),
    value,
  );
  return `service_fields @> ${params.add(JSON.stringify(document), 'jsonb')}`;
}

/** Deep JSON equality; `null` also matches a missing path; a string matches inside child_ids. */
function equals(target: Target, value: unknown, params: SqlParams): string {
  if (target.type === 'path') {
    // For a scalar, containment at a path of object keys is equality (PostgreSQL lets an array
    // contain a scalar only at the top level), so reading the value again would only cost time.
    if (isScalar(value)) {
      const narrowed = containing(target.path, value, params);
      if (narrowed) return narrowed;
    }
    const current = pathValue(target.path, params);
    if (value === null) return `${current} IS NULL OR ${current} = 'null'::jsonb`;
    const exact = `coalesce(${current} = ${params.add(JSON.stringify(value), 'jsonb')}, FALSE)`;
    const narrowed = containing(target.path, value, params);
    return narrowed ? `${narrowed} AND ${exact}` : exact;
  }
  const { column, kind } = target;
  if (value === null)
    return kind === 'text' || kind === 'text_array' ? `${column} IS NULL` : 'FALSE';
  switch (kind) {
    case 'text':
      return typeof value === 'string'
        ? textPredicate(target, `${column} = ${params.add(value, 'text')}`)
        : 'FALSE';
    case 'time':
      return `${column} = ${dateSql(value, column, params)}`;
    case 'bool':
      return typeof value === 'boolean' ? `${column} = ${params.add(value, 'boolean')}` : 'FALSE';
    case 'text_array':
      if (typeof value === 'string')
        return `coalesce(${params.add(value, 'text')} = ANY(${column}), FALSE)`;
      if (Array.isArray(value)) {
        return `coalesce(to_jsonb(${column}) = ${params.add(JSON.stringify(value), 'jsonb')}, FALSE)`;
      }
      return 'FALSE';
  }
}

/** `$in`: any of the values, each compared as `equals` would, with one parameter per type. */
function isIn(target: Target, values: unknown[], params: SqlParams): string {
  // Nothing listed matches nothing; and no parameter may be added that the SQL does not use.
  if (values.length === 0) return 'FALSE';
  const withNull = values.includes(null);
  const present = values.filter((value) => value !== null);
  const clauses: string[] = [];
  if (target.type === 'path') {
    if (!withNull && present.every(isScalar) && !mayIndexArray(target.path)) {
      return present.map((value) => `(${containing(target.path, value, params)!})`).join(' OR ');
    }
    const current = pathValue(target.path, params);
    if (withNull) clauses.push(`${current} IS NULL OR ${current} = 'null'::jsonb`);
    if (present.length > 0) {
      const list = params.add(
        present.map((value) => JSON.stringify(value)),
        'text[]',
      );
      const exact = `coalesce(${current} = ANY(${list}::jsonb[]), FALSE)`;
      // One containment per value: GIN serves an OR of them as a BitmapOr, not `@> ANY(…)`.
      const narrowed = present.map((value) => containing(target.path, value, params));
      clauses.push(
        narrowed.every((clause) => clause !== undefined)
          ? `(${narrowed.map((clause) => `(${clause})`).join(' OR ')}) AND ${exact}`
          : exact,
      );
    }
  } else {
    const { column, kind } = target;
    if (withNull) clauses.push(equals(target, null, params));
    const strings = present.filter((value): value is string => typeof value === 'string');
    switch (kind) {
      case 'text':
        if (strings.length > 0) {
          clauses.push(textPredicate(target, `${column} = ANY(${params.add(strings, 'text[]')})`));
        }
        break;
      case 'time': {
        const millis = present.map((value) => dateMillis(value, column));
        if (millis.length > 0) {
          clauses.push(
            `${column} = ANY(ARRAY(SELECT ${EPOCH_PLUS('millis')} FROM unnest(${params.add(millis.map(String), 'bigint[]')}) AS millis))`,
          );
        }
        break;
      }
      case 'bool': {
        const booleans = present.filter((value) => typeof value === 'boolean');
        if (booleans.length > 0)
          clauses.push(`${column} = ANY(${params.add(booleans, 'boolean[]')})`);
        break;
      }
      case 'text_array': {
        if (strings.length > 0)
          clauses.push(`coalesce(${column} && ${params.add(strings, 'text[]')}, FALSE)`);
        const arrays = present.filter(Array.isArray).map((value) => JSON.stringify(value));
        if (arrays.length > 0) {
          clauses.push(
            `coalesce(to_jsonb(${column}) = ANY(${params.add(arrays, 'text[]')}::jsonb[]), FALSE)`,
          );
        }
        break;
      }
    }
  }
  return clauses.length === 0 ? 'FALSE' : clauses.map((clause) => `(${clause})`).join(' OR ');
}

/**
 * `$gt`/`$gte`/`$lt`/`$lte`: only values of the operand's JSON type can match; `created` and
 * `modified` compare as times.
 */
function compare(target: Target, sqlOperator: string, operand: unknown, params: SqlParams): string {
  if (!(typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand)))) {
    throw unchecked(`comparison with ${typeof operand}`);
  }
  if (target.type === 'path') {
    const current = pathValue(target.path, params);
    return typeof operand === 'number'
      ? `coalesce(jsonb_typeof(${current}) = 'number' AND (${current})::numeric ${sqlOperator} ${params.add(String(operand), 'numeric')}, FALSE)`
      : `coalesce(jsonb_typeof(${current}) = 'string' AND (${current} #>> '{}') COLLATE "C" ${sqlOperator} ${params.add(operand, 'text')}, FALSE)`;
  }
  const { column, kind } = target;
  switch (kind) {
    case 'time':
      return `${column} ${sqlOperator} ${dateSql(operand, column, params)}`;
    case 'text':
      return typeof operand === 'string'
        ? textPredicate(target, `${column} ${sqlOperator} ${params.add(operand, 'text')}`)
        : 'FALSE';
    // An array (child_ids) or a boolean is never of the operand's type.
    case 'text_array':
    case 'bool':
      return 'FALSE';
  }
}
