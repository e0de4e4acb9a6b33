/** Every machine code an error body can carry (docs/protocol.md, "Envelope"). */
export const ERROR_CODES = [
  'invalid_body',
  'invalid_job_id',
  'field_not_updatable',
  'invalid_filter',
  'invalid_paging',
  'invalid_status',
  'invalid_idempotency_key',
  'not_found',
  'invalid_transition',
  'job_exists',
  'idempotency_key_reused',
  'not_claimed',
  'payload_too_large',
  'internal',
  'injected_fault',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An answer other than success, thrown anywhere below a route and rendered by the app. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 500 | 503,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

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
