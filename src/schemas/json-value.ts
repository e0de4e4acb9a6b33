import * as z from 'zod/mini';
import {
  describeValue,
  forwardIssues,
  issueAt,
  MAX_REPORTED_ISSUES,
  type Path,
  type ValidationIssue,
} from './issues';
import { FORBIDDEN_KEYS, MAX_NESTING_DEPTH } from '#protocol/body-rules';

// One rule for the SDK, the testing kit and the server (src/protocol/body-rules.ts).
export { FORBIDDEN_KEYS, MAX_NESTING_DEPTH } from '#protocol/body-rules';

/** An object literal, `JSON.parse` output or `Object.create(null)`: not an array, Date or class. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const FORBIDDEN_RULE = 'is not allowed (prototype pollution)';

export function forbiddenKeyIssue(path: Path, key: string): ValidationIssue {
  return issueAt([...path, key], FORBIDDEN_RULE, 'forbidden_key');
}

export function depthIssue(path: Path): ValidationIssue {
  return issueAt(path, `nesting is deeper than ${MAX_NESTING_DEPTH} levels`, 'too_deep');
}

export interface JsonCheckOptions {
  /**
   * Refuse keys starting with `$` at any depth: inside a filter literal such a key would be read
   * by the server as an operator, which is how operator injection gets in.
   */
  refuseOperatorKeys?: boolean;
}

/**
 * Collects every reason why `value` cannot be sent as JSON exactly as given: functions, symbols,
 * bigints, `undefined` inside arrays (JSON.stringify would turn it into null), NaN and ±Infinity
 * (they become null), class instances other than Date (they lose their state), invalid Dates,
 * forbidden keys and excessive nesting. `undefined` object properties are allowed: they are
 * simply absent, as in JSON.
 *
 * @param depth how deep `value` already is inside the argument being checked
 */
export function collectJsonIssues(
  value: unknown,
  path: Path,
  issues: ValidationIssue[],
  depth = 0,
  options: JsonCheckOptions = {},
): void {
  if (issues.length >= MAX_REPORTED_ISSUES) return;
  const refuse = (message: string, code = 'not_json') => issues.push(issueAt(path, message, code));
  const type = typeof value;
  if (type === 'string' || type === 'boolean' || value === null) return;
  if (type === 'number') {
    if (!Number.isFinite(value)) refuse(`must be a finite number, received ${value}`);
  } else if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) refuse('must be a valid Date', 'invalid_date');
  } else if (type !== 'object' || !(Array.isArray(value) || isPlainObject(value))) {
    refuse(`must be JSON data, received ${describeValue(value)}`);
  } else if (depth >= MAX_NESTING_DEPTH) {
    issues.push(depthIssue(path));
  } else {
    // Every index of an array, holes included: JSON.stringify would turn a hole into null.
    const isArray = Array.isArray(value);
    for (const key of isArray ? [...value.keys()] : Object.keys(value)) {
      const child: unknown = (value as Record<string | number, unknown>)[key];
      path.push(key);
      if (isArray && child === undefined) {
        refuse('must not be undefined inside an array (use null)');
      } else if (FORBIDDEN_KEYS.includes(key as string)) {
        refuse(FORBIDDEN_RULE, 'forbidden_key');
      } else if (options.refuseOperatorKeys && String(key).startsWith('$')) {
        refuse('is an operator-like key, not allowed in a literal', 'operator_in_literal');
      } else if (child !== undefined) {
        collectJsonIssues(child, path, issues, depth + 1, options);
      }
      path.pop();
    }
  }
}

/**
 * Checks JSON data one level below the argument (log `data`, a job's `serviceFields`) with
 * {@link collectJsonIssues}, inside a zod parse: the issues it finds are reported at their paths
 * along with the rest of the argument's.
 */
export function refineJsonData(value: unknown, context: z.core.$RefinementCtx): void {
  const issues: ValidationIssue[] = [];
  collectJsonIssues(value, [], issues, 1);
  forwardIssues(issues, context);
}

/** Any JSON value one level below the argument (log `data`), checked to its leaves. */
export const jsonDataSchema = z.unknown().check(z.superRefine(refineJsonData));
