import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { authenticate, type AuthMode } from './auth/middleware';
import type { ChangeHub } from './events';
import { accessLog, errorLogLine, type LogLine } from './http/access-log';
import { ApiError, errorBody, retryAfter } from './http/api-error';
import type { JssEnv } from './http/env';
import { faultInjection, type FaultOptions } from './http/faults';
import { requireJsonContentType } from './http/content-type';
import { requestId } from './http/request-id';
import { limitBody } from './http/body';
import { StreamCaps } from './http/stream-caps';
import { LIMITS } from './limits';
import { authRoutes } from './routes/auth-routes';
import { LoginLimiter, type LoginLimitOptions } from './auth/login-limiter';
import { jobRoutes } from './routes/job-routes';
import { workRoutes } from './routes/work-routes';
import { queryRoutes } from './routes/query-routes';
import { subscribeRoutes } from './routes/subscribe-routes';
import { uiRoutes } from './routes/ui-routes';
import { isDatabaseUnavailable } from './store/db-errors';
import type { Store } from './store/store';

/** How the HTTP side behaves; every field has a default. */
export interface AppOptions {
  /**
   * Browser origins allowed by CORS; `'*'` allows any. No origin is allowed unless listed, so
   * a page elsewhere cannot read or change jobs through a visitor's browser.
   * @default []
   * @example ['https://dashboard.example.org']
   */
  corsOrigins?: string[] | '*';
  /** Largest request body accepted; larger ones get 413. @default LIMITS.requestBodyBytes */
  bodyLimitBytes?: number;
  /**
   * Open event streams allowed per client and in all.
   * @default { perClient: LIMITS.sseStreamsPerClient, total: LIMITS.sseStreamsTotal }
   */
  streamCaps?: { perClient?: number; total?: number };
  /** Bounds on failed `POST 1.0/login`s; each defaults to its `LIMITS.login*` entry. */
  loginLimits?: Partial<LoginLimitOptions>;
  /** Milliseconds between `: keep-alive` comments on event streams. @default 15000 */
  keepAliveMs?: number;
  /** Fault injection, for tests of clients. @default off */
  faults?: FaultOptions;
  /** Where the one-line-per-request log goes; `false` for none. @default console.log */
  logger?: LogLine | false;
  /** The randomness behind fault injection (tests pin it). @default Math.random */
  random?: () => number;
  /** Serve the web dashboard at `/` (`--no-ui` turns it off). @default true */
  ui?: boolean;
  /**
   * How requests are authenticated: `token` (a bearer token per request), `header` (trust
   * `X-User-Id`, set by an authenticating proxy) or `none` (local development: every request
   * acts with every right). See docs/server.md.
   * @default 'token'
   */
  auth?: AuthMode;
  /**
   * How long a token from `POST 1.0/login` lasts, in milliseconds.
   * @default 43200000 (12 hours)
   */
  loginTokenTtlMs?: number;
}

export const DEFAULT_BODY_LIMIT_BYTES = LIMITS.requestBodyBytes;
export const DEFAULT_KEEP_ALIVE_MS = 15_000;
export const DEFAULT_LOGIN_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;

const REQUEST_HEADERS = [
  'Content-Type',
  'Accept',
  'X-User-Id',
  'X-Request-Id',
  'Authorization',
  'Idempotency-Key',
  'Last-Event-ID',
];
const RESPONSE_HEADERS = ['X-Request-Id', 'Idempotent-Replayed'];

/**
 * The JSS Hono app: every route of docs/protocol.md under `/jss/`, with request ids, an access
 * log, CORS, a body limit, fault injection and the protocol's error bodies.
 */
