import { describeValue, MAX_REPORTED_ISSUES, type ValidationIssue } from './issues';

/** Deeper nesting is refused: it is never real data, and it would overflow recursive code. */
export const MAX_NESTING_DEPTH = 64;

/**
 * Keys that would reach `Object.prototype` through naive merging on a server or in another client
 * (prototype pollution); refused at every depth of everything the SDK sends.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** An object literal, `JSON.parse` output or `Object.create(null)`: not an array, Date or class. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function forbiddenKeyIssue(path: (string | number)[], key: string): ValidationIssue {
  return {
    path: [...path, key],
    message: `the key "${key}" is not allowed (prototype pollution)`,
    code: 'forbidden_key',
  };
}

export function depthIssue(path: (string | number)[]): ValidationIssue {
  return {
    path: [...path],
    message: `nesting is deeper than ${MAX_NESTING_DEPTH} levels`,
    code: 'too_deep',
  };
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
  path: (string | number)[],
  issues: ValidationIssue[],
  depth = 0,
  options: JsonCheckOptions = {},
): void {
  if (issues.length >= MAX_REPORTED_ISSUES) return;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        issues.push({
          path: [...path],
          message: `must be a finite number, received ${value}`,
          code: 'not_json',
        });
      }
      return;
    case 'object':
      break;
    default:
      issues.push({
        path: [...path],
        message: `must be a JSON value, received ${describeValue(value)}`,
        code: 'not_json',
      });
      return;
  }
  if (value === null) return;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      issues.push({ path: [...path], message: 'must be a valid Date', code: 'invalid_date' });
    }
    return;
  }
  if (depth >= MAX_NESTING_DEPTH) {
    issues.push(depthIssue(path));
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const element: unknown = value[index];
      if (element === undefined) {
        issues.push({
          path: [...path, index],
          message: 'must not be undefined inside an array (use null)',
          code: 'not_json',
        });
        continue;
      }
      path.push(index);
      collectJsonIssues(element, path, issues, depth + 1, options);
      path.pop();
    }
    return;
  }
  if (!isPlainObject(value)) {
    issues.push({
      path: [...path],
      message: `must be plain JSON data, received ${describeValue(value)}`,
      code: 'not_json',
    });
    return;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) {
      issues.push(forbiddenKeyIssue(path, key));
      continue;
    }
    if (options.refuseOperatorKeys && key.startsWith('$')) {
      issues.push({
        path: [...path, key],
        message: `a literal value must not contain the operator-like key "${key}"`,
        code: 'operator_in_literal',
      });
      continue;
    }
    const child = value[key];
    if (child === undefined) continue;
    path.push(key);
    collectJsonIssues(child, path, issues, depth + 1, options);
    path.pop();
  }
}
