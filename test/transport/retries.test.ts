import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConflictError, ConnectionError, InternalServerError } from '../../src/errors';
import type { RetryInfo } from '../../src/internal/transport';
import { createTransport } from '../../src/internal/transport';
import type { TransportRequest } from '../../src/internal/transport-types';
import type { ReceivedRequest } from './msw-harness';
import {
  envelope,
  errorBody,
  jssUrl,
  receive,
  rejectionOf,
  startMockServer,
  transportOptions,
} from './msw-harness';

const server = startMockServer();

afterEach(() => {
  vi.useRealTimers();
});

const getJob: TransportRequest = { method: 'GET', path: '1.0/job/abc', idempotent: true };
const job = { job_id: 'abc', user: 'demo', status: 'WAITING' };

/** Answers the n-th request (0-based) with `answers[n]`, the last one for every later request. */
function answerInTurn(
  method: 'get' | 'post',
  path: string,
  answers: Array<() => Response>,
): ReceivedRequest[] {
  const received: ReceivedRequest[] = [];
  server.use(
    http[method](jssUrl(path), async ({ request }) => {
      received.push(await receive(request));
      const answer = answers[Math.min(received.length, answers.length) - 1];
      if (answer === undefined) throw new Error('no answer configured');
      return answer();
    }),
  );
  return received;
}

const unavailable = () =>
  HttpResponse.json(errorBody(503, 'try later', 'injected_fault'), { status: 503 });
const ok = () => HttpResponse.json(envelope([job]));

