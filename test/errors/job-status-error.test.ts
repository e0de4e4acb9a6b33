import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  ConflictError,
  ERROR_BRAND,
  JobStatusError,
  NotFoundError,
  TimeoutError,
  isApiError,
  isJobStatusError,
} from '../../src/errors';

/** An error as a second copy of the SDK would build it: same brand, different classes. */
function foreignError(kinds: string[], fields: Record<string, unknown>): object {
  const error = new Error(String(fields.message ?? 'foreign'));
  Object.assign(error, fields);
  Object.defineProperty(error, Symbol.for('job-status-client.error'), { value: kinds });
  return error;
}

describe('JobStatusError', () => {
  it('names itself with a literal and defaults its code', () => {
    const error = new JobStatusError('something broke');

    expect(error.name).toBe('JobStatusError');
    expect(error.code).toBe('job_status_error');
    expect(error.message).toBe('something broke');
    expect(error.stack?.split('\n')[0]).toBe('JobStatusError: something broke');
  });

  it('serialises to its safe fields only', () => {
    const error = new JobStatusError('broke', {
      code: 'custom',
      cause: { name: 'TypeError', message: 'bad' },
    });

    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'JobStatusError',
      code: 'custom',
      message: 'broke',
      cause: { name: 'TypeError', message: 'bad' },
    });
  });

  it('keeps a copy of the cause, not the object it was given', () => {
    const cause = { name: 'Error', message: 'original' };
    const error = new JobStatusError('broke', { cause });
    cause.message = 'changed later';

    expect(error.cause).toEqual({ name: 'Error', message: 'original' });
  });

  it('hides its brand from util.inspect', () => {
    const error = new JobStatusError('broke');

    expect(inspect(error)).not.toContain('job-status-client.error');
    expect((error as unknown as Record<symbol, unknown>)[ERROR_BRAND]).toEqual(['JobStatusError']);
  });

  it('brands a subclass instance with every kind from the base down', () => {
    const error = new NotFoundError({
      status: 404,
      message: 'Job not found',
      method: 'GET',
      path: 'x',
    });

    expect((error as unknown as Record<symbol, unknown>)[ERROR_BRAND]).toEqual([
      'JobStatusError',
      'ApiError',
      'NotFoundError',
    ]);
  });
});

describe('guards', () => {
  it('recognises an error of this copy of the SDK', () => {
    const error = new ConflictError({ status: 409, message: 'no', method: 'POST', path: 'p' });

    expect(isJobStatusError(error)).toBe(true);
    expect(isApiError(error)).toBe(true);
    expect(ConflictError.is(error)).toBe(true);
  });

  it('recognises an error built by another copy of the SDK, where instanceof fails', () => {
    const foreign = foreignError(['JobStatusError', 'ApiError', 'NotFoundError'], {
      name: 'NotFoundError',
      status: 404,
      message: 'Job not found',
    });

    expect(foreign instanceof JobStatusError).toBe(false);
    expect(isJobStatusError(foreign)).toBe(true);
    expect(isApiError(foreign)).toBe(true);
    expect(ApiError.is(foreign)).toBe(true);
    expect(NotFoundError.is(foreign)).toBe(true);
  });

  it('refuses a foreign error of a sibling class', () => {
    const foreign = foreignError(['JobStatusError', 'ApiError', 'NotFoundError'], {});

    expect(ConflictError.is(foreign)).toBe(false);
    expect(TimeoutError.is(foreign)).toBe(false);
  });

  it('refuses a plain error that merely has a matching name', () => {
    const impostor = Object.assign(new Error('x'), { name: 'NotFoundError', status: 404 });

    expect(isJobStatusError(impostor)).toBe(false);
    expect(NotFoundError.is(impostor)).toBe(false);
  });

  it('refuses values that are not objects', () => {
    for (const value of [undefined, null, 'NotFoundError', 404, Symbol('x')]) {
      expect(isJobStatusError(value)).toBe(false);
    }
  });

  it('refuses a brand that is not a list of kinds', () => {
    const broken = { [Symbol.for('job-status-client.error')]: 'ApiError' };

    expect(isApiError(broken)).toBe(false);
  });

  it('does not count a base class instance as a subclass', () => {
    const error = new ApiError({ status: 418, message: 'teapot', method: 'GET', path: 'x' });

    expect(ApiError.is(error)).toBe(true);
    expect(NotFoundError.is(error)).toBe(false);
  });
});
