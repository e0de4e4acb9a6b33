// Who is signed in, and the token. The token lives in this tab's sessionStorage only: other
// sites cannot read it, it never goes into a URL or a cookie, and it is gone with the tab.

/** The roles a JSS token can carry. */
export const ROLES = ['admin', 'manager', 'creator', 'worker'] as const;
export type Role = (typeof ROLES)[number];

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

function headersFor(token: string | undefined): Record<string, string> {
  return token === undefined
    ? { Accept: 'application/json' }
    : { Accept: 'application/json', Authorization: `Bearer ${token}` };
}

function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

function principalOf(body: unknown): Principal {
  const entry = (body as { data?: unknown[] } | null)?.data?.[0] as
    { user?: unknown; role?: unknown; services?: unknown } | undefined;
  if (typeof entry?.user !== 'string') throw new Error('The server described no user');
  const services = Array.isArray(entry.services)
    ? entry.services.filter((service): service is string => typeof service === 'string')
    : [];
  return { user: entry.user, role: isRole(entry.role) ? entry.role : undefined, services };
}

/** Asks the server who `token` (or no token) is. */
export async function identify(apiBase: string, token: string | undefined): Promise<Identity> {
  const response = await fetch(`${apiBase}/1.0/auth/me`, {
    headers: headersFor(token),
    credentials: 'omit',
  });
  if (response.status === 404) return { kind: 'no-auth' };
  if (response.status === 401 || response.status === 403) return { kind: 'refused' };
  if (!response.ok) throw new Error(`The server answered ${response.status} to auth/me`);
  return { kind: 'signed-in', principal: principalOf(await response.json()) };
}

/** Exchanges a user name and password for a token (`POST 1.0/login`). */
export async function logIn(apiBase: string, user: string, password: string): Promise<string> {
  const response = await fetch(`${apiBase}/1.0/login`, {
    method: 'POST',
    headers: { ...headersFor(undefined), 'Content-Type': 'application/json' },
    credentials: 'omit',
    body: JSON.stringify({ user, password }),
  });
  if (response.status === 404) throw new Error('This server has no password login; use a token');
  if (response.status === 401 || response.status === 403)
    throw new Error('Wrong user name or password');
  if (!response.ok) throw new Error(`The server answered ${response.status} to the login`);
  const token = ((await response.json()) as { data?: { token?: unknown }[] }).data?.[0]?.token;
  if (typeof token !== 'string' || token === '') throw new Error('The login answered no token');
  return token;
}
