import { toCamelKey } from './casing';
import { parseJssDate } from './dates';
import { keepKey, mapKeysDeep, type KeyConverter } from './deep-keys';
import { expandServiceFields } from './expand';
import { SERVICE_FIELDS_KEY, type WireOptions } from './options';
import { isRecord, setOwn } from './plain';

/** A server time as a Date; a string that does not parse is left for validation to report. */
function decodeTime(value: unknown): unknown {
  return typeof value === 'string' ? (parseJssDate(value) ?? value) : value;
}

function decodeLogEntry(entry: unknown, dataKey: KeyConverter): unknown {
  if (!isRecord(entry)) return mapKeysDeep(entry, toCamelKey);
  const decoded: Record<string, unknown> = {};
  for (const key of Object.keys(entry)) {
    const value = entry[key];
    let mapped: unknown;
    if (key === 'time') mapped = decodeTime(value);
    else if (key === 'data') mapped = expandServiceFields(value, dataKey);
    else mapped = mapKeysDeep(value, toCamelKey);
    setOwn(decoded, toCamelKey(key), mapped);
  }
  return decoded;
}

function decodeLogs(logs: unknown, dataKey: KeyConverter): unknown {
  if (!Array.isArray(logs)) return mapKeysDeep(logs, toCamelKey);
  return logs.map((entry: unknown) => decodeLogEntry(entry, dataKey));
}

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
  const serviceFieldKey = options.serviceFieldKeys === 'verbatim' ? keepKey : toCamelKey;
  const job: Record<string, unknown> = {};
  for (const key of Object.keys(wire)) {
    const value = wire[key];
    let mapped: unknown;
    switch (key) {
      case SERVICE_FIELDS_KEY:
        mapped = expandServiceFields(value, serviceFieldKey);
        break;
      case 'created':
      case 'modified':
        mapped = decodeTime(value);
        break;
      case 'logs':
        mapped = decodeLogs(value, serviceFieldKey);
        break;
      default:
        mapped = mapKeysDeep(value, toCamelKey);
    }
    setOwn(job, toCamelKey(key), mapped);
  }
  return job;
}
