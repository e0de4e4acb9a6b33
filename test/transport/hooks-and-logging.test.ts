import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { createTransport } from '../../src/internal/transport';
import type { AttemptInfo, Logger, RetryInfo } from '../../src/internal/transport';
import type { TransportRequest } from '../../src/internal/transport-types';
import { envelope, errorBody, jssUrl, startMockServer, transportOptions } from './msw-harness';

const server = startMockServer();

const getJob: TransportRequest = { method: 'GET', path: '1.0/job/abc', idempotent: true };

/** A 503 for the first request, then 200; `events` records requests in order. */
function failOnceThenSucceed(events: string[] = []): string[] {
  let requests = 0;
  server.use(
    http.get(jssUrl('1.0/job/abc'), () => {
      requests += 1;
      events.push(`request ${requests}`);
      return requests === 1
        ? HttpResponse.json(errorBody(503, 'try later', 'injected_fault'), { status: 503 })
        : HttpResponse.json(envelope([]));
    }),
  );
  return events;
}

function spyLogger() {
  return {
    debug: vi.fn<Logger['debug']>(),
    info: vi.fn<Logger['info']>(),
    warn: vi.fn<Logger['warn']>(),
    error: vi.fn<Logger['error']>(),
  };
}

describe('hooks', () => {
  it('reports every attempt to onAttempt with its status, error and duration', async () => {
    failOnceThenSucceed();
    const attempts: AttemptInfo[] = [];

    await createTransport(
      transportOptions({ hooks: { onAttempt: (info) => attempts.push(info) } }),
    ).request(getJob);

    expect(attempts).toEqual([
      {
        method: 'GET',
        path: '1.0/job/abc',
        attempt: 1,
        status: 503,
        error: { name: 'InternalServerError', code: 'injected_fault', message: 'try later' },
        durationMs: expect.any(Number),
      },
      {
        method: 'GET',
        path: '1.0/job/abc',
        attempt: 2,
        status: 200,
        durationMs: expect.any(Number),
      },
    ]);
  });

  it('calls onRetry before the sleep that precedes each retry', async () => {
    const events = failOnceThenSucceed();
    const retries: RetryInfo[] = [];

    await createTransport(
      transportOptions({
        random: () => 0.5,
        retryDelay: { initialMs: 4, maxMs: 4 },
        hooks: {
          onRetry: (info) => {
            retries.push(info);
            events.push(`retry ${info.attempt}`);
          },
        },
      }),
    ).request(getJob);

    expect(events).toEqual(['request 1', 'retry 1', 'request 2']);
    expect(retries).toEqual([
      {
        method: 'GET',
        path: '1.0/job/abc',
        attempt: 1,
        delayMs: 2,
        reason: 'HTTP 503 injected_fault',
      },
    ]);
  });

  it('reports the path without the query string', async () => {
    server.use(http.post(jssUrl('1.0/job/changes'), () => HttpResponse.json(envelope([]))));
    const attempts: AttemptInfo[] = [];

    await createTransport(
      transportOptions({ hooks: { onAttempt: (info) => attempts.push(info) } }),
    ).request({ method: 'POST', path: '1.0/job/changes?since=5', body: {}, idempotent: true });

    expect(attempts[0]?.path).toBe('1.0/job/changes');
  });

  it('completes the call when the hooks throw', async () => {
    failOnceThenSucceed();
    const throwing = () => {
      throw new Error('hook bug');
    };

    const response = await createTransport(
      transportOptions({ hooks: { onAttempt: throwing, onRetry: throwing } }),
    ).request(getJob);

    expect(response.status).toBe(200);
  });

  it('logs a failing hook as a warning instead of failing the call', async () => {
    failOnceThenSucceed();
    const logger = spyLogger();

    await createTransport(
      transportOptions({
        logger,
        logLevel: 'warn',
        hooks: {
          onRetry: () => {
            throw new TypeError('hook bug');
          },
        },
      }),
    ).request(getJob);

    expect(logger.warn).toHaveBeenCalledWith(
      '[job-status-client] the onRetry hook failed (ignored): TypeError: hook bug',
    );
  });

  it('swallows the rejection of an async hook', async () => {
    failOnceThenSucceed();
    const logger = spyLogger();

    await createTransport(
      transportOptions({
        logger,
        logLevel: 'warn',
        hooks: { onAttempt: (() => Promise.reject(new Error('async hook bug'))) as () => void },
      }),
    ).request(getJob);
    await vi.waitFor(() =>
      expect(logger.warn).toHaveBeenCalledWith(
        '[job-status-client] the onAttempt hook failed (ignored): Error: async hook bug',
      ),
    );
  });
});

describe('logging', () => {
  it('logs one debug line per attempt and one warning per retry', async () => {
    failOnceThenSucceed();
    const logger = spyLogger();

    await createTransport(
      transportOptions({
        logger,
        logLevel: 'debug',
        random: () => 0.5,
        retryDelay: { initialMs: 4, maxMs: 4 },
      }),
    ).request(getJob);

    expect(logger.debug.mock.calls.map(([line]) => line)).toEqual([
      expect.stringMatching(
        /^\[job-status-client\] GET 1\.0\/job\/abc attempt 1: InternalServerError injected_fault: try later in \d+ ms$/,
      ),
      expect.stringMatching(/^\[job-status-client\] GET 1\.0\/job\/abc attempt 2: 200 in \d+ ms$/),
    ]);
    expect(logger.warn.mock.calls).toEqual([
      [
        '[job-status-client] GET 1.0/job/abc: attempt 1 of 3 failed (HTTP 503 injected_fault); retrying in 2 ms',
      ],
    ]);
    expect(logger.info).not.toHaveBeenCalled();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('leaves out lines below logLevel', async () => {
    failOnceThenSucceed();
    const logger = spyLogger();

    await createTransport(transportOptions({ logger, logLevel: 'warn' })).request(getJob);

    expect(logger.debug).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('logs nothing at logLevel silent', async () => {
    failOnceThenSucceed();
    const logger = spyLogger();

    await createTransport(transportOptions({ logger, logLevel: 'silent' })).request(getJob);

    for (const method of [logger.debug, logger.info, logger.warn, logger.error]) {
      expect(method).not.toHaveBeenCalled();
    }
  });

  it('completes the call when the logger throws', async () => {
    failOnceThenSucceed();
    const broken = () => {
      throw new Error('logger bug');
    };

    const response = await createTransport(
      transportOptions({
        logger: { debug: broken, info: broken, warn: broken, error: broken },
        logLevel: 'debug',
      }),
    ).request(getJob);

    expect(response.status).toBe(200);
  });
});
