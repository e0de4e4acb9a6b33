import type { AddressInfo } from 'node:net';
import type { Server, ServerResponse } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp, type AppOptions } from './app';
import { ChangeHub } from './events';
import type { FaultOptions } from './http/faults';
import { openStore, type Store } from './store/store';

export { createApp, type AppOptions } from './app';
export { ChangeHub } from './events';
export type { FaultOptions } from './http/faults';
export type { Db, DbLocation, Sql } from './store/db';
export { openStore, channelFor, type Store } from './store/store';
export { migrate, SCHEMA_VERSION } from './store/migrations';
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
}

/** A started server. */
export interface RunningServer {
  /** The API base, without a trailing slash: `http://127.0.0.1:PORT/jss`. */
  url: string;
  port: number;
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
  const databaseUrl = databaseUrlOf(options);
  const ownsStore = !options.store;
  const store =
    options.store ??
    (await openStore({
      ...(databaseUrl
        ? { databaseUrl, schema: options.databaseSchema, poolSize: options.poolSize }
        : { dataDir: options.dataDir }),
    }));
  const log = options.logger === false ? undefined : (options.logger ?? console.log);
  const hub = await ChangeHub.start(store, (error) =>
    log?.(`error in change hub: ${String(error)}`),
  );
  const app = createApp({ store, hub }, options);

  const server = serve({
    fetch: app.fetch,
    port: options.port ?? 8080,
    hostname: options.host ?? '127.0.0.1',
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
    throw error;
  });

  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}/jss`,
    port,
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
        if (ownsStore) await store.db.close();
      })()),
  };
}
