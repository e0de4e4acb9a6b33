import { errorResponseType, type ErrorCode, type ErrorStatus } from '#protocol';

export type { ErrorCode } from '#protocol';

/** An answer other than success, thrown anywhere below a route and rendered by the app. */
export class ApiError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    /** One of the statuses the protocol's table gives `code`, checked at compile time. */
    readonly status: ErrorStatus<C>,
    readonly code: C,
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
    response_type: errorResponseType(error.status),
    error: error.message,
    code: error.code,
    request_id: requestId,
  };
}

export const badBody = (message: string) => new ApiError(400, 'invalid_body', message);
export const notFound = () => new ApiError(404, 'not_found', 'Job not found');
