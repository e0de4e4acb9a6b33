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

// An answer repeats the same few service-field keys in every job, so each converter's final form
// of a key (converted, then `(dot)` unescaped) is worked out once and remembered. Bounded like the
// caches of ./casing: cleared wholesale when full.
const CACHE_LIMIT = 2000;
const finalKeyCaches = new WeakMap<KeyConverter, Map<string, string>>();

function finalKeyCacheOf(convertKey: KeyConverter): Map<string, string> {
  let cache = finalKeyCaches.get(convertKey);
  if (cache === undefined) {
    cache = new Map();
    finalKeyCaches.set(convertKey, cache);
  }
  return cache;
}

function finalKey(key: string, convertKey: KeyConverter, cache: Map<string, string>): string {
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const converted = unescapeKeySegment(convertKey(key));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, converted);
  return converted;
}

function expand(value: unknown, convertKey: KeyConverter, cache: Map<string, string>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    return value.map((element: unknown) => expand(element, convertKey, cache));
  }
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (isIndexKeyed(keys)) {
    // Keys are exactly "0" … "n-1": reading by number is the same property, without a string.
    const indexed = value as unknown as ArrayLike<unknown>;
    const elements: unknown[] = new Array<unknown>(keys.length);
    for (let index = 0; index < keys.length; index++) {
      elements[index] = expand(indexed[index], convertKey, cache);
    }
    return elements;
  }
  const expanded: Record<string, unknown> = {};
  for (const key of keys) {
    setOwn(expanded, finalKey(key, convertKey, cache), expand(value[key], convertKey, cache));
  }
  return expanded;
}

/**
 * Service fields as the SDK returns them: keys passed through `convertKey`, `(dot)` in keys
 * turned back into `.`, and every object keyed exactly `"0"` … `"n-1"` rebuilt into an array, at
 * every depth. Sparse or non-contiguous keys stay an object. Values are copied, never changed.
 * `convertKey` must be pure (the same key always gives the same result): its results are
 * remembered across calls.
 */
export function expandServiceFields(value: unknown, convertKey: KeyConverter): unknown {
  return expand(value, convertKey, finalKeyCacheOf(convertKey));
}
