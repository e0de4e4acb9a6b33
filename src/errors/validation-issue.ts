// Validation errors describe what is wrong without repeating the value: a rejected value may be a
// secret or personal data. Turning zod issues into these is the schemas' job (src/schemas/issues).

/** One problem found by validation. Never holds the rejected value. */
export interface ValidationIssue {
  /** Where the problem is: `['serviceFields', 'files', 0]`; empty for the value itself. */
  path: (string | number)[];
  /** The rule that failed: `must be one of WAITING, BLOCKED (got a string)`. */
  message: string;
  /** Machine-readable rule (`invalid_value`, `invalid_type`, `invalid_json`, ...). */
  code?: string;
}

const MAX_ISSUES_IN_MESSAGE = 5;

/** `serviceFields.files[0].name`; `(root)` for an empty path. */
export function formatIssuePath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      return index === 0 ? segment : `.${segment}`;
    })
    .join('');
}

/**
 * `status: must be one of ...; name: must be a string`, at most five issues then a count. An
 * issue about the value as a whole (empty path) is its message alone.
 */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return 'no details';
  const shown = issues
    .slice(0, MAX_ISSUES_IN_MESSAGE)
    .map((issue) =>
      issue.path.length === 0 ? issue.message : `${formatIssuePath(issue.path)}: ${issue.message}`,
    );
  const hidden = issues.length - shown.length;
  return hidden > 0 ? `${shown.join('; ')}; and ${hidden} more` : shown.join('; ');
}

/** Copies only the safe fields, so an issue built elsewhere cannot smuggle a value in. */
export function cleanIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map((issue) => {
    const clean: ValidationIssue = { path: [...issue.path], message: issue.message };
    if (issue.code !== undefined) clean.code = issue.code;
    return clean;
  });
}
