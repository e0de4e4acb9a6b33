import { ApiError, registerApiErrorClass } from './api-error';

/** 413: the body is over the server's limit (`payload_too_large`). Never retried. */
export class PayloadTooLargeError extends ApiError {
  static override readonly kind: string = 'PayloadTooLargeError';
}

registerApiErrorClass(413, PayloadTooLargeError);
