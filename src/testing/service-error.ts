import { ModelError, type ErrorStatus, type ModelErrorCode } from '#protocol';

/** Every machine code the kit answers with: the model's, plus the HTTP layer's own. */
export type ServiceErrorCode =
  ModelErrorCode | 'invalid_idempotency_key' | 'unauthorized' | 'forbidden';

/**
 * A request the in-memory service refuses, with the protocol's machine `code` and HTTP `status`
 * (docs/protocol.md, "Envelope"). The model's own refusals arrive as {@link ModelError}, which
 * has the same two fields, so the handlers answer both alike.
 */
export class ServiceError<C extends ServiceErrorCode = ServiceErrorCode> extends Error {
  readonly code: C;
  readonly status: ErrorStatus<C>;
  /** Headers the answer carries (`WWW-Authenticate` on a 401). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: C,
    /** One of the statuses the protocol's table gives `code`, checked at compile time. */
    status: ErrorStatus<C>,
    message: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.headers = headers;
    this.name = 'ServiceError';
    this.code = code;
    this.status = status;
  }
}

/** 400 `invalid_body`: the body (or a seeded job) breaks a rule of the protocol. */
export function invalidBody(message: string): ModelError {
  return new ModelError('invalid_body', message);
}

/** 404 `not_found` with the legacy message. */
export function jobNotFound(): ModelError {
  return new ModelError('not_found', 'Job not found');
}

/** Whether `error` is one of the kit's deliberate refusals (as opposed to a bug). */
export function isRefusal(error: unknown): error is ModelError | ServiceError {
  return error instanceof ModelError || error instanceof ServiceError;
}
