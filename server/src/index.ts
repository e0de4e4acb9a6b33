import type { AddressInfo } from 'node:net';
import type { Server, ServerResponse } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp, type AppOptions } from './app';
import type { Grant } from './auth/grants';
import { countUsableTokens, createToken, type IssuedToken } from './auth/tokens';
import { errorLogLine } from './http/access-log';
import { ChangeHub } from './events';
import type { FaultOptions } from './http/faults';
import { LIMITS } from './limits';
import { lockDataDir } from './store/data-dir-lock';
import { openStore, type Store } from './store/store';

export { createApp, type AppOptions } from './app';
export type { Grant } from './auth/grants';
export { AUTH_MODES, type AuthMode } from './auth/middleware';
export { setPassword } from './auth/passwords';
export {
  countUsableTokens,
  createToken,
  listTokens,
  revokeToken,
  TOKEN_PREFIX,
  type IssuedToken,
  type TokenInfo,
} from './auth/tokens';
export { POLICY, ROLES, type Action, type Principal, type Role } from '#protocol/access';
export { ChangeHub } from './events';
export type { FaultOptions } from './http/faults';
export type { Db, DbLocation, Sql } from './store/db';
export { openStore, channelFor, type Store } from './store/store';
export { migrate, SCHEMA_VERSION } from './store/migrations';
export { LIMITS, type Limits } from './limits';
export { DataDirLockedError, DataDirUnwritableError } from './store/data-dir-lock';
export { applyPatchWithSql, matchFilterWithSql } from './store/oracle';

/** How to start the reference server. */
export interface ServerOptions extends Omit<AppOptions, 'random'> {
  /** Port to listen on; 0 picks a free one. @default 8080 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /**
   * PGlite data folder (`memory://` for memory). Without it, and without a database URL, the
   * data lives in memory.
   */
  dataDir?: string;
  /**
   * PostgreSQL connection string; wins over `dataDir`.
   * @default process.env.DATABASE_URL, unless `dataDir` is given
   */
  databaseUrl?: string;
  /** A PostgreSQL schema for the tables (created when missing); only with a database URL. */
  databaseSchema?: string;
  /**
   * Connections this server keeps to PostgreSQL; writes and reads beyond it wait for one. PGlite
   * is always one connection.
   * @default 10
   * @example poolSize: 32
   */
  poolSize?: number;
  /**
   * An already open store to share (two servers on one database). The server does not close it.
   */
  store?: Store;
  faults?: FaultOptions;
  /**
   * Allows `auth: 'header'` or `'none'` on an address other than loopback. Without it such a
   * server refuses to start: anyone who can reach it could act as any user.
   * @default false
   */
  insecure?: boolean;
  /**
   * Milliseconds a client has to send its request headers; a socket that is slower (slowloris)
   * is closed. @default LIMITS.headersTimeoutMs
   */
  headersTimeoutMs?: number;
  /** Milliseconds a client has to send its whole request. @default LIMITS.requestTimeoutMs */
  requestTimeoutMs?: number;
  /** Milliseconds an idle keep-alive connection stays open. @default LIMITS.keepAliveTimeoutMs */
  keepAliveTimeoutMs?: number;
}

/** Options that must not be combined; the message says why and what to do instead. */
export class InsecureSetupError extends Error {
  override name = 'InsecureSetupError';
}

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

function refuseInsecureSetup(options: ServerOptions): void {
  const auth = options.auth ?? 'token';
  const host = options.host ?? '127.0.0.1';
  if (auth === 'token' || options.insecure || isLoopbackHost(host)) return;
  const trusts =
    auth === 'header'
      ? 'trusts the X-User-Id header of every request'
      : 'gives every request every right';
  throw new InsecureSetupError(
    `Refusing to start: --auth ${auth} ${trusts}, and --host ${host} is reachable from other ` +
      'machines, so anyone who can connect could act as any user. Use --auth token (the ' +
      'default), listen on 127.0.0.1 behind a proxy on this machine, or pass --insecure if ' +
      'something else really guards this address.',
  );
}

/** The port is taken by another program: refused with this (the CLI prints it as one line). */
export class PortInUseError extends Error {
  constructor(host: string, port: number) {
    super(`Port ${port} on ${host} is already in use; stop what uses it or choose another --port`);
    this.name = 'PortInUseError';
  }
}

