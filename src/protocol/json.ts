import { setOwn } from './plain';

/** `JSON.parse` output or an object literal: not an array, Date or class instance. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A deep copy of a JSON value, safe against `"__proto__"` keys. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((element: unknown) => cloneJson(element)) as T;
  if (!isJsonObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(copy, key, cloneJson(value[key]));
  return copy as T;
}

/** Deep JSON equality: same type, same array order, same object keys in any order. */
export function jsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left)) {
    return (
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((element: unknown, index) => jsonEqual(element, right[index]))
    );
  }
  if (!isJsonObject(left) || !isJsonObject(right)) return false;
  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  return leftKeys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]));
}

/** A canonical array index segment: `0`, `7`, `10`, never `01`, `-1` or `1.5`. */
export function isIndexSegment(segment: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(segment);
}
