import { toSnakeKey } from './casing';
import { keepKey, mapKeysDeep, type KeyConverter } from './deep-keys';
import { flattenInto, replaceInto } from './flatten';
import { SERVICE_FIELDS_KEY, type WireOptions } from './options';
import { isOperatorObject, isRecord, setOwn } from './plain';

/** Options of {@link encodePatchBody}. */
export interface PatchWireOptions extends WireOptions {
  /**
   * `true`: every leaf of `serviceFields` is its own `$set` key, so only those leaves change.
   * `false` (replace): each top-level property of `serviceFields` is sent whole.
   */
  isPatch: boolean;
}

function serviceFieldKeyConverter(options: WireOptions): KeyConverter {
  return options.serviceFieldKeys === 'verbatim' ? keepKey : toSnakeKey;
}

/** The service fields are flattened only when they are a container; anything else goes as is. */
function isFlattenable(value: unknown): value is Record<string, unknown> | unknown[] {
  return Array.isArray(value) || isRecord(value);
}

/**
 * The body of `POST 1.0/job/`: keys snake_cased (service-field keys per `options`), nested objects
 * kept nested, Dates as ISO strings. No `(dot)` escaping: the legacy client sent keys as they are.
 */
export function encodeCreateBody(
  job: Record<string, unknown>,
  options: WireOptions,
): Record<string, unknown> {
  const serviceFieldKey = serviceFieldKeyConverter(options);
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(job)) {
    const value = job[key];
    if (value === undefined) continue;
    const wireKey = toSnakeKey(key);
    const convertKey = wireKey === SERVICE_FIELDS_KEY ? serviceFieldKey : toSnakeKey;
    setOwn(body, wireKey, mapKeysDeep(value, convertKey));
  }
  return body;
}

/**
 * The body of `PATCH 1.0/job/{jobId}`, a flat `$set` map: top-level fields snake_cased and sent as
 * they are, `serviceFields` turned into `service_fields.<path>` keys (`.` inside a key escaped as
 * `(dot)`), in the update's own key order. An empty `serviceFields` sets nothing.
 *
 * @example
 * encodePatchBody({ serviceFields: { files: ['a'] } }, { serviceFieldKeys: 'snake_case', isPatch: true })
 * // { 'service_fields.files.0': 'a' }
 */
export function encodePatchBody(
  update: Record<string, unknown>,
  options: PatchWireOptions,
): Record<string, unknown> {
  const convertKey = serviceFieldKeyConverter(options);
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(update)) {
    const value = update[key];
    if (value === undefined) continue;
    const wireKey = toSnakeKey(key);
    if (wireKey === SERVICE_FIELDS_KEY && isFlattenable(value)) {
      if (options.isPatch) {
        flattenInto(body, SERVICE_FIELDS_KEY, value, { convertKey, operatorLeaves: false });
      } else {
        replaceInto(body, SERVICE_FIELDS_KEY, value, convertKey);
      }
    } else {
      setOwn(body, wireKey, mapKeysDeep(value, toSnakeKey));
    }
  }
  return body;
}

/**
 * The body of `POST 1.0/job/query`: flattened like a patch, except that an object of `$`
 * operators is a leaf wherever it stands (`"service_fields.n": {"$in": [1, 2]}`) and its operands,
 * arrays included, are sent whole. Top-level conditions are sent as they are. Expects a validated
 * filter, but copes with any value without throwing.
 */
export function encodeFilterBody(
  filter: Record<string, unknown>,
  options: WireOptions,
): Record<string, unknown> {
  const convertKey = serviceFieldKeyConverter(options);
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(filter)) {
    const value = filter[key];
    if (value === undefined) continue;
    const wireKey = toSnakeKey(key);
    if (wireKey === SERVICE_FIELDS_KEY && isFlattenable(value) && !isOperatorObject(value)) {
      flattenInto(body, SERVICE_FIELDS_KEY, value, { convertKey, operatorLeaves: true });
    } else {
      setOwn(body, wireKey, mapKeysDeep(value, toSnakeKey));
    }
  }
  return body;
}
