// Shared by the client tests: an msw server that refuses unhandled requests, records every request
// it sees (handled or not, so "nothing was sent" can be asserted), and builds wire fixtures.
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { JobStatusClient, type ClientOptions } from '../../src/index';

export const ORIGIN = 'http://jss.test:8080';
export const BASE_URL = `${ORIGIN}/jss`;

/** What a test asserts about one request. */
export interface CapturedRequest {
  method: string;
  /** The path as sent, percent-encoding kept (`/jss/1.0/job/a%20b`). */
  path: string;
  /** The raw query string, without `?`. */
  search: string;
  headers: Record<string, string>;
  /** The body exactly as sent ('' when none). */
  body: string;
}

const server = setupServer();
const seen: CapturedRequest[] = [];

async function capture(request: Request): Promise<CapturedRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return {
    method: request.method,
    path: url.pathname,
    search: url.search.replace(/^\?/, ''),
    headers,
    body: await request.clone().text(),
  };
}

server.events.on('request:start', ({ request }) => {
  // Recorded synchronously in arrival order; the body is filled in once read.
  const entry: CapturedRequest = {
    method: request.method,
    path: '',
    search: '',
    headers: {},
    body: '',
  };
  seen.push(entry);
  void capture(request).then((captured) => Object.assign(entry, captured));
});

/** The msw server of the calling test file, for handlers outside the base URL. */
export function mswServer(): typeof server {
  return server;
}

/** Starts msw for the calling test file. */
export function useMswServer(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    seen.length = 0;
  });
  afterAll(() => server.close());
}

/** Every request msw saw in this test, handled or not. */
export function sentRequests(): CapturedRequest[] {
  return seen;
}

type Method = 'get' | 'post' | 'patch' | 'delete';

/** A reply for a handler: a status and a JSON body (or an array of them, one per attempt). */
export interface Reply {
  status?: number;
  body?: JsonBodyType;
  headers?: Record<string, string>;
}

/**
 * Answers `method path` (path relative to `/jss/`, as sent, e.g. `1.0/job/a%20b`; the query string
 * is not compared unless `path` has one) with `replies`
 * in turn (the last one repeats), and records what each attempt sent.
 */
export function respond(method: Method, path: string, ...replies: Reply[]): CapturedRequest[] {
  return respondWith(method, path, (attempt) => {
    const reply = replies[Math.min(attempt, replies.length - 1)] ?? {};
    return HttpResponse.json(reply.body ?? null, {
      status: reply.status ?? 200,
      headers: reply.headers,
    });
  });
}

/** Like {@link respond}, with a response built by `reply(attempt)` (0 for the first). */
export function respondWith(
  method: Method,
  path: string,
  reply: (attempt: number) => Response,
): CapturedRequest[] {
  const captured: CapturedRequest[] = [];
  // msw matches decoded paths; the raw one is compared here so that encoding is asserted too.
  server.use(
    http[method](`${BASE_URL}/*`, async ({ request }) => {
      const entry = await capture(request);
      // `path` may include the query string, for endpoints whose query identifies them.
      const target = `/jss/${path}`;
      if (entry.path !== target && `${entry.path}?${entry.search}` !== target) return undefined;
      captured.push(entry);
      return reply(captured.length - 1);
    }),
  );
  return captured;
}

/** The legacy time form the server writes. */
export const CREATED = '2019-06-18T15:31:45.610+0000';
export const MODIFIED = '2019-06-18T15:32:00.000+0000';

/** A complete job in its wire form; override any field. */
export function wireJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    job_id: 'f55dd53883a44cdaa6eff884a6b5266b',
    user: 'demo',
    status: 'WAITING',
    job_name: 'Dinner',
    service: 'diner-service',
    current_host: 'dev-aics-lhp-001',
    current_stage: 'started',
    origination_host: 'kitchen',
    parent_id: null,
    child_ids: ['a0eaf0d41db848c8be5802432de327b9'],
    update_parent: false,
    service_fields: { guest_name: 'goofy' },
    created: CREATED,
    modified: MODIFIED,
    ...overrides,
  };
}

/** A success envelope around `data`. */
export function envelope(
  data: unknown[],
  extra: Record<string, unknown> = {},
): Record<string, JsonBodyType> {
  return {
    response_type: 'SUCCESS',
    data: data as JsonBodyType,
    total_count: data.length,
    offset: 0,
    ...(extra as Record<string, JsonBodyType>),
  };
}

/** Options that make retries instant in tests. */
export const FAST_RETRIES = { retryDelay: { initialMs: 1, maxMs: 1 } } as const;

/** A client of user `demo` on the msw server's base URL; `options` add to or replace those. */
export function demoClient(options: Partial<ClientOptions> = {}): JobStatusClient {
  return new JobStatusClient({ baseURL: BASE_URL, user: 'demo', ...options });
}
