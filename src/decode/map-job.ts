import { toCamelKey } from '../wire/casing';
import { parseJssDate } from '#protocol/dates';
import { mapKeysDeep, type KeyConverter } from '../wire/deep-keys';
import { unescapeKeySegment } from '#protocol/dotted-path';
import { expandServiceFields, serviceFieldKeyOf } from '../wire/expand';
import { SERVICE_FIELDS_KEY, type WireOptions } from '../wire/options';
import { isRecord, setOwn } from '#protocol/plain';

/** The work queue's times on a job (docs/protocol.md, "Work queue"). */
const WORK_QUEUE_TIME_FIELDS: ReadonlySet<string> = new Set(['run_at', 'lease_expires']);

/** A server time as a Date; a string that does not parse is left for validation to report. */
function decodeTime(value: unknown): unknown {
  return typeof value === 'string' ? (parseJssDate(value) ?? value) : value;
}

/** A fresh object: `source`'s keys camelCased, each value through `decode(key, value)`. */
function decodeEntries(
  source: Record<string, unknown>,
  decode: (key: string, value: unknown) => unknown,
): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const key of Object.keys(source)) setOwn(decoded, toCamelKey(key), decode(key, source[key]));
  return decoded;
}

/** Decodes a wire job whose service-field keys go through `serviceFieldKey`. */
function jobDecoder(
  serviceFieldKey: KeyConverter,
): (wire: Record<string, unknown>) => Record<string, unknown> {
  // Built once per mode, not per job: closures made on every call were a measurable share of
  // decoding a small answer.
  const decodeLogField = (key: string, value: unknown): unknown =>
    key === 'time'
      ? decodeTime(value)
      : key === 'data'
        ? expandServiceFields(value, serviceFieldKey)
        : mapKeysDeep(value, toCamelKey);
  const decodeLogEntry = (entry: unknown): unknown =>
    isRecord(entry) ? decodeEntries(entry, decodeLogField) : mapKeysDeep(entry, toCamelKey);
  const decodeField = (key: string, value: unknown): unknown => {
    if (key === SERVICE_FIELDS_KEY) return expandServiceFields(value, serviceFieldKey);
    if (key === 'created' || key === 'modified') return decodeTime(value);
    if (WORK_QUEUE_TIME_FIELDS.has(key)) return decodeTime(value);
    if ((key === 'retry' || key === 'repeat') && isRecord(value)) {
      return decodeEntries(value, (policyKey, policyValue) =>
        policyKey === 'until' ? decodeTime(policyValue) : policyValue,
      );
    }
    if (key === 'logs' && Array.isArray(value)) return value.map(decodeLogEntry);
    return mapKeysDeep(value, toCamelKey);
  };
  return (wire) => decodeEntries(wire, decodeField);
}

const decodeCamelJob = jobDecoder(serviceFieldKeyOf(toCamelKey));
const decodeVerbatimJob = jobDecoder(serviceFieldKeyOf(unescapeKeySegment));

/**
 * A job from the wire as the SDK returns it, in a fresh object (the input is never changed):
 * every key camelCased (unknown extra fields included), `service_fields` expanded (see
 * {@link expandServiceFields}; keys kept as they are in verbatim mode), `created`/`modified` and
 * each log entry's `time` turned into Dates, and each log entry's `data` treated like service
 * fields. A `"__proto__"` key (from JSON) is kept as an ordinary own property.
 */
export function decodeJob(
  wire: Record<string, unknown>,
  options: WireOptions,
): Record<string, unknown> {
  return options.serviceFieldKeys === 'verbatim' ? decodeVerbatimJob(wire) : decodeCamelJob(wire);
}
