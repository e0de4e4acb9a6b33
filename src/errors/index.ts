// Every error the SDK throws, in one module: JobStatusError, its subclasses, the guards that work
// across copies of the SDK, and the choice of ApiError subclass by HTTP status.
import type { ErrorCode as ServiceErrorCode } from '#protocol/errors';
import { redactText, truncate, type SafeErrorInfo } from '../internal/redact';
import { parseRetryAfter } from '../internal/retry-after';

// `instanceof` fails when two copies of the SDK are loaded (an ESM and a CJS build, two bundles).
// Every error therefore carries, under a registry symbol shared by all copies, the list of the
// kinds it is (`['JobStatusError', 'ApiError', 'NotFoundError']`); the guards read that list.

/** The property every SDK error carries; `Symbol.for` makes it the same symbol in every copy. */
export const ERROR_BRAND = Symbol.for('job-status-client.error');

/** True when `value` is an SDK error of `kind` (or of a subclass of it), from any copy of the SDK. */
export function hasErrorKind(value: unknown, kind: string): boolean {
  const kinds = (value as Record<symbol, unknown> | null | undefined)?.[ERROR_BRAND];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/**
 * The kinds of an instance of `constructor`: the own static `kind` of each class from the base
 * down to it. A class without its own `kind` (a caller's subclass) adds nothing.
 */
export function kindsOfClass(constructor: unknown): string[] {
  const kinds: string[] = [];
  for (let current = constructor; current !== Error; current = Object.getPrototypeOf(current)) {
    if (Object.hasOwn(current as object, 'kind')) kinds.unshift((current as { kind: string }).kind);
  }
  return kinds;
}

// Validation errors describe what is wrong without repeating the value: a rejected value may be a
// secret or personal data. Turning zod issues into these is the schemas' job (src/schemas/issues).

/** One problem found by validation. Never holds the rejected value. */
export interface ValidationIssue {
  /** Where the problem is: `['serviceFields', 'files', 0]`; empty for the value itself. */
  path: (string | number)[];
  /** The rule that failed: `must be one of WAITING, BLOCKED (got a string)`. */
  message: string;
  /** Machine-readable rule (`invalid_value`, `invalid_type`, `invalid_json`, ...). */
  code?: string;
}

const MAX_ISSUES_IN_MESSAGE = 5;

/** `serviceFields.files[0].name`; `(root)` for an empty path. */
export function formatIssuePath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      return index === 0 ? segment : `.${segment}`;
    })
    .join('');
}

/**
 * `status: must be one of ...; name: must be a string`, at most five issues then a count. An
 * issue about the value as a whole (empty path) is its message alone.
 */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return 'no details';
  const shown = issues
    .slice(0, MAX_ISSUES_IN_MESSAGE)
    .map((issue) =>
      issue.path.length === 0 ? issue.message : `${formatIssuePath(issue.path)}: ${issue.message}`,
    );
  const hidden = issues.length - shown.length;
  return hidden > 0 ? `${shown.join('; ')}; and ${hidden} more` : shown.join('; ');
}

/** Copies only the safe fields, so an issue built elsewhere cannot smuggle a value in. */
export function cleanIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map((issue) => {
    const clean: ValidationIssue = { path: [...issue.path], message: issue.message };
    if (issue.code !== undefined) clean.code = issue.code;
    return clean;
  });
}

/** Which call an error belongs to, when it did not come with an HTTP answer. */
export interface RequestContext {
  method?: string;
  /** Relative to the base URL, without the query string. */
  path?: string;
}

/**
 * ` (GET 1.0/job/abc)`, ` (GET 1.0/job/abc, status 200)` when a status is given, or nothing when
 * nothing is known: the part of every message that names the call.
 */
