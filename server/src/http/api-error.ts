/** Every machine code an error body can carry (docs/protocol.md, "Envelope"). */
export const ERROR_CODES = [
  'invalid_body',
  'invalid_job_id',
  'field_not_updatable',
  'invalid_filter',
  'invalid_paging',
  'invalid_status',
  'invalid_idempotency_key',
  'unauthorized',
  'forbidden',
  'not_found',
  'invalid_transition',
  'job_exists',
  'idempotency_key_reused',
  'not_claimed',
  'payload_too_large',
  'response_too_large',
  'unsupported_media_type',
  'too_many_streams',
  'unavailable',
  'internal',
  'injected_fault',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An answer other than success, thrown anywhere below a route and rendered by the app. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503,
    readonly code: ErrorCode,
    message: string,
    /** Headers the answer carries (`WWW-Authenticate` on a 401, `Retry-After` on a 429 or 503). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The `Retry-After` header of an answer that a later attempt may get past. */
export const retryAfter = (seconds: number): Record<string, string> => ({
  'Retry-After': String(seconds),
});

/** The error envelope of docs/protocol.md. */
export interface ErrorBody {
  response_type: 'CLIENT_ERROR' | 'SERVER_ERROR';
  error: string;
  code: ErrorCode;
  request_id: string;
}

export function errorBody(error: ApiError, requestId: string): ErrorBody {
  return {
    response_type: error.status >= 500 ? 'SERVER_ERROR' : 'CLIENT_ERROR',
    error: error.message,
    code: error.code,
    request_id: requestId,
  };
}

export const badBody = (message: string) => new ApiError(400, 'invalid_body', message);
export const notFound = () => new ApiError(404, 'not_found', 'Job not found');
