import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { checkJsonBody } from '#protocol';
import { withApiErrors } from '../wire/model-errors';
import { badBody } from './api-error';
import type { JssEnv } from './env';

/** The largest body a request may send, and what refuses a larger one. */
export interface BodyLimit {
  maxSize: number;
  tooLarge: () => never;
}

/**
 * Refuses bodies over `limit.maxSize`. Under Node a declared Content-Length is checked here and
 * the body is counted as `readJsonBody` reads it from the socket: Hono's `bodyLimit` asks for the
 * web `Request`, which the Node adapter then builds (stream, headers, abort signal) for every
 * request, a tenth of the server's time per create. Without Node (`app.request` in tests) Hono's
 * middleware does the work.
 */
export function limitBody(limit: BodyLimit): MiddlewareHandler<JssEnv> {
  const web = bodyLimit({ maxSize: limit.maxSize, onError: limit.tooLarge });
  return async function checkBodySize(c, next) {
    const incoming = c.env?.incoming;
    if (!incoming) return web(c, next);
    const length = incoming.headers['content-length'];
    if (!incoming.headers['transfer-encoding'] && Number(length ?? 0) > limit.maxSize) {
      limit.tooLarge();
    }
    c.set('bodyLimit', limit);
    return next();
  };
}

/** The body as text, straight from the Node request when nothing has read it yet. */
function bodyText(c: Context<JssEnv>): Promise<string> {
  const incoming = c.env?.incoming;
  const limit = c.get('bodyLimit');
  if (!incoming || !limit || incoming.readableDidRead || incoming.readableEnded) {
    return c.req.text();
  }
  return readIncoming(incoming, limit);
}

function readIncoming(incoming: IncomingMessage, limit: BodyLimit): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    incoming.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size <= limit.maxSize) {
        chunks.push(chunk);
        return;
      }
      // The rest still flows (and is dropped), so the connection can answer and be reused.
      refused = true;
      try {
        limit.tooLarge();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    incoming.once('end', () => {
      const text = Buffer.concat(chunks, size).toString('utf8');
      // As the web `Request.text()` does: a byte order mark is not part of the text.
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    });
    incoming.once('error', reject);
  });
}

/**
 * The request body parsed as JSON; `undefined` when there is none. Held to the body rules every
 * side shares (nesting depth, forbidden keys, storable strings) before anything walks it.
 */
export async function readJsonBody(c: Context<JssEnv>): Promise<unknown> {
  const text = await bodyText(c);
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw badBody('The body is not valid JSON');
  }
  withApiErrors(() => checkJsonBody(body));
  return body;
}