export function describeRequest(context: RequestContext & { status?: number | undefined }): string {
  const request = [context.method, context.path].filter((part) => part !== undefined).join(' ');
  const parts = [request, context.status === undefined ? '' : `status ${context.status}`].filter(
    (part) => part !== '',
  );
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** Options shared by every SDK error. */
export interface JobStatusErrorOptions {
  /** Machine-readable code; defaults to the class's own. */
  code?: string;
  /**
   * What caused the error, reduced to safe fields. Never an axios error, request or headers
   * object: those carry credentials.
   */
  cause?: SafeErrorInfo;
}

/** The safe fields an error exposes to `JSON.stringify` (and so to most loggers). */
export interface JobStatusErrorJSON {
  name: string;
  code: string;
  message: string;
  [field: string]: unknown;
}

/**
 * The base of every error the SDK throws. Test with {@link isJobStatusError} or
 * `JobStatusError.is(err)` rather than `instanceof`, which fails across two copies of the SDK.
 *
 * Subclasses keep only safe values in their enumerable fields (what `JSON.stringify` and
 * `util.inspect` show); anything else (a caller's job) is stored non-enumerable.
 *
 * @example
 * try { await client.getJob(id) } catch (err) { if (NotFoundError.is(err)) return undefined; throw err }
 */
export class JobStatusError extends Error {
  /** The brand name of this class; a string literal so that minification cannot change it. */
  static readonly kind: string = 'JobStatusError';

  /** The class's `kind` (a caller's subclass without one takes its parent's). */
  declare readonly name: string;
  /** Machine-readable code, stable across versions (`not_found`, `timeout`, ...). */
  declare readonly code: string;
  declare readonly cause?: SafeErrorInfo;
  declare readonly [ERROR_BRAND]: readonly string[];

  constructor(message: string, options: JobStatusErrorOptions = {}) {
    super(message, options.cause && { cause: { ...options.cause } });
    this.name = (new.target as typeof JobStatusError).kind;
    this.code = options.code ?? 'job_status_error';
    // Not enumerable: `util.inspect` and spreads stay readable; the guards still find it.
    Object.defineProperty(this, ERROR_BRAND, { value: Object.freeze(kindsOfClass(new.target)) });
  }

  /**
   * True when `value` is an error of this class or a subclass, from this or any other copy of the
   * SDK. Called on a subclass (`NotFoundError.is(err)`) it checks that subclass.
   */
  static is<T extends JobStatusError>(
    this: { readonly kind: string; readonly prototype: T },
    value: unknown,
  ): value is T {
    return hasErrorKind(value, this.kind);
  }

  /** The safe fields only (name, code, message, cause, the subclass's fields): what `JSON.stringify(err)` shows. */
  toJSON(): JobStatusErrorJSON {
    const json = { ...(this as object), message: this.message } as JobStatusErrorJSON;
    if (this.cause !== undefined) json.cause = { ...this.cause };
    return json;
  }
}

/** True when `value` is any error thrown by the SDK, from this or any other copy of it. */
export function isJobStatusError(value: unknown): value is JobStatusError {
  return hasErrorKind(value, JobStatusError.kind);
}

/** Everything an {@link ApiError} is built from. */
export interface ApiErrorInit {
  status: number;
  /** The server's `error` text. */
  message: string;
  /** The server's `code`; defaults to one per status (`not_found`, `conflict`, ...). */
  code?: string;
  /** The body's `request_id`, else the `X-Request-Id` response header. */
  requestId?: string;
  method: string;
  /** The path relative to the base URL, without the query string. */
  path: string;
  /** From `Retry-After`, uncapped. */
  retryAfterMs?: number;
}

/** The request an HTTP error answered, as {@link ApiError.from} needs it. */
export interface ApiErrorRequest {
  method: string;
  path: string;
  /** Literal credentials to scrub from the server's message, should it echo one. */
  secrets?: readonly string[];
  /** The URL the request went to, without its query string (shown when the answer is not JSS's). */
  url?: string;
}

/**
 * Whether `body` is a JSS error envelope (`{ response_type, error?, code?, request_id? }`). Any
 * other answer (an HTML 404 page, a proxy's 502, another API's JSON) came from something that is
 * not the Job Status Service: most often a `baseURL` without the service's `/jss` path.
 */
export function isJssEnvelope(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { response_type?: unknown }).response_type === 'string'
  );
}

