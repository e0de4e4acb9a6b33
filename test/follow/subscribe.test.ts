import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthenticationError, ConnectionError, ResponseValidationError } from '../../src/errors';
import type { JobEvent, ReconnectingEvent } from '../../src/follow';
import { subscribe } from '../../src/follow';
import {
  BASE_URL,
  createTestEventStream,
  decodeTestJob,
  EVENT_STREAM_HEADERS,
  makeContext,
  sseEvent,
  wireJob,
} from './support';

const USER_STREAM = `${BASE_URL}1.0/job/subscribe/:user`;
const JOBS_STREAM = `${BASE_URL}1.0/job/subscribe`;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

async function record(request: Request, into: SeenRequest[]): Promise<void> {
  into.push({
    method: request.method,
    url: new URL(request.url),
    headers: request.headers,
    body: await request.text(),
  });
}

/** Answers each connection with the next body in `bodies` (the last one repeats). */
function serveStreams(path: string, bodies: string[], seen: SeenRequest[]): void {
  server.use(
    http.get(path, async ({ request }) => {
      await record(request, seen);
      const text = bodies[Math.min(seen.length - 1, bodies.length - 1)] ?? '';
      const stream = createTestEventStream(text);
      // Every scripted connection ends after its text: a drop, as the client sees it.
      stream.end();
      return new HttpResponse(stream.body, { headers: EVENT_STREAM_HEADERS });
    }),
  );
}

async function take(iterator: AsyncIterator<JobEvent>, count: number): Promise<JobEvent[]> {
  const events: JobEvent[] = [];
  while (events.length < count) {
    const result = await iterator.next();
    if (result.done) break;
    events.push(result.value);
  }
  return events;
}

function dataEvents(events: JobEvent[]): JobEvent[] {
  return events.filter((event) => event.type !== 'open' && event.type !== 'reconnecting');
}

const fastReconnect = { reconnectDelay: { initialMs: 1, maxMs: 1 } };

