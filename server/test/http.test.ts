import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, ChangeHub, startServer, type RunningServer } from '../src/index';
import type { Db } from '../src/store/db';
import { apiClient, authorizationFor, uniqueUser, useTestDatabase } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});
const client = (url = () => server.url) => apiClient(url, uniqueUser('http'));

describe('health', () => {
  it('answers ok without an envelope', async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('unknown routes', () => {
  it('answers 404 not_found in the error envelope', async () => {
    const answer = await client().call('GET', '1.0/nothing/here');
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ response_type: 'CLIENT_ERROR', code: 'not_found' });
  });
});

describe('request ids', () => {
  it('echoes a well-formed X-Request-Id in the header and the error body', async () => {
    const answer = await client().call('GET', '1.0/job/missing', undefined, {
      'X-Request-Id': 'trace-42.a:b',
    });
    expect(answer.headers.get('X-Request-Id')).toBe('trace-42.a:b');
    expect(answer.body.request_id).toBe('trace-42.a:b');
  });

  it.each([
    ['spaces', 'not an id'],
    ['129 characters', 'a'.repeat(129)],
  ])('replaces an X-Request-Id with %s by a fresh one', async (_label, incoming) => {
    const answer = await client().call('GET', '1.0/job/missing', undefined, {
      'X-Request-Id': incoming,
    });
    const id = answer.headers.get('X-Request-Id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.body.request_id).toBe(id);
  });

  it('gives every response its own id', async () => {
    const api = client();
    const ids = await Promise.all(
      [api.create({}), api.get('x'), fetch(`${server.url}/health`)].map(async (pending) =>
        (await pending).headers.get('X-Request-Id'),
      ),
    );
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(3);
  });

  it('logs one JSON line per request with its time, id, user, method, path, status and ms', async () => {
    const lines: string[] = [];
    const logged = await database.server({ logger: (line) => lines.push(line) });
    await client(() => logged.url).call('GET', '1.0/job/missing', undefined, {
      'X-Request-Id': 'log-me',
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      request_id: 'log-me',
      user: expect.any(String),
      method: 'GET',
      path: '/jss/1.0/job/missing',
      status: 404,
      ms: expect.any(Number),
    });
  });
});

describe('errors', () => {
  it('answers 500 internal without leaking what went wrong, and logs it', async () => {
    const secret = 'password=hunter2';
    const broken: Db = {
      engine: 'pglite',
      query: () => Promise.reject(new Error(`connection failed: ${secret}`)),
      transaction: () => Promise.reject(new Error(`connection failed: ${secret}`)),
      listen: async () => async () => {},
      close: async () => {},
    };
    const lines: string[] = [];
    const running = await startServer({
      port: 0,
      store: { db: broken, channel: 'jss_jobs' },
      // No token lookup: the broken database must be met by the job read itself.
      auth: 'none',
      logger: (line) => lines.push(line),
    });
    try {
      const answer = await client(() => running.url).get('any');
      expect(answer.status).toBe(500);
      expect(answer.body).toMatchObject({
        response_type: 'SERVER_ERROR',
        code: 'internal',
        error: 'Internal server error',
      });
      expect(JSON.stringify(answer.body)).not.toContain(secret);
      expect(lines.some((line) => line.includes(secret))).toBe(true);
    } finally {
      await running.close();
    }
  });
});

describe('body limit', () => {
  it('answers 413 payload_too_large for a body over the limit', async () => {
    const small = await database.server({ bodyLimitBytes: 1000 });
    const answer = await client(() => small.url).create({
      service_fields: { blob: 'x'.repeat(2000) },
    });
    expect(answer.status).toBe(413);
    expect(answer.body.code).toBe('payload_too_large');
  });

  it('answers 413 for a streamed body without a length', async () => {
    const small = await database.server({ bodyLimitBytes: 1000 });
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(JSON.stringify({ user: 'u', job_name: 'x'.repeat(3000) })),
        );
        controller.close();
      },
    });
    const response = await fetch(`${small.url}/1.0/job/`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(await authorizationFor(small.url, uniqueUser('stream'))),
      },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('accepts a body just under the limit', async () => {
    const small = await database.server({ bodyLimitBytes: 1000 });
    const api = client(() => small.url);
    const answer = await api.create({ job_name: 'x'.repeat(900 - api.user.length) });
    expect(answer.status).toBe(201);
  });
});

