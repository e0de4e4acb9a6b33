// Tells a database that cannot be reached apart from a bug, so that an outage is answered 503
// (`unavailable`, a client may retry) rather than 500, and startup can say what went wrong.

/** Node's network error codes that mean the database server cannot be reached. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * PostgreSQL SQLSTATEs of an unavailable server: class 08 (connection exception), 57P01..57P03
 * (shutting down, cannot connect now) and 53300 (too many connections).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[1-3]|53300)$/;

/** What `pg` and PGlite say when the connection is gone or cannot be made. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error|timeout exceeded when trying to connect|PGlite is closed|Client was closed|Cannot use a pool after calling end/i;

/** Whether `error` says the database cannot be reached (rather than a statement being wrong). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code)))
    return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
  // `connect` to a host with several addresses fails with an AggregateError of each attempt.
  return Array.isArray(errors) && errors.some(isDatabaseUnavailable);
}

/** A wrong password or an unknown role: PostgreSQL's class 28 (invalid authorization). */
export function isDatabaseLoginRefused(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^28...$/.test(code);
}