/** Why an answer that is not the service's came, when the service is not down. */
export const WRONG_BASE_URL =
  'the baseURL is probably wrong (it must end with the path the service is mounted at, such as /jss)';

/** What a non-JSS answer's error says: the URL tried and the likely cause. */
function notJssMessage(status: number, request: ApiErrorRequest): string {
  const where = `${request.method} ${request.url ?? request.path}`;
  const cause =
    status >= 500 ? 'a proxy or another server answered instead of the service' : WRONG_BASE_URL;
  return `HTTP ${status} from ${where} is not a Job Status Service answer: ${cause}`;
}

const DEFAULT_CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'unprocessable_entity',
  429: 'rate_limited',
  500: 'internal',
};

/**
 * The server answered with a status outside 2xx. Subclasses name the common statuses
 * (`NotFoundError` for 404, ...); other statuses give a plain ApiError.
 */
export class ApiError extends JobStatusError {
  static override readonly kind: string = 'ApiError';

  /**
   * The machine code: when a Job Status Service answered, one of the protocol's error table, the
   * one the server answers from (`not_found`, `job_exists`, `not_claimed`, …); otherwise one per
   * status (`conflict`, `http_418`, …) or `not_jss_answer`.
   */
  declare readonly code: ServiceErrorCode | (string & {});
  /** The HTTP status. */
  declare readonly status: number;
  /** The server's id of the request, for its logs. */
  declare readonly requestId: string | undefined;
  declare readonly method: string;
  /** Relative to the base URL, without the query string. */
  declare readonly path: string;
  /** How long the server asked to wait (`Retry-After`), before the client's cap. */
  declare readonly retryAfterMs: number | undefined;

  constructor({ message, code, ...fields }: ApiErrorInit) {
    super(message, {
      code:
        code ??
        DEFAULT_CODES[fields.status] ??
        (fields.status >= 500 ? 'server_error' : `http_${fields.status}`),
    });
    Object.assign(this, fields);
  }

