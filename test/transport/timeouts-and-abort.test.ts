import { getEventListeners } from 'node:events';
import { delay, http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortError, InternalServerError, TimeoutError } from '../../src/errors';
import { createTransport } from '../../src/internal/transport';
import type { TransportRequest } from '../../src/internal/transport-types';
import {
  envelope,
  errorBody,
  jssUrl,
  rejectionOf,
  startMockServer,
  transportOptions,
} from './msw-harness';

const server = startMockServer();

afterEach(() => {
  vi.useRealTimers();
});

const getJob: TransportRequest = { method: 'GET', path: '1.0/job/abc', idempotent: true };
const ok = () => HttpResponse.json(envelope([{ job_id: 'abc' }]));
const unavailable = () =>
  HttpResponse.json(errorBody(503, 'try later', 'injected_fault'), { status: 503 });

/** Counts requests; each is answered by `answer`. */
function countRequests(answer: (index: number) => Response | Promise<Response>): { count: number } {
  const counter = { count: 0 };
  server.use(
    http.get(jssUrl('1.0/job/abc'), () => {
      counter.count += 1;
      return answer(counter.count - 1);
    }),
  );
  return counter;
}

const neverAnswer = async (): Promise<Response> => {
  await delay('infinite');
  return ok();
};

// Without msw's delay('infinite'), whose (unref'd) timer fake timers would count.
const hangWithoutTimer = (): Promise<Response> => new Promise<Response>(() => undefined);

function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

describe('timeouts', () => {
  it('rejects with TimeoutError when one attempt takes longer than timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    countRequests(neverAnswer);

    const pending = rejectionOf(
      createTransport(transportOptions({ timeout: 100, maxRetries: 0 })).request(getJob),
    );
    await vi.advanceTimersByTimeAsync(100);
    const error = await pending;

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'timeout', scope: 'attempt', timeoutMs: 100 });
  });

  it("uses a call's timeout over the transport's", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    countRequests(neverAnswer);

    const pending = rejectionOf(
      createTransport(transportOptions({ timeout: 10_000, maxRetries: 0 })).request({
        ...getJob,
        timeout: 30,
      }),
    );
    await vi.advanceTimersByTimeAsync(30);

    expect(await pending).toMatchObject({ scope: 'attempt', timeoutMs: 30 });
  });

  it('retries an idempotent request whose attempt timed out', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const requests = countRequests((index) => (index === 0 ? neverAnswer() : ok()));

    const pending = createTransport(transportOptions({ timeout: 100 })).request(getJob);
    await vi.advanceTimersByTimeAsync(200);
    const response = await pending;

    expect(requests.count).toBe(2);
    expect(response.status).toBe(200);
  });

  it('rejects with a deadline TimeoutError when the deadline passes across retries', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const requests = countRequests(async () => {
      await delay(100);
      return unavailable();
    });

    const pending = rejectionOf(
      createTransport(
        transportOptions({
          maxRetries: 10,
          deadline: 250,
          retryDelay: { initialMs: 10, maxMs: 10 },
          random: () => 0.5,
        }),
      ).request(getJob),
    );
    await vi.advanceTimersByTimeAsync(250);
    const error = await pending;

    // Attempts start at 0, 105 and 210 ms; the third is cut short by the deadline at 250 ms.
    expect(requests.count).toBe(3);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'deadline_exceeded', scope: 'deadline', timeoutMs: 250 });
  });

  it('throws the last error at once when the next backoff would end after the deadline', async () => {
    const requests = countRequests(() =>
      HttpResponse.json(errorBody(503, 'later', 'injected_fault'), {
        status: 503,
        headers: { 'Retry-After': '30' },
      }),
    );
    const startedAt = Date.now();

    const error = await rejectionOf(
      createTransport(transportOptions({ deadline: 5_000 })).request(getJob),
    );

    expect(error).toBeInstanceOf(InternalServerError);
    expect(requests.count).toBe(1);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });

  // Counting the process's active timers was flaky: vitest's runner keeps a throttled 100 ms
  // report timer of its own that may be pending when a test starts and gone when it ends. Fake
  // timers count only the timers created during the test.
  it('leaves no timer behind after a timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    countRequests(hangWithoutTimer);

    const pending = rejectionOf(
      createTransport(transportOptions({ timeout: 20, deadline: 60_000, maxRetries: 0 })).request(
        getJob,
      ),
    );
    await vi.advanceTimersByTimeAsync(20);

    expect(await pending).toBeInstanceOf(TimeoutError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer behind after a timeout of a call without a signal or deadline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    countRequests(hangWithoutTimer);

    const pending = rejectionOf(
      createTransport(transportOptions({ timeout: 20, maxRetries: 0 })).request(getJob),
    );
    await vi.advanceTimersByTimeAsync(20);

    expect(await pending).toMatchObject({ code: 'timeout', scope: 'attempt', timeoutMs: 20 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer and no abort listener behind after a success', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    countRequests(ok);
    const controller = new AbortController();

    await createTransport(transportOptions({ deadline: 60_000 })).request({
      ...getJob,
      signal: controller.signal,
    });

    expect(vi.getTimerCount()).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });
});

