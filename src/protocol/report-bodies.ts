import { ModelError } from './errors';
import { isJsonObject } from './json';

/** A job's progress as stored and sent: `percent` is derived by the service. */
export interface WireProgress {
  completed: number;
  total: number;
  percent: number;
}

/** The levels a log entry may have. */
export const LOG_LEVELS = ['info', 'success', 'warning', 'danger'] as const;

/** The longest log message the service accepts. */
export const MAX_LOG_MESSAGE_LENGTH = 10_000;

/** The largest log entry, as JSON text in UTF-8 bytes (`data` included). */
export const MAX_LOG_ENTRY_BYTES = 64 * 1024;
/** The most entries a job's log keeps: appending more drops the oldest. */
export const MAX_LOG_ENTRIES = 1000;
/** The most bytes of JSON text a job's log keeps: appending more drops the oldest entries. */
export const MAX_LOG_BYTES = 1024 * 1024;

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/**
 * A job's log after an append: the newest entries, as many as fit both
 * {@link MAX_LOG_ENTRIES} and {@link MAX_LOG_BYTES} (each entry measured as its JSON text). The
 * oldest are dropped; the newest always stays, as no entry is larger than the byte cap.
 */
export function capLog(entries: readonly unknown[]): unknown[] {
  let bytes = 0;
  let first = entries.length;
  while (first > 0 && entries.length - first < MAX_LOG_ENTRIES) {
    bytes += utf8Bytes(JSON.stringify(entries[first - 1]) ?? 'null');
    if (bytes > MAX_LOG_BYTES) break;
    first--;
  }
  return entries.slice(first);
}

/** A log entry as the request gives it; the service adds `time`. */
export interface LogRequest {
  level: (typeof LOG_LEVELS)[number];
  message: string;
  data?: unknown;
}

const invalidBody = (message: string) => new ModelError('invalid_body', message);

function refuseExtraFields(
  body: Record<string, unknown>,
  allowed: readonly string[],
  what: string,
): void {
  const extra = Object.keys(body).filter((key) => !allowed.includes(key));
  if (extra.length > 0) throw invalidBody(`Unknown field(s) in ${what}: ${extra.join(', ')}`);
}

const isLogLevel = (value: unknown): value is LogRequest['level'] =>
  (LOG_LEVELS as readonly unknown[]).includes(value);

/** `percent` as docs/protocol.md defines it: two decimals, rounded half up. */
export function progressPercent(completed: number, total: number): number {
  return Math.round((completed / total) * 10_000) / 100;
}

/**
 * Validates `POST 1.0/job/{jobId}/progress` (`0 <= completed <= total`, `total > 0`, both
 * finite numbers) and derives `percent`.
 *
 * @throws ModelError `invalid_body`
 */
export function parseProgressBody(body: unknown): WireProgress {
  if (!isJsonObject(body)) throw invalidBody('The body must be {"completed": n, "total": n}');
  refuseExtraFields(body, ['completed', 'total'], 'progress');
  const { completed, total } = body;
  if (typeof completed !== 'number' || typeof total !== 'number') {
    throw invalidBody('"completed" and "total" must be numbers');
  }
  if (!Number.isFinite(total) || !(total > 0) || !(completed >= 0) || completed > total) {
    throw invalidBody('Progress needs 0 <= completed <= total and total > 0');
  }
  return { completed, total, percent: progressPercent(completed, total) };
}

/**
 * Validates `POST 1.0/job/{jobId}/logs`: `level` one of info, success, warning, danger;
 * `message` 1..10 000 characters; `data` any JSON.
 *
 * @throws ModelError `invalid_body`
 */
export function parseLogBody(body: unknown): LogRequest {
  if (!isJsonObject(body)) throw invalidBody('The body must be {"level", "message", "data"?}');
  refuseExtraFields(body, ['level', 'message', 'data'], 'log entry');
  const { level, message, data } = body;
  if (!isLogLevel(level)) throw invalidBody(`"level" must be one of ${LOG_LEVELS.join(', ')}`);
  if (
    typeof message !== 'string' ||
    message.length === 0 ||
    message.length > MAX_LOG_MESSAGE_LENGTH
  ) {
    throw invalidBody(`"message" must be a string of 1..${MAX_LOG_MESSAGE_LENGTH} characters`);
  }
  const entry: LogRequest = data === undefined ? { level, message } : { level, message, data };
  if (utf8Bytes(JSON.stringify(entry)) > MAX_LOG_ENTRY_BYTES) {
    throw new ModelError(
      'payload_too_large',
      `A log entry may be at most ${MAX_LOG_ENTRY_BYTES} bytes of JSON (logEntryBytes)`,
    );
  }
  return entry;
}
