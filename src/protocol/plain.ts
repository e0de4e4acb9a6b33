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
