import { ApiError, registerApiErrorClass } from './api-error';

/** 401: the credentials are missing or were refused. Never retried. */
export class AuthenticationError extends ApiError {
  static override readonly kind: string = 'AuthenticationError';
}

registerApiErrorClass(401, AuthenticationError);
