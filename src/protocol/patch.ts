import { splitDottedPath } from './dotted-path';
import { setOwn } from './plain';
import { isForbiddenKey, MAX_NESTING_DEPTH } from './body-rules';
import { ModelError } from './errors';
import { SERVICE_FIELDS_PREFIX } from './fields';
import { cloneJson, isIndexSegment, isJsonObject } from './json';
import type { JobRecord } from './types';
import { STATUS_PATTERN } from './statuses';

/**
 * How far past its end a `$set` may extend an array. Padding is with nulls, so one small key
 * like `a.999999999` would otherwise build an enormous array.
 */
export const MAX_ARRAY_PADDING = 10_000;

/**
 * The most keys one PATCH body may hold. With the padding bound, it bounds the document one
 * small body can build.
 */
export const MAX_PATCH_KEYS = 1000;

/** The largest `service_fields` a PATCH may leave, as JSON text in UTF-8 bytes. */
export const MAX_SERVICE_FIELDS_BYTES = 1024 * 1024;

/** @throws ModelError `payload_too_large` when `serviceFields` is over {@link MAX_SERVICE_FIELDS_BYTES} */
export function checkServiceFieldsSize(serviceFields: unknown): void {
  const text = JSON.stringify(serviceFields) ?? 'null';
  // A UTF-16 unit takes 1 to 3 bytes of UTF-8: most documents are decided without encoding.
  if (text.length * 3 <= MAX_SERVICE_FIELDS_BYTES) return;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_SERVICE_FIELDS_BYTES) {
    throw new ModelError(
      'payload_too_large',
      `service_fields would be ${bytes} bytes of JSON; at most ${MAX_SERVICE_FIELDS_BYTES} (serviceFieldsBytes)`,
    );
  }
}

/** @throws ModelError `invalid_body` for a body of more than {@link MAX_PATCH_KEYS} keys */
export function checkPatchSize(patch: Record<string, unknown>): void {
  if (Object.keys(patch).length > MAX_PATCH_KEYS) {
    throw new ModelError(
      'invalid_body',
      `a PATCH may set at most ${MAX_PATCH_KEYS} keys (patchKeys)`,
    );
  }
}

type FieldCheck = (value: unknown) => boolean;

const isTextOrNull: FieldCheck = (value) => typeof value === 'string' || value === null;

/** The top-level fields a PATCH may set, each with the values it accepts. */
const UPDATABLE_FIELDS: ReadonlyMap<string, FieldCheck> = new Map([
  ['job_name', isTextOrNull],
  ['current_host', isTextOrNull],
  ['current_stage', isTextOrNull],
  [
    'child_ids',
    (value) =>
      value === null ||
      (Array.isArray(value) && value.every((element) => typeof element === 'string')),
  ],
]);

/**
 * Checks one top-level key of a PATCH body and its value.
 *
 * @throws ModelError `field_not_updatable`, `invalid_status` or `invalid_body`
 */
export function checkUpdatableField(key: string, value: unknown): void {
  if (key === 'status') {
    if (typeof value !== 'string' || !STATUS_PATTERN.test(value)) {
      throw new ModelError('invalid_status', 'status must be an upper-case word ([A-Z_]+)');
    }
    return;
  }
  const check = UPDATABLE_FIELDS.get(key);
  if (check === undefined) {
    throw new ModelError(
      'field_not_updatable',
      `${key} is not updatable (updatable: job_name, child_ids, service_fields.*, current_host, current_stage, status)`,
    );
  }
  if (!check(value)) throw new ModelError('invalid_body', `${key} has the wrong type`);
}

/** Whether `container` can take `segment` as it is, without being replaced by an object. */
function canHold(container: unknown, segment: string): boolean {
  return isJsonObject(container) || (Array.isArray(container) && isIndexSegment(segment));
}

