// The token calls, loaded on first use with the writes (./index).
import { decodeIdentity, decodeLogin } from '../decode/auth';
import type { CallOptions } from '../internal/transport-types';
import {
  loginInputSchema,
  type Identity,
  type LoginInput,
  type LoginResult,
} from '../schemas/auth';
import { parseInput } from '../schemas/issues';
import type { CallContext, Decoder } from './context';

const identity: Decoder<Identity> = (body, _wire, context) => decodeIdentity(body, context);
const loginResult: Decoder<LoginResult> = (body, _wire, context) => decodeLogin(body, context);

/** `GET 1.0/auth/me`. */
export function whoAmI(context: CallContext, options?: CallOptions): Promise<Identity> {
  return context.call({ method: 'GET', path: '1.0/auth/me', idempotent: true }, options, identity);
}

/** `POST 1.0/login`: never retried, as each attempt would make another token. */
export function login(
  context: CallContext,
  credentials: LoginInput,
  options?: CallOptions,
): Promise<LoginResult> {
  const { user, password } = parseInput(loginInputSchema, credentials, 'credentials');
  const request = {
    method: 'POST',
    path: '1.0/login',
    body: { user, password },
    idempotent: false,
  } as const;
  return context.call(request, options, loginResult);
}
