import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  ApiError,
  JobFailedError,
  NotFoundError,
  TimeoutError,
} from '../../src/errors';
import type { FollowContext } from '../../src/follow';
import { waitForJob } from '../../src/follow';
import type { CallOptions } from '../../src/internal/transport-types';
import type { Job } from '../../src/schemas';
import {
  BASE_URL,
  createTestEventStream,
  decodeTestJob,
  EVENT_STREAM_HEADERS,
  makeContext,
  sseEvent,
  until,
  wireJob,
} from './support';
import type { TestEventStream } from './support';

const JOBS_STREAM = `${BASE_URL}1.0/job/subscribe`;
const T1 = '2019-06-18T15:31:45.610+0000';
const T2 = '2019-06-18T15:40:00.000+0000';
const T3 = '2019-06-18T15:50:00.000+0000';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

function job(status: string, modified = T1): Job {
  return decodeTestJob(wireJob('job-1', status, modified));
}

/** Serves one event stream for every subscription and records the URLs asked for. */
function serveStream(stream: TestEventStream, urls: string[] = []): string[] {
  server.use(
    http.get(JOBS_STREAM, ({ request }) => {
      urls.push(request.url);
      return new HttpResponse(stream.body, { headers: EVENT_STREAM_HEADERS });
    }),
  );
  return urls;
}

type GetJob = (jobId: string, options?: CallOptions) => Promise<Job>;

function contextWith(getJob: GetJob): FollowContext {
  return makeContext({ getJob: vi.fn(getJob) });
}

function signalOfFirstRead(ctx: FollowContext): AbortSignal | undefined {
  return vi.mocked(ctx.getJob).mock.calls[0]?.[1]?.signal;
}

function notFound(): ApiError {
  return ApiError.from(
    404,
    { response_type: 'CLIENT_ERROR', error: 'Job not found', code: 'not_found' },
    {},
    { method: 'GET', path: '1.0/job/job-1' },
  );
}

