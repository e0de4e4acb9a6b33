import { ApiError, registerApiErrorClass } from './api-error';

/** 422: the body was well-formed but refused. Never retried. */
export class UnprocessableEntityError extends ApiError {
  static override readonly kind: string = 'UnprocessableEntityError';
}

registerApiErrorClass(422, UnprocessableEntityError);