describe('CORS', () => {
  const preflight = (url: string, origin: string) =>
    fetch(`${url}/1.0/job/abc`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'content-type,x-user-id,idempotency-key',
      },
    });

  it('allows no browser origin by default', async () => {
    const response = await preflight(server.url, 'https://anywhere.example');
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(response.headers.get('Access-Control-Allow-Methods')).toBeNull();
  });

  it('answers a preflight from any origin when told to allow *', async () => {
    const open = await database.server({ corsOrigins: '*' });
    const response = await preflight(open.url, 'https://anywhere.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(response.headers.get('Access-Control-Allow-Methods')).toContain('PATCH');
    const allowed = response.headers.get('Access-Control-Allow-Headers')!.toLowerCase().split(',');
    expect(allowed).toEqual(
      expect.arrayContaining([
        'x-user-id',
        'authorization',
        'idempotency-key',
        'content-type',
        'last-event-id',
      ]),
    );
  });

  it('exposes X-Request-Id to browser code of an allowed origin', async () => {
    const open = await database.server({ corsOrigins: ['https://app.example'] });
    const response = await fetch(`${open.url}/health`, {
      headers: { Origin: 'https://app.example' },
    });
    expect(response.headers.get('Access-Control-Expose-Headers')).toContain('X-Request-Id');
  });

  it('allows only the configured origins when given', async () => {
    const strict = await database.server({ corsOrigins: ['https://app.example'] });
    const allowed = await preflight(strict.url, 'https://app.example');
    const refused = await preflight(strict.url, 'https://evil.example');
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
    expect(refused.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('fault injection', () => {
  it('answers 503 injected_fault to every API request at rate 1, and changes nothing', async () => {
    const faulty = await database.server({ faults: { failureRate: 1 } });
    const user = uniqueUser('faulty');
    const answer = await apiClient(() => faulty.url, user).create({ job_id: `f-${user}` });
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ response_type: 'SERVER_ERROR', code: 'injected_fault' });
    expect((await apiClient(() => server.url, user).get(`f-${user}`)).status).toBe(404);
  });

  it('never faults health or the subscription', async () => {
    const faulty = await database.server({ faults: { failureRate: 1 } });
    expect((await fetch(`${faulty.url}/health`)).status).toBe(200);
    const controller = new AbortController();
    const user = uniqueUser();
    const response = await fetch(`${faulty.url}/1.0/job/subscribe/${user}`, {
      headers: await authorizationFor(faulty.url, user),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    controller.abort();
  });

  it('faults the given share of requests', async () => {
    // Pinned randomness: every third draw is below the rate.
    let draw = 0;
    const random = () => (draw++ % 3 === 0 ? 0.1 : 0.9);
    const hub = await ChangeHub.start(database.store, () => {});
    const app = createApp(
      { store: database.store, hub },
      { faults: { failureRate: 0.3 }, random, logger: false, auth: 'none' },
    );
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await app.request('/jss/1.0/job/missing')).status);
    await hub.close();
    expect(statuses.filter((status) => status === 503)).toHaveLength(3);
    expect(statuses.filter((status) => status === 404)).toHaveLength(6);
  });

  it('commits a write and then drops the connection without an answer', async () => {
    const lines: string[] = [];
    const dropping = await database.server({
      faults: { dropAfterCommitRate: 1 },
      logger: (line) => lines.push(line),
    });
    const user = uniqueUser('dropped');
    const jobId = `d-${user}`;
    await expect(apiClient(() => dropping.url, user).create({ job_id: jobId })).rejects.toThrow();
    const stored = await apiClient(() => server.url, user).get(jobId);
    expect(stored.status).toBe(200);
    expect(lines.join('\n')).toContain('dropped');
  });

  it('does not drop reads', async () => {
    const dropping = await database.server({ faults: { dropAfterCommitRate: 1 } });
    const answer = await client(() => dropping.url).query({ user: 'nobody' });
    expect(answer.status).toBe(200);
  });

  it('delays each request by the configured latency', async () => {
    const slow = await database.server({ faults: { latencyMs: [150, 150] } });
    const started = performance.now();
    await client(() => slow.url).get('x');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('graceful close', () => {
  it('finishes a request in flight and keeps its write, then refuses new connections', async () => {
    const closing = await database.server({ faults: { latencyMs: [300, 300] } });
    const user = uniqueUser('closing');
    const api = apiClient(() => closing.url, user);
    const pending = api.create({ job_id: `c-${user}` });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await closing.close();
    expect((await pending).status).toBe(201);
    expect((await apiClient(() => server.url, user).get(`c-${user}`)).status).toBe(200);
    await expect(fetch(`${closing.url}/health`)).rejects.toThrow();
  });

  it('resolves close() more than once', async () => {
    const own = await database.server();
    await own.close();
    await expect(own.close()).resolves.toBeUndefined();
  });
});