describe("the caller's signal", () => {
  it('rejects with AbortError at once when aborted during a request', async () => {
    countRequests(neverAnswer);
    const controller = new AbortController();

    const pending = rejectionOf(
      createTransport(transportOptions()).request({ ...getJob, signal: controller.signal }),
    );
    await vi.waitFor(() => expect(abortListeners(controller.signal)).toBe(1));
    controller.abort();
    const error = await pending;

    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ code: 'aborted', method: 'GET', path: '1.0/job/abc' });
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('rejects at once, leaving no timer, when aborted during a backoff sleep', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const requests = countRequests(() =>
      HttpResponse.json({}, { status: 503, headers: { 'Retry-After': '30' } }),
    );
    const controller = new AbortController();
    let sleeping = false;

    const pending = rejectionOf(
      createTransport(transportOptions({ hooks: { onRetry: () => (sleeping = true) } })).request({
        ...getJob,
        signal: controller.signal,
      }),
    );
    await vi.waitFor(() => expect(sleeping).toBe(true));
    await vi.advanceTimersByTimeAsync(0);
    const timersWhileSleeping = vi.getTimerCount();
    controller.abort();
    const error = await pending;

    expect(timersWhileSleeping).toBe(1);
    expect(error).toBeInstanceOf(AbortError);
    expect(requests.count).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const requests = countRequests(ok);
    const controller = new AbortController();
    controller.abort();

    const error = await rejectionOf(
      createTransport(transportOptions()).request({ ...getJob, signal: controller.signal }),
    );

    expect(error).toBeInstanceOf(AbortError);
    expect(requests.count).toBe(0);
  });

  it('does not retry after the caller aborted', async () => {
    const requests = countRequests(neverAnswer);
    const controller = new AbortController();

    const pending = rejectionOf(
      createTransport(transportOptions({ maxRetries: 5 })).request({
        ...getJob,
        signal: controller.signal,
      }),
    );
    await vi.waitFor(() => expect(requests.count).toBe(1));
    controller.abort();
    await pending;
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(requests.count).toBe(1);
  });

  it('keeps only a scrubbed copy of an error-like abort reason, never the reason itself', async () => {
    countRequests(neverAnswer);
    const controller = new AbortController();
    const reason = Object.assign(new Error('user left; header Bearer REASON-TOKEN'), {
      secret: 'REASON-SECRET',
    });

    const pending = rejectionOf(
      createTransport(transportOptions()).request({ ...getJob, signal: controller.signal }),
    );
    await vi.waitFor(() => expect(abortListeners(controller.signal)).toBe(1));
    controller.abort(reason);
    const error = (await pending) as AbortError;

    expect(error.cause).toEqual({ name: 'Error', message: 'user left; header Bearer [REDACTED]' });
    expect(error.cause).not.toBe(reason);
    expect(JSON.stringify(error)).not.toContain('REASON-SECRET');
  });

  it('keeps no cause for an abort reason that is not error-like', async () => {
    countRequests(ok);
    const controller = new AbortController();
    controller.abort('a string that could be anything');

    const error = (await rejectionOf(
      createTransport(transportOptions()).request({ ...getJob, signal: controller.signal }),
    )) as AbortError;

    expect(error.cause).toBeUndefined();
  });
});
