import { ApiError, registerApiErrorClass } from './api-error';

/** 409: the job's state does not allow the request (`invalid_transition`, `job_exists`, `idempotency_key_reused`). Never retried. */
export class ConflictError extends ApiError {
  static override readonly kind: string = 'ConflictError';
}

registerApiErrorClass(409, ConflictError);