function childOf(container: Record<string, unknown> | unknown[], segment: string): unknown {
  if (Array.isArray(container)) return container[Number(segment)];
  return Object.hasOwn(container, segment) ? container[segment] : undefined;
}

function put(
  container: Record<string, unknown> | unknown[],
  segment: string,
  value: unknown,
): void {
  if (!Array.isArray(container)) {
    setOwn(container, segment, value);
    return;
  }
  const index = Number(segment);
  if (index - container.length > MAX_ARRAY_PADDING) {
    throw new ModelError(
      'invalid_body',
      `index ${segment} is more than ${MAX_ARRAY_PADDING} past the end of the array`,
    );
  }
  while (container.length < index) container.push(null);
  container[index] = value;
}

/**
 * Sets `value` at `segments` under `root` (mutating the copy it is given) and returns the new
 * root. Whatever stands in the way and cannot take the next segment (a scalar, null, a missing
 * value, or an array met with a non-numeric segment) is replaced by an empty object.
 */
function setPath(root: unknown, segments: readonly string[], value: unknown): unknown {
  const first = segments[0] ?? '';
  const top = canHold(root, first) ? (root as Record<string, unknown> | unknown[]) : {};
  let holder = top;
  for (let depth = 0; depth < segments.length - 1; depth++) {
    const segment = segments[depth] ?? '';
    const next = segments[depth + 1] ?? '';
    const child = childOf(holder, segment);
    if (canHold(child, next)) {
      holder = child as Record<string, unknown> | unknown[];
    } else {
      const replacement: Record<string, unknown> = {};
      put(holder, segment, replacement);
      holder = replacement;
    }
  }
  put(holder, segments[segments.length - 1] ?? '', value);
  return top;
}

/**
 * A `$set` path nests as deep as it has segments: held to the body's nesting limit, so that one
 * key of many dots cannot build a document no recursive reader can walk.
 *
 * @throws ModelError `invalid_body`
 */
export function checkPathLength(segments: readonly string[]): void {
  if (segments.length > MAX_NESTING_DEPTH) {
    throw new ModelError(
      'invalid_body',
      `a service_fields path may have at most ${MAX_NESTING_DEPTH} segments`,
    );
  }
}

/**
 * The segments of a `service_fields.<path>` key of a PATCH body.
 *
 * @throws ModelError `invalid_body` for a path too deep or with a forbidden segment
 */
export function serviceFieldPath(key: string): string[] {
  const segments = splitDottedPath(key.slice(SERVICE_FIELDS_PREFIX.length));
  checkPathLength(segments);
  for (const segment of segments) {
    if (isForbiddenKey(segment)) {
      throw new ModelError('invalid_body', `the path segment "${segment}" is not allowed`);
    }
  }
  return segments;
}

/**
 * Applies a PATCH body (`$set` keys, docs/protocol.md) to a job and returns the new job; `doc` is
 * left untouched. Keys apply in the body's order. `modified` is the caller's to bump.
 *
 * @throws ModelError `field_not_updatable` for a key outside the updatable fields,
 * `invalid_status` / `invalid_body` for a value of the wrong type, `invalid_body` for a
 * `__proto__` / `constructor` / `prototype` path segment or an array index too far past the end.
 * The size of the result is the store's to check ({@link checkServiceFieldsSize}).
 */
export function applyPatch<Job extends JobRecord>(doc: Job, patch: Record<string, unknown>): Job {
  if (!isJsonObject(patch)) throw new ModelError('invalid_body', 'the body must be a JSON object');
  checkPatchSize(patch);
  const next = cloneJson(doc);
  for (const key of Object.keys(patch)) {
    const value = cloneJson(patch[key]);
    if (key.startsWith(SERVICE_FIELDS_PREFIX)) {
      (next as JobRecord).service_fields = setPath(
        next.service_fields,
        serviceFieldPath(key),
        value,
      );
    } else {
      checkUpdatableField(key, value);
      setOwn(next, key, value);
    }
  }
  return next;
}
