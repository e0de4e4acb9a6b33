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
    const init: ApiErrorInit = {
      status,
      message: redactText(
        truncate(text('error') ?? `Request failed with status ${status}`, 1000),
        request.secrets,
      ),
      method: request.method,
      path: request.path,
    };
    const code = text('code');
    const requestId = text('request_id') ?? header('x-request-id');
    const retryAfterMs = parseRetryAfter(header('retry-after'));
    if (code !== undefined) init.code = code;
    if (requestId !== undefined) init.requestId = requestId;
    if (retryAfterMs !== undefined) init.retryAfterMs = retryAfterMs;
    return new (classesByStatus.get(status >= 500 ? 500 : status) ?? ApiError)(init);
  }
}

/** True when `value` is an {@link ApiError} (any status) from this or another copy of the SDK. */
export function isApiError(value: unknown): value is ApiError {
  return hasErrorKind(value, ApiError.kind);
}
