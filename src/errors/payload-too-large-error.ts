import { ApiError, registerApiErrorClass } from './api-error';

/**
 * 413: the body is over the server's limit (`payload_too_large`). Never retried.
 */
export class PayloadTooLargeError extends ApiError {
  static override readonly kind: string = 'PayloadTooLargeError';

  override readonly name: string = 'PayloadTooLargeError';

  static {
    registerApiErrorClass(413, this);
  }
}
