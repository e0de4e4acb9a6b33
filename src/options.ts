// The client's options: documented here, checked once in the constructor (a mistake fails at
// `new JobStatusClient(...)`, naming the option, not at the first request), and normalised once
// into what the transport and the wire mapping read.
import type { NormalizedTransportOptions } from './internal/transport';
import type { CallOptions, Logger, LoggerLevel, TransportHooks } from './internal/transport-types';
import type { FilterMode } from './schemas/filter';
import type { ServiceFieldKeys, WireOptions } from './wire';

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
   * `timeout` and retries are not used: the client's options are.
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

/** The default per-attempt timeout, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The default number of retries after the first attempt. */
export const DEFAULT_MAX_RETRIES = 2;
/** The default backoff. */
export const DEFAULT_RETRY_DELAY = { initialMs: 500, maxMs: 8_000 } as const;
/** The longest `Retry-After` honoured before giving up the retry. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

const OPTION_NAMES: readonly (keyof ClientOptions)[] = [
  'baseURL',
  'host',
  'port',
  'protocol',
  'user',
  'username',
  'token',
  'headers',
  'timeout',
  'deadline',
  'maxRetries',
  'retryDelay',
  'axios',
  'logger',
  'logLevel',
  'hooks',
  'serviceFieldKeys',
  'fetch',
  'filters',
];

const LOGGER_LEVELS: readonly LoggerLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

// RFC 9110 token characters: anything else in a header name is refused by HTTP stacks.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Control characters would let a value split into a second header; above U+00FF HTTP stacks throw.
// eslint-disable-next-line no-control-regex
const UNSENDABLE_IN_HEADER = /[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/;

/** An `Invalid option "name": rule` error, thrown synchronously by the constructor. */
export function invalidOption(name: string, rule: string): TypeError {
  return new TypeError(`Invalid option "${name}": ${rule}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveMilliseconds(name: string, value: unknown, fallback: number): number;
function positiveMilliseconds(name: string, value: unknown, fallback?: number): number | undefined;
function positiveMilliseconds(name: string, value: unknown, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidOption(name, 'must be a finite number of milliseconds greater than 0');
  }
  return value;
}

function normalizeTimeout(value: unknown): number {
  // The transport reads both 0 and Infinity as "no per-attempt limit".
  if (value === 0 || value === Infinity) return value;
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidOption(
      'timeout',
      'must be a number of milliseconds greater than 0 (0 or Infinity for none)',
    );
  }
  return value;
}

function headerValue(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidOption(name, 'must be a non-empty string');
  }
  if (UNSENDABLE_IN_HEADER.test(value)) {
    throw invalidOption(
      name,
      'must not contain control characters or characters beyond U+00FF (it is sent in a header)',
    );
  }
  return value;
}

function oneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T))
    throw invalidOption(name, `must be one of ${allowed.map((item) => `'${item}'`).join(', ')}`);
  return value as T;
}

function normalizeBaseURL(options: ClientOptions): string {
  if (options.baseURL !== undefined) {
    for (const legacy of ['host', 'port', 'protocol'] as const) {
      if (options[legacy] !== undefined) {
        throw invalidOption(legacy, 'cannot be combined with baseURL (give one or the other)');
      }
    }
    return parseBaseURL('baseURL', options.baseURL);
  }
  if (options.host === undefined) {
    throw invalidOption('baseURL', 'is required (or give the legacy host and port)');
  }
  const protocol = oneOf('protocol', options.protocol, ['http', 'https'] as const, 'http');
  const host = normalizeHost(options.host);
  const port = normalizePort(options.port, protocol === 'https' ? 443 : 80);
  return parseBaseURL('host', `${protocol}://${host}:${port}/jss/`);
}

function parseBaseURL(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidOption(name, 'must be a non-empty string');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidOption(name, 'must be an absolute http(s) URL such as http://host:8080/jss');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidOption(name, 'must use http or https');
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidOption(name, 'must not contain credentials (they would be logged); use token');
  }
  if (url.search !== '' || url.hash !== '') {
    throw invalidOption(name, 'must not contain a query string or fragment');
  }
  const href = url.href;
  return href.endsWith('/') ? href : `${href}/`;
}

function normalizeHost(host: unknown): string {
  if (typeof host !== 'string' || host.trim() === '') {
    throw invalidOption('host', 'must be a non-empty string');
  }
  if (/[/\s?#@]/.test(host)) {
    throw invalidOption(
      'host',
      'must be a host name or IP address only (use baseURL for a full URL)',
    );
  }
  // A bare IPv6 address needs brackets inside a URL.
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function normalizePort(port: unknown, fallback: number): number {
  if (port === undefined) return fallback;
  const number =
    typeof port === 'number'
      ? port
      : typeof port === 'string' && /^\d+$/.test(port)
        ? Number(port)
        : NaN;
  if (!Number.isInteger(number) || number < 1 || number > 65_535) {
    throw invalidOption('port', 'must be an integer from 1 to 65535');
  }
  return number;
}

function normalizeUser(options: ClientOptions): string | undefined {
  const { user, username } = options;
  if (user !== undefined && username !== undefined && user !== username) {
    throw invalidOption(
      'username',
      'differs from user (username is the legacy name of user; give one)',
    );
  }
  const value = user ?? username;
  if (value === undefined) return undefined;
  return headerValue(user !== undefined ? 'user' : 'username', value);
}

function normalizeToken(token: unknown): TokenSource | undefined {
  if (token === undefined || typeof token === 'function') return token as TokenSource | undefined;
  return headerValue('token', token);
}

function normalizeHeaders(headers: unknown): Record<string, string> {
  if (headers === undefined) return {};
  if (!isRecord(headers))
    throw invalidOption('headers', 'must be an object of header names to strings');
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name))
      throw invalidOption('headers', `has an invalid header name (${JSON.stringify(name)})`);
    if (typeof value !== 'string' || UNSENDABLE_IN_HEADER.test(value)) {
      throw invalidOption(
        `headers.${name}`,
        'must be a string without control characters or characters beyond U+00FF',
      );
    }
    result[name] = value;
  }
  return result;
}

