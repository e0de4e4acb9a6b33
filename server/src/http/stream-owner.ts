import type { Context } from 'hono';
import type { JssEnv } from './env';

/**
 * Whom an event stream counts against for `LIMITS.sseStreamsPerClient`: the identity the request
 * claims (`X-User-Id`, '' without one). The one place to switch to the authenticated principal
 * (its token id), so that a client cannot dodge the cap by claiming other names.
 */
export function streamOwner(c: Context<JssEnv>): string {
  return c.req.header('X-User-Id') ?? '';
}
