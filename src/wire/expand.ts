import { memoizeKeys } from './casing';
import type { KeyConverter } from './deep-keys';
import { unescapeKeySegment } from '#protocol/dotted-path';
import { isRecord, setOwn } from '#protocol/plain';

/**
 * Whether `keys` are exactly `"0"` … `"n-1"` (n >= 1) in canonical decimal form. Compared as
 * numbers, not as sorted strings: the legacy client missed arrays of 11+ because "10" < "2".
 */
export function isIndexKeyed(keys: readonly string[]): boolean {
  // n distinct keys, each a canonical integer below n, can only be 0 … n-1. Read digit by digit:
  // service fields are full of such objects, and this is the hot loop of decoding.
  for (const key of keys) {
    if (key === '' || (key.length > 1 && key[0] === '0')) return false; // "01" is not an index
    let index = 0;
    for (let position = 0; position < key.length; position++) {
      const digit = key.charCodeAt(position) - 48;
      index = index * 10 + digit;
      if (!(digit >= 0 && digit <= 9) || index >= keys.length) return false;
    }
  }
  return keys.length > 0;
}

/** A value below the top of service fields: index-keyed objects rebuilt into arrays. */
function expandValue(value: unknown, finalKey: KeyConverter): unknown {
  // The hot loop of decoding: plain loops rather than `map` and its closure, and an object is only
  // checked for index keys when it has a `"0"` (JSON values are never undefined).
  if (Array.isArray(value)) {
    const elements = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      elements[index] = expandValue(value[index], finalKey);
    }
    return elements;
  }
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (value['0'] !== undefined && isIndexKeyed(keys)) {
    // Keys are exactly "0" … "n-1": reading by number is the same property, without a string.
    const elements = new Array<unknown>(keys.length);
    for (let index = 0; index < keys.length; index++) {
      elements[index] = expandValue((value as unknown as unknown[])[index], finalKey);
    }
    return elements;
  }
  return expandEntries(value, keys, finalKey);
}

function expandEntries(
  value: Record<string, unknown>,
  keys: readonly string[],
  finalKey: KeyConverter,
): Record<string, unknown> {
  const expanded: Record<string, unknown> = {};
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    setOwn(expanded, finalKey(key), expandValue(value[key], finalKey));
  }
  return expanded;
}

/**
 * Service fields (or a log entry's `data`) as the SDK returns them: keys passed through
 * `finalKey` (see {@link serviceFieldKeyOf}), and every object keyed exactly `"0"` … `"n-1"`
 * rebuilt into an array, at every depth below the top. The top level stays as it came: an object
 * keyed `"0"`, `"1"` is kept an object, so that it is still `ServiceFields` and can be written
 * back (the legacy client rebuilt arrays only below the top too). Sparse or non-contiguous keys
 * stay an object. Values are copied, never changed.
 */
export function expandServiceFields(value: unknown, finalKey: KeyConverter): unknown {
  return isRecord(value)
    ? expandEntries(value, Object.keys(value), finalKey)
    : expandValue(value, finalKey);
}

/**
 * A service-field key as the SDK returns it: passed through `convertKey`, then `(dot)` turned back
 * into `.`. Remembered, as an answer repeats the same few keys in every job, so call this once
 * per converter, not per answer.
 */
export function serviceFieldKeyOf(convertKey: KeyConverter): KeyConverter {
  return memoizeKeys((key) => unescapeKeySegment(convertKey(key)));
}