  /**
   * Builds the error for an HTTP answer, choosing the subclass by status. `body` is the parsed
   * response (the contract's `{response_type, error, code, request_id}`; any other body is
   * tolerated), `headers` the response headers.
   */
  static from(
    status: number,
    body: unknown,
    headers: Readonly<Record<string, string | undefined>>,
    request: ApiErrorRequest,
  ): ApiError {
    const fields = (typeof body === 'object' && !Array.isArray(body) ? body : null) ?? {};
    // Only non-empty strings of the body count; headers are matched whatever their case.
    const text = (name: string): string | undefined => {
      const value: unknown = (fields as Record<string, unknown>)[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const header = (name: string): string | undefined =>
      Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
    const jss = isJssEnvelope(body);
    const init: ApiErrorInit = {
      status,
      message: redactText(
        jss
          ? truncate(text('error') ?? `Request failed with status ${status}`, 1000)
          : notJssMessage(status, request),
        request.secrets,
      ),
      method: request.method,
      path: request.path,
    };
    // Another server's 404 says nothing about a job: it is not a NotFoundError, and has a code
    // of its own. Other statuses keep their class (a proxy's 503 is retried as the service's is).
    const foreign404 = !jss && status === 404;
    const code = foreign404 ? 'not_jss_answer' : jss ? text('code') : undefined;
    const requestId = text('request_id') ?? header('x-request-id');
    const retryAfterMs = parseRetryAfter(header('retry-after'));
    // Every text of the answer is scrubbed, not only the message: a hostile or careless server
    // may echo the bearer token in any field.
    if (code !== undefined) init.code = redactText(truncate(code, 100), request.secrets);
    if (requestId !== undefined) {
      init.requestId = redactText(truncate(requestId, 200), request.secrets);
    }
    if (retryAfterMs !== undefined) init.retryAfterMs = retryAfterMs;
    return new (foreign404 ? ApiError : apiErrorClassFor(status))(init);
  }
}

/** True when `value` is an {@link ApiError} (any status) from this or another copy of the SDK. */
export function isApiError(value: unknown): value is ApiError {
  return hasErrorKind(value, ApiError.kind);
}

/** 400: the request was malformed (`invalid_body`, `invalid_filter`, `invalid_job_id`, ...). Never retried. */
export class BadRequestError extends ApiError {
  static override readonly kind: string = 'BadRequestError';
}

/** 401: the credentials are missing or were refused. Never retried. */
export class AuthenticationError extends ApiError {
  static override readonly kind: string = 'AuthenticationError';
}

/** 403: the credentials are valid but do not allow this request. Never retried. */
export class PermissionDeniedError extends ApiError {
  static override readonly kind: string = 'PermissionDeniedError';
}

/** 404: no such job (`not_found`). Never retried. */
export class NotFoundError extends ApiError {
  static override readonly kind: string = 'NotFoundError';
}

/** 409: the job's state does not allow the request (`invalid_transition`, `job_exists`, `idempotency_key_reused`). Never retried. */
export class ConflictError extends ApiError {
  static override readonly kind: string = 'ConflictError';
}

/** 413: the body is over the server's limit (`payload_too_large`). Never retried. */
export class PayloadTooLargeError extends ApiError {
  static override readonly kind: string = 'PayloadTooLargeError';
}

/** 422: the body was well-formed but refused. Never retried. */
export class UnprocessableEntityError extends ApiError {
  static override readonly kind: string = 'UnprocessableEntityError';
}

/** 429: too many requests. Idempotent requests are retried, honouring `Retry-After` ({@link ApiError.retryAfterMs}). */
export class RateLimitError extends ApiError {
  static override readonly kind: string = 'RateLimitError';
}

/** 500 and every status above: the server failed (`internal`, `injected_fault`, a proxy's 502, ...). Idempotent requests are retried. */
export class InternalServerError extends ApiError {
  static override readonly kind: string = 'InternalServerError';
}

/** The class of an HTTP error by its status (every status from 500 up is an InternalServerError). */
function apiErrorClassFor(status: number): new (init: ApiErrorInit) => ApiError {
  switch (status) {
    case 400:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 413:
      return PayloadTooLargeError;
    case 422:
      return UnprocessableEntityError;
    case 429:
      return RateLimitError;
    default:
      return status >= 500 ? InternalServerError : ApiError;
  }
}

/** Everything a {@link ConnectionError} is built from. */
export interface ConnectionErrorInit extends RequestContext {
  /** The low-level failure (`ECONNREFUSED`, `ERR_NETWORK`, ...), reduced to safe fields. */
  cause?: SafeErrorInfo;
}

/**
 * No HTTP answer arrived: the connection was refused, reset or dropped, or the name did not
 * resolve. Idempotent requests are retried.
 */
export class ConnectionError extends JobStatusError {
  static override readonly kind: string = 'ConnectionError';

  declare readonly method: string | undefined;
  declare readonly path: string | undefined;

  constructor({ cause, ...context }: ConnectionErrorInit = {}) {
    // The low-level text, prefixed with its code unless it already names it.
    const text = cause && (cause.message || cause.name);
    const detail =
      cause === undefined
        ? ''
        : `: ${cause.code !== undefined && !text?.includes(cause.code) ? `${cause.code} ` : ''}${text}`;
    super(`Could not reach the Job Status Service${describeRequest(context)}${detail}`, {
      code: 'connection_error',
      cause,
    });
    Object.assign(this, context);
  }
}

/** Which limit ran out: one attempt's `timeout` or the whole call's `deadline`. */
export type TimeoutScope = 'attempt' | 'deadline';

/** Everything a {@link TimeoutError} is built from. */
export interface TimeoutErrorInit extends RequestContext {
  /** The limit that ran out, in milliseconds. */
  timeoutMs: number;
  scope: TimeoutScope;
}

/**
 * A time limit ran out: an attempt's `timeout` (code `timeout`; retried for idempotent requests
 * while retries remain) or the call's `deadline` (code `deadline_exceeded`; never retried).
 */
export class TimeoutError extends JobStatusError {
  static override readonly kind: string = 'TimeoutError';

  declare readonly timeoutMs: number;
  declare readonly scope: TimeoutScope;
  declare readonly method: string | undefined;
  declare readonly path: string | undefined;

  constructor(init: TimeoutErrorInit) {
    const deadline = init.scope === 'deadline';
    super(
      `The request${describeRequest(init)} ${deadline ? 'exceeded its deadline of' : 'timed out after'} ${init.timeoutMs} ms`,
      { code: deadline ? 'deadline_exceeded' : 'timeout' },
    );
    Object.assign(this, init);
  }
}

/** Everything an {@link AbortError} is built from. */
export interface AbortErrorInit extends RequestContext {
  /**
   * The signal's reason, reduced to safe fields. The reason itself is never kept: it is the
   * caller's object and may hold anything.
   */
  cause?: SafeErrorInfo;
}

/** The caller's `AbortSignal` fired. Never retried. */
export class AbortError extends JobStatusError {
  static override readonly kind: string = 'AbortError';

  declare readonly method: string | undefined;
  declare readonly path: string | undefined;

  constructor({ cause, ...context }: AbortErrorInit = {}) {
    super(`The request${describeRequest(context)} was aborted`, { code: 'aborted', cause });
    Object.assign(this, context);
  }
}

/**
 * The arguments of a call were refused before anything was sent. The message names each field
 * and rule (`Invalid request: status: must be one of WAITING, ... (got a string)`); the values
 * themselves are never repeated.
 */
export class RequestValidationError extends JobStatusError {
  static override readonly kind: string = 'RequestValidationError';

  declare readonly issues: ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(`Invalid request: ${describeIssues(issues)}`, { code: 'invalid_request' });
    this.issues = cleanIssues(issues);
  }
}

/** The call a response answered. */
export interface ResponseValidationContext extends RequestContext {
  /** The HTTP status of the refused response. */
  status?: number;
}

/**
 * The server answered 2xx with something the SDK cannot use: not JSON, not UTF-8, or not the
 * shape the contract promises. Never retried: the same server would answer the same.
 */
export class ResponseValidationError extends JobStatusError {
  static override readonly kind: string = 'ResponseValidationError';

