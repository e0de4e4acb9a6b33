import axios from 'axios';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ApiError, JobStatusError, TimeoutError } from '../../src/errors';
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
const OTHER_ORIGIN = 'http://elsewhere.test/jss/';

function redirect(status: number, location: string): Response {
  return new HttpResponse(null, { status, headers: { Location: location } });
}

/** Answers `path` with a redirect to `location`, recording what arrived. */
function redirecting(received: ReceivedRequest[], path: string, status: number, location: string) {
  return http.all(jssUrl(path), async ({ request }) => {
    received.push(await receive(request));
    return redirect(status, location);
  });
}

/** Answers `url` with the job, recording what arrived. */
function answering(received: ReceivedRequest[], url: string) {
  return http.all(url, async ({ request }) => {
    received.push(await receive(request));
    return HttpResponse.json(envelope([job]));
  });
}

describe('redirects', () => {
  it('follows a 302 to a GET to its Location, resolved against the request URL', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      redirecting(received, '1.0/job/abc', 302, '../../moved/abc'),
      answering(received, jssUrl('moved/abc')),
    );

    const response = await createTransport(transportOptions()).request({
      method: 'GET',
      path: '1.0/job/abc',
      idempotent: true,
    });

    expect(response.data).toEqual(envelope([job]));
    expect(received.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'GET http://jss.test/jss/1.0/job/abc',
      'GET http://jss.test/jss/moved/abc',
    ]);
    expect(received[1]?.headers['x-user-id']).toBe('demo');
    expect(received[1]?.headers.accept).toBe('application/json');
  });

  it.each([307, 308])(
    'repeats the method, the body and its Content-Type on a %i',
    async (status) => {
      const received: ReceivedRequest[] = [];
      server.use(
        redirecting(received, '1.0/job/abc', status, jssUrl('2.0/job/abc')),
        answering(received, jssUrl('2.0/job/abc')),
      );

      await createTransport(transportOptions()).request({
        method: 'PATCH',
        path: '1.0/job/abc',
        body: { status: 'WORKING' },
        idempotent: true,
        idempotencyKey: 'key-1',
      });

      const [, hop] = received as [ReceivedRequest, ReceivedRequest];
      expect(hop.method).toBe('PATCH');
      expect(hop.url).toBe(jssUrl('2.0/job/abc'));
      expect(hop.headers['content-type']).toBe('application/json');
      expect(hop.headers['idempotency-key']).toBe('key-1');
      expect(hop.body).toBe('{"status":"WORKING"}');
    },
  );

  it.each([301, 302, 303])(
    'turns a POST into a GET without a body or Content-Type on a %i',
    async (status) => {
      const received: ReceivedRequest[] = [];
      server.use(
        redirecting(received, '1.0/job/abc/retry', status, jssUrl('1.0/job/abc')),
        answering(received, jssUrl('1.0/job/abc')),
      );

      await createTransport(transportOptions()).request({
        method: 'POST',
        path: '1.0/job/abc/retry',
        body: { reason: 'test' },
        idempotent: true,
      });

      const [, hop] = received as [ReceivedRequest, ReceivedRequest];
      expect(hop.method).toBe('GET');
      expect(hop.headers['content-type']).toBeUndefined();
      expect(hop.body).toBe('');
    },
  );

  it('keeps Authorization and credential headers on a redirect within the origin', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      redirecting(received, '1.0/job/abc', 302, jssUrl('1.0/job/abc/moved')),
      answering(received, jssUrl('1.0/job/abc/moved')),
    );
    const options = transportOptions({ token: 'tok-1', headers: { 'X-Api-Key': 'key-2' } });

    await createTransport(options).request({
      method: 'GET',
      path: '1.0/job/abc',
      idempotent: true,
    });

    expect(received[1]?.headers.authorization).toBe('Bearer tok-1');
    expect(received[1]?.headers['x-api-key']).toBe('key-2');
  });

  it('drops Authorization, Cookie and key headers but keeps X-User-Id on another origin', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      redirecting(received, '1.0/job/abc', 302, `${OTHER_ORIGIN}1.0/job/abc`),
      answering(received, `${OTHER_ORIGIN}1.0/job/abc`),
    );
    const options = transportOptions({
      token: 'tok-1',
      headers: { 'X-Api-Key': 'key-2', Cookie: 'session=s3', 'X-Trace': 't-4' },
    });

    await createTransport(options).request({
      method: 'GET',
      path: '1.0/job/abc',
      idempotent: true,
    });

    const hop = received[1] as ReceivedRequest;
    expect(hop.url).toBe(`${OTHER_ORIGIN}1.0/job/abc`);
    expect(hop.headers.authorization).toBeUndefined();
    expect(hop.headers['x-api-key']).toBeUndefined();
    expect(hop.headers.cookie).toBeUndefined();
    expect(hop.headers['x-user-id']).toBe('demo');
    expect(hop.headers['x-trace']).toBe('t-4');
  });

  it('treats another port as another origin', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      redirecting(received, '1.0/job/abc', 307, 'http://jss.test:8443/jss/1.0/job/abc'),
      answering(received, 'http://jss.test:8443/jss/1.0/job/abc'),
    );

    await createTransport(transportOptions({ token: 'tok-1' })).request({
      method: 'GET',
      path: '1.0/job/abc',
      idempotent: true,
    });

    expect(received[1]?.headers.authorization).toBeUndefined();
  });

  it('fails with too_many_redirects after 20 redirects, without retrying', async () => {
    const received: ReceivedRequest[] = [];
    server.use(redirecting(received, '1.0/job/abc', 302, jssUrl('1.0/job/abc')));

    const error = await rejectionOf(
      createTransport(transportOptions()).request({
        method: 'GET',
        path: '1.0/job/abc',
        idempotent: true,
      }),
    );

    expect(error).toBeInstanceOf(JobStatusError);
    expect(error).toMatchObject({
      code: 'too_many_redirects',
      message: 'The request (GET 1.0/job/abc) was redirected more than 20 times',
    });
    expect(received).toHaveLength(21);
  });

  it('refuses a Location with a scheme other than http(s), naming the scheme only', async () => {
    server.use(
      http.get(jssUrl('1.0/job/abc'), () => redirect(302, 'ftp://files.test/x?token=t0k3n')),
    );

    const error = await rejectionOf(
      createTransport(transportOptions()).request({
        method: 'GET',
        path: '1.0/job/abc',
        idempotent: true,
      }),
    );

    expect(error).toMatchObject({
      code: 'unsupported_redirect',
      message: 'The request (GET 1.0/job/abc) was redirected to the unsupported scheme ftp:',
    });
  });

  it('maps a redirect status without a Location to an ApiError', async () => {
    server.use(http.get(jssUrl('1.0/job/abc'), () => new HttpResponse(null, { status: 302 })));

    const error = await rejectionOf(
      createTransport(transportOptions()).request({
        method: 'GET',
        path: '1.0/job/abc',
        idempotent: true,
      }),
    );

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 302 });
  });

  it('leaves redirects to an injected axios instance, as it is configured', async () => {
    const received: ReceivedRequest[] = [];
    server.use(
      redirecting(received, '1.0/job/abc', 302, jssUrl('1.0/job/abc/moved')),
      answering(received, jssUrl('1.0/job/abc/moved')),
    );
    const instance = axios.create({ maxRedirects: 0 });

    const error = await rejectionOf(
      createTransport(transportOptions({ axios: instance })).request({
        method: 'GET',
        path: '1.0/job/abc',
        idempotent: true,
      }),
    );

    expect(error).toMatchObject({ status: 302 });
    expect(received).toHaveLength(1);
  });

  it('counts the time of every hop against the attempt timeout', async () => {
    server.use(
      http.get(jssUrl('1.0/job/abc'), async () => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return redirect(302, jssUrl('1.0/job/abc/moved'));
      }),
      http.get(jssUrl('1.0/job/abc/moved'), async () => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return HttpResponse.json(envelope([job]));
      }),
    );

    const error = await rejectionOf(
      createTransport(transportOptions({ timeout: 220, maxRetries: 0 })).request({
        method: 'GET',
        path: '1.0/job/abc',
        idempotent: true,
      }),
    );

    expect(error).toBeInstanceOf(TimeoutError);
  });
});
