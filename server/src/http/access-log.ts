import type { Context, MiddlewareHandler } from 'hono';
import type { JssEnv } from './env';

/** Receives one line per request. */
export type LogLine = (line: string) => void;

/** The most characters of a caller-supplied value a log line keeps. */
const MAX_LOGGED_LENGTH = 256;

const clip = (text: string) =>
  text.length > MAX_LOGGED_LENGTH ? `${text.slice(0, MAX_LOGGED_LENGTH)}…` : text;

/**
 * Who made the request, for the log: the authenticated principal's user, or null where there is
 * none (health, the dashboard's files, a refused token). Never the claimed `X-User-Id` alone: a
 * log must not name a user that nobody proved to be.
 */
export function requestUser(c: Context<JssEnv>): string | null {
  const user = c.get('principal')?.user;
  return user === undefined ? null : clip(user);
}

/** One structured access-log line (JSON), as `accessLog` writes it. */
export interface AccessLogEntry {
  time: string;
  level: 'info';
  request_id: string;
  user: string | null;
  method: string;
  path: string;
  status: number;
  ms: number;
  /** Only when fault injection cut the connection after the answer was committed. */
  dropped?: true;
}

/**
 * One JSON line per request: time, request id, user, method, path (never the query string, which
 * may carry a cursor), status and milliseconds. Nothing secret: no header values but the user
 * name, no bodies, no stack traces.
 */
export function accessLog(log: LogLine | undefined): MiddlewareHandler<JssEnv> {
  return async function logRequest(c, next) {
    const started = performance.now();
    await next();
    if (!log) return;
    const entry: AccessLogEntry = {
      time: new Date().toISOString(),
      level: 'info',
      request_id: c.get('requestId'),
      user: requestUser(c),
      method: c.req.method,
      path: clip(c.req.path),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ...(c.get('dropped') ? { dropped: true as const } : {}),
    };
    log(JSON.stringify(entry));
  };
}

/**
 * A JSON line for an unexpected server-side error (a 500, a failure in the change hub). Client
 * errors (4xx) are never reported this way: their answer says all there is.
 */
export function errorLogLine(error: unknown, requestId?: string): string {
  return JSON.stringify({
    time: new Date().toISOString(),
    level: 'error',
    ...(requestId ? { request_id: requestId } : {}),
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
  });
}
