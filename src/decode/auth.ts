// The answers of the token calls (whoAmI, login): loaded with those calls, not up front.
import * as z from 'zod/mini';
import { ROLES } from '#protocol/access';
import type { Identity, LoginResult } from '../schemas/auth';
import { validate, type DecodeContext } from './index';

const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });

const envelopeOf = <Item extends z.ZodMiniType>(item: Item) =>
  z.looseObject({
    response_type: z.enum(['SUCCESS'], { error: 'must be "SUCCESS" in a successful response' }),
    data: z.array(item).check(z.minLength(1, 'must hold the answer, but it is empty')),
  });

/** The answer of `GET 1.0/auth/me`. */
export const identityEnvelopeSchema = envelopeOf(
  z.looseObject({ user: z.string(), role: roleSchema, services: z.array(z.string()) }),
);

/** The answer of `POST 1.0/login`. */
export const loginEnvelopeSchema = envelopeOf(
  z.looseObject({
    token: z.string().check(z.minLength(1, 'must not be empty')),
    expires: z.nullable(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date' })),
    user: z.string(),
    role: roleSchema,
  }),
);

/** The answer of `GET 1.0/auth/me`: the caller's user, role and services. */
export function decodeIdentity(body: unknown, context: DecodeContext = {}): Identity {
  const [entry] = validate(identityEnvelopeSchema, body, context).data;
  // A fresh object of the known fields: the caller gets no more than the type says.
  return { user: entry!.user, role: entry!.role, services: [...entry!.services] };
}

/** The answer of `POST 1.0/login`: the token, when it expires, and whose it is. */
export function decodeLogin(body: unknown, context: DecodeContext = {}): LoginResult {
  const [entry] = validate(loginEnvelopeSchema, body, context).data;
  const { token, expires, user, role } = entry!;
  return { token, expires: expires === null ? null : new Date(expires), user, role };
}
