import { ModelError } from '#protocol';
import { ApiError } from '../http/api-error';

/**
 * Runs one of the SDK model's pure rules, turning its refusal into the `ApiError` the app renders:
 * same code, message and HTTP status (the protocol's table).
 */
export function withApiErrors<T>(rule: () => T): T {
  try {
    return rule();
  } catch (error) {
    if (error instanceof ModelError) {
      throw new ApiError(error.status, error.code, error.message);
    }
    throw error;
  }
}
