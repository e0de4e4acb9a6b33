import type * as z from 'zod/mini';
import { RequestValidationError, type ValidationIssue } from '../errors';

export type { ValidationIssue };

/** Enough issues to fix the input; a pathological input must not build a megabyte message. */
export const MAX_REPORTED_ISSUES = 20;

/**
 * Names a value's kind the way a JavaScript developer would read it; never the value itself, which
 * may be a secret or personal data.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)
      ?.constructor?.name;
    return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
  }
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}

function rangeRule(
  origin: string,
  bound: number | bigint,
  inclusive: boolean | undefined,
  side: 'min' | 'max',
): string {
  if (origin === 'string') {
    if (side === 'min' && bound === 1) return 'must not be empty';
    return `must be ${side === 'min' ? 'at least' : 'at most'} ${bound} characters long`;
  }
  if (origin === 'array') {
    return `must have ${side === 'min' ? 'at least' : 'at most'} ${bound} elements`;
  }
  const operator = side === 'min' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  return `must be ${operator} ${bound}`;
}

/**
 * zod/mini ships without locale messages (loading one is a global side effect on the caller's own
 * zod), so every issue without a schema-specific message is described here.
 */
export function describeZodIssue(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${issue.expected === 'int' ? 'an integer' : `of type ${issue.expected}`}, received ${describeValue(issue.input)}`;
    case 'too_small':
      return rangeRule(issue.origin, issue.minimum, issue.inclusive, 'min');
    case 'too_big':
      return rangeRule(issue.origin, issue.maximum, issue.inclusive, 'max');
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'invalid_union':
      return 'does not match any accepted form';
    default:
      return 'is invalid';
  }
}

/** Turns zod's issues into ours, one issue per unknown key so each message names its field. */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: (string | number)[] = [],
): ValidationIssue[] {
  const result: ValidationIssue[] = [];
  for (const issue of issues) {
    const path = [
      ...prefix,
      ...issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
    ];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        result.push({ path: [...path, key], message: issue.message, code: issue.code });
      }
    } else {
      result.push({ path, message: issue.message, code: issue.code });
    }
  }
  return result.slice(0, MAX_REPORTED_ISSUES);
}

/** Options for every `safeParse` of ours: our own messages instead of zod's bare "Invalid input". */
export const parseContext = { error: describeZodIssue } as const;

/**
 * Validates a caller's argument before anything is sent.
 *
 * @param argument the argument's name, the first segment of every issue's path (`update`, …)
 * @throws RequestValidationError naming each field and broken rule
 */
export function parseInput<Schema extends z.ZodMiniType>(
  schema: Schema,
  value: unknown,
  argument: string,
): z.output<Schema> {
  const result = schema.safeParse(value, parseContext);
  if (!result.success) {
    throw new RequestValidationError(fromZodIssues(result.error.issues, [argument]));
  }
  return result.data as z.output<Schema>;
}

/** Throws the issues collected by a hand-written check, if there are any. */
export function throwIfIssues(issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new RequestValidationError(issues.slice(0, MAX_REPORTED_ISSUES));
}
