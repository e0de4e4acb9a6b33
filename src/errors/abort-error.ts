import type { SafeErrorInfo } from '../internal/redact';
import type { JobStatusErrorJSON } from './job-status-error';
import { JobStatusError } from './job-status-error';
import type { RequestContext } from './request-context';
import { describeRequest } from './request-context';

/** Everything an {@link AbortError} is built from. */
export interface AbortErrorInit extends RequestContext {
  /**
   * The signal's reason, reduced to safe fields. The reason itself is never kept: it is the
   * caller's object and may hold anything.
   */
  cause?: SafeErrorInfo;
}

/** The caller's `AbortSignal` fired. Never retried. */
export class AbortError extends JobStatusError {
  static override readonly kind: string = 'AbortError';

  override readonly name: string = 'AbortError';
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(init: AbortErrorInit = {}) {
    super(`The request${describeRequest(init)} was aborted`, {
      code: 'aborted',
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