/** A started server. */
export interface RunningServer {
  /** The API base, without a trailing slash: `http://127.0.0.1:PORT/jss`. */
  url: string;
  port: number;
  /**
   * Makes a token on the server's database (the programmatic `jss-server token create`), for
   * embedding the server in a program or a test. The token itself is in the answer only.
   */
  createToken(grant: Grant & { expiresInMs?: number }): Promise<IssuedToken>;
  /** How many tokens of the server's database can be used now (not revoked, not expired). */
  usableTokens(): Promise<number>;
  /**
   * Stops accepting connections, ends event streams, waits for requests in flight, then closes
   * the database (when the server opened it). Every write that was answered is committed.
   */
  close(): Promise<void>;
}

/**
 * The PostgreSQL the options lead to, or `undefined` for PGlite. An explicit data folder means
 * PGlite even when the environment names a PostgreSQL.
 */
export function databaseUrlOf(
  options: Pick<ServerOptions, 'databaseUrl' | 'dataDir'>,
): string | undefined {
  return (
    options.databaseUrl || (options.dataDir ? undefined : process.env.DATABASE_URL) || undefined
  );
}

/** How long `close()` waits for requests in flight. */
const CLOSE_TIMEOUT_MS = 10_000;

/** Starts the Job Status Service. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  refuseInsecureSetup(options);
  const databaseUrl = databaseUrlOf(options);
  const ownsStore = !options.store;
  // Two processes on one PGlite folder would each overwrite the other's writes: one at a time.
  const folder =
    ownsStore && !databaseUrl && options.dataDir && options.dataDir !== 'memory://'
      ? options.dataDir
      : undefined;
  const unlock = folder ? lockDataDir(folder) : () => {};
  let store: Store;
  try {
    store =
      options.store ??
      (await openStore({
        ...(databaseUrl
          ? { databaseUrl, schema: options.databaseSchema, poolSize: options.poolSize }
          : { dataDir: options.dataDir }),
      }));
  } catch (error) {
    unlock();
    throw error;
  }
  const log = options.logger === false ? undefined : (options.logger ?? console.log);
  const hub = await ChangeHub.start(store, (error) => log?.(errorLogLine(error)));
  const app = createApp({ store, hub }, options);

  const headersTimeout = options.headersTimeoutMs ?? LIMITS.headersTimeoutMs;
  const server = serve({
    fetch: app.fetch,
    port: options.port ?? 8080,
    hostname: options.host ?? '127.0.0.1',
    serverOptions: {
      headersTimeout,
      requestTimeout: Math.max(headersTimeout, options.requestTimeoutMs ?? LIMITS.requestTimeoutMs),
      keepAliveTimeout: options.keepAliveTimeoutMs ?? LIMITS.keepAliveTimeoutMs,
      // How often Node looks for sockets past those timeouts (its default is 30 s).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 2))),
    },
  }) as Server;
  // Counted on the Node response rather than around app.fetch: the body is still being written
  // after the handler has returned.
  let inFlight = 0;
  let idle: (() => void) | undefined;
  server.on('request', (_request, response: ServerResponse) => {
    inFlight++;
    response.once('close', () => {
      inFlight--;
      if (inFlight === 0) idle?.();
    });
  });
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (error: unknown) => {
    await hub.close();
    if (ownsStore) await store.db.close();
    unlock();
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new PortInUseError(options.host ?? '127.0.0.1', options.port ?? 8080);
    }
    throw error;
  });

  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}/jss`,
    port,
    createToken: (grant) => createToken(store.db, grant),
    usableTokens: () => countUsableTokens(store.db),
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await hub.close();
        server.closeIdleConnections();
        if (inFlight > 0) {
          // A request stuck for longer than this is cut off rather than holding the stop forever.
          await new Promise<void>((resolve) => {
            idle = resolve;
            setTimeout(resolve, CLOSE_TIMEOUT_MS).unref();
          });
        }
        server.closeAllConnections();
        await stopped;
        try {
          if (ownsStore) await store.db.close();
        } finally {
          unlock();
        }
      })()),
  };
}
