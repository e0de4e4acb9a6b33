// The client's options: documented here, checked once in the constructor (a mistake fails at
// `new JobStatusClient(...)`, naming the option, not at the first request), and normalised once
// into what the transport and the wire mapping read.
import type { NormalizedTransportOptions } from './internal/transport';
import type { CallOptions, Logger, LoggerLevel, TransportHooks } from './internal/transport-types';
import type { FilterMode } from './schemas/filter';
import {
  isRecord,
  issueAt,
  numberCheck,
  objectCheck,
  oneOfCheck,
  optional,
  runCheck,
  type Check,
  unknownOptionRule,
  type ValidationIssue,
} from './schemas/issues';
import type { KeyCasing, ServiceFieldKeys, WireOptions } from './wire';

/** A bearer token, or a function that returns a fresh one (called before every attempt). */
export type TokenSource = string | (() => string | Promise<string>);

/** Per-call options, the last argument of every method. */
export type RequestOptions = CallOptions;

/** How long to wait between attempts: exponential backoff with full jitter, capped. */
export interface RetryDelayOptions {
  /**
   * The delay ceiling before the first retry, doubled for each next one.
   * @default 500
   * @example { initialMs: 200 }
   */
  initialMs?: number;
  /**
   * The largest delay between two attempts.
   * @default 8000
   * @example { maxMs: 5000 }
   */
  maxMs?: number;
}

