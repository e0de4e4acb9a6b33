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
