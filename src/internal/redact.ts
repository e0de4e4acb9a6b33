// Credentials must never reach an error, a log line or a hook payload (a raw axios error carries
// every request header). Everything the transport reports goes through
// these functions first.

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';

// Catches Authorization, Cookie, Set-Cookie, X-Api-Key and the many vendor spellings
// (X-Auth-Token, X-Session-Secret, Api-Key, ...) without a list.
const SENSITIVE_HEADER = /token|secret|auth|cookie|key/i;

// `Bearer abc.def`, `Basic dXNlcjpw`: the scheme stays so a reader still sees what was sent.
// The value charset is RFC 6750's token68, which covers JWTs and base64. The scheme is matched
// as usually written, so that prose ("basic checks", "the token expired") stays readable.
const AUTH_SCHEME_VALUE = /\b(Bearer|bearer|BEARER|Basic)\s+[\w\-.~+/]+=*/g;

// `?access_token=…&api_key=…` inside a URL or a message.
const SECRET_QUERY_PARAM =
  /((?:^|[?&;\s])[\w-]*(?:token|secret|key|password|passwd|auth)[\w-]*=)[^&\s"'#]+/gim;

/** True for headers whose value must never be shown (names compared case-insensitively). */
export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

/** A copy of `headers` with every sensitive value replaced by `[REDACTED]`. */
export function redactHeaders(
  headers: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    safe[name] = isSensitiveHeader(name) ? REDACTED : value;
  }
  return safe;
}

/** The values of the sensitive headers in `headers`: secrets to scrub from free text. */
export function sensitiveHeaderValues(
  headers: Readonly<Record<string, string | undefined>>,
): string[] {
  return Object.entries(headers)
    .filter(([name, value]) => value !== undefined && value !== '' && isSensitiveHeader(name))
    .map(([, value]) => value as string);
}

/**
 * Scrubs credentials from free text: `Bearer …`/`Basic …` values, secret-looking query parameters
 * and every literal in `secrets` (the configured token, cookie values, ...).
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let safe = text;
  // Longest first, so a secret that contains another is removed whole.
  const literals = [...new Set(secrets.filter((secret) => secret.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  for (const secret of literals) safe = safe.split(secret).join(REDACTED);
  return safe
    .replace(AUTH_SCHEME_VALUE, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(SECRET_QUERY_PARAM, (_match, prefix: string) => `${prefix}${REDACTED}`);
}

/** The only shape in which a foreign error (axios, a hook, a token provider) is ever kept. */
export interface SafeErrorInfo {
  name: string;
  code?: string;
  message: string;
}

/**
 * Copies `name`, `code` and `message` of anything thrown, scrubbed. Never keeps a reference to the
 * original, whose `config`/`request`/`headers` may hold credentials.
 */
export function toSafeErrorInfo(error: unknown, secrets: readonly string[] = []): SafeErrorInfo {
  if (typeof error !== 'object' || error === null) {
    return { name: 'Error', message: redactText(String(error), secrets) };
  }
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  const info: SafeErrorInfo = {
    name: typeof name === 'string' && name !== '' ? name : 'Error',
    message: typeof message === 'string' ? redactText(message, secrets) : '',
  };
  if (typeof code === 'string' && code !== '') info.code = redactText(code, secrets);
  return info;
}

/** Shortens text for a message: long bodies are noise and may hold anything. */
export function truncate(text: string, maxLength = 200): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength)}… (${text.length} chars)`;
}
