import { JobStatusError } from './job-status-error';
import type { ValidationIssue } from './validation-issue';
import { cleanIssues, describeIssues } from './validation-issue';

/**
 * The arguments of a call were refused before anything was sent. The message names each field
 * and rule (`Invalid request: status: must be one of WAITING, ... (got a string)`); the values
 * themselves are never repeated.
 */
export class RequestValidationError extends JobStatusError {
  static override readonly kind: string = 'RequestValidationError';

  declare readonly issues: ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(`Invalid request: ${describeIssues(issues)}`, { code: 'invalid_request' });
    this.issues = cleanIssues(issues);
  }
}
