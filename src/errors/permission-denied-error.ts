import { ApiError, registerApiErrorClass } from './api-error';

/** 403: the credentials are valid but do not allow this request. Never retried. */
export class PermissionDeniedError extends ApiError {
  static override readonly kind: string = 'PermissionDeniedError';
}

registerApiErrorClass(403, PermissionDeniedError);
