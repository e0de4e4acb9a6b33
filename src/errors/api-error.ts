import { parseRetryAfter } from '../internal/retry-after';
import { redactText, truncate } from '../internal/redact';
import type { JobStatusErrorJSON } from './job-status-error';
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

// Filled by each subclass as it is defined (see registerApiErrorClass): ApiError cannot import
// its subclasses, which import it, without an import cycle that breaks module evaluation.
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

  override readonly name: string = 'ApiError';
  /** The HTTP status. */
  readonly status: number;
  /** The server's id of the request, for its logs. */
  readonly requestId: string | undefined;
  readonly method: string;
  /** Relative to the base URL, without the query string. */
  readonly path: string;
  /** How long the server asked to wait (`Retry-After`), before the client's cap. */
  readonly retryAfterMs: number | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message, { code: init.code ?? defaultCodeFor(init.status) });
    this.status = init.status;
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = init.path;
    this.retryAfterMs = init.retryAfterMs;
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
    const fields = readErrorBody(body);
    const header = (name: string) => findHeader(headers, name);
    const retryAfterMs = parseRetryAfter(header('retry-after'));
    const init: ApiErrorInit = {
      status,
      message: redactText(
        truncate(fields.error ?? `Request failed with status ${status}`, 1000),
        request.secrets,
      ),
      method: request.method,
      path: request.path,
    };
    if (fields.code !== undefined) init.code = fields.code;
    const requestId = fields.requestId ?? header('x-request-id');
    if (requestId !== undefined) init.requestId = requestId;
    if (retryAfterMs !== undefined) init.retryAfterMs = retryAfterMs;
    const errorClass = classesByStatus.get(status >= 500 ? 500 : status) ?? ApiError;
    return new errorClass(init);
  }

  override toJSON(): JobStatusErrorJSON {
    const json = super.toJSON();
    json.status = this.status;
    json.method = this.method;
    json.path = this.path;
    if (this.requestId !== undefined) json.requestId = this.requestId;
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    return json;
  }
}

/** True when `value` is an {@link ApiError} (any status) from this or another copy of the SDK. */
export function isApiError(value: unknown): value is ApiError {
  return hasErrorKind(value, ApiError.kind);
}

function defaultCodeFor(status: number): string {
  return DEFAULT_CODES[status] ?? (status >= 500 ? 'server_error' : `http_${status}`);
}

function readErrorBody(body: unknown): { error?: string; code?: string; requestId?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const { error, code, request_id: requestId } = body as Record<string, unknown>;
  const fields: { error?: string; code?: string; requestId?: string } = {};
  if (typeof error === 'string' && error !== '') fields.error = error;
  if (typeof code === 'string' && code !== '') fields.code = code;
  if (typeof requestId === 'string' && requestId !== '') fields.requestId = requestId;
  return fields;
}

function findHeader(
  headers: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}
