import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { JobStatusError, RequestValidationError } from '../../src/errors';
import { createTransport } from '../../src/internal/transport';
import type { ReceivedRequest } from './msw-harness';
import {
  envelope,
  jssUrl,
  receive,
  rejectionOf,
  startMockServer,
  transportOptions,
} from './msw-harness';

const server = startMockServer();

const job = { job_id: 'abc', user: 'demo', status: 'WAITING' };

describe('the request', () => {
  it('sends a GET with Accept and X-User-Id, no Content-Type and no body', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      http.get(jssUrl('1.0/job/abc'), async ({ request }) => {
        received.push(await receive(request));
        return HttpResponse.json(envelope([job]));
      }),
    );

    await createTransport(transportOptions()).request({
      method: 'GET',
      path: '1.0/job/abc',
      idempotent: true,
    });

    expect(received).toHaveLength(1);
    const [request] = received as [ReceivedRequest];
    expect(request.method).toBe('GET');
    expect(new URL(request.url).pathname).toBe('/jss/1.0/job/abc');
    expect(request.headers.accept).toBe('application/json');
    expect(request.headers['x-user-id']).toBe('demo');
    expect(request.headers['content-type']).toBeUndefined();
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toBe('');
  });

  it('sends the body as compact JSON text with Content-Type application/json', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      http.patch(jssUrl('1.0/job/abc123'), async ({ request }) => {
        received.push(await receive(request));
        return HttpResponse.json(envelope([job]));
      }),
    );

    await createTransport(transportOptions()).request({
      method: 'PATCH',
      path: '1.0/job/abc123',
      body: { status: 'WORKING', 'service_fields.file(dot)txt.size_bytes': 3 },
      idempotent: true,
    });

    expect(received[0]?.method).toBe('PATCH');
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.body).toBe(
      '{"status":"WORKING","service_fields.file(dot)txt.size_bytes":3}',
    );
  });

  it('sends Authorization with a bearer token', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      http.get(jssUrl('health'), async ({ request }) => {
        received.push(await receive(request));
        return HttpResponse.json({ status: 'ok' });
      }),
    );

    await createTransport(transportOptions({ token: 'tok-1' })).request({
      method: 'GET',
      path: 'health',
      idempotent: true,
    });

    expect(received[0]?.headers.authorization).toBe('Bearer tok-1');
  });

  it('asks a token provider again for every attempt', async () => {
    const authorizations: (string | null)[] = [];
    server.use(
      http.get(jssUrl('health'), ({ request }) => {
        authorizations.push(request.headers.get('authorization'));
        return authorizations.length === 1
          ? HttpResponse.json({}, { status: 503 })
          : HttpResponse.json({ status: 'ok' });
      }),
    );
    let calls = 0;
    const token = async () => `tok-${++calls}`;

    await createTransport(transportOptions({ token })).request({
      method: 'GET',
      path: 'health',
      idempotent: true,
    });

    expect(authorizations).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it("fails without sending when the token provider throws, keeping only the cause's name", async () => {
    const token = () => Promise.reject(new Error('vault said no to Bearer leaked-123'));

    const error = await rejectionOf(
      createTransport(transportOptions({ token })).request({
        method: 'GET',
        path: 'health',
        idempotent: true,
      }),
    );

    // No handler is installed: a request would have failed the test as unhandled.
    expect(JobStatusError.is(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'token_provider_failed',
      message: 'The token provider failed: Error',
      cause: { name: 'Error', message: expect.stringMatching(/^\[not kept: /) },
    });
  });

  it('builds the query string from the query, leaving out undefined values', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      http.post(jssUrl('1.0/job/query'), async ({ request }) => {
        received.push(await receive(request));
        return HttpResponse.json(envelope([]));
      }),
    );

    await createTransport(transportOptions()).request({
      method: 'POST',
      path: '1.0/job/query',
      query: { limit: 10, offset: undefined, sort: '-created,job_id', has_more: true },
      body: { user: 'demo' },
      idempotent: true,
    });

    const url = new URL(received[0]?.url ?? '');
    expect(url.pathname).toBe('/jss/1.0/job/query');
    expect(url.search).toBe('?limit=10&sort=-created%2Cjob_id&has_more=true');
    expect(received[0]?.body).toBe('{"user":"demo"}');
  });

  it('keeps an encoded path segment encoded', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      http.get(jssUrl('1.0/job/a%20b%3Fc'), async ({ request }) => {
        received.push(await receive(request));
        return HttpResponse.json(envelope([job]));
      }),
    );

    await createTransport(transportOptions()).request({
      method: 'GET',
      path: `1.0/job/${encodeURIComponent('a b?c')}`,
      idempotent: true,
    });

    expect(new URL(received[0]?.url ?? '').pathname).toBe('/jss/1.0/job/a%20b%3Fc');
  });

  it('adds the extra headers, but the SDK keeps its own when the names clash', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      http.get(jssUrl('health'), async ({ request }) => {
        received.push(await receive(request));
        return HttpResponse.json({ status: 'ok' });
      }),
    );

    await createTransport(
      transportOptions({ headers: { 'X-Trace-Id': 'trace-1', 'x-user-id': 'someone-else' } }),
    ).request({ method: 'GET', path: 'health', idempotent: true });

    expect(received[0]?.headers['x-trace-id']).toBe('trace-1');
    expect(received[0]?.headers['x-user-id']).toBe('demo');
  });

  it('sends Idempotency-Key when one is given', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      http.post(jssUrl('1.0/job/abc/abort'), async ({ request }) => {
        received.push(await receive(request));
        return HttpResponse.json(envelope([job]));
      }),
    );

    await createTransport(transportOptions()).request({
      method: 'POST',
      path: '1.0/job/abc/abort',
      idempotent: true,
      idempotencyKey: 'key-42',
    });

    expect(received[0]?.headers['idempotency-key']).toBe('key-42');
    expect(received[0]?.body).toBe('');
  });

  it('sends a bodyless POST without a Content-Type', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      http.post(jssUrl('1.0/job/abc/retry'), async ({ request }) => {
        received.push(await receive(request));
        return HttpResponse.json(envelope([job]));
      }),
    );

    await createTransport(transportOptions()).request({
      method: 'POST',
      path: '1.0/job/abc/retry',
      idempotent: true,
      idempotencyKey: 'key-43',
    });

    expect(received[0]?.method).toBe('POST');
    expect(received[0]?.headers['content-type']).toBeUndefined();
    expect(received[0]?.body).toBe('');
  });

  it('keeps an extra Content-Type header on a bodyless request', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      http.post(jssUrl('1.0/job/abc/retry'), async ({ request }) => {
        received.push(await receive(request));
        return HttpResponse.json(envelope([job]));
      }),
    );

    await createTransport(
      transportOptions({ headers: { 'content-type': 'application/vnd.custom' } }),
    ).request({ method: 'POST', path: '1.0/job/abc/retry', idempotent: true });

    expect(received[0]?.headers['content-type']).toBe('application/vnd.custom');
  });

  it('refuses a body that cannot be JSON before sending anything', async () => {
    const error = await rejectionOf(
      createTransport(transportOptions()).request({
        method: 'POST',
        path: '1.0/job/',
        body: { size: 10n },
        idempotent: false,
      }),
    );

    // No handler is installed: a request would have failed the test as unhandled.
    expect(RequestValidationError.is(error)).toBe(true);
    expect((error as RequestValidationError).message).toContain('BigInt');
  });
});

