import { compareCodePoints } from './order';

/**
 * JSON text with object keys sorted at every depth, so that two requests that mean the same thing
 * compare equal whatever their key order. Built as text: rebuilding objects would mishandle a
 * `"__proto__"` key.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((element) => canonicalJson(element)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort(compareCodePoints);
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  // `undefined` (absent) reads as null, as it would after a JSON round trip inside an array.
  return JSON.stringify(value) ?? 'null';
}