describe('waitForJob', () => {
  it('resolves with the job when SUCCEEDED arrives through the stream', async () => {
    const stream = createTestEventStream(
      sseEvent('initialJobs', 10, [wireJob('job-1', 'WORKING')]),
    );
    const urls = serveStream(stream);
    const ctx = contextWith(() => Promise.resolve(job('WORKING')));
    const seen: string[] = [];

    const waiting = waitForJob(ctx, 'job-1', { onUpdate: (update) => seen.push(update.status) });
    await until(() => seen.length >= 1 && vi.mocked(ctx.getJob).mock.calls.length === 1);
    stream.send(sseEvent('jobUpdate', 11, wireJob('job-1', 'SUCCEEDED', T2)));

    await expect(waiting).resolves.toEqual(job('SUCCEEDED', T2));
    expect(seen).toEqual(['WORKING', 'SUCCEEDED']);
    expect(urls).toEqual([`${JOBS_STREAM}?job_id=job-1`]);
    expect(vi.mocked(ctx.getJob).mock.calls[0]?.[0]).toBe('job-1');
    expect(signalOfFirstRead(ctx)?.aborted).toBe(true);
  });

  it('rejects with JobFailedError naming FAILED when the job fails', async () => {
    const stream = createTestEventStream(
      sseEvent('initialJobs', 10, [wireJob('job-1', 'WORKING')]),
    );
    serveStream(stream);
    const ctx = contextWith(() => Promise.resolve(job('WORKING')));

    const waiting = waitForJob(ctx, 'job-1');
    await until(() => vi.mocked(ctx.getJob).mock.calls.length === 1);
    stream.send(sseEvent('jobUpdate', 11, wireJob('job-1', 'FAILED', T2)));
    const failure = await waiting.catch((error: unknown) => error);

    expect(JobFailedError.is(failure)).toBe(true);
    expect(failure).toMatchObject({ status: 'FAILED', job: job('FAILED', T2) });
    expect((failure as Error).message).toContain('FAILED');
  });

  it('keeps waiting through a status it does not know', async () => {
    const stream = createTestEventStream(
      sseEvent('initialJobs', 10, [wireJob('job-1', 'PAUSED_BY_OPERATOR')]),
    );
    serveStream(stream);
    const ctx = contextWith(() => Promise.resolve(job('PAUSED_BY_OPERATOR')));
    const seen: string[] = [];

    const waiting = waitForJob(ctx, 'job-1', { onUpdate: (update) => seen.push(update.status) });
    await until(() => seen.length >= 1);
    stream.send(sseEvent('jobUpdate', 11, wireJob('job-1', 'SUCCEEDED', T2)));

    await expect(waiting).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect(seen).toEqual(['PAUSED_BY_OPERATOR', 'SUCCEEDED']);
  });

  it('rejects with TimeoutError at its timeout and leaves no timer', async () => {
    const stream = createTestEventStream(
      sseEvent('initialJobs', 10, [wireJob('job-1', 'WORKING')]),
    );
    serveStream(stream);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const ctx = contextWith(() => Promise.resolve(job('WORKING')));

    const waiting = waitForJob(ctx, 'job-1', { timeout: 5000 });
    const outcome = waiting.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(4999);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const failure = await outcome;

    expect(TimeoutError.is(failure)).toBe(true);
    expect(failure).toMatchObject({ timeoutMs: 5000 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with AbortError when the signal aborts and cancels its read', async () => {
    const stream = createTestEventStream(
      sseEvent('initialJobs', 10, [wireJob('job-1', 'WORKING')]),
    );
    serveStream(stream);
    // A read that never answers: only the abort can end the wait.
    const ctx = contextWith(() => new Promise<Job>(() => undefined));
    const controller = new AbortController();

    const waiting = waitForJob(ctx, 'job-1', { signal: controller.signal });
    await until(() => vi.mocked(ctx.getJob).mock.calls.length === 1);
    controller.abort();

    await expect(waiting).rejects.toSatisfy((error) => AbortError.is(error));
    expect(signalOfFirstRead(ctx)?.aborted).toBe(true);
  });

  it('rejects with AbortError at once when the signal has already aborted', async () => {
    const ctx = contextWith(() => Promise.resolve(job('WORKING')));

    await expect(waitForJob(ctx, 'job-1', { signal: AbortSignal.abort() })).rejects.toSatisfy(
      (error) => AbortError.is(error),
    );
    expect(ctx.getJob).not.toHaveBeenCalled();
  });

  it('rejects with NotFoundError when the job is deleted while waiting', async () => {
    const stream = createTestEventStream(
      sseEvent('initialJobs', 10, [wireJob('job-1', 'WORKING')]),
    );
    serveStream(stream);
    const ctx = contextWith(() => Promise.resolve(job('WORKING')));

    const waiting = waitForJob(ctx, 'job-1');
    await until(() => vi.mocked(ctx.getJob).mock.calls.length === 1);
    stream.send(sseEvent('jobDelete', 11, { job_id: 'job-1', user: 'demo' }));
    const failure = await waiting.catch((error: unknown) => error);

    expect(NotFoundError.is(failure)).toBe(true);
    expect(failure).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('rejects with NotFoundError when reading the job answers 404', async () => {
    serveStream(createTestEventStream(sseEvent('initialJobs', 10, [])));
    const ctx = contextWith(() => Promise.reject(notFound()));

    await expect(waitForJob(ctx, 'job-1')).rejects.toSatisfy((error) => NotFoundError.is(error));
  });

  it('falls back to polling when the subscribe endpoint answers 404', async () => {
    let streamRequests = 0;
    server.use(
      http.get(JOBS_STREAM, () => {
        streamRequests += 1;
        return HttpResponse.json(
          { response_type: 'CLIENT_ERROR', error: 'Not found', code: 'not_found' },
          { status: 404 },
        );
      }),
    );
    const states = [job('WAITING'), job('WORKING', T2), job('SUCCEEDED', T3)];
    const ctx = contextWith(() => Promise.resolve(states.shift() ?? job('FAILED', T3)));

    const finished = await waitForJob(ctx, 'job-1', { pollInterval: { initialMs: 1, maxMs: 2 } });

    expect(finished).toEqual(job('SUCCEEDED', T3));
    expect(ctx.getJob).toHaveBeenCalledTimes(3);
    expect(streamRequests).toBe(1);
  });

  it('polls every 500 ms, doubling, when told not to subscribe, and clears its timers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const states = [job('WAITING'), job('WORKING', T2), job('WORKING', T2), job('SUCCEEDED', T3)];
    const ctx = contextWith(() => Promise.resolve(states.shift() ?? job('FAILED', T3)));
    const reads = () => vi.mocked(ctx.getJob).mock.calls.length;

    const waiting = waitForJob(ctx, 'job-1', { useSubscription: false, timeout: 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(reads()).toBe(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(reads()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(reads()).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads()).toBe(3);
    await vi.advanceTimersByTimeAsync(2000);

    await expect(waiting).resolves.toEqual(job('SUCCEEDED', T3));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the error of a subscription refused with 401', async () => {
    server.use(
      http.get(JOBS_STREAM, () =>
        HttpResponse.json(
          { response_type: 'CLIENT_ERROR', error: 'Bad token', code: 'unauthorized' },
          { status: 401 },
        ),
      ),
    );
    const ctx = contextWith(() => new Promise<Job>(() => undefined));

    await expect(waitForJob(ctx, 'job-1')).rejects.toMatchObject({
      name: 'AuthenticationError',
      status: 401,
    });
  });

  it('refuses an invalid job id without reading anything', async () => {
    const ctx = contextWith(() => Promise.resolve(job('WORKING')));

    await expect(waitForJob(ctx, '../x')).rejects.toThrow(/jobId: .*path traversal/);
    expect(ctx.getJob).not.toHaveBeenCalled();
  });
});
