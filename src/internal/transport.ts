// The only module of the SDK that imports axios. It sends one request with retries, timeouts and
// the caller's signal, and turns every outcome into a TransportResponse or a JobStatusError:
// raw axios errors, whose `config.headers` carry credentials, never leave this file.
//
// The common call (no signal, no deadline, a fixed token) is kept cheap: its headers are built
// once per transport, and its attempt timeout is axios's own `timeout`, so no AbortController,
// listener or timer of ours exists for it. Anything more opens one scope per call (abort-scope).

import axios from 'axios';
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import {
  AbortError,
  ApiError,
  ConnectionError,
  JobStatusError,
  RequestValidationError,
  ResponseValidationError,
  TimeoutError,
  isJobStatusError,
  WRONG_BASE_URL,
} from '../errors';
import type { StopReason } from './abort-scope';
import { openScope, timerMs, untilAborted } from './abort-scope';
import {
  buildUrl,
  normaliseHeaders,
  parseErrorBody,
  parseSuccessBody,
  pathWithoutQuery,
} from './http-body';
import {
  isSensitiveHeader,
  sensitiveHeaderValues,
  toSafeErrorInfo,
  type SafeErrorInfo,
} from './redact';
import type { Hop } from './redirects';
import { loadRedirects } from './redirects/load';
import { mayNameItself, USER_AGENT } from './version';
import { isRetryableError, retryDelay, retryReason } from './retry';
import { callHook, log, logs } from './transport-log';
import type {
  AttemptInfo,
  HttpMethod,
  Logger,
  LoggerLevel,
  Transport,
  TransportHooks,
  TransportRequest,
  RequestHeaders,
  TransportResponse,
} from './transport-types';

export type {
  AttemptInfo,
  Logger,
  LoggerLevel,
  RetryInfo,
  SafeErrorSummary,
  TransportHooks,
} from './transport-types';

/** The transport's settings, every default already applied by the client's option handling. */
export interface NormalizedTransportOptions {
  /** Ends with `/`, e.g. `http://localhost:8080/jss/`. */
  baseURL: string;
  /** Sent as `X-User-Id`. */
  user?: string;
  /** Sent as `Authorization: Bearer …`; a function is called again for every attempt. */
  token?: string | (() => string | Promise<string>);
  /** Extra headers for every request. The SDK's own headers win over same-named ones. */
  headers: Record<string, string>;
  /** Milliseconds per attempt (client default 30 000); 0 or Infinity means none. */
  timeout: number;
  /** Milliseconds for the whole call, retries and backoff included. */
  deadline?: number;
  /** Retries after the first attempt (client default 2). */
  maxRetries: number;
  /** Full-jitter exponential backoff bounds (client default 500 / 8 000). */
  retryDelay: { initialMs: number; maxMs: number };
  /** `Retry-After` is honoured up to this (client default 60 000). */
  maxRetryAfterMs: number;
  /** An axios instance to send with (its interceptors and adapter apply); else `axios.create()`. */
  axios?: AxiosInstance;
  hooks: TransportHooks;
  logger?: Logger;
  logLevel: LoggerLevel;
  /** Replaces Math.random in the backoff jitter (tests). */
  random?: () => number;
}

/** What every call of one transport shares, computed once. */
interface Shared {
  http: AxiosInstance;
  /** What each request must say itself: FIXED_CONFIG for an injected instance, nothing for ours. */
  perRequest: AxiosRequestConfig;
  /** Ours leaves redirects to the transport (see redirects/); an injected one follows its config. */
  followsRedirects: boolean;
  options: NormalizedTransportOptions;
  /** The headers of a bodyless call without an idempotency key (and with a fixed token). */
  headers: RequestHeaders;
  /** Literals to scrub: a fixed token and the values of sensitive extra headers. */
  secrets: string[];
  /**
   * The last tokens a token provider gave, scrubbed from every later call too: a provider that
   * fails may echo the token it failed to refresh, a server may echo an older one.
   */
  recentTokens: string[];
}

/** How many of a token provider's answers stay known as secrets (a bound on memory). */
const REMEMBERED_TOKENS = 8;

/** Which call a report or an error is about; the path has no query string. */
interface CallContext {
  method: HttpMethod;
  path: string;
}

type Outcome = { response: TransportResponse } | { error: JobStatusError; status?: number };

// Raw bytes in and out: the transport owns serialisation, parsing and status mapping. Timeouts
// come back as ETIMEDOUT rather than the ambiguous ECONNABORTED.
const keep = [(data: unknown) => data];
const FIXED_CONFIG: AxiosRequestConfig = {
  responseType: 'arraybuffer',
  transformRequest: keep,
  transformResponse: keep,
  validateStatus: () => true,
  transitional: { clarifyTimeoutError: true },
};

