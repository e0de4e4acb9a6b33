import { describe, expect, it } from 'vitest';
import { RequestValidationError, type LogLevel } from '../../src/index';
import {
  demoClient,
  envelope,
  FAST_RETRIES,
  MODIFIED,
  respond,
  sentRequests,
  useMswServer,
  wireJob,
} from './msw-harness';

useMswServer();

const HEX_32 = /^[0-9a-f]{32}$/;

function client(options: { serviceFieldKeys?: 'verbatim' } = {}) {
  return demoClient({ ...FAST_RETRIES, ...options });
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(RequestValidationError);
  return error as Error;
}

describe('reportProgress', () => {
  it('posts {completed, total} to 1.0/job/{jobId}/progress', async () => {
    const calls = respond('post', '1.0/job/abc/progress', {
      body: envelope([wireJob({ progress: { completed: 30, total: 120, percent: 25 } })]),
    });

    const job = await client().reportProgress('abc', 30, 120);

    expect(calls[0]?.body).toBe('{"completed":30,"total":120}');
    expect(calls[0]?.search).toBe('');
    expect(calls[0]?.headers['x-user-id']).toBe('demo');
    expect(calls[0]?.headers['content-type']).toBe('application/json');
    expect(calls[0]?.headers['idempotency-key']).toBeUndefined();
    expect(job.progress).toEqual({ completed: 30, total: 120, percent: 25 });
  });

  it.each([
    [5, 3, 'progress.completed', 'must be <= total'],
    [-1, 3, 'progress.completed', '>= 0'],
    [1, 0, 'progress.total', '> 0'],
    [Number.NaN, 3, 'progress.completed', 'number'],
    [1, Number.POSITIVE_INFINITY, 'progress.total', 'number'],
  ])(
    'refuses completed=%s total=%s naming %s, and sends nothing',
    async (completed, total, field, rule) => {
      const error = await refusal(client().reportProgress('abc', completed, total));

      expect(error.message).toContain(`${field}:`);
      expect(error.message).toContain(rule);
      expect(sentRequests()).toHaveLength(0);
    },
  );
});

describe('log', () => {
  it('posts {level, message} with the info level by default and an Idempotency-Key', async () => {
    const calls = respond('post', '1.0/job/abc/logs', {
      body: envelope([wireJob({ logs: [{ time: MODIFIED, level: 'info', message: 'started' }] })]),
    });

    const job = await client().log('abc', 'started');

    expect(calls[0]?.body).toBe('{"level":"info","message":"started"}');
    expect(calls[0]?.headers['idempotency-key']).toMatch(HEX_32);
    expect(calls[0]?.headers['content-type']).toBe('application/json');
    expect(job.logs?.[0]?.time).toEqual(new Date('2019-06-18T15:32:00.000Z'));
  });

  it('sends the level and the data, keys converted like service fields', async () => {
    const calls = respond('post', '1.0/job/abc/logs', { body: envelope([wireJob()]) });

    await client().log('abc', 'copied', {
      level: 'success',
      data: { fileCount: 3, at: new Date('2024-05-06T07:08:09.000Z') },
    });

    expect(calls[0]?.body).toBe(
      '{"level":"success","message":"copied","data":{"file_count":3,"at":"2024-05-06T07:08:09.000Z"}}',
    );
  });

  it('sends data keys verbatim in verbatim mode', async () => {
    const calls = respond('post', '1.0/job/abc/logs', { body: envelope([wireJob()]) });

    await client({ serviceFieldKeys: 'verbatim' }).log('abc', 'copied', { data: { fileCount: 3 } });

    expect(calls[0]?.body).toBe('{"level":"info","message":"copied","data":{"fileCount":3}}');
  });

  it.each([
    ['', {}, 'log.message', 'must not be empty'],
    ['x'.repeat(10_001), {}, 'log.message', '10000'],
    ['ok', { level: 'debug' }, 'log.level', 'must be one of info, success, warning, danger'],
    ['ok', { data: { f: Symbol('s') } }, 'log.data.f', 'JSON'],
  ])('refuses message %#, naming %s, and sends nothing', async (message, options, field, rule) => {
    const error = await refusal(
      client().log('abc', message, options as { level?: LogLevel; data?: unknown }),
    );

    expect(error.message).toContain(`${field}:`);
    expect(error.message).toContain(rule);
    expect(sentRequests()).toHaveLength(0);
  });
});
