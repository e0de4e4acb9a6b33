// The only module of the SDK that imports axios. It sends one request with retries, timeouts and
// the caller's signal, and turns every outcome into a TransportResponse or a JobStatusError:
// raw axios errors, whose `config.headers` carry credentials, never leave this file.

import axios from 'axios';
import type { AxiosInstance, AxiosResponse } from 'axios';
import {
  AbortError,
  ApiError,
  ConnectionError,
  JobStatusError,
  RequestValidationError,
  ResponseValidationError,
  TimeoutError,
  isJobStatusError,
} from '../errors';
import type { Scope, StopReason } from './abort-scope';
import { openScope, sleep, untilAborted } from './abort-scope';
import {
  buildUrl,
  normaliseHeaders,
  parseErrorBody,
  parseSuccessBody,
  pathWithoutQuery,
} from './http-body';
import { sensitiveHeaderValues, toSafeErrorInfo } from './redact';
import { isRetryableError, retryDelay, retryReason } from './retry';
import type { LogLine } from './transport-log';
import { callHook, createLogLine } from './transport-log';
import type {
  AttemptInfo,
  HttpMethod,
  Logger,
  LoggerLevel,
  RetryInfo,
  Transport,
  TransportHooks,
  TransportRequest,
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

/** Builds the transport every resource sends through. */
export function createTransport(options: NormalizedTransportOptions): Transport {
  const http = options.axios ?? axios.create();
  return { request: (request) => runCall(http, options, request) };
}

/** Which call a report or an error is about; the path has no query string. */
interface CallContext {
  method: HttpMethod;
  path: string;
}

type AttemptOutcome =
  | { response: TransportResponse; durationMs: number }
  | { error: JobStatusError; status?: number; durationMs: number };

/** One call: attempts, the sleeps between them, and the scope that the signal and deadline stop. */
async function runCall(
  http: AxiosInstance,
  options: NormalizedTransportOptions,
  request: TransportRequest,
): Promise<TransportResponse> {
  const context: CallContext = {
    method: request.method,
    path: pathWithoutQuery(request.path),
  };
  // Grows when a token provider answers, so later lines and errors scrub that token too.
  const secrets = staticSecrets(options);
  const log = createLogLine(options.logger, options.logLevel, secrets);
  const body = serialiseBody(request.body);
  const timeout = request.timeout ?? options.timeout;
  const deadline = request.deadline ?? options.deadline;
  const maxRetries = request.maxRetries ?? options.maxRetries;
  const startedAt = Date.now();
  const call = openScope(
    request.signal,
    deadline === undefined ? undefined : { ms: deadline, reason: 'deadline' },
  );
  const stopped = (reason: StopReason): JobStatusError =>
    stopError(reason, context, { timeout, deadline, signal: request.signal, secrets });

  try {
    for (let attempt = 1; ; attempt += 1) {
      const before = call.stopReason();
      if (before !== undefined) throw stopped(before);

      const outcome = await runAttempt(http, options, request, body, call, timeout, {
        context,
        secrets,
        stopped,
      });
      reportAttempt(options, context, attempt, outcome, log, secrets);
      if ('response' in outcome) return outcome.response;

      const { error } = outcome;
      const retryable =
        request.idempotent &&
        attempt <= maxRetries &&
        call.stopReason() === undefined &&
        isRetryableError(error);
      if (!retryable) throw error;

      const delayMs = retryDelay(error, attempt, options);
      // Sleeping past the deadline would only trade this error for a less telling timeout.
      if (deadline !== undefined && Date.now() - startedAt + delayMs >= deadline) throw error;

      const reason = retryReason(error);
      const info: RetryInfo = { ...context, attempt, delayMs, reason };
      callHook('onRetry', options.hooks.onRetry, info, log, secrets);
      log(
        'warn',
        `${context.method} ${context.path}: attempt ${attempt} of ${maxRetries + 1} failed ` +
          `(${reason}); retrying in ${delayMs} ms`,
      );
      try {
        await sleep(delayMs, call.signal);
      } catch {
        throw stopped(call.stopReason() ?? 'aborted');
      }
    }
  } finally {
    call.dispose();
  }
}

interface AttemptEnvironment {
  context: CallContext;
  secrets: string[];
  stopped: (reason: StopReason) => JobStatusError;
}

/** One attempt under its own timeout. Never throws: failures come back as the outcome's error. */
async function runAttempt(
  http: AxiosInstance,
  options: NormalizedTransportOptions,
  request: TransportRequest,
  body: string | undefined,
  call: Scope,
  timeout: number,
  env: AttemptEnvironment,
): Promise<AttemptOutcome> {
  const attemptScope = openScope(call, { ms: timeout, reason: 'timeout' });
  const startedAt = Date.now();
  const elapsed = (): number => Date.now() - startedAt;
  try {
    const headers = await untilAborted(
      buildHeaders(options, request, body !== undefined, env.secrets),
      attemptScope.signal,
    );
    const sent = http.request<unknown>({
      method: request.method,
      url: buildUrl(options.baseURL, request.path, request.query),
      headers,
      data: body,
      // Raw bytes in and out: the transport owns serialisation, parsing and status mapping.
      responseType: 'arraybuffer',
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      timeout: 0,
      signal: attemptScope.signal,
    });
    const response = await untilAborted(sent, attemptScope.signal);
    return { ...readResponse(response, env), durationMs: elapsed() };
  } catch (thrown) {
    const reason = attemptScope.stopReason();
    const error = reason !== undefined ? env.stopped(reason) : mapThrown(thrown, env);
    return { error, durationMs: elapsed() };
  } finally {
    attemptScope.dispose();
  }
}

/** A 2xx becomes the response (its body must be JSON); anything else an ApiError subclass. */
function readResponse(
  response: AxiosResponse<unknown>,
  env: AttemptEnvironment,
): { response: TransportResponse } | { error: JobStatusError; status: number } {
  const headers = normaliseHeaders(response.headers);
  const status = response.status;
  if (status < 200 || status > 299) {
    const error = ApiError.from(status, parseErrorBody(response.data), headers, {
      ...env.context,
      secrets: env.secrets,
    });
    return { error, status };
  }
  const requestId = headers['x-request-id'];
  if (status === 204) return { response: { status, data: undefined, headers, requestId } };
  const parsed = parseSuccessBody(response.data, env.secrets);
  if (!parsed.ok) {
    return {
      error: new ResponseValidationError([parsed.issue], { ...env.context, status }),
      status,
    };
  }
  return { response: { status, data: parsed.value, headers, requestId } };
}

/** Anything thrown while sending, turned into an SDK error that keeps no reference to it. */
function mapThrown(thrown: unknown, env: AttemptEnvironment): JobStatusError {
  if (isJobStatusError(thrown)) return thrown;
  const cause = toSafeErrorInfo(thrown, env.secrets);
  if (axios.isAxiosError(thrown)) {
    // Only an interceptor can reject with a response: validateStatus accepts every status.
    if (thrown.response !== undefined) {
      const headers = normaliseHeaders(thrown.response.headers);
      return ApiError.from(thrown.response.status, parseErrorBody(thrown.response.data), headers, {
        ...env.context,
        secrets: env.secrets,
      });
    }
    // Cancelled through the injected instance rather than through our signal.
    if (thrown.code === 'ERR_CANCELED') return new AbortError({ ...env.context, cause });
    return new ConnectionError({ ...env.context, cause });
  }
  return new JobStatusError(
    `The request (${env.context.method} ${env.context.path}) could not be sent: ${cause.name}: ${cause.message}`,
    { code: 'request_failed', cause },
  );
}

/** The error for a stopped scope: the caller's abort, the deadline or the attempt's timeout. */
function stopError(
  reason: StopReason,
  context: CallContext,
  limits: {
    timeout: number;
    deadline: number | undefined;
    signal: AbortSignal | undefined;
    secrets: readonly string[];
  },
): JobStatusError {
  if (reason === 'deadline') {
    return new TimeoutError({ ...context, timeoutMs: limits.deadline ?? 0, scope: 'deadline' });
  }
  if (reason === 'timeout') {
    return new TimeoutError({ ...context, timeoutMs: limits.timeout, scope: 'attempt' });
  }
  // The reason is the caller's object: keep at most a scrubbed copy of an error-like one.
  const callerReason: unknown = limits.signal?.reason;
  const errorLike =
    typeof callerReason === 'object' && callerReason !== null && 'message' in callerReason;
  return new AbortError(
    errorLike ? { ...context, cause: toSafeErrorInfo(callerReason, limits.secrets) } : context,
  );
}

/** The request's headers for one attempt (the token is resolved anew each time). */
async function buildHeaders(
  options: NormalizedTransportOptions,
  request: TransportRequest,
  hasBody: boolean,
  secrets: string[],
): Promise<Record<string, string>> {
  const own: Record<string, string> = { Accept: 'application/json' };
  if (hasBody) own['Content-Type'] = 'application/json';
  if (options.user !== undefined) own['X-User-Id'] = options.user;
  const token = await resolveToken(options.token, secrets);
  if (token !== undefined && token !== '') {
    if (!secrets.includes(token)) secrets.push(token);
    own.Authorization = `Bearer ${token}`;
  }
  if (request.idempotencyKey !== undefined) own['Idempotency-Key'] = request.idempotencyKey;

  const ownNames = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers)) {
    if (!ownNames.has(name.toLowerCase())) headers[name] = value;
  }
  return { ...headers, ...own };
}

