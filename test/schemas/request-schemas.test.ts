import { describe, expect, it } from 'vitest';
import { RequestValidationError, type ValidationIssue } from '../../src/errors';
import { callOptionsSchema } from '../../src/schemas/call-options';
import { parseInput } from '../../src/schemas/issues';
import { jobUpdateSchema } from '../../src/schemas/job-update';
import { logInputSchema } from '../../src/schemas/log';
import { newJobSchema } from '../../src/schemas/new-job';
import { progressInputSchema } from '../../src/schemas/progress';

/** The issues `parseInput` throws for `value`, or none. */
function issuesOf(
  schema: Parameters<typeof parseInput>[0],
  value: unknown,
  argument = 'job',
): ValidationIssue[] {
  try {
    parseInput(schema, value, argument);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(RequestValidationError);
    return [...(error as RequestValidationError).issues];
  }
}

describe('newJobSchema', () => {
  it('reports a bad field and a forbidden service-field key from one parse', () => {
    const serviceFields = JSON.parse('{"files":[{"__proto__":{"admin":true}}]}') as object;

    const issues = issuesOf(newJobSchema, { user: '', serviceFields });

    expect(issues).toEqual([
      expect.objectContaining({ path: ['job', 'user'], message: 'must not be empty' }),
      expect.objectContaining({
        path: ['job', 'serviceFields', 'files', 0, '__proto__'],
        code: 'forbidden_key',
      }),
    ]);
  });

  it('reports each deep JSON problem of serviceFields exactly once', () => {
    const issues = issuesOf(newJobSchema, {
      user: 'demo',
      serviceFields: { a: { b: Number.NaN }, c: [undefined], d: () => 1 },
    });

    expect(issues.map((issue) => issue.path)).toEqual([
      ['job', 'serviceFields', 'a', 'b'],
      ['job', 'serviceFields', 'c', 0],
      ['job', 'serviceFields', 'd'],
    ]);
  });

  it('refuses serviceFields that is an array without looking inside it', () => {
    const issues = issuesOf(newJobSchema, { user: 'demo', serviceFields: [Number.NaN] });

    expect(issues).toEqual([
      expect.objectContaining({
        path: ['job', 'serviceFields'],
        message: 'must be a plain JSON object (not an array)',
      }),
    ]);
  });

  it('refuses a status the SDK does not know, listing the known ones', () => {
    const issues = issuesOf(newJobSchema, { user: 'demo', status: 'DONE' });

    expect(issues).toEqual([
      expect.objectContaining({
        path: ['job', 'status'],
        message: expect.stringContaining('WAITING'),
      }),
    ]);
  });

  it('refuses a job id that would leave its URL path segment', () => {
    const issues = issuesOf(newJobSchema, { user: 'demo', jobId: '../x' });

    expect(issues).toEqual([
      expect.objectContaining({
        path: ['job', 'jobId'],
        message: expect.stringContaining('path traversal'),
      }),
    ]);
  });

  it('refuses created, which the server sets', () => {
    const issues = issuesOf(newJobSchema, { user: 'demo', created: new Date() });

    expect(issues).toEqual([
      expect.objectContaining({ path: ['job', 'created'], code: 'unrecognized_keys' }),
    ]);
  });
});

describe('jobUpdateSchema', () => {
  it('refuses an update that sets nothing', () => {
    const issues = issuesOf(jobUpdateSchema, { jobName: undefined }, 'update');

    expect(issues).toEqual([
      expect.objectContaining({
        path: ['update'],
        message: expect.stringContaining('at least one'),
      }),
    ]);
  });

  it('names the updatable fields when a field cannot be updated', () => {
    const issues = issuesOf(jobUpdateSchema, { user: 'other' }, 'update');

    expect(issues).toEqual([
      expect.objectContaining({
        path: ['update', 'user'],
        message: expect.stringContaining('updatable fields: jobName'),
      }),
    ]);
  });

  it('accepts a null serviceFields, which sets nothing, as the legacy client did', () => {
    expect(issuesOf(jobUpdateSchema, { serviceFields: null }, 'update')).toEqual([]);
  });

  it('refuses an array serviceFields, saying it must be an object', () => {
    const issues = issuesOf(jobUpdateSchema, { serviceFields: ['a'] }, 'update');

    expect(issues.map(({ path, message }) => [path, message])).toEqual([
      [['update', 'serviceFields'], 'must be a plain JSON object (not an array)'],
    ]);
  });
});

describe('logInputSchema', () => {
  it('checks log data to its leaves, reporting its path', () => {
    const issues = issuesOf(
      logInputSchema,
      { level: 'info', message: 'm', data: { when: new Date(Number.NaN) } },
      'entry',
    );

    expect(issues).toEqual([
      expect.objectContaining({ path: ['entry', 'data', 'when'], code: 'invalid_date' }),
    ]);
  });

  it('accepts any JSON value as data, a bare string included', () => {
    const entry = parseInput(logInputSchema, { level: 'info', message: 'm', data: 'x' }, 'entry');

    expect(entry).toEqual({ level: 'info', message: 'm', data: 'x' });
  });

  it('refuses a message longer than the server stores', () => {
    const issues = issuesOf(
      logInputSchema,
      { level: 'info', message: 'x'.repeat(10_001) },
      'entry',
    );

    expect(issues).toEqual([
      expect.objectContaining({
        path: ['entry', 'message'],
        message: 'must be at most 10000 characters long',
      }),
    ]);
  });
});

describe('progressInputSchema', () => {
  it('refuses more units completed than in all', () => {
    const issues = issuesOf(progressInputSchema, { completed: 5, total: 4 }, 'progress');

    expect(issues).toEqual([
      expect.objectContaining({ path: ['progress', 'completed'], message: 'must be <= total (4)' }),
    ]);
  });
});

describe('callOptionsSchema', () => {
  it('accepts a signal from another realm by its shape', () => {
    const signal = { aborted: false, addEventListener: () => undefined };

    expect(parseInput(callOptionsSchema, { signal }, 'options').signal).toBe(signal);
  });

  it('refuses a fractional maxRetries and a zero timeout together', () => {
    const issues = issuesOf(callOptionsSchema, { maxRetries: 1.5, timeout: 0 }, 'options');

    expect(issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['options.timeout', 'must be > 0'],
      ['options.maxRetries', 'must be an integer, received a number'],
    ]);
  });
});
