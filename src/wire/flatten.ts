import { mapKeysDeep, type KeyConverter } from './deep-keys';
import { escapeKeySegment } from '#protocol/dotted-path';
import { isRecord, setOwn } from '#protocol/plain';

/** Whether a value of the tree is written whole, as one key, though it is a container. */
export type LeafTest = (value: unknown) => boolean;

/** How the keys of a flattened body are written (see ./encode for the three sets in use). */
export interface DottedKeyRules {
  /** Each object key on the way down, before its `.` is escaped and it joins the path. */
  segment: KeyConverter;
  /** Each finished dotted key, `prefix.<segment>…`, as a whole. */
  path: KeyConverter;
  /** The keys inside a value that is written whole. */
  inner: KeyConverter;
}

/** How many children `value` has to descend into: 0 for anything but an array or a record. */
function childCount(value: unknown): number {
  return Array.isArray(value) ? value.length : isRecord(value) ? Object.keys(value).length : 0;
}

/**
 * Writes every leaf of `container` into `out` as `prefix.<segment>.<segment>…`, depth first in
 * the container's own key order (the legacy byte order). Object keys go through `keys.segment`,
 * then have `.` escaped; arrays contribute their indices; the joined key goes through
 * `keys.path`. A leaf is anything but a non-empty container, or a container `isLeaf` names (an
 * object of `$` operators in a filter, every child in replace mode): it is written whole, its
 * inner keys through `keys.inner` and Dates as ISO strings. So an empty object or array reaches
 * the server as `{}` / `[]`, and a hole or `undefined` element is sent as null, which is what
 * JSON would make of it.
 */
export function flattenInto(
  out: Record<string, unknown>,
  prefix: string,
  container: Record<string, unknown> | unknown[],
  keys: DottedKeyRules,
  isLeaf: LeafTest,
): void {
  const entries = Array.isArray(container)
    ? Array.from(container, (element: unknown, index) => [String(index), element ?? null] as const)
    : Object.entries(container);
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    // An index is left as it is by every converter and holds no `.`.
    const path = `${prefix}.${escapeKeySegment(keys.segment(key))}`;
    if (childCount(value) > 0 && !isLeaf(value)) {
      flattenInto(out, path, value as Record<string, unknown>, keys, isLeaf);
    } else {
      setOwn(out, keys.path(path), mapKeysDeep(value, keys.inner));
    }
  }
}
