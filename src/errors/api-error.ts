import { parseRetryAfter } from '../internal/retry-after';
import { redactText, truncate } from '../internal/redact';
import { JobStatusError } from './job-status-error';
import { hasErrorKind } from './brand';

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

/** The constructor shape of ApiError and its subclasses. */
export type ApiErrorClass = new (init: ApiErrorInit) => ApiError;

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

// Filled by each subclass's module (see registerApiErrorClass): ApiError cannot import its
// subclasses, which import it, without an import cycle that breaks module evaluation.
const classesByStatus = new Map<number, ApiErrorClass>();

/**
 * Makes {@link ApiError.from} build `errorClass` for `status` (500 stands for every status from
 * 500 up). Each subclass registers itself; the errors index imports them all.
 */
export function registerApiErrorClass(status: number, errorClass: ApiErrorClass): void {
  classesByStatus.set(status, errorClass);
}

/**
 * The server answered with a status outside 2xx. Subclasses name the common statuses
 * (`NotFoundError` for 404, ...); other statuses give a plain ApiError.
 */
export class ApiError extends JobStatusError {
  static override readonly kind: string = 'ApiError';

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
    const errorClass = foreign404 ? ApiError : classesByStatus.get(status >= 500 ? 500 : status);
    return new (errorClass ?? ApiError)(init);
  }
}

/** True when `value` is an {@link ApiError} (any status) from this or another copy of the SDK. */
export function isApiError(value: unknown): value is ApiError {
  return hasErrorKind(value, ApiError.kind);
}
