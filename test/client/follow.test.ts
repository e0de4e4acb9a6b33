import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { JobStatusClient, RequestValidationError } from '../../src/index';
import {
  BASE_URL,
  demoClient,
  envelope,
  respond,
  respondWith,
  sentRequests,
  useMswServer,
  wireJob,
} from './msw-harness';

useMswServer();

function client() {
  return demoClient({ token: 't0k', maxRetries: 0 });
}

/** An event stream that sends `text` and stays open, as a live server does. */
function eventStream(text: string): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
    },
  });
  return new HttpResponse(stream, { headers: { 'Content-Type': 'text/event-stream' } });
}

/** demo's subscription: a 503 on the first attempt, then an open stream with its initial jobs. */
function answerSubscribeAfterOneFailure(): void {
  respondWith('get', '1.0/job/subscribe/demo', (attempt) =>
    attempt === 0
      ? HttpResponse.json({ response_type: 'SERVER_ERROR', error: 'busy' }, { status: 503 })
      : eventStream(`event: initialJobs\nid: 1\ndata: []\n\n`),
  );
}

describe('iterateJobs', () => {
  it('walks every page with the previous page cursor and the same filter body', async () => {
    const calls = respond(
      'post',
      '1.0/job/query',
      {
        body: envelope([wireJob({ job_id: 'a' }), wireJob({ job_id: 'b' })], {
          has_more: true,
          next_cursor: 'c1',
          total_count: 3,
        }),
      },
      { body: envelope([wireJob({ job_id: 'c' })], { has_more: false, total_count: 3 }) },
    );

    const ids: string[] = [];
    for await (const job of client().iterateJobs({ user: 'demo' }, { pageSize: 2 }))
      ids.push(job.jobId);

    expect(ids).toEqual(['a', 'b', 'c']);
    expect(calls.map((call) => call.search)).toEqual(['limit=2', 'limit=2&cursor=c1']);
    expect(calls.map((call) => call.body)).toEqual(['{"user":"demo"}', '{"user":"demo"}']);
  });

  it('refuses a bad filter where the call is written, before iterating', () => {
    expect(() => client().iterateJobs({ status: 'NOPE' as never })).toThrow(RequestValidationError);
    expect(sentRequests()).toHaveLength(0);
  });
});

describe('waitForJob', () => {
  it('resolves with the job once a read shows it succeeded', async () => {
    const calls = respond('get', '1.0/job/abc', {
      body: envelope([wireJob({ job_id: 'abc', status: 'SUCCEEDED' })]),
    });

    const job = await client().waitForJob('abc', { useSubscription: false });

    expect(job.status).toBe('SUCCEEDED');
    expect(calls[0]?.headers['x-user-id']).toBe('demo');
  });

  it('rejects an invalid job id without sending anything', async () => {
    await expect(client().waitForJob('../etc', { useSubscription: false })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    expect(sentRequests()).toHaveLength(0);
  });
});

describe('subscribe', () => {
  it('opens GET 1.0/job/subscribe/{user} with the client headers and maps the initial jobs', async () => {
    const calls = respondWith('get', '1.0/job/subscribe/demo%20user', () =>
      eventStream(
        `event: initialJobs\nid: 4\ndata: ${JSON.stringify([wireJob({ job_id: 'a' })])}\n\n`,
      ),
    );

    const subscription = client().subscribe('demo user');
    const received = await new Promise<string[]>((resolve) => {
      subscription.on('initialJobs', (event) => resolve(event.jobs.map((job) => job.jobId)));
    });
    subscription.close();

    expect(received).toEqual(['a']);
    expect(calls[0]?.headers['x-user-id']).toBe('demo');
    expect(calls[0]?.headers.authorization).toBe('Bearer t0k');
  });

  it('sends extra headers on the stream, but never in place of X-User-Id', async () => {
    const calls = respondWith('get', '1.0/job/subscribe/demo', () =>
      eventStream(`event: initialJobs\nid: 1\ndata: []\n\n`),
    );
    const jss = new JobStatusClient({
      baseURL: BASE_URL,
      user: 'demo',
      headers: { 'x-user-id': 'spoofed', 'X-Trace-Origin': 'nightly' },
    });

    const subscription = jss.subscribe({ user: 'demo' });
    await new Promise<void>((resolve) => subscription.on('initialJobs', () => resolve()));
    subscription.close();

    expect(calls[0]?.headers['x-user-id']).toBe('demo');
    expect(calls[0]?.headers['x-trace-origin']).toBe('nightly');
  });

  it('follows listed jobs through ?job_id=', async () => {
    const calls = respondWith('get', '1.0/job/subscribe?job_id=a&job_id=b%20c', () =>
      eventStream(`event: initialJobs\nid: 1\ndata: []\n\n`),
    );

    const subscription = client().subscribe({ jobIds: ['a', 'b c'] });
    await new Promise<void>((resolve) => subscription.on('initialJobs', () => resolve()));
    subscription.close();

    expect(calls).toHaveLength(1);
  });

  it('reports a reconnect to the logger at the warn level it lets through', async () => {
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    answerSubscribeAfterOneFailure();
    const jss = demoClient({ logger, logLevel: 'warn' });

    const subscription = jss.subscribe('demo', { reconnectDelay: { initialMs: 1, maxMs: 1 } });
    await new Promise<void>((resolve) => subscription.on('initialJobs', () => resolve()));
    subscription.close();

    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^\[job-status-client\] Job subscription .*reconnecting in 1 ms$/),
    );
  });

  it('keeps a reconnect out of the logger when logLevel is error', async () => {
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    answerSubscribeAfterOneFailure();
    const jss = demoClient({ logger, logLevel: 'error' });

    const subscription = jss.subscribe('demo', { reconnectDelay: { initialMs: 1, maxMs: 1 } });
    const events: string[] = [];
    subscription.on('reconnecting', (event) => events.push(event.type));
    await new Promise<void>((resolve) => subscription.on('initialJobs', () => resolve()));
    subscription.close();

    expect(events).toEqual(['reconnecting']);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
