import type { MiddlewareHandler } from 'hono';
import { MAX_USER_LENGTH, type Principal } from '#protocol';
import { ApiError } from '../http/api-error';
import type { JssEnv } from '../http/env';
import type { Store } from '../store/store';
import { principalOfToken } from './tokens';

/**
 * How requests are authenticated. `token`: a bearer token from the tokens table. `header`: the
 * `X-User-Id` header is trusted (an authenticating proxy in front sets it), the user acting as
 * a creator. `none`: local development, the `X-User-Id` user (or "anonymous") with every right.
 */
export type AuthMode = 'token' | 'header' | 'none';

export const AUTH_MODES: readonly AuthMode[] = ['token', 'header', 'none'];

/** The user of `--auth none` requests that name none. */
export const ANONYMOUS_USER = 'anonymous';

const REALM = 'Bearer realm="jss"';

const unauthorized = (message: string, tokenGiven: boolean) =>
  new ApiError(401, 'unauthorized', message, {
    'WWW-Authenticate': tokenGiven ? `${REALM}, error="invalid_token"` : REALM,
  });

/** The token of an `Authorization: Bearer` header; `null` for another scheme. */
function bearerToken(header: string): string | null {
  const match = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i.exec(header);
  return match ? match[1]! : null;
}

/**
 * Sets `c.get('principal')` for every request it guards, or answers 401 (with
 * `WWW-Authenticate: Bearer`) when there is no one to set.
 */
export function authenticate(mode: AuthMode, store: Store): MiddlewareHandler<JssEnv> {
  return async function setPrincipal(c, next) {
    const headerUser = c.req.header('X-User-Id');
    let principal: Principal | undefined;
    if (mode === 'none') {
      principal = { user: headerUser || ANONYMOUS_USER, role: 'admin', services: [] };
    } else if (mode === 'header') {
      if (!headerUser || headerUser.length > MAX_USER_LENGTH) {
        throw new ApiError(
          401,
          'unauthorized',
          `Send X-User-Id: the user (1..${MAX_USER_LENGTH} characters) this request acts for`,
        );
      }
      principal = { user: headerUser, role: 'creator', services: [] };
    } else {
      const authorization = c.req.header('Authorization');
      if (authorization === undefined) {
        throw unauthorized('Send Authorization: Bearer <token>', false);
      }
      const token = bearerToken(authorization);
      if (token === null) throw unauthorized('Authorization must be "Bearer <token>"', true);
      principal = await principalOfToken(store.db, token);
      if (!principal) throw unauthorized('The token is unknown, revoked or expired', true);
    }
    c.set('principal', principal);
    await next();
  };
}
