import type { SafeErrorInfo } from '../internal/redact';
import type { JobStatusErrorJSON } from './job-status-error';
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

  override readonly name: string = 'ConnectionError';
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(init: ConnectionErrorInit = {}) {
    const detail = init.cause === undefined ? '' : `: ${describeCause(init.cause)}`;
    super(`Could not reach the Job Status Service${describeRequest(init)}${detail}`, {
      code: 'connection_error',
      ...(init.cause === undefined ? {} : { cause: init.cause }),
    });
    this.method = init.method;
    this.path = init.path;
  }

  override toJSON(): JobStatusErrorJSON {
    const json = super.toJSON();
    if (this.method !== undefined) json.method = this.method;
    if (this.path !== undefined) json.path = this.path;
    return json;
  }
}

function describeCause(cause: SafeErrorInfo): string {
  const text = cause.message !== '' ? cause.message : cause.name;
  return cause.code !== undefined && !text.includes(cause.code) ? `${cause.code} ${text}` : text;
}
