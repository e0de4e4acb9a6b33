import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { WELL_FORMED_REQUEST_ID } from '#protocol/headers';
import type { JssEnv } from './env';

/**
 * Gives every request an id: the caller's `X-Request-Id` when it is well formed (so one id can
 * follow a call through several services), else a fresh UUID. The id goes into every response
 * header, every error body and the access log.
 */
export function requestId(): MiddlewareHandler<JssEnv> {
  return async function assignRequestId(c, next) {
    const incoming = c.req.header('X-Request-Id');
    const id = incoming && WELL_FORMED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    await next();
    c.res.headers.set('X-Request-Id', id);
  };
}