describe('the response', () => {
  it('resolves with the status, the parsed body, lower-cased headers and the request id', async () => {
    server.use(
      http.post(jssUrl('1.0/job/'), () =>
        HttpResponse.json(envelope([job]), {
          status: 201,
          headers: { 'X-Request-Id': 'req-77', 'Idempotent-Replayed': 'false' },
        }),
      ),
    );

    const response = await createTransport(transportOptions()).request({
      method: 'POST',
      path: '1.0/job/',
      body: job,
      idempotent: true,
    });

    expect(response.status).toBe(201);
    expect(response.data).toEqual(envelope([job]));
    expect(response.headers['idempotent-replayed']).toBe('false');
    expect(response.requestId).toBe('req-77');
  });

  it('joins the values of a header sent twice with a comma and a space', async () => {
    server.use(
      http.get(jssUrl('1.0/job/abc'), () => {
        const headers = new Headers([
          ['Set-Cookie', 'a=1'],
          ['Set-Cookie', 'b=2'],
        ]);
        return HttpResponse.json(envelope([job]), { headers });
      }),
    );

    const response = await createTransport(transportOptions()).request({
      method: 'GET',
      path: '1.0/job/abc',
      idempotent: true,
    });

    expect(response.headers['set-cookie']).toBe('a=1, b=2');
  });

  it('resolves a 204 with no data', async () => {
    server.use(http.delete(jssUrl('1.0/job/abc'), () => new HttpResponse(null, { status: 204 })));

    const response = await createTransport(transportOptions()).request({
      method: 'DELETE',
      path: '1.0/job/abc',
      idempotent: true,
    });

    expect(response.status).toBe(204);
    expect(response.data).toBeUndefined();
  });
});
