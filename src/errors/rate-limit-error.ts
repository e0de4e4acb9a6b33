import { ApiError, registerApiErrorClass } from './api-error';

/** 429: too many requests. Idempotent requests are retried, honouring `Retry-After` ({@link ApiError.retryAfterMs}). */
export class RateLimitError extends ApiError {
  static override readonly kind: string = 'RateLimitError';
}

registerApiErrorClass(429, RateLimitError);
