import { describe, expect, it } from 'vitest';
import { RequestValidationError, ResponseValidationError, formatIssuePath } from '../../src/errors';
import type { ValidationIssue } from '../../src/errors';

const statusIssue: ValidationIssue = {
  path: ['status'],
  message: 'must be one of WAITING, BLOCKED, WORKING (got a string)',
  code: 'invalid_value',
};

describe('RequestValidationError', () => {
  it('names the field and the rule in its message', () => {
    const error = new RequestValidationError([statusIssue]);

    expect(error.message).toBe(
      'Invalid request: status: must be one of WAITING, BLOCKED, WORKING (got a string)',
    );
    expect(error.code).toBe('invalid_request');
    expect(error.name).toBe('RequestValidationError');
  });

  it('lists several issues separated by semicolons', () => {
    const error = new RequestValidationError([
      statusIssue,
      { path: ['serviceFields', 'files', 0, 'name'], message: 'must be a string' },
    ]);

    expect(error.message).toBe(
      'Invalid request: status: must be one of WAITING, BLOCKED, WORKING (got a string); ' +
        'serviceFields.files[0].name: must be a string',
    );
  });

  it('names at most five issues and counts the rest', () => {
    const issues = Array.from({ length: 8 }, (_, index) => ({
      path: [`field${index}`],
      message: 'is required',
    }));

    const error = new RequestValidationError(issues);

    expect(error.message).toContain('field4: is required; and 3 more');
    expect(error.message).not.toContain('field5');
    expect(error.issues).toHaveLength(8);
  });

  it('keeps only path, message and code of an issue, never a smuggled value', () => {
    const withValue = { ...statusIssue, input: 'SENTINEL-VALUE' } as ValidationIssue;

    const error = new RequestValidationError([withValue]);

    expect(error.issues).toEqual([statusIssue]);
    expect(JSON.stringify(error)).not.toContain('SENTINEL-VALUE');
  });

  it('serialises its issues', () => {
    const error = new RequestValidationError([statusIssue]);

    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'RequestValidationError',
      code: 'invalid_request',
      message: error.message,
      issues: [statusIssue],
    });
  });
});

describe('ResponseValidationError', () => {
  it('names the request, the status and the broken rule', () => {
    const error = new ResponseValidationError(
      [{ path: ['data', 0, 'status'], message: 'must be a string (got a number)' }],
      { method: 'GET', path: '1.0/job/abc', status: 200 },
    );

    expect(error.message).toBe(
      'Invalid response (GET 1.0/job/abc, status 200): data[0].status: must be a string (got a number)',
    );
    expect(error.code).toBe('invalid_response');
    expect(error.status).toBe(200);
  });

  it('states a whole-body issue without a path prefix', () => {
    const error = new ResponseValidationError([
      { path: [], message: 'the body is not valid UTF-8', code: 'invalid_utf8' },
    ]);

    expect(error.message).toBe('Invalid response: the body is not valid UTF-8');
  });
});

describe('formatIssuePath', () => {
  it('joins names with dots and puts indexes in brackets', () => {
    expect(formatIssuePath(['files', 10, 'meta', 'size'])).toBe('files[10].meta.size');
  });

  it('names an empty path as the root', () => {
    expect(formatIssuePath([])).toBe('(root)');
  });

  it('starts with brackets when the first segment is an index', () => {
    expect(formatIssuePath([0, 'jobId'])).toBe('[0].jobId');
  });
});
