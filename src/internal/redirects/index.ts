// The transport follows redirects itself rather than through axios. axios's Node adapter follows
// them by wrapping every request in follow-redirects, a measurable share of a whole getJob in the
// bench, although a JSS answers almost every call without one. A browser follows
// redirects before the SDK sees the answer, so this only runs on Node. The rules are the Fetch
// standard's, so that Node and browsers agree.

// It imports nothing at run time, so that the chunk the ESM build splits it into stays alone: the
// transport passes in what it needs.
import type { HttpMethod, RequestHeaders } from '../transport-types';

/** The Fetch standard's limit; follow-redirects allowed 21. */
const MAX_REDIRECTS = 20;

/** What one hop sends. */
export interface Hop {
  url: string;
  method: HttpMethod;
  headers: RequestHeaders;
  body: string | undefined;
}

/** An answer, as far as redirects are concerned (an axios response). */
export interface HopResponse {
  status: number;
  /** axios's headers: lower-cased names as properties. */
  headers: object;
}

/** The call as errors name it: its method and its path without the query. */
export interface CallName {
  method: HttpMethod;
  path: string;
}

/**
 * Sends the hops that `response` (the answer to `first`) and the answers after it ask for, with
 * `send`, and returns the first answer that is not a redirect to follow. The transport lends what
 * the rules need, so that this module imports nothing: `isCredential` tells which headers to drop
 * on the way to another origin, and `refuse` throws its error for a redirect that is not followed
 * (never retried: the next attempt would meet it again).
 */
export async function followRedirects<Response extends HopResponse>(
  response: Response,
  first: Hop,
  send: (hop: Hop) => Promise<Response>,
  call: CallName,
  isCredential: (headerName: string) => boolean,
  refuse: (message: string, code: 'unsupported_redirect' | 'too_many_redirects') => never,
): Promise<Response> {
  const request = `The request (${call.method} ${call.path}) was redirected`;
  let hop = first;
  let answer = response;
  for (let redirects = 0; ; redirects += 1) {
    const { location } = answer.headers as { location?: unknown };
    if (typeof location !== 'string' || location === '') return answer;
    const next = nextHop(hop, answer.status, location, isCredential);
    if (next === undefined) return answer;
    if (typeof next === 'string') refuse(`${request} to ${next}`, 'unsupported_redirect');
    if (redirects === MAX_REDIRECTS) {
      refuse(`${request} more than ${MAX_REDIRECTS} times`, 'too_many_redirects');
    }
    hop = next;
    answer = await send(hop);
  }
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * The hop that follows a `status` answer carrying `location`, sent for `previous`, or undefined
 * when `status` is not one of the redirects the Fetch standard follows (a 300 or a 304 is the
 * answer itself):
 * - the location is resolved against the previous URL, and must be http or https;
 * - 301 and 302 after a POST, and 303 after anything but GET, become a GET without a body or
 *   `Content-*` headers; 307 and 308 repeat the method and the body;
 * - on another origin (scheme, host or port), every credential-like header (Authorization, Cookie,
 *   X-Api-Key, ...: the names that logs redact) is dropped: a server must not hand the caller's
 *   credentials to a third party by answering with a redirect. An upgrade from http to https on
 *   the same host keeps them, as axios's follow-redirects did (a proxy that upgrades a legacy
 *   `http://` base URL must keep working), and `Idempotency-Key` always travels: it is what keeps
 *   a repeated write from being applied twice, wherever the write lands.
 *
 * `isCredential` tells which header names are credentials (the transport passes redact.ts's).
 *
 * @returns the next hop; undefined for a status that is no such redirect; for a location that
 * cannot be followed, why (`'the unsupported scheme ftp:'`), never quoting the location itself,
 * which may carry a token in its query
 */
export function nextHop(
  previous: Hop,
  status: number,
  location: string,
  isCredential: (headerName: string) => boolean,
): Hop | string | undefined {
  if (!REDIRECT_STATUSES.has(status)) return undefined;
  const from = new URL(previous.url);
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return 'a Location that is not a URL';
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return `the unsupported scheme ${target.protocol}`;
  }
  const becomesGet =
    ((status === 301 || status === 302) && previous.method === 'POST') ||
    (status === 303 && previous.method !== 'GET');
  const keepsCredentials =
    target.origin === from.origin ||
    (from.protocol === 'http:' && target.protocol === 'https:' && target.host === from.host);
  const headers: RequestHeaders = {};
  for (const [name, value] of Object.entries(previous.headers)) {
    if (becomesGet && /^content-/i.test(name)) continue;
    if (!keepsCredentials && isCredential(name) && !/^idempotency-key$/i.test(name)) continue;
    headers[name] = value;
  }
  if (becomesGet) headers['Content-Type'] = false;
  return {
    url: target.href,
    method: becomesGet ? 'GET' : previous.method,
    headers,
    body: becomesGet ? undefined : previous.body,
  };
}
