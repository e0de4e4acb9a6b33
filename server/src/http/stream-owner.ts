import type { Context } from 'hono';
import type { JssEnv } from './env';

/**
 * Whom an event stream counts against for `LIMITS.sseStreamsPerClient`: the token behind the
 * request (its id), or the principal's user where the auth mode has no tokens (`header`, `none`).
 * Never a header the client can change per request to dodge the cap.
 */
export function streamOwner(c: Context<JssEnv>): string {
  const principal = c.get('principal');
  return principal.tokenId ? `token:${principal.tokenId}` : `user:${principal.user}`;
}