/** Builds the transport every resource sends through. */
export function createTransport(options: NormalizedTransportOptions): Transport {
  const { token, user } = options;
  const fixedToken = typeof token === 'string' && token !== '' ? token : undefined;
  const own: RequestHeaders = { Accept: 'application/json' };
  if (user !== undefined) own['X-User-Id'] = user;
  if (fixedToken !== undefined) own.Authorization = `Bearer ${fixedToken}`;
  // A caller's own User-Agent (in `headers`, whatever its case) wins over the SDK's.
  const namesAgent = Object.keys(options.headers).some(
    (name) => name.toLowerCase() === 'user-agent',
  );
  if (!namesAgent && mayNameItself()) own['User-Agent'] = USER_AGENT;
  const headers = withOwn(options.headers, own);
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = false;
  }
  const secrets = sensitiveHeaderValues(options.headers);
  if (fixedToken !== undefined) secrets.push(fixedToken);
  // Our own instance carries FIXED_CONFIG as its defaults: axios merges every key of a request's
  // config into its defaults, so a shorter per-request config is measurably cheaper.
  // An injected instance keeps its own defaults, so it gets FIXED_CONFIG with every request.
  const injected = options.axios;
  const shared: Shared = {
    http: injected ?? axios.create({ ...FIXED_CONFIG, maxRedirects: 0 }),
    perRequest: injected === undefined ? {} : FIXED_CONFIG,
    followsRedirects: injected === undefined,
    options,
    headers,
    secrets,
    recentTokens: [],
  };
  return { request: (request) => runCall(shared, request) };
}

/** One call: attempts and the sleeps between them. */
async function runCall(shared: Shared, request: TransportRequest): Promise<TransportResponse> {
  const { options } = shared;
  const { method, signal } = request;
  const context: CallContext = { method, path: pathWithoutQuery(request.path) };
  const body = serialiseBody(request.body);
  const timeout = request.timeout ?? options.timeout;
  const deadline = request.deadline ?? options.deadline;
  const maxRetries = request.maxRetries ?? options.maxRetries;
  const tokenProvider = typeof options.token === 'function';
  // Grows when a token provider answers, so later lines and errors scrub that token too.
  const secrets = tokenProvider ? [...shared.secrets, ...shared.recentTokens] : shared.secrets;
  const scope =
    signal !== undefined || deadline !== undefined || tokenProvider
      ? openScope(signal, deadline)
      : undefined;
  const startedAt = Date.now();

  try {
    for (let attempt = 1; ; attempt += 1) {
      const before = scope?.reason();
      if (before !== undefined)
        throw stopError(before, context, timeout, deadline, signal, secrets);

      const attemptStartedAt = Date.now();
      let outcome: Outcome;
      try {
        outcome = readResponse(
          await send(shared, request, context, body, scope?.attempt(timeout), timeout, secrets),
          context,
          secrets,
          shared.options.baseURL,
        );
      } catch (thrown) {
        const reason = scope?.reason() ?? (isTimeout(thrown) ? 'timeout' : undefined);
        outcome = {
          error:
            reason !== undefined
              ? stopError(reason, context, timeout, deadline, signal, secrets)
              : mapThrown(thrown, context, secrets),
        };
      } finally {
        scope?.endAttempt();
      }
      report(options, context, attempt, outcome, Date.now() - attemptStartedAt, secrets);
      if ('response' in outcome) return outcome.response;

      const { error } = outcome;
      if (
        !request.idempotent ||
        attempt > maxRetries ||
        scope?.reason() !== undefined ||
        !isRetryableError(error)
      ) {
        throw error;
      }
      const delayMs = retryDelay(error, attempt, options);
      // Sleeping past the deadline would only trade this error for a less telling timeout.
      if (deadline !== undefined && Date.now() - startedAt + delayMs >= deadline) throw error;

      const reason = retryReason(error);
      callHook(
        'onRetry',
        options.hooks.onRetry,
        { ...context, attempt, delayMs, reason },
        options,
        secrets,
      );
      log(
        options,
        secrets,
        'warn',
        `${method} ${context.path}: attempt ${attempt} of ${maxRetries + 1} failed ` +
          `(${reason}); retrying in ${delayMs} ms`,
      );
      await (scope?.sleep(delayMs) ??
        new Promise((resolve) => setTimeout(resolve, timerMs(delayMs))));
    }
  } finally {
    scope?.dispose();
  }
}

