// Shared by the testing kit's tests: one msw server per test file running the kit's handlers over
// one store (emptied after every test), recording every request exactly as it was sent.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { JobStatusClient, type ClientOptions } from '../../src/index';
import { createJssHandlers, InMemoryJobStore } from '../../src/testing/index';

export const BASE_URL = 'http://jss.test:8080/jss';

/** The store behind the handlers of the calling test file. */
export const store = new InMemoryJobStore();

const server = setupServer(...createJssHandlers({ baseURL: BASE_URL, store }));

/** One request as it went out. */
export interface SentRequest {
  method: string;
  /** Path and query string, percent-encoding kept. */
  url: string;
  headers: Record<string, string>;
  /** The body exactly as sent ('' when none). */
  body: string;
}

const sent: { request: SentRequest; read: Promise<void> }[] = [];

server.events.on('request:start', ({ request }) => {
  const url = new URL(request.url);
  const entry: SentRequest = {
    method: request.method,
    url: `${url.pathname}${url.search}`,
    headers: Object.fromEntries(request.headers.entries()),
    body: '',
  };
  const read = request
    .clone()
    .text()
    .then((body) => {
      entry.body = body;
    });
  sent.push({ request: entry, read });
});

/** Starts msw for the calling test file, refusing any request the kit does not answer. */
export function useJssKit(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    store.clear();
    sent.length = 0;
  });
  afterAll(() => server.close());
}

/** The requests of this test so far, in order, bodies read. */
export async function sentRequests(): Promise<SentRequest[]> {
  await Promise.all(sent.map((entry) => entry.read));
  return sent.map((entry) => entry.request);
}

/** The last request sent with `method`. */
export async function lastRequest(method: string): Promise<SentRequest> {
  const found = (await sentRequests()).filter((request) => request.method === method).at(-1);
  if (found === undefined) throw new Error(`No ${method} request was sent`);
  return found;
}

/** A client of the kit, user `demo`, no retries. */
export function kitClient(options: Partial<ClientOptions> = {}): JobStatusClient {
  return new JobStatusClient({ baseURL: BASE_URL, user: 'demo', maxRetries: 0, ...options });
}

/** A raw request to the kit, for wire-level assertions. */
export function send(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'X-User-Id': 'demo', ...init.headers };
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['Content-Type'] = 'application/json';
  }
  return fetch(`${BASE_URL}/${path}`, { method, headers, body, signal: init.signal });
}

/** The time form the service writes: `2019-06-18T15:31:45.610+0000`. */
export const LEGACY_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