async function resolveToken(
  token: NormalizedTransportOptions['token'],
  secrets: readonly string[],
): Promise<string | undefined> {
  if (typeof token !== 'function') return token;
  try {
    return await token();
  } catch (error) {
    const cause = toSafeErrorInfo(error, secrets);
    throw new JobStatusError(`The token provider failed: ${cause.name}: ${cause.message}`, {
      code: 'token_provider_failed',
      cause,
    });
  }
}

/** The JSON text, built once so that every attempt sends the same bytes. */
function serialiseBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  try {
    return JSON.stringify(body);
  } catch (error) {
    const cause = toSafeErrorInfo(error);
    throw new RequestValidationError([
      {
        path: [],
        message: `the body cannot be sent as JSON: ${cause.message}`,
        code: 'invalid_json',
      },
    ]);
  }
}

/** Literals known before the call starts: a fixed token and the values of sensitive headers. */
function staticSecrets(options: NormalizedTransportOptions): string[] {
  const secrets = sensitiveHeaderValues(options.headers);
  if (typeof options.token === 'string' && options.token !== '') secrets.push(options.token);
  return secrets;
}

function reportAttempt(
  options: NormalizedTransportOptions,
  context: CallContext,
  attempt: number,
  outcome: AttemptOutcome,
  log: LogLine,
  secrets: readonly string[],
): void {
  const info: AttemptInfo = {
    ...context,
    attempt,
    durationMs: outcome.durationMs,
  };
  let summary: string;
  if ('response' in outcome) {
    info.status = outcome.response.status;
    summary = `${outcome.response.status}`;
  } else {
    if (outcome.status !== undefined) info.status = outcome.status;
    info.error = toSafeErrorInfo(outcome.error, secrets);
    summary = `${info.error.name} ${info.error.code ?? ''}: ${info.error.message}`;
  }
  callHook('onAttempt', options.hooks.onAttempt, info, log, secrets);
  log(
    'debug',
    `${context.method} ${context.path} attempt ${attempt}: ${summary} in ${outcome.durationMs} ms`,
  );
}
