// Small helpers shared by the encoders and decoders.

/** A value the mappers descend into: any object that is not an array, a Date or null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/**
 * Stores `value` under `key` as an own data property. A plain assignment to `"__proto__"` would
 * replace the object's prototype instead (prototype pollution), so that one key is defined.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/**
 * An object of Mongo-style operators: at least one key and every key starting with `$`. Filters
 * treat it as a leaf; a mix of `$` keys and field keys is not one (validation refuses mixes).
 */
export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

/**
 * Names a value's kind the way a JavaScript developer would read it; never the value itself, which
 * may be a secret or personal data.
 */
export function describeValue(value: unknown): string {
  if (value == null || (typeof value === 'number' && !Number.isFinite(value))) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)
    ?.constructor?.name;
  return !name || name === 'Object'
    ? 'an object'
    : name === 'Date'
      ? 'a Date'
      : `an instance of ${name}`;
}
