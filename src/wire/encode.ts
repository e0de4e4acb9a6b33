import { toLegacyDottedKey, toSnakeKey } from './casing';
import { keepKey, mapKeysDeep, type KeyConverter } from './deep-keys';
import { flattenInto, type DottedKeyRules, type LeafTest } from './flatten';
import { SERVICE_FIELDS_KEY, type WireOptions } from './options';
import { isOperatorObject, isRecord, setOwn } from '#protocol/plain';

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

const never: LeafTest = () => false;

/** Each key converted on its own, then joined: a path names the keys a create body stores. */
const PER_SEGMENT_KEYS: DottedKeyRules = { segment: toSnakeKey, path: keepKey, inner: toSnakeKey };
/** The legacy client's bytes: raw keys joined, then the whole dotted key converted at once. */
const LEGACY_KEYS: DottedKeyRules = {
  segment: keepKey,
  path: toLegacyDottedKey,
  inner: toSnakeKey,
};
const VERBATIM_KEYS: DottedKeyRules = { segment: keepKey, path: keepKey, inner: keepKey };

function dottedKeyRules(options: WireOptions): DottedKeyRules {
  if (options.serviceFieldKeys === 'verbatim') return VERBATIM_KEYS;
  return options.keyCasing === 'legacy' ? LEGACY_KEYS : PER_SEGMENT_KEYS;
}

/** A fresh body of `source`'s defined fields, each written by `write` under its snake_case key. */
function encodeFields(
  source: Record<string, unknown>,
  write: (body: Record<string, unknown>, wireKey: string, value: unknown) => void,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value !== undefined) write(body, toSnakeKey(key), value);
  }
  return body;
}

/**
 * A flat body: top-level fields snake_cased and sent as they are, in the source's order, then the
 * service fields (when they are a container that `isTopLeaf` does not call a leaf) flattened into
 * `service_fields.<path>` keys (see {@link flattenInto}). Service fields last wherever the caller
 * put them: the legacy mapper wrote the other fields, then spread the flattened ones after them.
 */
function encodeDotted(
  source: Record<string, unknown>,
  options: WireOptions,
  isLeaf: LeafTest,
  isTopLeaf: LeafTest = isLeaf,
): Record<string, unknown> {
  let serviceFields: unknown;
  const body = encodeFields(source, (fields, wireKey, value) => {
    if (wireKey === SERVICE_FIELDS_KEY) serviceFields = value;
    else setOwn(fields, wireKey, mapKeysDeep(value, toSnakeKey));
  });
  if (serviceFields === undefined) return body;
  if ((Array.isArray(serviceFields) || isRecord(serviceFields)) && !isTopLeaf(serviceFields)) {
    flattenInto(body, SERVICE_FIELDS_KEY, serviceFields, dottedKeyRules(options), isLeaf);
  } else {
    setOwn(body, SERVICE_FIELDS_KEY, mapKeysDeep(serviceFields, toSnakeKey));
  }
  return body;
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
  return encodeFields(job, (body, wireKey, value) => {
    const convertKey = wireKey === SERVICE_FIELDS_KEY ? serviceFieldKey : toSnakeKey;
    setOwn(body, wireKey, mapKeysDeep(value, convertKey));
  });
}

/**
 * The body of `PATCH 1.0/job/{jobId}`, a flat `$set` map: top-level fields snake_cased and sent as
 * they are, in the update's own key order, then `serviceFields` turned into
 * `service_fields.<path>` keys (`.` inside a key escaped as `(dot)`), depth first. An empty or
 * null `serviceFields` sets nothing (the legacy client sent nothing for null either: the service
 * fields as a whole are never overwritten).
 *
 * @example
 * encodePatchBody({ serviceFields: { files: ['a'] } }, { serviceFieldKeys: 'snake_case', isPatch: true })
 * // { 'service_fields.files.0': 'a' }
 */
export function encodePatchBody(
  update: Record<string, unknown>,
  options: PatchWireOptions,
): Record<string, unknown> {
  const source = update.serviceFields === null ? { ...update, serviceFields: undefined } : update;
  // Replace mode: one level of keys, each carrying its whole value.
  return options.isPatch
    ? encodeDotted(source, options, never)
    : encodeDotted(source, options, () => true, never);
}

/**
 * The body of `POST 1.0/job/query`: flattened like a patch (service fields last), except that an object of `$`
 * operators is a leaf wherever it stands (`"service_fields.n": {"$in": [1, 2]}`) and its operands,
 * arrays included, are sent whole. Top-level conditions are sent as they are. Expects a validated
 * filter, but copes with any value without throwing.
 */
export function encodeFilterBody(
  filter: Record<string, unknown>,
  options: WireOptions,
): Record<string, unknown> {
  return encodeDotted(filter, options, isOperatorObject);
}
