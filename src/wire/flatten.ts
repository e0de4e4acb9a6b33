import { dateToWire } from './dates';
import { mapKeysDeep, type KeyConverter } from './deep-keys';
import { escapeKeySegment } from './dotted-path';
import { isEmptyContainer, isOperatorObject, isRecord, setOwn } from './plain';

/** How {@link flattenInto} reads the tree. */
export interface FlattenOptions {
  /** Applied to every object key before it is escaped into a path segment. */
  convertKey: KeyConverter;
  /** Filters: an object of `$` operators is one leaf (`"a.n": {"$in": [1, 2]}`), not a path. */
  operatorLeaves: boolean;
}

/**
 * Writes every leaf of `container` into `out` as `prefix.<segment>.<segment>…`, depth first in
 * the container's own key order (the legacy byte order). Arrays contribute their indices as
 * segments; an empty object or array is a leaf of its own (`{}` / `[]`) so that it reaches the
 * server; a `null` element stays; Dates become ISO strings.
 */
export function flattenInto(
  out: Record<string, unknown>,
  prefix: string,
  container: Record<string, unknown> | unknown[],
  options: FlattenOptions,
): void {
  if (Array.isArray(container)) {
    for (let index = 0; index < container.length; index++) {
      // A hole or undefined element is sent as null, which is what JSON would make of it.
      writeLeafOrDescend(out, `${prefix}.${index}`, container[index] ?? null, options);
    }
    return;
  }
  for (const key of Object.keys(container)) {
    const value = container[key];
    if (value === undefined) continue;
    writeLeafOrDescend(
      out,
      `${prefix}.${escapeKeySegment(options.convertKey(key))}`,
      value,
      options,
    );
  }
}

function writeLeafOrDescend(
  out: Record<string, unknown>,
  path: string,
  value: unknown,
  options: FlattenOptions,
): void {
  if (value instanceof Date) {
    setOwn(out, path, dateToWire(value));
  } else if (options.operatorLeaves && isOperatorObject(value)) {
    setOwn(out, path, mapKeysDeep(value, options.convertKey));
  } else if (Array.isArray(value) || isRecord(value)) {
    if (isEmptyContainer(value)) setOwn(out, path, Array.isArray(value) ? [] : {});
    else flattenInto(out, path, value, options);
  } else {
    setOwn(out, path, value);
  }
}

/**
 * Replace mode: each top-level property of `container` becomes one key `prefix.<segment>`
 * carrying the whole value (its inner keys converted, Dates as ISO strings).
 */
export function replaceInto(
  out: Record<string, unknown>,
  prefix: string,
  container: Record<string, unknown> | unknown[],
  convertKey: KeyConverter,
): void {
  if (Array.isArray(container)) {
    container.forEach((element: unknown, index) => {
      setOwn(out, `${prefix}.${index}`, mapKeysDeep(element ?? null, convertKey));
    });
    return;
  }
  for (const key of Object.keys(container)) {
    const value = container[key];
    if (value === undefined) continue;
    setOwn(out, `${prefix}.${escapeKeySegment(convertKey(key))}`, mapKeysDeep(value, convertKey));
  }
}
