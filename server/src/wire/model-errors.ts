import { MODEL_ERROR_STATUS, ModelError } from '#protocol';
import { ApiError } from '../http/api-error';

/**
 * Runs one of the SDK model's pure rules, turning its refusal into the `ApiError` the app renders:
 * same code and message, with the HTTP status docs/protocol.md gives that code.
 */
export function withApiErrors<T>(rule: () => T): T {
  try {
    return rule();
  } catch (error) {
    if (error instanceof ModelError) {
      throw new ApiError(MODEL_ERROR_STATUS[error.code], error.code, error.message);
    }
    throw error;
  }
}