describe('which requests are retried', () => {
  it('retries an idempotent request after a 503 and resolves with the later answer', async () => {
    const received = answerInTurn('get', '1.0/job/abc', [unavailable, ok]);

    const response = await createTransport(transportOptions()).request(getJob);

    expect(received).toHaveLength(2);
    expect(response.data).toEqual(envelope([job]));
  });

  it('sends the same Idempotency-Key and the same body on every attempt', async () => {
    const received = answerInTurn('post', '1.0/job/', [unavailable, unavailable, ok]);

    await createTransport(transportOptions()).request({
      method: 'POST',
      path: '1.0/job/',
      body: job,
      idempotent: true,
      idempotencyKey: 'create-abc',
    });

    expect(received.map((request) => request.headers['idempotency-key'])).toEqual([
      'create-abc',
      'create-abc',
      'create-abc',
    ]);
    expect(received.map((request) => request.body)).toEqual(Array(3).fill(JSON.stringify(job)));
  });

  it('retries an idempotent request after a dropped connection', async () => {
    const received = answerInTurn('get', '1.0/job/abc', [() => HttpResponse.error(), ok]);

    await createTransport(transportOptions()).request(getJob);

    expect(received).toHaveLength(2);
  });

  it.each([408, 429])('retries an idempotent request after a %i', async (status) => {
    const received = answerInTurn('get', '1.0/job/abc', [
      () => HttpResponse.json({}, { status }),
      ok,
    ]);

    await createTransport(transportOptions()).request(getJob);

    expect(received).toHaveLength(2);
  });

  it('gives up after maxRetries retries with the last error', async () => {
    const received = answerInTurn('get', '1.0/job/abc', [unavailable]);

    const error = await rejectionOf(
      createTransport(transportOptions({ maxRetries: 2 })).request(getJob),
    );

    expect(received).toHaveLength(3);
    expect(error).toBeInstanceOf(InternalServerError);
  });

  it("lets a call's maxRetries override the transport's", async () => {
    const received = answerInTurn('get', '1.0/job/abc', [unavailable]);

    await rejectionOf(
      createTransport(transportOptions({ maxRetries: 5 })).request({ ...getJob, maxRetries: 0 }),
    );

    expect(received).toHaveLength(1);
  });

  it('does not retry a non-idempotent request after a 5xx', async () => {
    const received = answerInTurn('post', '1.0/job/', [unavailable, ok]);

    const error = await rejectionOf(
      createTransport(transportOptions()).request({
        method: 'POST',
        path: '1.0/job/',
        body: job,
        idempotent: false,
      }),
    );

    expect(received).toHaveLength(1);
    expect(error).toBeInstanceOf(InternalServerError);
  });

  it('does not retry a non-idempotent request after a connection error', async () => {
    const received = answerInTurn('post', '1.0/job/', [() => HttpResponse.error(), ok]);

    const error = await rejectionOf(
      createTransport(transportOptions()).request({
        method: 'POST',
        path: '1.0/job/',
        body: job,
        idempotent: false,
      }),
    );

    expect(received).toHaveLength(1);
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it.each([
    [400, 'invalid_body'],
    [401, 'unauthorized'],
    [404, 'not_found'],
    [409, 'invalid_transition'],
    [413, 'payload_too_large'],
  ])('never retries a %i, even when idempotent', async (status, code) => {
    const received = answerInTurn('get', '1.0/job/abc', [
      () => HttpResponse.json(errorBody(status, 'no', code), { status }),
      ok,
    ]);

    const error = await rejectionOf(
      createTransport(transportOptions({ maxRetries: 3 })).request(getJob),
    );

    expect(received).toHaveLength(1);
    expect(error).toMatchObject({ status, code });
  });

  it('never retries a 409 answer to a create', async () => {
    const received = answerInTurn('post', '1.0/job/', [
      () => HttpResponse.json(errorBody(409, 'exists', 'job_exists'), { status: 409 }),
    ]);

    const error = await rejectionOf(
      createTransport(transportOptions()).request({
        method: 'POST',
        path: '1.0/job/',
        body: job,
        idempotent: true,
        idempotencyKey: 'k',
      }),
    );

    expect(received).toHaveLength(1);
    expect(error).toBeInstanceOf(ConflictError);
  });
});

describe('how long the transport waits', () => {
  function recordRetries(): { retries: RetryInfo[]; onRetry: (info: RetryInfo) => void } {
    const retries: RetryInfo[] = [];
    return { retries, onRetry: (info) => retries.push(info) };
  }

  it('waits exactly the Retry-After seconds before the next attempt', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const received = answerInTurn('get', '1.0/job/abc', [
      () => HttpResponse.json({}, { status: 429, headers: { 'Retry-After': '2' } }),
      ok,
    ]);
    const { retries, onRetry } = recordRetries();

    const pending = createTransport(transportOptions({ hooks: { onRetry } })).request(getJob);
    await vi.advanceTimersByTimeAsync(1_999);
    const beforeTheWaitEnds = received.length;
    await vi.advanceTimersByTimeAsync(1);
    await pending;

    expect(retries.map((retry) => retry.delayMs)).toEqual([2_000]);
    expect(beforeTheWaitEnds).toBe(1);
    expect(received).toHaveLength(2);
  });

  it('waits until the Retry-After HTTP-date', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2024-05-01T12:00:00Z'));
    const received = answerInTurn('get', '1.0/job/abc', [
      () =>
        HttpResponse.json(
          {},
          { status: 503, headers: { 'Retry-After': 'Wed, 01 May 2024 12:00:05 GMT' } },
        ),
      ok,
    ]);
    const { retries, onRetry } = recordRetries();

    const pending = createTransport(transportOptions({ hooks: { onRetry } })).request(getJob);
    await vi.advanceTimersByTimeAsync(4_999);
    const beforeTheDate = received.length;
    await vi.advanceTimersByTimeAsync(1);
    await pending;

    expect(retries.map((retry) => retry.delayMs)).toEqual([5_000]);
    expect(beforeTheDate).toBe(1);
    expect(received).toHaveLength(2);
  });

  it('caps Retry-After at maxRetryAfterMs', async () => {
    answerInTurn('get', '1.0/job/abc', [
      () => HttpResponse.json({}, { status: 503, headers: { 'Retry-After': '3600' } }),
      ok,
    ]);
    const { retries, onRetry } = recordRetries();

    await createTransport(transportOptions({ maxRetryAfterMs: 5, hooks: { onRetry } })).request(
      getJob,
    );

    expect(retries.map((retry) => retry.delayMs)).toEqual([5]);
  });

  it('draws each backoff from [0, bound), the bound doubling up to maxMs', async () => {
    answerInTurn('get', '1.0/job/abc', [unavailable]);
    const { retries, onRetry } = recordRetries();
    const draws = [0.5, 0.999999, 0, 0.25];

    await rejectionOf(
      createTransport(
        transportOptions({
          maxRetries: 4,
          retryDelay: { initialMs: 4, maxMs: 12 },
          random: () => draws.shift() ?? 0,
          hooks: { onRetry },
        }),
      ).request(getJob),
    );

    // Bounds 4, 8, 12 (capped from 16), 12 (capped from 32).
    expect(retries.map((retry) => retry.delayMs)).toEqual([2, 7, 0, 3]);
  });

  it('keeps every backoff inside its bound whatever the random source returns', async () => {
    answerInTurn('get', '1.0/job/abc', [unavailable]);
    const { retries, onRetry } = recordRetries();

    await rejectionOf(
      createTransport(
        transportOptions({
          maxRetries: 3,
          retryDelay: { initialMs: 2, maxMs: 5 },
          random: Math.random,
          hooks: { onRetry },
        }),
      ).request(getJob),
    );

    const bounds = [2, 4, 5];
    retries.forEach((retry, index) => {
      expect(retry.delayMs).toBeGreaterThanOrEqual(0);
      expect(retry.delayMs).toBeLessThan(bounds[index] ?? 0);
    });
    expect(retries).toHaveLength(3);
  });
});
