import { badBody } from '../http/api-error';
import { isJsonObject } from './json-types';

/** Progress as stored and sent: `percent` is derived by the server. */
export interface Progress {
  completed: number;
  total: number;
  percent: number;
}

/** Validates `POST 1.0/job/{jobId}/progress` and derives `percent` (two decimals). */
export function parseProgressBody(body: unknown): Progress {
  if (!isJsonObject(body)) throw badBody('The body must be {"completed": n, "total": n}');
  const extra = Object.keys(body).filter((key) => key !== 'completed' && key !== 'total');
  if (extra.length > 0) throw badBody(`Unknown field(s) in progress: ${extra.join(', ')}`);
  const { completed, total } = body;
  if (typeof completed !== 'number' || typeof total !== 'number') {
    throw badBody('"completed" and "total" must be numbers');
  }
  if (!(total > 0) || !(completed >= 0) || completed > total || !Number.isFinite(total)) {
    throw badBody('Progress needs 0 <= completed <= total and total > 0');
  }
  return { completed, total, percent: Math.round((completed / total) * 10_000) / 100 };
}

/** The levels a log entry may have. */
export const LOG_LEVELS = ['info', 'success', 'warning', 'danger'] as const;

/** The longest log message accepted. */
export const MAX_LOG_MESSAGE_LENGTH = 10_000;

/** A validated log entry; the server adds `time`. */
export interface LogInput {
  level: (typeof LOG_LEVELS)[number];
  message: string;
  data?: unknown;
}

/** Validates `POST 1.0/job/{jobId}/logs`. */
export function parseLogBody(body: unknown): LogInput {
  if (!isJsonObject(body)) throw badBody('The body must be {"level", "message", "data"?}');
  const extra = Object.keys(body).filter((key) => !['level', 'message', 'data'].includes(key));
  if (extra.length > 0) throw badBody(`Unknown field(s) in log entry: ${extra.join(', ')}`);
  const { level, message } = body;
  if (typeof level !== 'string' || !(LOG_LEVELS as readonly string[]).includes(level)) {
    throw badBody(`"level" must be one of ${LOG_LEVELS.join(', ')}`);
  }
  if (
    typeof message !== 'string' ||
    message.length === 0 ||
    message.length > MAX_LOG_MESSAGE_LENGTH
  ) {
    throw badBody(`"message" must be a string of 1..${MAX_LOG_MESSAGE_LENGTH} characters`);
  }
  const entry: LogInput = { level: level as LogInput['level'], message };
  if (body.data !== undefined) entry.data = body.data;
  return entry;
}
