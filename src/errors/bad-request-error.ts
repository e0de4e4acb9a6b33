import { ApiError, registerApiErrorClass } from './api-error';

/** 400: the request was malformed (`invalid_body`, `invalid_filter`, `invalid_job_id`, ...). Never retried. */
export class BadRequestError extends ApiError {
  static override readonly kind: string = 'BadRequestError';
}

registerApiErrorClass(400, BadRequestError);
