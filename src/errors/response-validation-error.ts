import type { JobStatusErrorJSON } from './job-status-error';
import { JobStatusError } from './job-status-error';
import type { RequestContext } from './request-context';
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

  override readonly name: string = 'ResponseValidationError';
  readonly issues: ValidationIssue[];
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(issues: readonly ValidationIssue[], context: ResponseValidationContext = {}) {
    super(`Invalid response${describeResponse(context)}: ${describeIssues(issues)}`, {
      code: 'invalid_response',
    });
    this.issues = cleanIssues(issues);
    this.status = context.status;
    this.method = context.method;
    this.path = context.path;
  }

  override toJSON(): JobStatusErrorJSON {
    const json = super.toJSON();
    json.issues = cleanIssues(this.issues);
    if (this.status !== undefined) json.status = this.status;
    if (this.method !== undefined) json.method = this.method;
    if (this.path !== undefined) json.path = this.path;
    return json;
  }
}

/** ` (GET 1.0/job/abc, status 200)`, or nothing when nothing is known. */
function describeResponse(context: ResponseValidationContext): string {
  const request = [context.method, context.path].filter((part) => part !== undefined).join(' ');
  const parts = [request, context.status === undefined ? '' : `status ${context.status}`];
  const known = parts.filter((part) => part !== '');
  return known.length === 0 ? '' : ` (${known.join(', ')})`;
}
