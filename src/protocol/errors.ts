/** The HTTP status of every error code in docs/protocol.md. */
export const MODEL_ERROR_STATUS = {
  invalid_body: 400,
  invalid_job_id: 400,
  field_not_updatable: 400,
  invalid_filter: 400,
  invalid_paging: 400,
  invalid_status: 400,
  not_found: 404,
  invalid_transition: 409,
  job_exists: 409,
  idempotency_key_reused: 409,
  not_claimed: 409,
  payload_too_large: 413,
  internal: 500,
} as const;

/** A machine code of docs/protocol.md's error table. */
export type ModelErrorCode = keyof typeof MODEL_ERROR_STATUS;

/**
 * A request the service refuses, carrying the protocol's machine `code` and its HTTP `status`, so
 * that the testing kit and the server answer with the same error body.
 */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly status: number;

  constructor(code: ModelErrorCode, message: string) {
    super(message);
    this.name = 'ModelError';
    this.code = code;
    this.status = MODEL_ERROR_STATUS[code];
  }
}