export function createApp(
  deps: { store: Store; hub: ChangeHub },
  options: AppOptions = {},
): Hono<JssEnv> {
  const log =
    options.logger === false
      ? undefined
      : (options.logger ?? ((line: string) => console.log(line)));
  const reportError = (error: unknown, requestId?: string) => log?.(errorLogLine(error, requestId));
  const app = new Hono<JssEnv>();
  // One router: `/jss` holds the health checks, `/jss/1.0` the protocol's endpoints.
  const jss = app.basePath('/jss');
  const api = app.basePath('/jss/1.0');
  const corsOrigins = options.corsOrigins ?? [];

  app.use('*', requestId());
  app.use('*', accessLog(log));
  // Without a listed origin there are no CORS headers at all: browsers then refuse cross-origin
  // reads, and every preflight (any non-simple request) fails.
  if (corsOrigins === '*' || corsOrigins.length > 0) {
    app.use(
      '*',
      cors({
        origin: corsOrigins,
        allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
        allowHeaders: REQUEST_HEADERS,
        exposeHeaders: RESPONSE_HEADERS,
        maxAge: 600,
      }),
    );
  }
  api.use('*', requireJsonContentType());
  jss.use(
    '*',
    limitBody({
      maxSize: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
      tooLarge: () => {
        throw new ApiError(
          413,
          'payload_too_large',
          `The request body is larger than the server accepts (requestBodyBytes: ${options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES} bytes)`,
        );
      },
    }),
  );
  if (options.faults) api.use('*', faultInjection(options.faults, options.random));
  const guard = authenticate(options.auth ?? 'token', deps.store);
  // Login is how a token is obtained, so it is the one API route without one.
  api.use('*', (c, next) => (c.req.path === '/jss/1.0/login' ? next() : guard(c, next)));

  // Live: the process answers. Ready (and the older `/jss/health`): the database answers too.
  jss.get('/health/live', (c) => c.json({ status: 'ok' }));
  const ready = async (c: Context<JssEnv>, detail: boolean) => {
    const reachable = await databaseAnswers(deps.store);
    return reachable
      ? c.json(detail ? { status: 'ok', database: 'ok' } : { status: 'ok' })
      : c.json(
          detail ? { status: 'unavailable', database: 'unreachable' } : { status: 'unavailable' },
          503,
          retryAfter(1),
        );
  };
  jss.get('/health/ready', (c) => ready(c, true));
  jss.get('/health', (c) => ready(c, false));
  if (options.ui !== false) app.route('/', uiRoutes());
  const routeDeps = {
    ...deps,
    keepAliveMs: options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
    loginTokenTtlMs: options.loginTokenTtlMs ?? DEFAULT_LOGIN_TOKEN_TTL_MS,
    streamCaps: new StreamCaps({
      perClient: options.streamCaps?.perClient ?? LIMITS.sseStreamsPerClient,
      total: options.streamCaps?.total ?? LIMITS.sseStreamsTotal,
      retryAfterSeconds: LIMITS.sseRetryAfterSeconds,
    }),
    loginLimiter: new LoginLimiter({
      perUser: options.loginLimits?.perUser ?? LIMITS.loginFailuresPerUser,
      perAddress: options.loginLimits?.perAddress ?? LIMITS.loginFailuresPerAddress,
      windowMs: options.loginLimits?.windowMs ?? LIMITS.loginWindowMs,
      maxTracked: options.loginLimits?.maxTracked ?? LIMITS.loginTrackedMax,
    }),
    reportError,
  };
  // Subscriptions first: `GET 1.0/job/subscribe/x` must not be read as job "subscribe".
  api.route('/', authRoutes(routeDeps));
  api.route('/', subscribeRoutes(routeDeps));
  api.route('/', queryRoutes(routeDeps));
  api.route('/', workRoutes(routeDeps));
  api.route('/', jobRoutes(routeDeps));

  app.notFound((c) =>
    sendError(c, new ApiError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => {
    if (error instanceof ApiError) return sendError(c, error);
    if (error instanceof HTTPException && error.status === 413) {
      return sendError(
        c,
        new ApiError(
          413,
          'payload_too_large',
          `The request body is larger than the server accepts (requestBodyBytes: ${options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES} bytes)`,
        ),
      );
    }
    if (isDatabaseUnavailable(error)) {
      return sendError(
        c,
        new ApiError(
          503,
          'unavailable',
          'The database is unavailable; try again later',
          retryAfter(1),
        ),
      );
    }
    reportError(error, c.get('requestId'));
    return sendError(c, new ApiError(500, 'internal', 'Internal server error'));
  });
  return app;
}

/** How long a readiness check waits for the database. */
const READY_TIMEOUT_MS = 2000;

async function databaseAnswers(store: Store): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
  });
  const probe = store.db.query('SELECT 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sendError(c: Context<JssEnv>, error: ApiError): Response {
  return c.json(
    errorBody(error, c.get('requestId')),
    error.status as ContentfulStatusCode,
    error.headers,
  );
}