/** Options of `new JobStatusClient(options)`. Give `baseURL`, or the legacy `host` and `port`. */
export interface ClientOptions {
  /**
   * The service's base URL, up to and including its `/jss` path; a trailing slash is optional.
   * Exclusive with `host`/`port`/`protocol`.
   * @default undefined (built from host, port and protocol)
   * @example { baseURL: 'http://jss.example.org:8080/jss' }
   */
  baseURL?: string;
  /**
   * The legacy way to name the server: host name or IP address, without scheme or path.
   * The base URL becomes `{protocol}://{host}:{port}/jss/`.
   * @default undefined
   * @example { host: 'jss.example.org', port: 8080 }
   */
  host?: string;
  /**
   * The server's port, with `host` (the legacy client took it as a string).
   * @default 80 (443 when protocol is 'https')
   * @example { host: 'jss.example.org', port: '8080' }
   */
  port?: string | number;
  /**
   * The scheme, with `host`.
   * @default 'http'
   * @example { host: 'jss.example.org', protocol: 'https' }
   */
  protocol?: 'http' | 'https';
  /**
   * Who is calling, sent as `X-User-Id` on every request.
   * @default undefined (no X-User-Id header)
   * @example { user: 'demo' }
   */
  user?: string;
  /**
   * The legacy name of `user`. Give one of the two (or both, equal).
   * @deprecated use `user`
   * @default undefined
   * @example { username: 'demo' }
   */
  username?: string;
  /**
   * Sent as `Authorization: Bearer {token}`. A function is called before every attempt, so a
   * token that expires can be refreshed; it is never logged.
   * @default undefined (no Authorization header)
   * @example { token: async () => (await auth.session()).accessToken }
   */
  token?: TokenSource;
  /**
   * Extra headers sent with every request. `X-User-Id` and `Authorization` come from `user` and
   * `token` and win over these.
   * @default {}
   * @example { headers: { 'X-Trace-Origin': 'nightly-import' } }
   */
  headers?: Record<string, string>;
  /**
   * Milliseconds to wait for each attempt. The legacy client waited 300 000 ms (five minutes)
   * for one answer, which turned a dead server into a five-minute hang per retry; 30 s is
   * generous for this API. Use `deadline` to bound a whole call. `0` or `Infinity`: no limit.
   * @default 30000
   * @example { timeout: 10_000 }
   */
  timeout?: number;
  /**
   * Milliseconds for a whole call, all attempts and backoff included.
   * @default undefined (only `timeout` per attempt and `maxRetries` bound a call)
   * @example { deadline: 60_000 }
   */
  deadline?: number;
  /**
   * Retries after the first attempt, for requests that are safe to repeat (reads, `$set`
   * patches, and writes carrying an idempotency key), on connection errors, timeouts, 408, 429
   * and 5xx answers.
   * @default 2
   * @example { maxRetries: 5 }
   */
  maxRetries?: number;
  /**
   * The backoff between attempts. A `Retry-After` answer header is honoured instead, up to 60 s.
   * @default { initialMs: 500, maxMs: 8000 }
   * @example { retryDelay: { initialMs: 100, maxMs: 2000 } }
   */
  retryDelay?: RetryDelayOptions;
  /**
   * An axios instance to send with (for proxies, agents, interceptors). Its own `baseURL`,
   * `timeout` and retries are not used: the client's options are. It follows redirects as it is
   * configured to (`maxRedirects`), where the private instance follows the Fetch standard's rules.
   * @default undefined (a private instance)
   * @example { axios: axios.create({ httpsAgent }) }
   */
  axios?: NormalizedTransportOptions['axios'];
  /**
   * Where the client reports retries, slow calls and ignored events. Anything with `debug`,
   * `info`, `warn` and `error` (console, pino, winston). Credentials are never logged.
   * @default undefined (nothing is logged)
   * @example { logger: console, logLevel: 'info' }
   */
  logger?: Logger;
  /**
   * The least severe level passed to `logger`.
   * @default 'warn'
   * @example { logLevel: 'debug' }
   */
  logLevel?: LoggerLevel;
  /**
   * Callbacks after every attempt and before every retry, for metrics and tracing. The info
   * they get is already redacted. A hook that throws is ignored.
   * @default {}
   * @example { hooks: { onRetry: (info) => metrics.increment('jss.retry', { reason: info.reason }) } }
   */
  hooks?: TransportHooks;
  /**
   * How keys inside `serviceFields` (and log `data`) travel. `'snake_case'` converts them like
   * the legacy client (`fileName` ↔ `file_name`, lossy for keys such as `my_key`); `'verbatim'`
   * sends and returns them exactly as given.
   * @default 'snake_case'
   * @example { serviceFieldKeys: 'verbatim' }
   */
  serviceFieldKeys?: ServiceFieldKeys;
  /**
   * How the dotted keys of patches and filters (`service_fields.a.b`) are snake_cased.
   * `'per-segment'` converts each key on its own, so a patch names the keys a create body stored
   * (`{Plate: {WellID: 1}}` → `service_fields.plate.well_i_d`). `'legacy'` sends the legacy
   * client's bytes, which converted the whole dotted key at once (`service_fields._plate._well_i_d`):
   * pick it when jobs were written by legacy patches, so that the SDK patches and finds the keys
   * they stored instead of writing beside them. Keys without capitals travel the same either way.
   * Only with `serviceFieldKeys: 'snake_case'` (verbatim keys are never converted).
   * @default 'per-segment'
   * @example { keyCasing: 'legacy' }
   */
  keyCasing?: KeyCasing;
  /**
   * The fetch used for live subscriptions (Server-Sent Events), where axios cannot stream.
   * @default globalThis.fetch
   * @example { fetch: undici.fetch }
   */
  fetch?: typeof fetch;
  /**
   * How filters treat plain objects with `$` keys. `'legacy'` accepts allowlisted operators in
   * plain objects, as the legacy client did; `'strict'` accepts operators only from the helpers
   * (`eq`, `oneOf`, …), so no value from outside can become an operator (operator injection).
   * @default 'legacy'
   * @example { filters: 'strict' }
   */
  filters?: FilterMode;
}

/** Everything the client needs, checked and with defaults filled in. */
export interface NormalizedClientOptions {
  transport: NormalizedTransportOptions;
  wire: WireOptions;
  filters: FilterMode;
  /** Undefined only where the platform has no fetch and none was given. */
  fetch: typeof fetch | undefined;
}

// RFC 9110 token characters: anything else in a header name is refused by HTTP stacks.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Tab, printable ASCII and U+0080-U+00FF: a control character would let a value split into a
// second header, and above U+00FF HTTP stacks throw.
const UNSENDABLE_IN_HEADER = /[^\t -~\x80-\xff]/;

