import { delay, http, type HttpHandler } from 'msw';
import { isRefusal } from './service-error';
import { errorAnswer, requestIdOf, toResponse } from './http/answers';
import {
  DEFAULT_BASE_URL,
  mswPathOf,
  normalizeBaseURL,
  pathUnderBase,
  type JssBaseURL,
} from './http/base-url';
import { principalOf, type KitTokenGrant } from './http/access';
import { login, type KitPasswordGrant } from './http/login';
import { route } from './http/routes';
import { InMemoryJobStore, tableOf } from './store/in-memory-job-store';
import type { JobTable } from './store/job-table';

/** Options of {@link createJssHandlers}. */
export interface JssHandlersOptions {
  /**
   * Where the service answers: the client's `baseURL` (`http://localhost:8080/jss`), a path on
   * any origin (`/jss/`), an msw-style pattern (`*\/jss/`), or a function returning one of them,
   * called on every request.
   * @default 'http://localhost/jss/'
   * @example { baseURL: 'http://jss.test:8080/jss' }
   */
  baseURL?: JssBaseURL;
  /**
   * The jobs behind the handlers. Pass your own to seed it and to read it in assertions.
   * @default a new, empty InMemoryJobStore
   * @example { store: new InMemoryJobStore() }
   */
  store?: InMemoryJobStore;
  /**
   * Milliseconds every request waits before it is answered, to make timing visible (spinners,
   * timeouts, races).
   * @default 0
   * @example { latencyMs: 50 }
   */
  latencyMs?: number;
  /**
   * Bearer tokens the handlers accept, and who each stands for. With them every request but
   * `health` needs `Authorization: Bearer <token>` (else 401) and sees and changes only what the
   * token's role allows, as the reference server's default `--auth token`; without them the
   * service is open (`--auth none`): the `X-User-Id` user with every right.
   * @default undefined (open)
   * @example { tokens: { 'alice-token': { user: 'alice', role: 'creator' } } }
   */
  tokens?: Readonly<Record<string, KitTokenGrant>>;
  /**
   * Users that `POST 1.0/login` (the SDK's `login`) knows, by name: the password, and the role
   * and services of the tokens it hands out, which the handlers then accept as if listed in
   * `tokens`. Giving passwords turns tokens on, as `tokens` does.
   * @default undefined (no login: `POST 1.0/login` is 404)
   * @example { passwords: { carol: { password: 'correct horse', role: 'manager' } } }
   */
  passwords?: Readonly<Record<string, KitPasswordGrant>>;
}

/** The handlers' view of their options: `tokens` grows with each login. */
interface Access {
  tokens: Record<string, KitTokenGrant> | undefined;
  passwords: Readonly<Record<string, KitPasswordGrant>> | undefined;
}

async function answer(
  table: JobTable,
  access: Access,
  request: Request,
  url: URL,
  path: string,
): Promise<Response> {
  const requestId = requestIdOf(request);
  try {
    // Login is how a caller without a token gets one.
    if (path === '1.0/login' && request.method === 'POST' && access.passwords && access.tokens) {
      return toResponse(await login(request, access.passwords, access.tokens), requestId);
    }
    // Health is the one route open to anyone.
    const principal =
      path === 'health'
        ? { user: 'anonymous', role: 'creator' as const, services: [] }
        : principalOf(request, access.tokens);
    const result = await route({ table, request, url, requestId, principal }, path);
    return result instanceof Response ? result : toResponse(result, requestId);
  } catch (error) {
    if (isRefusal(error)) return toResponse(errorAnswer(error, requestId), requestId);
    // A bug in the kit: answered as the protocol's 500, with the cause, since this is a test.
    const message = error instanceof Error ? error.message : String(error);
    return toResponse(
      {
        status: 500,
        body: {
          response_type: 'SERVER_ERROR',
          error: `Internal server error: ${message}`,
          code: 'internal',
          request_id: requestId,
        },
      },
      requestId,
    );
  }
}

/**
 * msw request handlers that behave like a Job Status Service (docs/protocol.md) backed by an
 * {@link InMemoryJobStore}: every endpoint, the envelope, error bodies with `code` and
 * `request_id`, `X-Request-Id`, `Idempotency-Key` replay, paging and cursors, changes with
 * stamps, and the live subscription (Server-Sent Events). Isomorphic: give them to
 * `setupServer` (`msw/node`) in Node or to `setupWorker` (`msw/browser`) in a browser.
 * A request outside the base URL is left to other handlers.
 *
 * @throws TypeError when `baseURL` is a string that is neither a URL, a path nor a pattern
 * @example
 * const store = new InMemoryJobStore();
 * const server = setupServer(...createJssHandlers({ baseURL: 'http://jss.test/jss', store }));
 * server.listen({ onUnhandledRequest: 'error' });
 * const client = new JobStatusClient({ baseURL: 'http://jss.test/jss', user: 'demo' });
 */
export function createJssHandlers(options: JssHandlersOptions = {}): HttpHandler[] {
  const base = options.baseURL ?? DEFAULT_BASE_URL;
  // A mistake in a fixed base fails here, where the test is set up, not on the first request.
  if (typeof base === 'string') normalizeBaseURL(base);
  const table = tableOf(options.store ?? new InMemoryJobStore());
  const latencyMs = options.latencyMs ?? 0;
  // A copy: the tokens logins add stay with these handlers, not in the caller's object.
  const access: Access = {
    tokens:
      options.tokens === undefined && options.passwords === undefined
        ? undefined
        : { ...options.tokens },
    passwords: options.passwords,
  };
  return [
    http.all(mswPathOf(base), async ({ request }) => {
      const url = new URL(request.url);
      const path = pathUnderBase(typeof base === 'function' ? base() : base, url);
      // Not ours: msw tries the next handler (or reports the request as unhandled).
      if (path === undefined) return undefined;
      if (latencyMs > 0) await delay(latencyMs);
      return answer(table, access, request, url, path);
    }),
  ];
}