  declare readonly issues: ValidationIssue[];
  declare readonly status: number | undefined;
  declare readonly method: string | undefined;
  declare readonly path: string | undefined;

  constructor(issues: readonly ValidationIssue[], context: ResponseValidationContext = {}) {
    super(`Invalid response${describeRequest(context)}: ${describeIssues(issues)}`, {
      code: 'invalid_response',
    });
    this.issues = cleanIssues(issues);
    Object.assign(this, context);
  }
}

/** The least a job needs for {@link JobFailedError}. */
export interface FailedJobLike {
  jobId: string;
  status: string;
}

/**
 * A job that was waited for ended without succeeding (`FAILED`, `UNRECOVERABLE`, `ABORTED`).
 * Thrown by `waitForJob`; `job` is the job as last seen.
 */
export class JobFailedError<TJob extends FailedJobLike = FailedJobLike> extends JobStatusError {
  static override readonly kind: string = 'JobFailedError';

  /** The job in its final state. */
  declare readonly job: TJob;
  /** Its final status. */
  declare readonly status: string;

  constructor(job: TJob) {
    super(`Job ${job.jobId} ended with status ${job.status}`, { code: 'job_failed' });
    this.status = job.status;
    // Not enumerable: the job's service fields belong to the caller's service, so only its
    // identity goes to logs.
    Object.defineProperty(this, 'job', { value: job });
  }

  override toJSON(): JobStatusErrorJSON {
    return { ...super.toJSON(), jobId: this.job.jobId };
  }
}