function normalizeRetryDelay(retryDelay: unknown): NormalizedTransportOptions['retryDelay'] {
  if (retryDelay === undefined) return { ...DEFAULT_RETRY_DELAY };
  if (!isRecord(retryDelay))
    throw invalidOption('retryDelay', 'must be an object { initialMs?, maxMs? }');
  const initialMs = positiveMilliseconds(
    'retryDelay.initialMs',
    retryDelay.initialMs,
    DEFAULT_RETRY_DELAY.initialMs,
  );
  const maxMs = positiveMilliseconds(
    'retryDelay.maxMs',
    retryDelay.maxMs,
    Math.max(DEFAULT_RETRY_DELAY.maxMs, initialMs),
  );
  if (maxMs < initialMs) throw invalidOption('retryDelay.maxMs', 'must be >= retryDelay.initialMs');
  return { initialMs, maxMs };
}

function normalizeMaxRetries(maxRetries: unknown): number {
  if (maxRetries === undefined) return DEFAULT_MAX_RETRIES;
  if (
    typeof maxRetries !== 'number' ||
    !Number.isInteger(maxRetries) ||
    maxRetries < 0 ||
    maxRetries > 100
  ) {
    throw invalidOption('maxRetries', 'must be an integer from 0 to 100');
  }
  return maxRetries;
}

function requireFunctions(
  name: string,
  value: unknown,
  methods: readonly string[],
  all: boolean,
): void {
  if (value === undefined) return;
  if (!isRecord(value) && typeof value !== 'function')
    throw invalidOption(name, 'must be an object');
  const record = value as Record<string, unknown>;
  for (const method of methods) {
    const present = record[method] !== undefined;
    if ((all || present) && typeof record[method] !== 'function') {
      throw invalidOption(`${name}.${method}`, 'must be a function');
    }
  }
}

function normalizeFetch(fetchOption: unknown): typeof fetch | undefined {
  if (fetchOption === undefined) {
    // Without any fetch, waitForJob polls instead of subscribing (src/follow checks for one).
    if (typeof globalThis.fetch !== 'function') return undefined;
    // Called on globalThis: a detached `fetch` throws "Illegal invocation" in browsers.
    return (input, init) => globalThis.fetch(input, init);
  }
  if (typeof fetchOption !== 'function') throw invalidOption('fetch', 'must be a function');
  return fetchOption as typeof fetch;
}

function rejectUnknownOptions(options: Record<string, unknown>): void {
  for (const key of Object.keys(options)) {
    if ((OPTION_NAMES as readonly string[]).includes(key)) continue;
    const hint = OPTION_NAMES.find((name) => name.toLowerCase() === key.toLowerCase());
    throw invalidOption(
      key,
      hint
        ? `is not an option; did you mean "${hint}"?`
        : `is not an option (options: ${OPTION_NAMES.join(', ')})`,
    );
  }
}

/**
 * Checks every option and fills in the defaults, once, in the constructor.
 *
 * @throws TypeError `Invalid option "port": must be an integer from 1 to 65535`
 */
export function normalizeClientOptions(options: unknown): NormalizedClientOptions {
  if (!isRecord(options))
    throw invalidOption('options', 'must be an object such as { baseURL, user }');
  rejectUnknownOptions(options);
  const given = options as ClientOptions;
  requireFunctions('axios', given.axios, ['request'], true);
  requireFunctions('logger', given.logger, ['debug', 'info', 'warn', 'error'], true);
  requireFunctions('hooks', given.hooks, ['onAttempt', 'onRetry'], false);

  const transport: NormalizedTransportOptions = {
    baseURL: normalizeBaseURL(given),
    headers: normalizeHeaders(given.headers),
    timeout: normalizeTimeout(given.timeout),
    maxRetries: normalizeMaxRetries(given.maxRetries),
    retryDelay: normalizeRetryDelay(given.retryDelay),
    maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
    hooks: { ...given.hooks },
    logLevel: oneOf('logLevel', given.logLevel, LOGGER_LEVELS, 'warn'),
  };
  const user = normalizeUser(given);
  if (user !== undefined) transport.user = user;
  const token = normalizeToken(given.token);
  if (token !== undefined) transport.token = token;
  const deadline = positiveMilliseconds('deadline', given.deadline);
  if (deadline !== undefined) transport.deadline = deadline;
  if (given.axios !== undefined) transport.axios = given.axios;
  if (given.logger !== undefined) transport.logger = given.logger;

  return {
    transport,
    wire: {
      serviceFieldKeys: oneOf(
        'serviceFieldKeys',
        given.serviceFieldKeys,
        ['snake_case', 'verbatim'] as const,
        'snake_case',
      ),
    },
    filters: oneOf('filters', given.filters, ['legacy', 'strict'] as const, 'legacy'),
    fetch: normalizeFetch(given.fetch),
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
  const options: ClientOptions = { host };
  if (port !== undefined) options.port = port;
  if (username !== undefined) options.username = username;
  return options;
}
