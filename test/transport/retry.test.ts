import { describe, expect, it } from 'vitest';
import { ApiError, ConnectionError, TimeoutError } from '../../src/errors';
import { backoffDelay, isRetryableError, retryDelay } from '../../src/internal/retry';
import { parseRetryAfter } from '../../src/internal/retry-after';

const range = { initialMs: 500, maxMs: 8_000 };
const request = { method: 'GET', path: 'p' };

describe('backoffDelay', () => {
  it('doubles the bound with every retry, scaled by the random draw', () => {
    const half = () => 0.5;

    expect([1, 2, 3, 4].map((retry) => backoffDelay(retry, range, half))).toEqual([
      250, 500, 1000, 2000,
    ]);
  });

  it('caps the bound at maxMs', () => {
    expect(backoffDelay(10, range, () => 0.5)).toBe(4000);
  });

  it('stays within [0, bound) for the extreme draws (full jitter)', () => {
    expect(backoffDelay(3, range, () => 0)).toBe(0);
    expect(backoffDelay(3, range, () => 0.999999)).toBe(1999);
  });

  it('clamps a random source that strays outside [0, 1]', () => {
    expect(backoffDelay(1, range, () => 7)).toBe(500);
    expect(backoffDelay(1, range, () => -1)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
  });

  it('reads an HTTP-date relative to now', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:30 GMT', now)).toBe(30_000);
  });

  it('reads a date in the past as no wait', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
  });

  it('returns undefined for a missing or unreadable value', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('later', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('isRetryableError', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %i', (status) => {
    expect(isRetryableError(ApiError.from(status, undefined, {}, request))).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 413, 422])('never retries HTTP %i', (status) => {
    expect(isRetryableError(ApiError.from(status, undefined, {}, request))).toBe(false);
  });

  it('retries a connection error and an attempt timeout', () => {
    expect(isRetryableError(new ConnectionError())).toBe(true);
    expect(isRetryableError(new TimeoutError({ timeoutMs: 1, scope: 'attempt' }))).toBe(true);
  });

  it('does not retry once the deadline has passed', () => {
    expect(isRetryableError(new TimeoutError({ timeoutMs: 1, scope: 'deadline' }))).toBe(false);
  });

  it('does not retry what is not an SDK error', () => {
    expect(isRetryableError(new Error('x'))).toBe(false);
  });
});

describe('retryDelay', () => {
  const policy = { retryDelay: range, maxRetryAfterMs: 60_000, random: () => 0.5 };

  it('honours Retry-After over the backoff', () => {
    const error = ApiError.from(429, undefined, { 'retry-after': '3' }, request);

    expect(retryDelay(error, 1, policy)).toBe(3000);
  });

  it('caps Retry-After at maxRetryAfterMs', () => {
    const error = ApiError.from(503, undefined, { 'retry-after': '3600' }, request);

    expect(retryDelay(error, 1, policy)).toBe(60_000);
  });

  it('uses the backoff without Retry-After', () => {
    expect(retryDelay(new ConnectionError(), 2, policy)).toBe(500);
  });
});
