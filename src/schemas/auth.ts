import * as z from 'zod/mini';
import { ROLES, type Role } from '#protocol/access';
import type { AssertTrue, IsSameType } from './issues';

export { ROLES, type Role };

/** Who the server takes the caller to be: the answer of {@link JobStatusClient.whoAmI}. */
export interface Identity {
  /** The user the token (or the login) belongs to; jobs it creates are this user's. */
  user: string;
  /** What the caller may do: see docs/server.md for each role's reach. */
  role: Role;
  /** The services a `worker` may read and update; empty for the other roles. */
  services: string[];
}

/** A token from a password login: the answer of {@link JobStatusClient.login}. */
export interface LoginResult {
  /** The bearer token, to pass as the `token` option of a client. Keep it secret. */
  token: string;
  /** When the token stops working; `null` when it never expires. */
  expires: Date | null;
  user: string;
  role: Role;
}

/** `login({ user, password })`: both non-empty strings. */
export const loginInputSchema = z.object({
  user: z.string().check(z.minLength(1, 'must not be empty')),
  password: z.string().check(z.minLength(1, 'must not be empty')),
});

/** What {@link JobStatusClient.login} takes. */
export interface LoginInput {
  user: string;
  password: string;
}

type _LoginInputIsTheSchemaInput = AssertTrue<
  IsSameType<LoginInput, z.input<typeof loginInputSchema>>
>;

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