/** The error for a call stopped by its attempt timeout, its deadline or its caller's signal. */
function stopError(
  reason: StopReason,
  context: CallContext,
  timeout: number,
  deadline: number | undefined,
  signal: AbortSignal | undefined,
  secrets: readonly string[],
): JobStatusError {
  if (reason === 'timeout') {
    return new TimeoutError({ ...context, timeoutMs: timeout, scope: 'attempt' });
  }
  if (reason === 'deadline') {
    return new TimeoutError({ ...context, timeoutMs: deadline ?? 0, scope: 'deadline' });
  }
  // The reason is the caller's object: keep at most a scrubbed copy of an error-like one.
  const reasonGiven: unknown = signal?.reason;
  return new AbortError(
    typeof reasonGiven === 'object' && reasonGiven !== null && 'message' in reasonGiven
      ? { ...context, cause: toSafeErrorInfo(reasonGiven, secrets) }
      : context,
  );
}

/**
 * Sends one attempt, following redirects (see redirects/) when the instance is the SDK's own.
 * Under a scope, `signal` carries the attempt's timeout; without one, axios's own `timeout` does,
 * shortened on each hop by the time already spent.
 */
async function send(
  shared: Shared,
  request: TransportRequest,
  context: CallContext,
  body: string | undefined,
  signal: AbortSignal | undefined,
  timeout: number,
  secrets: string[],
): Promise<AxiosResponse<unknown>> {
  const { token } = shared.options;
  let headers = shared.headers;
  if (body !== undefined || request.idempotencyKey !== undefined || typeof token === 'function') {
    const own: RequestHeaders = {};
    if (body !== undefined) own['Content-Type'] = 'application/json';
    if (request.idempotencyKey !== undefined) own['Idempotency-Key'] = request.idempotencyKey;
    if (typeof token === 'function') {
      // A token provider is only ever called under a scope: its signal cuts the wait short.
      const resolved = await untilAborted(resolveToken(token, secrets), signal as AbortSignal);
      if (resolved) {
        if (!secrets.includes(resolved)) secrets.push(resolved);
        rememberToken(shared.recentTokens, resolved);
        own.Authorization = `Bearer ${resolved}`;
      }
    }
    headers = withOwn(headers, own);
  }
  const first: Hop = {
    method: request.method,
    url: buildUrl(shared.options.baseURL, request.path, request.query),
    headers,
    body,
  };
  const attemptMs = signal === undefined ? timerMs(timeout) : 0;
  const startedAt = attemptMs === 0 ? 0 : Date.now();
  const response = await sendHop(shared, first, signal, attemptMs, startedAt);
  if (!shared.followsRedirects || response.status < 300 || response.status > 399) return response;
  const redirects = await loadRedirects();
  return redirects === undefined
    ? response
    : redirects.followRedirects(
        response,
        first,
        (hop) => {
          // A hop sent with no time left could still apply a write the caller is told timed out.
          if (attemptMs !== 0 && Date.now() - startedAt >= attemptMs) {
            throw stopError('timeout', context, timeout, undefined, signal, secrets);
          }
          return sendHop(shared, hop, signal, attemptMs, startedAt);
        },
        context,
        isSensitiveHeader,
        (message, code) => {
          throw new JobStatusError(message, { code });
        },
      );
}

/** One HTTP request of an attempt; `attemptMs` (0 for none) counts from `startedAt`. */
function sendHop(
  shared: Shared,
  hop: Hop,
  signal: AbortSignal | undefined,
  attemptMs: number,
  startedAt: number,
): Promise<AxiosResponse<unknown>> {
  const config: AxiosRequestConfig = {
    ...shared.perRequest,
    method: hop.method,
    url: hop.url,
    headers: hop.headers,
    timeout: attemptMs === 0 ? 0 : Math.max(1, attemptMs - (Date.now() - startedAt)),
  };
  // Keys left out rather than set to undefined: each one is another merge step in axios.
  if (hop.body !== undefined) config.data = hop.body;
  if (signal !== undefined) config.signal = signal;
  return shared.http.request<unknown>(config);
}

/** A 2xx becomes the response (its body must be JSON); anything else an ApiError subclass. */
function readResponse(
  response: AxiosResponse<unknown>,
  context: CallContext,
  secrets: readonly string[],
  baseURL: string,
): Outcome {
  const headers = normaliseHeaders(response.headers);
  const { status } = response;
  if (status < 200 || status > 299) {
    // The base URL holds no credentials or query (the options refuse them); the path, no query.
    const url = baseURL + context.path;
    return {
      error: ApiError.from(status, parseErrorBody(response.data), headers, {
        ...context,
        secrets,
        url,
      }),
      status,
    };
  }
  const requestId = headers['x-request-id'];
  if (status === 204) return { response: { status, data: undefined, headers, requestId } };
  const parsed = parseSuccessBody(response.data, secrets);
  if (parsed.ok) return { response: { status, data: parsed.value, headers, requestId } };
  // Not JSON, so not the service's answer (an HTML page, most often): say where it came from.
  const issue = {
    ...parsed.issue,
    message: `${parsed.issue.message}; ${status} from ${context.method} ${baseURL}${context.path} is not a Job Status Service answer: ${WRONG_BASE_URL}`,
  };
  return { error: new ResponseValidationError([issue], { ...context, status }), status };
}

