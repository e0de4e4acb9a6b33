import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '../../src/errors';

const request = { method: 'GET', path: '1.0/job/abc' };

function errorBody(fields: Record<string, unknown>): Record<string, unknown> {
  return { response_type: 'CLIENT_ERROR', ...fields };
}

describe('ApiError.from', () => {
  it.each([
    [400, BadRequestError, 'BadRequestError'],
    [401, AuthenticationError, 'AuthenticationError'],
    [403, PermissionDeniedError, 'PermissionDeniedError'],
    [404, NotFoundError, 'NotFoundError'],
    [409, ConflictError, 'ConflictError'],
    [413, PayloadTooLargeError, 'PayloadTooLargeError'],
    [422, UnprocessableEntityError, 'UnprocessableEntityError'],
    [429, RateLimitError, 'RateLimitError'],
    [500, InternalServerError, 'InternalServerError'],
    [502, InternalServerError, 'InternalServerError'],
    [503, InternalServerError, 'InternalServerError'],
    [599, InternalServerError, 'InternalServerError'],
  ])('builds a %i answer as %o', (status, errorClass, name) => {
    const error = ApiError.from(status, errorBody({ error: 'x' }), {}, request);

    expect(error).toBeInstanceOf(errorClass);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.name).toBe(name);
    expect(error.status).toBe(status);
  });

  it.each([402, 405, 418, 451])('builds a plain ApiError for the unnamed status %i', (status) => {
    const error = ApiError.from(status, undefined, {}, request);

    expect(error.constructor).toBe(ApiError);
    expect(error.name).toBe('ApiError');
    expect(error.code).toBe(`http_${status}`);
  });

  it('takes message, code and request id from the contract error body', () => {
    const error = ApiError.from(
      409,
      errorBody({ error: 'Job abc has ended', code: 'invalid_transition', request_id: 'req-1' }),
      { 'x-request-id': 'req-from-header' },
      { method: 'POST', path: '1.0/job/abc/abort' },
    );

    expect(error.message).toBe('Job abc has ended');
    expect(error.code).toBe('invalid_transition');
    expect(error.requestId).toBe('req-1');
    expect(error.method).toBe('POST');
    expect(error.path).toBe('1.0/job/abc/abort');
  });

  it('falls back to the X-Request-Id header for the request id, whatever its case', () => {
    const error = ApiError.from(
      404,
      errorBody({ error: 'Job not found' }),
      { 'X-Request-Id': 'hdr-7' },
      request,
    );

    expect(error.requestId).toBe('hdr-7');
  });

  it.each([
    [400, 'bad_request'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [413, 'payload_too_large'],
    [422, 'unprocessable_entity'],
    [429, 'rate_limited'],
    [500, 'internal'],
    [503, 'server_error'],
  ])('gives a %i without a code the default code %s', (status, code) => {
    expect(ApiError.from(status, errorBody({ error: 'x' }), {}, request).code).toBe(code);
  });

  it('tolerates the legacy error body that has no code', () => {
    const error = ApiError.from(
      404,
      { response_type: 'CLIENT_ERROR', error: 'Job not found' },
      {},
      request,
    );

    expect(error.message).toBe('Job not found');
    expect(error.code).toBe('not_found');
    expect(error.requestId).toBeUndefined();
  });

  it.each([
    ['an HTML page', '<html><body>Bad Gateway</body></html>'],
    ['an array', [1, 2]],
    ['null', null],
    ['no body', undefined],
    ['fields of the wrong type', { error: 42, code: false, request_id: {} }],
  ])("tolerates %s as the body, saying the answer is not the service's", (_label, body) => {
    const error = ApiError.from(502, body, {}, request);

    expect(error.message).toMatch(/^HTTP 502 from \S+ \S+ is not a Job Status Service answer: /);
    expect(error.code).toBe('server_error');
  });

  it('reads Retry-After in seconds', () => {
    const error = ApiError.from(
      429,
      errorBody({ error: 'slow down' }),
      { 'retry-after': '7' },
      request,
    );

    expect(error.retryAfterMs).toBe(7000);
  });

  it('reads Retry-After as an HTTP-date', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const error = ApiError.from(503, undefined, { 'Retry-After': inTenSeconds }, request);

    // An HTTP-date has whole seconds: the wait is up to one second short of ten.
    expect(error.retryAfterMs).toBeGreaterThan(8_900);
    expect(error.retryAfterMs).toBeLessThanOrEqual(10_000);
  });

  it('leaves retryAfterMs unset without a readable Retry-After', () => {
    expect(ApiError.from(429, undefined, {}, request).retryAfterMs).toBeUndefined();
    expect(
      ApiError.from(429, undefined, { 'retry-after': 'soon' }, request).retryAfterMs,
    ).toBeUndefined();
  });

  it('scrubs the given secrets and bearer tokens from an echoed server message', () => {
    const error = ApiError.from(
      401,
      errorBody({ error: 'token s3cr3t-value refused (Authorization: Bearer abc.def)' }),
      {},
      { ...request, secrets: ['s3cr3t-value'] },
    );

    expect(error.message).toBe('token [REDACTED] refused (Authorization: Bearer [REDACTED])');
  });

  it('truncates a very long server message', () => {
    const error = ApiError.from(400, errorBody({ error: 'x'.repeat(5000) }), {}, request);

    expect(error.message.length).toBeLessThan(1100);
  });

  it('serialises status, request and ids but nothing of the body or headers', () => {
    const error = ApiError.from(
      429,
      errorBody({
        error: 'slow down',
        code: 'rate_limited',
        request_id: 'r-9',
        extra: 'body-only',
      }),
      { 'retry-after': '3', 'set-cookie': 'session=abc' },
      request,
    );

    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'RateLimitError',
      code: 'rate_limited',
      message: 'slow down',
      status: 429,
      method: 'GET',
      path: '1.0/job/abc',
      requestId: 'r-9',
      retryAfterMs: 3000,
    });
  });
});
