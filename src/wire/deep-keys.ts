import { dateToWire } from '#protocol/dates';
import { isRecord, setOwn } from '#protocol/plain';

/** Turns one key into its other form (see ./casing), or keeps it. */
export type KeyConverter = (key: string) => string;

/** The converter of verbatim mode. */
export const keepKey: KeyConverter = (key) => key;

/**
 * A fresh copy of `value` with every object key at every depth passed through `convertKey`, and
 * Dates written as ISO strings. `undefined` is treated as `JSON.stringify` would: an absent
 * property, or `null` inside an array. Other values are copied as they are.
 */
export function mapKeysDeep(value: unknown, convertKey: KeyConverter): unknown {
  if (value instanceof Date) return dateToWire(value);
  if (Array.isArray(value)) {
    return value.map((element: unknown) =>
      element === undefined ? null : mapKeysDeep(element, convertKey),
    );
  }
  if (!isRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const child = value[key];
    if (child !== undefined) setOwn(copy, convertKey(key), mapKeysDeep(child, convertKey));
  }
  return copy;
}
