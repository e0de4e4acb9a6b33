// Shared set-up of the transport's msw tests: one mock server per file, options with fast retries,
// and a record of what reached the server.
import { setupServer } from 'msw/node';
import type { SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { NormalizedTransportOptions } from '../../src/internal/transport';

export const BASE_URL = 'http://jss.test/jss/';

/** The absolute URL of a path relative to the base. */
export function jssUrl(path: string): string {
  return `${BASE_URL}${path}`;
}

/** A mock server that fails the test on any request no handler expects. */
export function startMockServer(): SetupServer {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** Options as the client would normalise them, with retries fast enough for tests. */
export function transportOptions(
  overrides: Partial<NormalizedTransportOptions> = {},
): NormalizedTransportOptions {
  return {
    baseURL: BASE_URL,
    user: 'demo',
    headers: {},
    timeout: 5_000,
    maxRetries: 2,
    retryDelay: { initialMs: 1, maxMs: 4 },
    maxRetryAfterMs: 60_000,
    hooks: {},
    logLevel: 'silent',
    ...overrides,
  };
}

/** What one request looked like on arrival. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Reads a request as the server saw it: method, URL, every header and the body's exact text. */
export async function receive(request: Request): Promise<ReceivedRequest> {
  return {
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers.entries()),
    body: await request.clone().text(),
  };
}

/** The reason `promise` rejects with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** The contract's success envelope. */
export function envelope(data: unknown[]): Record<string, unknown> {
  return { response_type: 'SUCCESS', data, total_count: data.length, offset: 0 };
}

/** The contract's error body. */
export function errorBody(status: number, error: string, code: string): Record<string, unknown> {
  return {
    response_type: status >= 500 ? 'SERVER_ERROR' : 'CLIENT_ERROR',
    error,
    code,
    request_id: `req-${status}`,
  };
}
