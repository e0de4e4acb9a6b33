import type { SafeErrorInfo } from '../internal/redact';
import { JobStatusError } from './job-status-error';
import type { RequestContext } from './request-context';
import { describeRequest } from './request-context';

/** Everything a {@link ConnectionError} is built from. */
export interface ConnectionErrorInit extends RequestContext {
  /** The low-level failure (`ECONNREFUSED`, `ERR_NETWORK`, ...), reduced to safe fields. */
  cause?: SafeErrorInfo;
}

/**
 * No HTTP answer arrived: the connection was refused, reset or dropped, or the name did not
 * resolve. Idempotent requests are retried.
 */
export class ConnectionError extends JobStatusError {
  static override readonly kind: string = 'ConnectionError';

  declare readonly method: string | undefined;
  declare readonly path: string | undefined;

  constructor({ cause, ...context }: ConnectionErrorInit = {}) {
    // The low-level text, prefixed with its code unless it already names it.
    const text = cause && (cause.message || cause.name);
    const detail =
      cause === undefined
        ? ''
        : `: ${cause.code !== undefined && !text?.includes(cause.code) ? `${cause.code} ` : ''}${text}`;
    super(`Could not reach the Job Status Service${describeRequest(context)}${detail}`, {
      code: 'connection_error',
      cause,
    });
    Object.assign(this, context);
  }
}
