import type * as z from 'zod/mini';
import { RequestValidationError, type ValidationIssue } from '../errors';

export type { ValidationIssue };
import { describeValue } from '#protocol/plain';

export { describeValue };

/** Where a value sits inside the argument being checked: `['job', 'serviceFields', 'files', 0]`. */
export type Path = (string | number)[];

/** Enough issues to fix the input; a pathological input must not build a megabyte message. */
export const MAX_REPORTED_ISSUES = 20;

/** `true` when `A` and `B` are the same type (not merely assignable to each other), else `false`. */
export type IsSameType<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Compiles only for `true`. A public type written out for its documentation states
 * `AssertTrue<IsSameType<Written, z.input<typeof schema>>>`, so that the two cannot drift.
 */
export type AssertTrue<T extends true> = T;

/** Any object but an array (or null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An issue at a copy of `path` (the checks push and pop one path array as they descend). */
export function issueAt(path: Path, message: string, code = 'invalid_value'): ValidationIssue {
  return { path: [...path], message, code };
}

/**
 * Why `key` is refused, given the `allowed` names: a hint when only its case is wrong, else the
 * list of names, after `listed` (`is not an option of this call (options: …)`). Undefined when
 * `key` is allowed.
 */
export function unknownOptionRule(
  key: string,
  allowed: readonly string[],
  listed = 'is not an option',
): string | undefined {
  if (allowed.includes(key)) return undefined;
  const hint = allowed.find((name) => name.toLowerCase() === key.toLowerCase());
  return hint
    ? `is not an option; did you mean "${hint}"?`
    : `${listed} (options: ${[...new Set(allowed)].join(', ')})`;
}

// The table-driven checks below serve what zod does not validate: the client's options (checked
// once, in the constructor) and the literals of a filter. Requests and responses go through zod.

/**
 * A hand-written check of one value. It returns the rule the value breaks (reported at `path`),
 * or pushes issues of its own for what lies deeper, or returns nothing when the value is fine.
 */
export type Check = (
  value: unknown,
  path: Path,
  issues: ValidationIssue[],
) => string | undefined | void;

/** Runs `check` and reports the rule it returns at `path`. */
export function runCheck(
  check: Check,
  value: unknown,
  path: Path,
  issues: ValidationIssue[],
): void {
  const message = check(value, path, issues);
  if (message) issues.push(issueAt(path, message));
}

/**
 * A check of an object's fields. Each field's check also sees `undefined` (an absent field), so
 * it decides whether the field is required.
 */
export function objectCheck(fields: Record<string, Check>): Check {
  return (value, path, issues) => {
    if (!isRecord(value)) return `must be an object, received ${describeValue(value)}`;
    for (const key in fields) runCheck(fields[key] as Check, value[key], [...path, key], issues);
  };
}

/** A check of an optional member of `allowed`. */
export function oneOfCheck(allowed: readonly string[]): Check {
  const rule = `must be one of ${allowed.join(', ')}`;
  return (value) => (value === undefined || allowed.includes(value as string) ? undefined : rule);
}

/** `check`, skipped for an absent value. */
export function optional(check: Check): Check {
  return (value, path, issues) => (value === undefined ? undefined : check(value, path, issues));
}

/** A check of an optional value that is null or passes `test`; `kind` names what passes. */
export function nullableCheck(kind: string, test: (value: unknown) => boolean): Check {
  return (value) =>
    value == null || test(value)
      ? undefined
      : `must be ${kind} or null, received ${describeValue(value)}`;
}

/** A check of a finite number that passes `test`; `rule` names both (`a finite number > 0`). */
export function numberCheck(test: (value: number) => boolean, rule: string): Check {
  return (value) =>
    typeof value === 'number' && Number.isFinite(value) && test(value)
      ? undefined
      : `must be ${rule}`;
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
 * The rule a zod issue breaks. zod/mini ships without locale messages (loading one is a global side
 * effect on the caller's own zod), so every issue without a schema-specific message is described
 * here.
 */
function describeZodIssue(issue: z.core.$ZodRawIssue): string {
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
      return 'is not a known field';
    default:
      return 'does not match any accepted form';
  }
}

/** Options for every `safeParse` of ours: our own messages instead of zod's bare "Invalid input". */
export const parseContext = { error: describeZodIssue } as const;

/**
 * Hands issues found by a hand-written check (see `collectJsonIssues`) to zod, at their paths and
 * with their codes, so that one parse reports them along with the schema's own.
 */
export function forwardIssues(
  issues: readonly ValidationIssue[],
  context: z.core.$RefinementCtx,
): void {
  for (const { path, message, code } of issues) {
    context.addIssue({ code: 'custom', message, path, input: undefined, params: { code } });
  }
}

/**
 * Turns zod's issues into ours, under `prefix`: one issue per unknown key so that each message
 * names its field, and a forwarded issue with its own code (see {@link forwardIssues}). Capped.
 */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: Path = [],
): ValidationIssue[] {
  const result: ValidationIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as Path)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) result.push(issueAt([...path, key], issue.message, issue.code));
    } else {
      const forwarded = issue.code === 'custom' ? (issue.params?.code as string | undefined) : '';
      result.push(issueAt(path, issue.message, forwarded || issue.code));
    }
  }
  return result.slice(0, MAX_REPORTED_ISSUES);
}

/**
 * Validates a caller's argument before anything is sent.
 *
 * @param argument the argument's name, the first segment of every issue's path (`update`, …)
 * @returns the schema's output (for an object schema, a copy holding only its known fields)
 * @throws RequestValidationError naming each field and broken rule
 */
export function parseInput<Schema extends z.ZodMiniType>(
  schema: Schema,
  value: unknown,
  argument: string,
): z.output<Schema> {
  const result = schema.safeParse(value, parseContext);
  if (!result.success) throwIfIssues(fromZodIssues(result.error.issues, [argument]));
  return result.data as z.output<Schema>;
}

/** Throws the issues collected by a hand-written check, if there are any. */
export function throwIfIssues(issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new RequestValidationError(issues.slice(0, MAX_REPORTED_ISSUES));
}