/** A string sent in a header (the user, a token, an extra header's value). */
const headerValue =
  (allowEmpty?: boolean): Check =>
  (value) =>
    typeof value !== 'string' || !(allowEmpty || value)
      ? `must be a${allowEmpty ? '' : ' non-empty'} string`
      : UNSENDABLE_IN_HEADER.test(value)
        ? 'must not contain control characters or characters above U+00FF'
        : undefined;

/** An object whose methods are called later, checked now so that a typo fails here. */
const methods =
  (names: string[], required?: boolean): Check =>
  (value, path, issues) => {
    if (!isRecord(value) && typeof value !== 'function') return 'must be an object';
    for (const name of names) {
      const method = (value as Record<string, unknown>)[name];
      if (typeof method !== 'function' && (required || method !== undefined)) {
        issues.push(issueAt([...path, name], 'must be a function'));
      }
    }
  };

const nonEmptyHeaderValue = headerValue();

// The legacy client took the port as a string.
const portNumber = (port: unknown): unknown =>
  typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;

const milliseconds = optional(numberCheck((value) => value > 0, 'a finite number > 0'));

/** Every option and its rule; each may be absent (the cross-option rules come after). */
const OPTION_CHECKS: Record<keyof ClientOptions, Check> = {
  // Parsed as a URL with the legacy options, below.
  baseURL: () => undefined,
  host: optional((value) =>
    typeof value === 'string' && value.trim() && !/[/\s?#@]/.test(value)
      ? undefined
      : 'must be a host name or IP address only',
  ),
  port: optional((value) =>
    Number.isInteger(portNumber(value)) && Number(value) >= 1 && Number(value) <= 65_535
      ? undefined
      : 'must be an integer from 1 to 65535',
  ),
  protocol: oneOfCheck(['http', 'https']),
  user: optional(nonEmptyHeaderValue),
  username: optional(nonEmptyHeaderValue),
  // A function is called before every attempt instead.
  token: (value) =>
    value === undefined || typeof value === 'function'
      ? undefined
      : nonEmptyHeaderValue(value, [], []),
  headers: optional((value, path, issues) => {
    if (!isRecord(value)) return 'must be an object';
    for (const [name, header] of Object.entries(value)) {
      if (!HEADER_NAME.test(name)) return `has an invalid header name (${JSON.stringify(name)})`;
      runCheck(headerValue(true), header, [...path, name], issues);
    }
  }),
  // The transport reads both 0 and Infinity as "no per-attempt limit".
  timeout: optional((value) =>
    typeof value === 'number' && value >= 0 ? undefined : 'must be a number >= 0',
  ),
  deadline: milliseconds,
  maxRetries: optional(
    numberCheck(
      (value) => Number.isInteger(value) && value >= 0 && value <= 100,
      'an integer from 0 to 100',
    ),
  ),
  retryDelay: optional(objectCheck({ initialMs: milliseconds, maxMs: milliseconds })),
  axios: optional(methods(['request'], true)),
  logger: optional(methods(['debug', 'info', 'warn', 'error'], true)),
  hooks: optional(methods(['onAttempt', 'onRetry'])),
  logLevel: oneOfCheck(['debug', 'info', 'warn', 'error', 'silent']),
  serviceFieldKeys: oneOfCheck(['snake_case', 'verbatim']),
  keyCasing: oneOfCheck(['per-segment', 'legacy']),
  fetch: (value) =>
    value === undefined || typeof value === 'function' ? undefined : 'must be a function',
  filters: oneOfCheck(['legacy', 'strict']),
};

const OPTION_NAMES = Object.keys(OPTION_CHECKS);

/** Throws `Invalid option "name": rule`, a TypeError, synchronously from the constructor. */
function fail(name: string, rule: string): never {
  throw new TypeError(`Invalid option "${name}": ${rule}`);
}

/** The base URL, ending with `/`, from `baseURL` or from the legacy `host`, `port` and `protocol`. */
function baseURLOf(options: ClientOptions): string {
  const { baseURL, host, port, protocol = 'http' } = options;
  let name = 'baseURL';
  let value: unknown = baseURL;
  if (baseURL !== undefined) {
    for (const legacy of ['host', 'port', 'protocol'] as const) {
      if (options[legacy] !== undefined) fail(legacy, 'cannot be combined with baseURL');
    }
  } else if (host === undefined) {
    fail(name, 'is required (or give host)');
  } else {
    name = 'host';
    // A bare IPv6 address needs brackets inside a URL; an absent port is the scheme's default.
    value = `${protocol}://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}${
      port === undefined ? '' : `:${Number(port)}`
    }/jss/`;
  }
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {
    fail(name, 'must be an absolute http(s) URL');
  }
  const rule = !/^https?:$/.test(url.protocol)
    ? 'must use http or https'
    : url.username || url.password
      ? 'must not contain credentials (use token)'
      : url.search || url.hash
        ? 'must not contain a query string or fragment'
        : undefined;
  if (rule) fail(name, rule);
  return url.href.replace(/\/?$/, '/');
}

/**
 * Checks every option and fills in the defaults, once, in the constructor.
 *
 * @throws TypeError `Invalid option "port": must be an integer from 1 to 65535`
 */
export function normalizeClientOptions(options: unknown): NormalizedClientOptions {
  if (!isRecord(options)) fail('options', 'must be an object');
  for (const key of Object.keys(options)) {
    // Unknown keys are refused: a typo would otherwise be silently ignored.
    const rule = unknownOptionRule(key, OPTION_NAMES);
    if (rule) fail(key, rule);
  }
  const issues: ValidationIssue[] = [];
  runCheck(objectCheck(OPTION_CHECKS), options, [], issues);
  const [issue] = issues;
  if (issue) fail(issue.path.join('.'), issue.message);

  const given = options as ClientOptions;
  const { user, username, retryDelay = {} } = given;
  if (user !== undefined && username !== undefined && user !== username) {
    fail('username', 'must equal user (it is its legacy name)');
  }
  const { serviceFieldKeys = 'snake_case', keyCasing = 'per-segment' } = given;
  if (keyCasing === 'legacy' && serviceFieldKeys === 'verbatim') {
    fail('keyCasing', "'legacy' converts keys, which serviceFieldKeys 'verbatim' never does");
  }
  const { initialMs = 500, maxMs = Math.max(8_000, initialMs) } = retryDelay;
  if (maxMs < initialMs) fail('retryDelay.maxMs', 'must be >= retryDelay.initialMs');

  return {
    transport: {
      baseURL: baseURLOf(given),
      user: user ?? username,
      token: given.token,
      headers: { ...given.headers },
      timeout: given.timeout ?? 30_000,
      deadline: given.deadline,
      maxRetries: given.maxRetries ?? 2,
      retryDelay: { initialMs, maxMs },
      // The longest `Retry-After` honoured before giving up the retry.
      maxRetryAfterMs: 60_000,
      axios: given.axios,
      logger: given.logger,
      hooks: { ...given.hooks },
      logLevel: given.logLevel ?? 'warn',
    },
    wire: { serviceFieldKeys, keyCasing },
    filters: given.filters ?? 'legacy',
    // Without any fetch, waitForJob polls instead of subscribing (src/follow checks for one).
    // The default is called on globalThis: a detached `fetch` throws "Illegal invocation" in browsers.
    fetch:
      given.fetch ??
      (typeof globalThis.fetch === 'function'
        ? (input, init) => globalThis.fetch(input, init)
        : undefined),
  };
}

/**
 * The legacy constructor `new JobStatusClient(host, port, username)` as options.
 *
 * @example legacyOptions('jss.example.org', '8080', 'demo') // { host, port, username }
 */
export function legacyOptions(
  host: string,
  port?: string | number,
  username?: string,
): ClientOptions {
  return { host, port, username };
}

/**
 * The legacy client's `host` and `port` of a base URL: the host name (an IPv6 address without its
 * brackets) and the port as a string, the scheme's default when the URL names none (the legacy
 * client defaulted to `"80"`).
 *
 * @example legacyHostAndPort('http://jss.example.org:8080/jss/') // { host: 'jss.example.org', port: '8080' }
 */
export function legacyHostAndPort(baseURL: string): { host: string; port: string } {
  const url = new URL(baseURL);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || (url.protocol === 'https:' ? '443' : '80'),
  };
}
