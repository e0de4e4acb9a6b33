/**
 * Every machine code an error body can carry, with the HTTP statuses it is answered with
 * (docs/protocol.md, "Envelope"). One code has two: `too_many_streams` is 429 when the caller
 * holds too many streams, 503 when the whole server does.
 */
export const ERROR_STATUSES = {
  invalid_body: [400],
  invalid_job_id: [400],
  field_not_updatable: [400],
  invalid_filter: [400],
  invalid_paging: [400],
  invalid_status: [400],
  invalid_idempotency_key: [400],
  unauthorized: [401],
  forbidden: [403],
  not_found: [404],
  invalid_transition: [409],
  job_exists: [409],
  idempotency_key_reused: [409],
  not_claimed: [409],
  payload_too_large: [413],
  response_too_large: [413],
  unsupported_media_type: [415],
  too_many_streams: [429, 503],
  too_many_logins: [429],
  unavailable: [503],
  internal: [500],
  injected_fault: [503],
} as const satisfies Record<string, readonly number[]>;

/** A machine code of docs/protocol.md's error table. */
export type ErrorCode = keyof typeof ERROR_STATUSES;

/** The HTTP statuses an error with `code` may be answered with. */
export type ErrorStatus<C extends ErrorCode = ErrorCode> = (typeof ERROR_STATUSES)[C][number];

/** Every machine code, in the table's order. */
export const ERROR_CODES = Object.keys(ERROR_STATUSES) as ErrorCode[];

/** Whether `code` is one of the protocol's machine codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_STATUSES, code);
}

/** The envelope's `response_type` for an error answered with `status`. */
export function errorResponseType(status: number): 'CLIENT_ERROR' | 'SERVER_ERROR' {
  return status >= 500 ? 'SERVER_ERROR' : 'CLIENT_ERROR';
}

/** The codes the pure rules refuse with: each has exactly one status. */
export type ModelErrorCode = Exclude<
  ErrorCode,
  | 'invalid_idempotency_key'
  | 'unauthorized'
  | 'forbidden'
  | 'response_too_large'
  | 'unsupported_media_type'
  | 'too_many_streams'
  | 'too_many_logins'
  | 'unavailable'
  | 'injected_fault'
>;

/**
 * A request the service refuses, carrying the protocol's machine `code` and its HTTP `status`, so
 * that the testing kit and the server answer with the same error body.
 */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly status: ErrorStatus<ModelErrorCode>;

  constructor(code: ModelErrorCode, message: string) {
    super(message);
    this.name = 'ModelError';
    this.code = code;
    this.status = ERROR_STATUSES[code][0];
  }
}
