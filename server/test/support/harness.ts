import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type Role, type RunningServer, type ServerOptions } from '../../src/index';
import type { WireJob } from '../../src/store/job-row';
import type { Store } from '../../src/store/store';
import { openTestStore, type TestStore } from './test-store';
import { authorizationFor, registerTestServer } from './tokens';

export {
  adminTokenFor,
  authorizationFor,
  registerTestServer,
  TEST_ADMIN_USER,
  tokenFor,
} from './tokens';

/**
 * One database per test file (tests isolate themselves by user name), and any number of servers
 * on it. Servers started through `server()` are closed after the file.
 */
export function useTestDatabase() {
  let testStore: TestStore | undefined;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    testStore = await openTestStore();
  });
  afterAll(async () => {
    await Promise.all(servers.map((running) => running.close()));
    await testStore?.dispose();
  });

  return {
    get store(): Store {
      if (!testStore) throw new Error('The test database is opened in beforeAll');
      return testStore.store;
    },
    /**
     * Starts a quiet server on a free port, on this file's database. It is registered with the
     * token helpers: `apiClient` and `openEventStream` mint tokens for it behind the scenes.
     */
    async server(options: Omit<ServerOptions, 'store'> = {}): Promise<RunningServer> {
      const running = await startServer({ port: 0, logger: false, ...options, store: this.store });
      servers.push(running);
      return registerTestServer(running);
    },
  };
}

/** A user name no other test uses, so tests can share a database. */
export const uniqueUser = (label = 'user') => `${label}-${randomUUID().slice(0, 8)}`;

/** Every field an answer body can have (success or error envelope). */
export interface Envelope {
  response_type: string;
  data: WireJob[];
  total_count: number;
  offset: number;
  has_more?: boolean;
  next_cursor?: string;
  stamp?: number;
  error?: string;
  code?: string;
  request_id?: string;
}

/** A parsed answer. */
export interface Answer<T = Envelope> {
  status: number;
  headers: Headers;
  body: T;
}

/** The one job of an answer; fails the test with the whole body when there is none. */
export function jobOf(answer: Answer): WireJob {
  const job = answer.body?.data?.[0];
  if (!job) throw new Error(`Expected a job, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return job;
}

/**
 * Requests against one server as one user, the way the SDK sends them: with `X-User-Id`, and
 * with a token of that user (a creator unless `grant` says otherwise) when the server is
 * registered with the token helpers. An explicit `Authorization` header wins.
 */
export function apiClient(
  baseUrl: () => string,
  user: string,
  grant: { role?: Role; services?: readonly string[] } = {},
) {
  async function call<T = Envelope>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const authorization = await authorizationFor(baseUrl(), user, grant.role, grant.services);
    const response = await fetch(`${baseUrl()}/${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        'X-User-Id': user,
        ...authorization,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  }
  return {
    user,
    call,
    create: (job: Record<string, unknown>, headers?: Record<string, string>) =>
      call('POST', '1.0/job/', { user, ...job }, headers),
    get: (jobId: string) => call('GET', `1.0/job/${encodeURIComponent(jobId)}`),
    patch: (jobId: string, body: unknown, headers?: Record<string, string>) =>
      call('PATCH', `1.0/job/${encodeURIComponent(jobId)}`, body, headers),
    query: (filter: unknown, search = '') => call('POST', `1.0/job/query${search}`, filter),
    action: (jobId: string, action: 'abort' | 'retry', headers?: Record<string, string>) =>
      call('POST', `1.0/job/${encodeURIComponent(jobId)}/${action}`, undefined, headers),
    remove: (jobId: string, headers?: Record<string, string>) =>
      call('DELETE', `1.0/job/${encodeURIComponent(jobId)}`, undefined, headers),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

/**
 * A work queue of a service no other test uses, on the server at `url`: its creator, a worker
 * granted it, and shorthands for creating, claiming and reporting.
 */
export function testQueue(url: () => string) {
  const service = uniqueUser('svc');
  const creator = apiClient(url, uniqueUser('producer'));
  const worker = apiClient(url, uniqueUser('worker'), { role: 'worker', services: [service] });
  const create = async (job: Record<string, unknown> = {}) =>
    jobOf(await creator.create({ service, ...job }));
  const claim = (workerId: string, body: Record<string, unknown> = {}) =>
    worker.call('POST', '1.0/job/claim', { service, worker_id: workerId, ...body });
  const report = (jobId: string, what: 'heartbeat' | 'complete' | 'fail', body: unknown) =>
    worker.call('POST', `1.0/job/${encodeURIComponent(jobId)}/${what}`, body);
  return { service, creator, worker, create, claim, report };
}
