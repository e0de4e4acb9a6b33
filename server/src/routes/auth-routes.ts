import { Hono, type Context } from 'hono';
import { checkUser, parseTokenRequest } from '../auth/grants';
import { checkPassword, MAX_PASSWORD_LENGTH } from '../auth/passwords';
import { createToken, listTokens, revokeToken } from '../auth/tokens';
import { ApiError, badBody } from '../http/api-error';
import { readJsonBody } from '../http/body';
import { envelope } from '../http/envelope';
import type { JssEnv } from '../http/env';
import { assertMayEver } from '../store/scope-sql';
import { isJsonObject } from '#protocol';
import type { RouteDeps } from './deps';

const TOKEN_ID = /^[0-9a-f]{12}$/;

function requireAdmin(c: Context<JssEnv>): void {
  assertMayEver(c.get('principal'), 'manage_tokens');
}

/** `1.0/auth/me`, token management (admin only) and `1.0/login`. */
export function authRoutes(deps: RouteDeps): Hono<JssEnv> {
  const app = new Hono<JssEnv>();
  app.get('/auth/me', (c) => {
    const { user, role, services } = c.get('principal');
    return c.json(envelope([{ user, role, services }]));
  });

  app.get('/auth/tokens', async (c) => {
    requireAdmin(c);
    return c.json(envelope(await listTokens(deps.store.db)));
  });

  app.post('/auth/tokens', async (c) => {
    requireAdmin(c);
    const grant = parseTokenRequest(await readJsonBody(c));
    return c.json(envelope([await createToken(deps.store.db, grant)]), 201);
  });

  app.delete('/auth/tokens/:tokenId', async (c) => {
    requireAdmin(c);
    const id = c.req.param('tokenId');
    const revoked = TOKEN_ID.test(id) ? await revokeToken(deps.store.db, id) : undefined;
    if (!revoked) throw new ApiError(404, 'not_found', 'Token not found');
    return c.json(envelope([revoked]));
  });

  app.post('/login', async (c) => {
    const body = await readJsonBody(c);
    if (!isJsonObject(body)) throw badBody('The body must be a JSON object: {user, password}');
    const user = checkUser(body.user);
    const password = body.password;
    if (typeof password !== 'string' || password.length === 0) {
      throw badBody('"password" is required: a string');
    }
    // The socket's peer: behind a proxy every login shares the proxy's address.
    const address = c.env?.incoming?.socket?.remoteAddress;
    deps.loginLimiter.check(user, address);
    const found =
      password.length <= MAX_PASSWORD_LENGTH
        ? await checkPassword(deps.store.db, user, password)
        : undefined;
    if (!found) {
      deps.loginLimiter.failed(user, address);
      throw new ApiError(401, 'unauthorized', 'Wrong user name or password', {
        'WWW-Authenticate': 'Bearer realm="jss"',
      });
    }
    deps.loginLimiter.succeeded(user);
    const issued = await createToken(deps.store.db, {
      ...found,
      expiresInMs: deps.loginTokenTtlMs,
    });
    return c.json(
      envelope([
        { token: issued.token, expires: issued.expires, user: issued.user, role: issued.role },
      ]),
    );
  });
  return app;
}
