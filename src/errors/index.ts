// Every error the SDK throws. Importing this module also registers the ApiError subclasses with
// ApiError.from, so the transport imports its errors from here.
export { JobStatusError, isJobStatusError } from './job-status-error';
export type { JobStatusErrorJSON, JobStatusErrorOptions } from './job-status-error';
export { ERROR_BRAND } from './brand';
export {
  ApiError,
  isApiError,
  isJssEnvelope,
  registerApiErrorClass,
  WRONG_BASE_URL,
} from './api-error';
export type { ApiErrorClass, ApiErrorInit, ApiErrorRequest } from './api-error';
export { BadRequestError } from './bad-request-error';
export { AuthenticationError } from './authentication-error';
export { PermissionDeniedError } from './permission-denied-error';
export { NotFoundError } from './not-found-error';
export { ConflictError } from './conflict-error';
export { PayloadTooLargeError } from './payload-too-large-error';
export { UnprocessableEntityError } from './unprocessable-entity-error';
export { RateLimitError } from './rate-limit-error';
export { InternalServerError } from './internal-server-error';
export { ConnectionError } from './connection-error';
export type { ConnectionErrorInit } from './connection-error';
export { TimeoutError } from './timeout-error';
export type { TimeoutErrorInit, TimeoutScope } from './timeout-error';
export { AbortError } from './abort-error';
export type { AbortErrorInit } from './abort-error';
export { RequestValidationError } from './request-validation-error';
export { ResponseValidationError } from './response-validation-error';
export type { ResponseValidationContext } from './response-validation-error';
export { JobFailedError } from './job-failed-error';
export type { FailedJobLike } from './job-failed-error';
export { describeIssues, formatIssuePath } from './validation-issue';
export type { ValidationIssue } from './validation-issue';
export type { RequestContext } from './request-context';
