import { isRole, MAX_USER_LENGTH, ROLES, type Role } from '#protocol';
import { badBody } from '../http/api-error';
import { isJsonObject } from '#protocol';

/** What a new token (or a password user) is allowed to be. */
export interface Grant {
  user: string;
  role: Role;
  /** The services a worker may read and update. @default [] */
  services?: readonly string[];
}

/** The most services one grant may name (every request with the token carries them). */
export const MAX_GRANT_SERVICES = 100;
/** The longest service name a grant may hold. */
export const MAX_SERVICE_LENGTH = 256;

/** Checks a user name the way job creation does; `what` names the field in the message. */
export function checkUser(value: unknown, what = '"user"'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_USER_LENGTH) {
    throw badBody(`${what} is required: a string of 1..${MAX_USER_LENGTH} characters`);
  }
  return value;
}

export function checkRole(value: unknown, what = '"role"'): Role {
  if (!isRole(value)) throw badBody(`${what} must be one of ${ROLES.join(', ')}`);
  return value;
}

export function checkServices(value: unknown, what = '"services"'): string[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    value.length > MAX_GRANT_SERVICES ||
    !value.every(
      (service) =>
        typeof service === 'string' && service.length > 0 && service.length <= MAX_SERVICE_LENGTH,
    )
  ) {
    throw badBody(
      `${what} must be an array of at most ${MAX_GRANT_SERVICES} service names (1..${MAX_SERVICE_LENGTH} characters)`,
    );
  }
  return [...new Set(value as string[])];
}

/** The longest life a token may be given: ten years. */
export const MAX_TOKEN_LIFETIME_MS = 10 * 365 * 24 * 60 * 60 * 1000;

export function checkLifetime(value: unknown, what = '"expires_in_ms"'): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < 1000 ||
    value > MAX_TOKEN_LIFETIME_MS
  ) {
    throw badBody(`${what} must be an integer number of milliseconds from 1000 to ten years`);
  }
  return value;
}

/** The body of `POST 1.0/auth/tokens`: `{user, role, services?, expires_in_ms?}`. */
export function parseTokenRequest(body: unknown): Grant & { expiresInMs?: number } {
  if (!isJsonObject(body)) throw badBody('The body must be a JSON object: {user, role}');
  const known = new Set(['user', 'role', 'services', 'expires_in_ms']);
  const unknown = Object.keys(body).find((key) => !known.has(key));
  if (unknown !== undefined) throw badBody(`Unknown field ${JSON.stringify(unknown)}`);
  return {
    user: checkUser(body.user),
    role: checkRole(body.role),
    services: checkServices(body.services),
    expiresInMs: checkLifetime(body.expires_in_ms),
  };
}
