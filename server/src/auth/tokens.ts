import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Principal, Role } from '#protocol';
import type { Sql } from '../store/db';
import type { Grant } from './grants';

/** Every token starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'jss_';

/** What is known about a token, never the token itself nor its hash. */
export interface TokenInfo {
  /** The public id: safe to show, log and pass to `token revoke`. */
  id: string;
  user: string;
  role: Role;
  services: string[];
  created: string;
  /** ISO time after which the token is refused; `null` for a token that does not expire. */
  expires: string | null;
  revoked: string | null;
}

/** A token as it is made: the only time the token itself is seen. */
export interface IssuedToken extends TokenInfo {
  token: string;
}

/**
 * The stored form of a token. Tokens carry 256 random bits, so a fast hash is enough: no one can
 * guess a token from its SHA-256, and a lookup by hash compares no secrets in JavaScript.
 */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new random token (32 bytes, base64url, after the prefix). */
export const mintToken = () => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

const isoDate = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const TOKEN_COLUMNS = `id, user_name, role, services, ${isoDate('created')} AS created,
  ${isoDate('expires')} AS expires, ${isoDate('revoked')} AS revoked`;

interface TokenRow {
  id: string;
  user_name: string;
  role: Role;
  services: string[];
  created: string;
  expires: string | null;
  revoked: string | null;
}

const toInfo = (row: TokenRow): TokenInfo => ({
  id: row.id,
  user: row.user_name,
  role: row.role,
  services: row.services ?? [],
  created: row.created,
  expires: row.expires,
  revoked: row.revoked,
});

/** Makes and stores a token; only its hash is kept. */
export async function createToken(
  sql: Sql,
  grant: Grant & { expiresInMs?: number },
): Promise<IssuedToken> {
  const token = mintToken();
  const id = randomBytes(6).toString('hex');
  const { rows } = await sql.query<TokenRow>(
    `INSERT INTO tokens (id, user_name, role, services, hash, expires)
     VALUES ($1, $2, $3, $4::text[], $5,
       CASE WHEN $6::bigint IS NULL THEN NULL
            ELSE now() + $6::bigint * interval '1 millisecond' END)
     RETURNING ${TOKEN_COLUMNS}`,
    [
      id,
      grant.user,
      grant.role,
      [...(grant.services ?? [])],
      hashToken(token),
      grant.expiresInMs ?? null,
    ],
  );
  return { ...toInfo(rows[0]!), token };
}

/** The most tokens one listing shows, newest first. */
export const MAX_LISTED_TOKENS = 1000;

/** The newest tokens (revoked and expired ones included), never their hashes. */
export async function listTokens(sql: Sql): Promise<TokenInfo[]> {
  const { rows } = await sql.query<TokenRow>(
    `SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY tokens.created DESC, id LIMIT $1`,
    [MAX_LISTED_TOKENS],
  );
  return rows.map(toInfo);
}

/**
 * Revokes a token by id; `undefined` when there is no such token. Revoking twice is harmless.
 * This process forgets every token it verified at once; other server instances on the same
 * database accept the revoked token for at most `VERIFIED_TOKEN_TTL_MS` more.
 */
export async function revokeToken(sql: Sql, id: string): Promise<TokenInfo | undefined> {
  const { rows } = await sql.query<TokenRow>(
    `UPDATE tokens SET revoked = coalesce(revoked, now()) WHERE id = $1 RETURNING ${TOKEN_COLUMNS}`,
    [id],
  );
  verified.get(sql)?.clear();
  return rows[0] && toInfo(rows[0]);
}

/**
 * How long a server trusts a token it found usable without asking the database again: the most
 * a revocation made on another instance (or by `jss-server token revoke`) takes to reach this one.
 */
export const VERIFIED_TOKEN_TTL_MS = 2000;

/** Tokens verified at most this long ago are kept; beyond this many, the oldest are forgotten. */
const MAX_VERIFIED_TOKENS = 10_000;

interface Verified {
  principal: Principal;
  /** `performance.now()` after which the token is looked up again. */
  until: number;
}

/** Per database: SHA-256 of a token → who it stood for when last looked up. */
const verified = new WeakMap<Sql, Map<string, Verified>>();

/**
 * The principal a token stands for, or `undefined` when it is unknown, revoked or expired. A
 * usable token is remembered for `VERIFIED_TOKEN_TTL_MS` (never past its own expiry), so a
 * client sending many requests costs one lookup per interval rather than one per request.
 */
export async function principalOfToken(sql: Sql, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  const hash = hashToken(token);
  let known = verified.get(sql);
  const now = performance.now();
  const hit = known?.get(hash);
  if (hit && hit.until > now) return hit.principal;
  const { rows } = await sql.query<{
    id: string;
    user_name: string;
    role: Role;
    services: string[];
    expires_in_ms: number | null;
  }>(
    `SELECT id, user_name, role, services,
       (extract(epoch FROM expires - now()) * 1000)::float8 AS expires_in_ms
     FROM tokens
     WHERE hash = $1 AND revoked IS NULL AND (expires IS NULL OR expires > now())`,
    [hash],
    'jss_principal_of_token',
  );
  const row = rows[0];
  if (!known) {
    known = new Map();
    verified.set(sql, known);
  }
  known.delete(hash);
  if (!row) return undefined;
  const principal: Principal = {
    user: row.user_name,
    role: row.role,
    services: row.services ?? [],
    tokenId: row.id,
  };
  const ttl = Math.min(VERIFIED_TOKEN_TTL_MS, row.expires_in_ms ?? Infinity);
  if (ttl > 0) {
    if (known.size >= MAX_VERIFIED_TOKENS) known.delete(known.keys().next().value!);
    known.set(hash, { principal, until: now + ttl });
  }
  return principal;
}

/** How many tokens could be used right now (the server's first start hints when there are none). */
export async function countUsableTokens(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM tokens
     WHERE revoked IS NULL AND (expires IS NULL OR expires > now())`,
  );
  return Number(rows[0]?.count ?? 0);
}
