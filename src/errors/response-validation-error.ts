import { JobStatusError } from './job-status-error';
import type { RequestContext } from './request-context';
import { describeRequest } from './request-context';
import type { ValidationIssue } from './validation-issue';
import { cleanIssues, describeIssues } from './validation-issue';

/** The call a response answered. */
export interface ResponseValidationContext extends RequestContext {
  /** The HTTP status of the refused response. */
  status?: number;
}

/**
 * The server answered 2xx with something the SDK cannot use: not JSON, not UTF-8, or not the
 * shape the contract promises. Never retried: the same server would answer the same.
 */
export class ResponseValidationError extends JobStatusError {
  static override readonly kind: string = 'ResponseValidationError';

  declare readonly issues: ValidationIssue[];
  declare readonly status: number | undefined;
  declare readonly method: string | undefined;
  declare readonly path: string | undefined;

  constructor(issues: readonly ValidationIssue[], context: ResponseValidationContext = {}) {
    super(`Invalid response${describeRequest(context)}: ${describeIssues(issues)}`, {
      code: 'invalid_response',
    });
    this.issues = cleanIssues(issues);
    Object.assign(this, context);
  }
}
