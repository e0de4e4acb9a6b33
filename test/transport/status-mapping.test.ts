import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  UnprocessableEntityError,
} from '../../src/errors';
import { createTransport } from '../../src/internal/transport';
import { errorBody, jssUrl, rejectionOf, startMockServer, transportOptions } from './msw-harness';

const server = startMockServer();

/** One GET without retries, answered by `answer`. */
function getOnce(answer: () => Response): Promise<unknown> {
  server.use(http.get(jssUrl('1.0/job/abc'), answer));
  return createTransport(transportOptions({ maxRetries: 0 })).request({
    method: 'GET',
    path: '1.0/job/abc',
    idempotent: true,
  });
}

describe('HTTP errors', () => {
  it.each([
    [400, 'invalid_filter', BadRequestError],
    [401, 'unauthorized', AuthenticationError],
    [403, 'forbidden', PermissionDeniedError],
    [404, 'not_found', NotFoundError],
    [409, 'invalid_transition', ConflictError],
    [413, 'payload_too_large', PayloadTooLargeError],
    [422, 'unprocessable', UnprocessableEntityError],
    [429, 'rate_limited', RateLimitError],
    [500, 'internal', InternalServerError],
    [503, 'injected_fault', InternalServerError],
  ])(
    'rejects a %i answer with the matching class and the body fields',
    async (status, code, errorClass) => {
      const error = await rejectionOf(
        getOnce(() =>
          HttpResponse.json(errorBody(status, `failed with ${status}`, code), { status }),
        ),
      );

      expect(error).toBeInstanceOf(errorClass);
      expect(error).toMatchObject({
        status,
        code,
        message: `failed with ${status}`,
        requestId: `req-${status}`,
        method: 'GET',
        path: '1.0/job/abc',
      });
    },
  );

  it('rejects an unnamed status with a plain ApiError', async () => {
    const error = await rejectionOf(getOnce(() => HttpResponse.json({}, { status: 418 })));

    expect(ApiError.is(error)).toBe(true);
    expect((error as ApiError).name).toBe('ApiError');
    expect((error as ApiError).status).toBe(418);
  });

  it('takes the request id from X-Request-Id when the body has none', async () => {
    const error = await rejectionOf(
      getOnce(() =>
        HttpResponse.json(
          { response_type: 'CLIENT_ERROR', error: 'Job not found' },
          { status: 404, headers: { 'X-Request-Id': 'from-header' } },
        ),
      ),
    );

    expect(error).toMatchObject({
      message: 'Job not found',
      code: 'not_found',
      requestId: 'from-header',
    });
  });

  it("tolerates a proxy's HTML error page", async () => {
    const error = await rejectionOf(
      getOnce(() =>
        HttpResponse.html('<html><body>502 Bad Gateway</body></html>', { status: 502 }),
      ),
    );

    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({
      status: 502,
      message:
        'HTTP 502 from GET http://jss.test/jss/1.0/job/abc is not a Job Status Service answer: ' +
        'a proxy or another server answered instead of the service',
    });
  });

  it('never lets a raw axios error escape', async () => {
    const error = await rejectionOf(getOnce(() => HttpResponse.error()));

    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toHaveProperty('config');
    expect(error).not.toHaveProperty('request');
    expect(error).not.toHaveProperty('response');
    expect(error).not.toHaveProperty('isAxiosError');
    expect(error).toMatchObject({ code: 'connection_error', method: 'GET', path: '1.0/job/abc' });
  });
});

describe('unusable success bodies', () => {
  it('rejects a 2xx body that is not JSON, quoting at most 200 characters of it', async () => {
    const text = `<html>${'x'.repeat(1000)}</html>`;

    const error = await rejectionOf(getOnce(() => HttpResponse.text(text)));

    expect(error).toBeInstanceOf(ResponseValidationError);
    const { message, issues } = error as ResponseValidationError;
    expect(message).toMatch(
      /^Invalid response \(GET 1\.0\/job\/abc, status 200\): the body is not valid JSON: "<html>x+…/,
    );
    expect(message).toContain('(1013 chars)');
    expect(message.length).toBeLessThan(500);
    expect(issues).toEqual([{ path: [], message: expect.any(String), code: 'invalid_json' }]);
  });

  it('rejects a 2xx body that is not UTF-8', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);

    const error = await rejectionOf(
      getOnce(() => new HttpResponse(bytes, { headers: { 'Content-Type': 'application/json' } })),
    );

    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues[0]?.code).toBe('invalid_utf8');
  });

  it('rejects an empty 200 body', async () => {
    const error = await rejectionOf(getOnce(() => new HttpResponse('', { status: 200 })));

    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).message).toContain('the body is empty');
  });

  it('does not retry an unusable body', async () => {
    let requests = 0;
    server.use(
      http.get(jssUrl('1.0/job/abc'), () => {
        requests += 1;
        return HttpResponse.text('not json');
      }),
    );

    await rejectionOf(
      createTransport(transportOptions({ maxRetries: 3 })).request({
        method: 'GET',
        path: '1.0/job/abc',
        idempotent: true,
      }),
    );

    expect(requests).toBe(1);
  });
});
