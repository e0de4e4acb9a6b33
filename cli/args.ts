// Turning flag values into SDK inputs: status lists, JSON filters, `key=value` service fields.
import { JOB_STATUSES, type JobFilter } from 'job-status-client';
import { UsageError } from './errors';

/** Keys that would reach an object's prototype instead of a field of its own. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `--status WORKING,FAILED` → the statuses, upper-cased; refuses statuses nobody defined. */
export function parseStatuses(value: string): string[] {
  const statuses = value
    .split(',')
    .map((part) => part.trim().toUpperCase())
    .filter((part) => part !== '');
  if (statuses.length === 0) throw new UsageError('--status needs at least one status');
  for (const status of statuses) {
    if (!(JOB_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(
        `--status: unknown status "${status}" (statuses: ${JOB_STATUSES.join(', ')})`,
      );
    }
  }
  return statuses;
}

/** One status (`--status` of create and update). */
export function parseStatus(value: string): string {
  const [status, ...more] = parseStatuses(value);
  if (more.length > 0 || status === undefined) throw new UsageError('--status takes one status');
  return status;
}

/** `--limit 20` → 20; refuses anything but an integer from 1 to `max`. */
export function parseLimit(value: string, max: number): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1 || limit > max) {
    throw new UsageError(`--limit must be an integer from 1 to ${max}`);
  }
  return limit;
}

/** `--timeout 30s` / `--timeout 500ms` / `--timeout 2m` / `--timeout 1000` (ms) → milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new UsageError(`${flag} must be a duration such as 500ms, 30s, 2m or 1h`);
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 'ms'] ?? 1;
  const ms = Math.round(Number(match[1]) * scale);
  if (ms < 1) throw new UsageError(`${flag} must be at least 1ms`);
  return ms;
}

/** `--filter '{"serviceFields.kind":"upload"}'` → the filter object; must be a JSON object. */
export function parseFilter(value: string): JobFilter {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new UsageError('--filter must be a JSON object, e.g. --filter \'{"service":"upload"}\'');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError('--filter must be a JSON object');
  }
  refuseForbiddenKeys(parsed, '--filter');
  return parsed as JobFilter;
}

function refuseForbiddenKeys(value: unknown, flag: string): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(key)) throw new UsageError(`${flag}: the key "${key}" is not allowed`);
    refuseForbiddenKeys(inner, flag);
  }
}

/**
 * A value given on the command line: JSON when it parses as JSON (`3`, `true`, `null`,
 * `{"a":1}`, `"quoted"`), else the text itself (`red`, `file.txt`).
 */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * `k=v` pairs into one object; a dotted key nests (`a.b=1` → `{ a: { b: 1 } }`). Refuses a pair
 * without `=`, an empty key or key part, prototype keys, and a key given twice.
 */
export function parseAssignments(pairs: readonly string[], flag: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`${flag} takes key=value, not "${pair}"`);
    const parts = pair.slice(0, equals).split('.');
    if (parts.some((part) => part === '')) {
      throw new UsageError(`${flag}: "${pair.slice(0, equals)}" has an empty key part`);
    }
    const value = parseValue(pair.slice(equals + 1));
    refuseForbiddenKeys({ [parts.join('.')]: value }, flag);
    let target = result;
    for (const [index, part] of parts.entries()) {
      if (FORBIDDEN_KEYS.has(part))
        throw new UsageError(`${flag}: the key "${part}" is not allowed`);
      const last = index === parts.length - 1;
      const existing = target[part];
      if (last) {
        if (Object.hasOwn(target, part)) {
          throw new UsageError(`${flag}: "${parts.join('.')}" is given twice`);
        }
        target[part] = value;
      } else if (existing === undefined) {
        const inner: Record<string, unknown> = {};
        target[part] = inner;
        target = inner;
      } else if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) {
        target = existing as Record<string, unknown>;
      } else {
        throw new UsageError(`${flag}: "${parts.slice(0, index + 1).join('.')}" is given twice`);
      }
    }
  }
  return result;
}

/** Collects a repeatable flag's values (commander's `argParser` for `--set a=1 --set b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
