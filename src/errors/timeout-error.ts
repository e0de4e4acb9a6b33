import { JobStatusError } from './job-status-error';
import type { RequestContext } from './request-context';
import { describeRequest } from './request-context';

/** Which limit ran out: one attempt's `timeout` or the whole call's `deadline`. */
export type TimeoutScope = 'attempt' | 'deadline';

/** Everything a {@link TimeoutError} is built from. */
export interface TimeoutErrorInit extends RequestContext {
  /** The limit that ran out, in milliseconds. */
  timeoutMs: number;
  scope: TimeoutScope;
}

/**
 * A time limit ran out: an attempt's `timeout` (code `timeout`; retried for idempotent requests
 * while retries remain) or the call's `deadline` (code `deadline_exceeded`; never retried).
 */
export class TimeoutError extends JobStatusError {
  static override readonly kind: string = 'TimeoutError';

  declare readonly timeoutMs: number;
  declare readonly scope: TimeoutScope;
  declare readonly method: string | undefined;
  declare readonly path: string | undefined;

  constructor(init: TimeoutErrorInit) {
    const deadline = init.scope === 'deadline';
    super(
      `The request${describeRequest(init)} ${deadline ? 'exceeded its deadline of' : 'timed out after'} ${init.timeoutMs} ms`,
      { code: deadline ? 'deadline_exceeded' : 'timeout' },
    );
    Object.assign(this, init);
  }
}
