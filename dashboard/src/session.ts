// Who is signed in, and the token. The token lives in this tab's sessionStorage only: other
// sites cannot read it, it never goes into a URL or a cookie, and it is gone with the tab.

import {
  AuthenticationError,
  JobStatusClient,
  NotFoundError,
  PermissionDeniedError,
  type Role,
} from 'job-status-client';

export type { Role };

/** The caller as `GET 1.0/auth/me` describes it; `role` undefined when the server has no roles. */
export interface Principal {
  user: string;
  role: Role | undefined;
  services: readonly string[];
}

/** What the server says about the caller. */
export type Identity =
  | { kind: 'signed-in'; principal: Principal }
  /** The server has no `auth/me` (it checks no tokens): the server decides each action. */
  | { kind: 'no-auth' }
  /** A token is needed, or the one given was refused. */
  | { kind: 'refused' };

const TOKEN_KEY = 'jss-dashboard-token';

function tabStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage disabled: the token then lives in memory only
  }
}

let tokenInMemory: string | undefined = tabStorage()?.getItem(TOKEN_KEY) ?? undefined;

export function currentToken(): string | undefined {
  return tokenInMemory;
}

export function keepToken(token: string | undefined): void {
  tokenInMemory = token;
  if (token === undefined) tabStorage()?.removeItem(TOKEN_KEY);
  else tabStorage()?.setItem(TOKEN_KEY, token);
}

/** A client for the sign-in calls alone: no user, `token` if any, no retry of a refusal. */
function sessionClient(apiBase: string, token: string | undefined): JobStatusClient {
  return new JobStatusClient({ baseURL: apiBase, maxRetries: 0, ...(token ? { token } : {}) });
}

const isRefusal = (failure: unknown) =>
  AuthenticationError.is(failure) || PermissionDeniedError.is(failure);

/** Asks the server who `token` (or no token) is (`whoAmI`, `GET 1.0/auth/me`). */
export async function identify(apiBase: string, token: string | undefined): Promise<Identity> {
  try {
    const { user, role, services } = await sessionClient(apiBase, token).whoAmI();
    return { kind: 'signed-in', principal: { user, role, services } };
  } catch (failure) {
    if (NotFoundError.is(failure)) return { kind: 'no-auth' };
    if (isRefusal(failure)) return { kind: 'refused' };
    throw failure;
  }
}

/** Exchanges a user name and password for a token (`login`, `POST 1.0/login`). */
export async function logIn(apiBase: string, user: string, password: string): Promise<string> {
  try {
    return (await sessionClient(apiBase, undefined).login({ user, password })).token;
  } catch (failure) {
    if (NotFoundError.is(failure))
      throw new Error('This server has no password login; use a token', { cause: failure });
    if (isRefusal(failure)) throw new Error('Wrong user name or password', { cause: failure });
    throw failure;
  }
}
