import type { MiddlewareHandler } from 'hono';
import { ApiError } from './api-error';
import type { JssEnv } from './env';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Headers a web page cannot put on a cross-origin request without a CORS preflight, which the
 * server refuses for origins it does not list.
 */
const PREFLIGHTED_HEADERS = ['X-User-Id', 'Authorization', 'Idempotency-Key'];

const refuse = () =>
  new ApiError(
    415,
    'unsupported_media_type',
    'Requests that change or query jobs must be sent with Content-Type: application/json',
  );

/**
 * Refuses every request but GET, HEAD and OPTIONS unless it is JSON: a web page on another origin
 * can send a form or `text/plain` POST without asking (no preflight), and must not be able to
 * change a job that way. A request without a body (abort, retry, delete as the SDK sends them)
 * may omit the Content-Type when it carries a header such a page cannot send.
 */
export function requireJsonContentType(): MiddlewareHandler<JssEnv> {
  return async function checkContentType(c, next) {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const contentType = c.req.header('Content-Type');
    if (contentType !== undefined) {
      if (!JSON_MEDIA_TYPE.test(contentType)) throw refuse();
      return next();
    }
    const length = c.req.header('Content-Length');
    const hasBody = (length !== undefined && length !== '0') || c.req.header('Transfer-Encoding');
    const preflighted = PREFLIGHTED_HEADERS.some((name) => c.req.header(name) !== undefined);
    if (hasBody || !preflighted) throw refuse();
    return next();
  };
}