describe('subscribe', () => {
  it('opens the user stream with the event-stream Accept header and the caller headers', async () => {
    const seen: SeenRequest[] = [];
    const stream = createTestEventStream(sseEvent('initialJobs', 1, []));
    server.use(
      http.get(USER_STREAM, async ({ request }) => {
        await record(request, seen);
        return new HttpResponse(stream.body, { headers: EVENT_STREAM_HEADERS });
      }),
    );
    const subscription = subscribe(makeContext(), { user: 'de mo' });
    await take(subscription[Symbol.asyncIterator](), 2);
    subscription.close();

    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('GET');
    expect(request?.url.pathname).toBe('/jss/1.0/job/subscribe/de%20mo');
    expect(request?.url.search).toBe('');
    expect(request?.headers.get('accept')).toBe('text/event-stream');
    expect(request?.headers.get('x-user-id')).toBe('demo');
    expect(request?.headers.get('authorization')).toBe('Bearer secret-token');
    expect(request?.headers.has('last-event-id')).toBe(false);
    expect(request?.body).toBe('');
  });

  it('asks for the listed jobs with one encoded job_id parameter each', async () => {
    const seen: SeenRequest[] = [];
    const stream = createTestEventStream(sseEvent('initialJobs', 1, []));
    server.use(
      http.get(JOBS_STREAM, async ({ request }) => {
        await record(request, seen);
        return new HttpResponse(stream.body, { headers: EVENT_STREAM_HEADERS });
      }),
    );
    const subscription = subscribe(makeContext(), { jobIds: ['a', 'b&c d'] });
    await take(subscription[Symbol.asyncIterator](), 2);
    subscription.close();

    expect(seen[0]?.url.pathname).toBe('/jss/1.0/job/subscribe');
    expect(seen[0]?.url.search).toBe('?job_id=a&job_id=b%26c%20d');
  });

  it('decodes initialJobs, jobInsert, jobUpdate and jobDelete with Dates', async () => {
    const seen: SeenRequest[] = [];
    const stream = createTestEventStream(
      sseEvent('initialJobs', 41, [wireJob('a', 'WAITING')]) +
        sseEvent('jobInsert', 42, wireJob('b', 'WAITING', '2019-06-18T15:32:00.000+0000')) +
        sseEvent('jobUpdate', 43, wireJob('a', 'WORKING', '2019-06-18T15:33:00.000+0200')) +
        sseEvent('jobDelete', 44, { job_id: 'b', user: 'demo' }),
    );
    server.use(
      http.get(USER_STREAM, async ({ request }) => {
        await record(request, seen);
        return new HttpResponse(stream.body, { headers: EVENT_STREAM_HEADERS });
      }),
    );
    const subscription = subscribe(makeContext(), { user: 'demo' });
    const events = await take(subscription[Symbol.asyncIterator](), 5);
    subscription.close();

    expect(events).toEqual([
      { type: 'open' },
      { type: 'initialJobs', jobs: [decodeTestJob(wireJob('a', 'WAITING'))] },
      {
        type: 'jobInsert',
        job: decodeTestJob(wireJob('b', 'WAITING', '2019-06-18T15:32:00.000+0000')),
      },
      {
        type: 'jobUpdate',
        job: decodeTestJob(wireJob('a', 'WORKING', '2019-06-18T15:33:00.000+0200')),
      },
      { type: 'jobDelete', jobId: 'b', user: 'demo' },
    ]);
    const update = events[3];
    expect(update?.type === 'jobUpdate' && update.job.modified.toISOString()).toBe(
      '2019-06-18T13:33:00.000Z',
    );
    expect(subscription.lastEventId).toBe('44');
  });

  it('reconnects after a drop with Last-Event-ID and receives every event once', async () => {
    const seen: SeenRequest[] = [];
    serveStreams(
      USER_STREAM,
      [
        sseEvent('initialJobs', 41, [wireJob('a', 'WAITING')]) +
          sseEvent('jobInsert', 42, wireJob('b', 'WAITING')),
        sseEvent('jobUpdate', 43, wireJob('a', 'WORKING')) +
          sseEvent('jobDelete', 44, { job_id: 'b', user: 'demo' }),
      ],
      seen,
    );
    const subscription = subscribe(makeContext(), { user: 'demo' }, fastReconnect);
    const events = await take(subscription[Symbol.asyncIterator](), 7);
    subscription.close();

    expect(seen.map((request) => request.headers.get('last-event-id'))).toEqual([null, '42']);
    expect(events.map((event) => event.type)).toEqual([
      'open',
      'initialJobs',
      'jobInsert',
      'reconnecting',
      'open',
      'jobUpdate',
      'jobDelete',
    ]);
    const reconnecting = events[3] as ReconnectingEvent;
    expect(reconnecting.attempt).toBe(1);
    expect(ConnectionError.is(reconnecting.error)).toBe(true);
  });

  it('skips events the server repeats after a reconnect', async () => {
    const seen: SeenRequest[] = [];
    serveStreams(
      USER_STREAM,
      [
        sseEvent('initialJobs', 41, []) + sseEvent('jobInsert', 42, wireJob('b', 'WAITING')),
        sseEvent('jobInsert', 42, wireJob('b', 'WAITING')) +
          sseEvent('jobUpdate', 43, wireJob('b', 'WORKING')),
      ],
      seen,
    );
    const subscription = subscribe(makeContext(), { user: 'demo' }, fastReconnect);
    const events = await take(subscription[Symbol.asyncIterator](), 6);
    subscription.close();

    expect(dataEvents(events)).toEqual([
      { type: 'initialJobs', jobs: [] },
      { type: 'jobInsert', job: decodeTestJob(wireJob('b', 'WAITING')) },
      { type: 'jobUpdate', job: decodeTestJob(wireJob('b', 'WORKING')) },
    ]);
  });

  it("waits the server's retry interval before reconnecting", async () => {
    const seen: SeenRequest[] = [];
    serveStreams(USER_STREAM, [`retry: 40\n\n${sseEvent('initialJobs', 1, [])}`], seen);
    const subscription = subscribe(makeContext(), { user: 'demo' }, fastReconnect);
    const events = await take(subscription[Symbol.asyncIterator](), 3);
    subscription.close();

    expect(events[2]).toMatchObject({ type: 'reconnecting', attempt: 1, delayMs: 40 });
  });

  it('reconnects after a 503 on connect', async () => {
    let requests = 0;
    server.use(
      http.get(USER_STREAM, () => {
        requests += 1;
        if (requests === 1) {
          return HttpResponse.json(
            { response_type: 'SERVER_ERROR', error: 'busy', code: 'injected_fault' },
            { status: 503 },
          );
        }
        const stream = createTestEventStream(sseEvent('initialJobs', 5, []));
        return new HttpResponse(stream.body, { headers: EVENT_STREAM_HEADERS });
      }),
    );
    const subscription = subscribe(makeContext(), { user: 'demo' }, fastReconnect);
    const events = await take(subscription[Symbol.asyncIterator](), 3);
    subscription.close();

    expect(events.map((event) => event.type)).toEqual(['reconnecting', 'open', 'initialJobs']);
    expect(events[0]).toMatchObject({ error: { status: 503, code: 'injected_fault' } });
  });

  it('ends the iteration with the error of a 401 and does not reconnect', async () => {
    let requests = 0;
    server.use(
      http.get(USER_STREAM, () => {
        requests += 1;
        return HttpResponse.json(
          { response_type: 'CLIENT_ERROR', error: 'Bad token', code: 'unauthorized' },
          { status: 401, headers: { 'X-Request-Id': 'req-7' } },
        );
      }),
    );
    const subscription = subscribe(makeContext(), { user: 'demo' }, fastReconnect);
    const failure = await subscription[Symbol.asyncIterator]()
      .next()
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(AuthenticationError.is(failure)).toBe(true);
    expect(failure).toMatchObject({ status: 401, message: 'Bad token', requestId: 'req-7' });
    await expect(subscription.done).rejects.toBe(failure);
    expect(requests).toBe(1);
  });

  it('fails with ResponseValidationError when an event carries malformed JSON', async () => {
    const stream = createTestEventStream('event: jobUpdate\nid: 3\ndata: {"job_id":\n\n');
    server.use(
      http.get(USER_STREAM, () => new HttpResponse(stream.body, { headers: EVENT_STREAM_HEADERS })),
    );
    const subscription = subscribe(makeContext(), { user: 'demo' });
    const iterator = subscription[Symbol.asyncIterator]();
    await take(iterator, 1);

    await expect(iterator.next()).rejects.toSatisfy((error) => ResponseValidationError.is(error));
  });

  it('ends the iteration when the signal aborts mid-stream and delivers nothing after', async () => {
    const stream = createTestEventStream(sseEvent('initialJobs', 1, []));
    server.use(
      http.get(USER_STREAM, () => new HttpResponse(stream.body, { headers: EVENT_STREAM_HEADERS })),
    );
    const controller = new AbortController();
    const subscription = subscribe(makeContext(), { user: 'demo' }, { signal: controller.signal });
    const updates: JobEvent[] = [];
    subscription.on('jobUpdate', (event) => updates.push(event));
    const iterator = subscription[Symbol.asyncIterator]();
    await take(iterator, 2);

    controller.abort();
    stream.send(sseEvent('jobUpdate', 2, wireJob('a', 'WORKING')));

    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
    await expect(subscription.done).resolves.toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(updates).toEqual([]);
  });

  it('clears its reconnect timer when aborted during the wait', async () => {
    server.use(
      http.get(USER_STREAM, () =>
        HttpResponse.json({ response_type: 'SERVER_ERROR', error: 'down' }, { status: 503 }),
      ),
    );
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const controller = new AbortController();
    const subscription = subscribe(
      makeContext(),
      { user: 'demo' },
      { signal: controller.signal, reconnectDelay: { initialMs: 60_000, maxMs: 60_000 } },
    );
    const iterator = subscription[Symbol.asyncIterator]();
    const [first] = await take(iterator, 1);
    expect(first).toMatchObject({ type: 'reconnecting', delayMs: 60_000 });
    expect(vi.getTimerCount()).toBe(1);

    controller.abort();

    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closes the subscription when a for-await loop breaks', async () => {
    const stream = createTestEventStream(sseEvent('initialJobs', 1, []));
    server.use(
      http.get(USER_STREAM, () => new HttpResponse(stream.body, { headers: EVENT_STREAM_HEADERS })),
    );
    const subscription = subscribe(makeContext(), { user: 'demo' });
    for await (const event of subscription) {
      if (event.type === 'initialJobs') break;
    }

    await expect(subscription.done).resolves.toBeUndefined();
  });

  it('calls listeners by type until they are removed', async () => {
    const stream = createTestEventStream(sseEvent('initialJobs', 1, []));
    server.use(
      http.get(USER_STREAM, () => new HttpResponse(stream.body, { headers: EVENT_STREAM_HEADERS })),
    );
    const subscription = subscribe(makeContext(), { user: 'demo' });
    const statuses: string[] = [];
    const off = subscription.on('jobUpdate', (event) => statuses.push(event.job.status));
    const iterator = subscription[Symbol.asyncIterator]();
    await take(iterator, 2);

    stream.send(sseEvent('jobUpdate', 2, wireJob('a', 'WORKING')));
    await take(iterator, 1);
    off();
    stream.send(sseEvent('jobUpdate', 3, wireJob('a', 'SUCCEEDED')));
    await take(iterator, 1);
    subscription.close();

    expect(statuses).toEqual(['WORKING']);
  });

  it('refuses an empty job list before sending anything', () => {
    expect(() => subscribe(makeContext(), { jobIds: [] })).toThrow(
      /jobIds: must list at least one/,
    );
  });
});
