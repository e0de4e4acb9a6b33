/**
 * Where the handlers answer: an absolute base URL (`http://localhost:8080/jss/`), a path that
 * any origin may carry (`/jss/`), or a pattern with msw's `*` wildcard (`*\/jss/`); or a
 * function returning one of those, read on every request (for a port known only later).
 */
export type JssBaseURL = string | (() => string);

/** The base the handlers answer at when none is given. */
export const DEFAULT_BASE_URL = 'http://localhost/jss/';

const REGEXP_SYNTAX = /[.*+?^${}()|[\]\\]/g;

/**
 * The base with a trailing `/`; an absolute URL goes through `URL`, which writes it the way
 * request URLs are written (lower-case host, no default port).
 *
 * @throws TypeError for a string that is neither a URL, a path nor a pattern
 */
export function normalizeBaseURL(base: string): string {
  const slashed = base.endsWith('/') ? base : `${base}/`;
  if (slashed.startsWith('/') || slashed.includes('*')) return slashed;
  return new URL(slashed).href;
}

/** The path msw matches before the handler looks closer: everything under the base. */
export function mswPathOf(base: JssBaseURL): string {
  if (typeof base === 'function') return '*';
  const normalized = normalizeBaseURL(base);
  return normalized.startsWith('/') ? `*${normalized}*` : `${normalized}*`;
}

/**
 * The rest of the URL's path after the base, percent-encoding kept (`1.0/job/a%20b`), or
 * undefined when the URL is not under the base.
 */
export function pathUnderBase(base: string, url: URL): string | undefined {
  const normalized = normalizeBaseURL(base);
  const target = normalized.startsWith('/') ? url.pathname : `${url.origin}${url.pathname}`;
  const source = normalized
    .split('*')
    .map((part) => part.replace(REGEXP_SYNTAX, '\\$&'))
    .join('.*?');
  const match = new RegExp(`^${source}`).exec(target);
  return match === null ? undefined : target.slice(match[0].length);
}
