import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, so that two bodies that mean the same thing
 * (keys in another order, other whitespace) compare equal. Written out directly rather than
 * rebuilding objects, which would trip over a `__proto__` key.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A short stable fingerprint of a JSON value. */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
