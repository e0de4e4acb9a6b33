import type { ChangeHub } from '../events';
import type { LoginLimiter } from '../auth/login-limiter';
import type { StreamCaps } from '../http/stream-caps';
import type { Store } from '../store/store';

/** What the routes work with. */
export interface RouteDeps {
  store: Store;
  hub: ChangeHub;
  keepAliveMs: number;
  /** How long a token from `POST 1.0/login` lasts. */
  loginTokenTtlMs: number;
  streamCaps: StreamCaps;
  /** Counts failed logins (per server instance). */
  loginLimiter: LoginLimiter;
  /** Reports an unexpected error (a bug) without failing the request that saw it. */
  reportError: (error: unknown, requestId?: string) => void;
}
