import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Principal, Role } from '#protocol';
import type { Sql } from '../store/db';
import type { Grant } from './grants';

/**
 * scrypt with N = 2^15, r = 8: 32 MiB and some tens of milliseconds per guess, which is what
 * makes a stolen table of hashes slow to attack. The parameters are stored with each hash, so
 * they can be raised later without invalidating stored passwords.
 */
const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { ...params, maxmem: 128 * (params.N ?? 0) * (params.r ?? 0) * 2 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64url; a fresh salt for every password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, SCRYPT_PARAMS);
  const { N, r, p } = SCRYPT_PARAMS;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches a hash made by `hashPassword` (compared in constant time). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A reason the password cannot be used, or `undefined`. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    return `A password has ${MIN_PASSWORD_LENGTH}..${MAX_PASSWORD_LENGTH} characters`;
  }
  return undefined;
}

/** Sets (or replaces) a user's password, and the role its logins get. */
export async function setPassword(sql: Sql, grant: Grant, password: string): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  await sql.query(
    `INSERT INTO users (user_name, password_hash, role, services) VALUES ($1, $2, $3, $4::text[])
     ON CONFLICT (user_name) DO UPDATE SET password_hash = EXCLUDED.password_hash,
       role = EXCLUDED.role, services = EXCLUDED.services, updated = now()`,
    [grant.user, await hashPassword(password), grant.role, [...(grant.services ?? [])]],
  );
}

// Checked against when the user does not exist, so that an unknown user takes as long to refuse
// as a wrong password (the answer must not tell which user names exist).
let decoyHash: Promise<string> | undefined;

/** The principal a user name and password stand for, or `undefined` when they do not match. */
export async function checkPassword(
  sql: Sql,
  user: string,
  password: string,
): Promise<Omit<Principal, 'tokenId'> | undefined> {
  const { rows } = await sql.query<{ password_hash: string; role: Role; services: string[] }>(
    'SELECT password_hash, role, services FROM users WHERE user_name = $1',
    [user],
  );
  const row = rows[0];
  if (!row) {
    await verifyPassword(password, await (decoyHash ??= hashPassword(randomBytes(16).toString())));
    return undefined;
  }
  if (!(await verifyPassword(password, row.password_hash))) return undefined;
  return { user, role: row.role, services: row.services ?? [] };
}
