import { ApiError, registerApiErrorClass } from './api-error';

/** 404: no such job (`not_found`). Never retried. */
export class NotFoundError extends ApiError {
  static override readonly kind: string = 'NotFoundError';
}

registerApiErrorClass(404, NotFoundError);