/** axios's own `timeout` ran out (see FIXED_CONFIG's clarifyTimeoutError). */
function isTimeout(thrown: unknown): boolean {
  return axios.isAxiosError(thrown) && thrown.code === 'ETIMEDOUT';
}

/** Anything thrown while sending, turned into an SDK error that keeps no reference to it. */
function mapThrown(
  thrown: unknown,
  context: CallContext,
  secrets: readonly string[],
): JobStatusError {
  if (isJobStatusError(thrown)) return thrown;
  const cause = toSafeErrorInfo(thrown, secrets);
  if (axios.isAxiosError(thrown)) {
    // Only an interceptor can reject with a response: validateStatus accepts every status.
    const { response } = thrown;
    if (response !== undefined) {
      return ApiError.from(
        response.status,
        parseErrorBody(response.data),
        normaliseHeaders(response.headers),
        { ...context, secrets },
      );
    }
    // Cancelled through the injected instance rather than through our signal.
    if (thrown.code === 'ERR_CANCELED') return new AbortError({ ...context, cause });
    return new ConnectionError({ ...context, cause });
  }
  return new JobStatusError(
    `The request (${context.method} ${context.path}) could not be sent: ${cause.name}: ${cause.message}`,
    { code: 'request_failed', cause },
  );
}

/** `headers` without the names in `own` (compared case-insensitively), then `own`. */
function withOwn(headers: Readonly<RequestHeaders>, own: RequestHeaders): RequestHeaders {
  const ownNames = Object.keys(own).map((name) => name.toLowerCase());
  const merged: RequestHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!ownNames.includes(name.toLowerCase())) merged[name] = value;
  }
  return Object.assign(merged, own);
}

function rememberToken(recent: string[], token: string): void {
  if (recent.includes(token)) return;
  recent.push(token);
  if (recent.length > REMEMBERED_TOKENS) recent.shift();
}

/**
 * Calls a token provider. What it throws is kept by name and code only: its message may hold the
 * very token it failed to refresh (or another credential), in any form no pattern can spot.
 */
export async function resolveToken(
  token: () => string | Promise<string>,
  secrets: readonly string[],
): Promise<string> {
  try {
    return await token();
  } catch (error) {
    const { name, code } = toSafeErrorInfo(error, secrets);
    const cause: SafeErrorInfo = { name, message: TOKEN_PROVIDER_MESSAGE };
    if (code !== undefined) cause.code = code;
    throw new JobStatusError(
      `The token provider failed: ${name}${code === undefined ? '' : ` (${code})`}`,
      { code: 'token_provider_failed', cause },
    );
  }
}

/** Stands for a token provider's error message, which is never kept. */
const TOKEN_PROVIDER_MESSAGE = '[not kept: the message of a token provider may hold the token]';

/** The JSON text, built once so that every attempt sends the same bytes. */
function serialiseBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  try {
    return JSON.stringify(body);
  } catch (error) {
    throw new RequestValidationError([
      {
        path: [],
        message: `the body cannot be sent as JSON: ${toSafeErrorInfo(error).message}`,
        code: 'invalid_json',
      },
    ]);
  }
}

/** Tells `onAttempt` and the debug log how an attempt went; skipped when neither listens. */
function report(
  options: NormalizedTransportOptions,
  context: CallContext,
  attempt: number,
  outcome: Outcome,
  durationMs: number,
  secrets: readonly string[],
): void {
  const { onAttempt } = options.hooks;
  if (onAttempt === undefined && !logs(options, 'debug')) return;
  const info: AttemptInfo = { ...context, attempt, durationMs };
  let summary: string;
  if ('response' in outcome) {
    summary = `${(info.status = outcome.response.status)}`;
  } else {
    if (outcome.status !== undefined) info.status = outcome.status;
    const error = (info.error = toSafeErrorInfo(outcome.error, secrets));
    summary = `${error.name} ${error.code ?? ''}: ${error.message}`;
  }
  callHook('onAttempt', onAttempt, info, options, secrets);
  log(
    options,
    secrets,
    'debug',
    `${context.method} ${context.path} attempt ${attempt}: ${summary} in ${durationMs} ms`,
  );
}
