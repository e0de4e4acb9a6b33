import type { JobStatusErrorJSON } from './job-status-error';
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

  override readonly name: string = 'TimeoutError';
  readonly timeoutMs: number;
  readonly scope: TimeoutScope;
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(init: TimeoutErrorInit) {
    const what = `The request${describeRequest(init)}`;
    super(
      init.scope === 'deadline'
        ? `${what} exceeded its deadline of ${init.timeoutMs} ms`
        : `${what} timed out after ${init.timeoutMs} ms`,
      { code: init.scope === 'deadline' ? 'deadline_exceeded' : 'timeout' },
    );
    this.timeoutMs = init.timeoutMs;
    this.scope = init.scope;
    this.method = init.method;
    this.path = init.path;
  }

  override toJSON(): JobStatusErrorJSON {
    const json = super.toJSON();
    json.timeoutMs = this.timeoutMs;
    json.scope = this.scope;
    if (this.method !== undefined) json.method = this.method;
    if (this.path !== undefined) json.path = this.path;
    return json;
  }
}
