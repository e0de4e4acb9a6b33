import { isJsonObject } from '#protocol/json';
import { randomHex } from '#protocol/ids';
import { invalidBody, ServiceError } from '../service-error';
import type { KitTokenGrant } from './access';
import { envelope, type Answer } from './answers';
import { readJsonBody } from './request-body';

/** A user the kit's `POST 1.0/login` knows: the password, and the grant its tokens carry. */
export interface KitPasswordGrant {
  password: string;
  role: KitTokenGrant['role'];
  /** The services a worker may read and update. @default [] */
  services?: readonly string[];
}

/** How long a login token of the kit says it lasts (it never really expires: tests are short). */
const LOGIN_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * `POST 1.0/login {user, password}`: a right pair gets a new token, added to `tokens` so that
 * the kit accepts it from then on; anything else a 401, the same for a wrong user as for a wrong
 * password.
 *
 * @throws ModelError `invalid_body` for a body that is not `{user, password}` strings
 * @throws ServiceError `unauthorized`
 */
export async function login(
  request: Request,
  passwords: Readonly<Record<string, KitPasswordGrant>>,
  tokens: Record<string, KitTokenGrant>,
): Promise<Answer> {
  const body = await readJsonBody(request);
  if (!isJsonObject(body)) throw invalidBody('The body must be a JSON object: {user, password}');
  const { user, password } = body;
  if (typeof user !== 'string' || user === '') throw invalidBody('"user" is required: a string');
  if (typeof password !== 'string' || password === '') {
    throw invalidBody('"password" is required: a string');
  }
  const grant = Object.hasOwn(passwords, user) ? passwords[user] : undefined;
  if (grant === undefined || grant.password !== password) {
    throw new ServiceError('unauthorized', 401, 'Wrong user name or password', {
      'WWW-Authenticate': 'Bearer realm="jss"',
    });
  }
  const token = `kit_${randomHex(16)}`;
  tokens[token] = { user, role: grant.role, services: [...(grant.services ?? [])] };
  return {
    status: 200,
    body: envelope([
      {
        token,
        expires: new Date(Date.now() + LOGIN_TTL_MS).toISOString(),
        user,
        role: grant.role,
      },
    ]),
  };
}
