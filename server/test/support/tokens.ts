// Tokens for test servers: every server a test starts through the harness (or registers) can mint
// tokens on its database, and the helpers mint them behind the scenes, once per user and grant.
import type { Grant, RunningServer } from '../../src/index';
import type { Role } from '../../src/index';

type Mint = (grant: Grant) => Promise<string>;

const minters = new Map<string, Mint>();
const minted = new Map<string, Promise<string>>();

/** The user the admin tokens of the helpers belong to. */
export const TEST_ADMIN_USER = 'test-admin';

/** Lets the helpers mint tokens for `running` (servers from `useTestDatabase().server()` are). */
export function registerTestServer<T extends RunningServer>(running: T): T {
  minters.set(running.url, async (grant) => (await running.createToken(grant)).token);
  return running;
}

/** The registered server `url` (a base URL, or any URL below one) belongs to. */
function minterFor(url: string): { base: string; mint: Mint } | undefined {
  for (const [base, mint] of minters) {
    if (url === base || url.startsWith(`${base}/`)) return { base, mint };
  }
  return undefined;
}

/**
 * A token for `user` on the server at `url`, minted once per user and grant; `undefined` when
 * the server was not registered (one started with `auth: 'header'` or `'none'`, say).
 */
export function tokenFor(
  url: string,
  user: string,
  role: Role = 'creator',
  services: readonly string[] = [],
): Promise<string> | undefined {
  const found = minterFor(url);
  if (!found) return undefined;
  const key = JSON.stringify([found.base, user, role, [...services].sort()]);
  let token = minted.get(key);
  if (!token) {
    token = found.mint({ user, role, services });
    minted.set(key, token);
    token.catch(() => minted.delete(key));
  }
  return token;
}

/** An admin token on the server at `url` (see `tokenFor`). */
export const adminTokenFor = (url: string) => tokenFor(url, TEST_ADMIN_USER, 'admin');

/** `{ Authorization }` for `tokenFor(...)`, or no header for an unregistered server. */
export async function authorizationFor(
  url: string,
  user: string,
  role: Role = 'creator',
  services: readonly string[] = [],
): Promise<Record<string, string>> {
  const token = await tokenFor(url, user, role, services);
  return token === undefined ? {} : { Authorization: `Bearer ${token}` };
}
