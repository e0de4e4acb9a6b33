import { ApiError, registerApiErrorClass } from './api-error';

/** 500 and every status above: the server failed (`internal`, `injected_fault`, a proxy's 502, ...). Idempotent requests are retried. */
export class InternalServerError extends ApiError {
  static override readonly kind: string = 'InternalServerError';
}

registerApiErrorClass(500, InternalServerError);
