import type { KeyConverter } from './deep-keys';
import { unescapeKeySegment } from './dotted-path';
import { isRecord, setOwn } from './plain';

const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * Whether `keys` are exactly `"0"` … `"n-1"` (n >= 1) in canonical decimal form. Compared as
 * numbers, not as sorted strings: the legacy client missed arrays of 11+ because "10" < "2".
 */
export function isIndexKeyed(keys: readonly string[]): boolean {
  const count = keys.length;
  if (count === 0) return false;
  // n distinct keys, each a canonical integer below n, can only be 0 … n-1.
  for (const key of keys) {
    if (key.length === 0) return false;
    if (key.length > 1 && key.charCodeAt(0) === DIGIT_0) return false; // "01" is not an index
    let index = 0;
    for (let position = 0; position < key.length; position++) {
      const code = key.charCodeAt(position);
      if (code < DIGIT_0 || code > DIGIT_9) return false;
      index = index * 10 + (code - DIGIT_0);
      if (index >= count) return false;
    }
  }
  return true;
}

/**
 * Service fields as the SDK returns them: keys passed through `convertKey`, `(dot)` in keys
 * turned back into `.`, and every object keyed exactly `"0"` … `"n-1"` rebuilt into an array, at
 * every depth. Sparse or non-contiguous keys stay an object. Values are copied, never changed.
 */
export function expandServiceFields(value: unknown, convertKey: KeyConverter): unknown {
  if (Array.isArray(value)) {
    return value.map((element: unknown) => expandServiceFields(element, convertKey));
  }
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (isIndexKeyed(keys)) {
    const elements: unknown[] = new Array<unknown>(keys.length);
    for (let index = 0; index < keys.length; index++) {
      elements[index] = expandServiceFields(value[String(index)], convertKey);
    }
    return elements;
  }
  const expanded: Record<string, unknown> = {};
  for (const key of keys) {
    setOwn(
      expanded,
      unescapeKeySegment(convertKey(key)),
      expandServiceFields(value[key], convertKey),
    );
  }
  return expanded;
}
