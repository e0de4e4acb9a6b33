import type { SafeErrorInfo } from '../internal/redact';
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

  declare readonly method: string | undefined;
  declare readonly path: string | undefined;

  constructor({ cause, ...context }: AbortErrorInit = {}) {
    super(`The request${describeRequest(context)} was aborted`, { code: 'aborted', cause });
    Object.assign(this, context);
  }
}
