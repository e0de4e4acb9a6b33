import type { MiddlewareHandler } from 'hono';
import type { JssEnv } from './env';

/** Receives one line per request. */
export type LogLine = (line: string) => void;

/** One line per request: id, method, path, status and milliseconds. */
export function accessLog(log: LogLine | undefined): MiddlewareHandler<JssEnv> {
  return async function logRequest(c, next) {
    const started = performance.now();
    await next();
    if (!log) return;
    const ms = Math.round(performance.now() - started);
    const dropped = c.get('dropped') ? ' (connection dropped by fault injection)' : '';
    log(`${c.get('requestId')} ${c.req.method} ${c.req.path} ${c.res.status} ${ms}ms${dropped}`);
  };
}
