// Shared by the integration suites: the server the globalSetup started, a client per test user,
// and helpers to follow a subscription and to start a private server for tests that stop or
// break one.
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { describe, inject } from 'vitest';
import { copyPgliteTemplate, dropSchema } from '../../server/test/support/test-store';
import {
  startServer,
  type Role,
  type RunningServer,
  type ServerOptions,
} from '../../server/src/index';
import {
  JobStatusClient,
  type ClientOptions,
  type JobEvent,
  type JobSubscription,
} from '../../src';

/** The running server's API base (`http://127.0.0.1:PORT/jss`); '' when the suites must skip. */
export const jssBaseUrl = inject('jssBaseUrl');
/** 'pglite' or 'postgres'. */
export const jssBackend = inject('jssBackend');
/** An admin token of the shared server (tests of what an admin may do use it). */
export const adminToken = inject('jssAdminToken');

const minted = new Map<string, Promise<string>>();

/**
 * A token of the shared server for `user` (a creator unless `role` says otherwise), minted once
 * per user and grant through the admin API.
 */
export function tokenFor(
  user: string,
  role: Role = 'creator',
  services: readonly string[] = [],
): Promise<string> {
  const key = JSON.stringify([user, role, [...services].sort()]);
  let token = minted.get(key);
  if (!token) {
    token = mintToken(jssBaseUrl, adminToken, { user, role, services: [...services] });
    minted.set(key, token);
    token.catch(() => minted.delete(key));
  }
  return token;
}

/** Makes a token on the server at `baseUrl` with an admin token of it. */
export async function mintToken(
  baseUrl: string,
  admin: string,
  grant: { user: string; role: Role; services?: string[] },
): Promise<string> {
  const response = await fetch(`${baseUrl}/1.0/auth/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(grant),
  });
  const body = (await response.json()) as { data?: { token?: string }[] };
  const token = body.data?.[0]?.token;
  if (response.status !== 201 || !token) {
    throw new Error(`Could not mint a token for ${grant.user}: ${response.status}`);
  }
  return token;
}

/**
 * `describe`, skipped with a notice in the run's output when the backend of this project is not
 * available (integration-postgres without DATABASE_URL).
 */
export function describeJss(name: string, body: () => void): void {
  if (!jssBaseUrl) {
    console.warn(`[skip] ${name} [${jssBackend}]: no server for this backend (DATABASE_URL unset)`);
  }
  describe.skipIf(!jssBaseUrl)(`${name} [${jssBackend}]`, body);
}

/** A user name no other test uses: tests share one server and isolate themselves by user. */
export const uniqueUser = (label = 'it') => `${label}-${randomUUID().slice(0, 8)}`;

/**
 * A client of the shared server acting as `user`, with a creator token of that user (minted on
 * first use; `options.token` replaces it). Retries are off unless asked for: a test of a
 * refusal must see the first answer, not a retried one.
 */
export function clientFor(user: string, options: Partial<ClientOptions> = {}): JobStatusClient {
  return new JobStatusClient({
    baseURL: jssBaseUrl,
    user,
    maxRetries: 0,
    token: () => tokenFor(user),
    ...options,
  });
}

/**
 * A request sent as it is, bypassing the SDK's checks, to see what the server itself answers;
 * with a creator token of `user`.
 */
export async function rawRequest(
  method: string,
  path: string,
  user: string,
  body?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${jssBaseUrl}/${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      'X-User-Id': user,
      Authorization: `Bearer ${await tokenFor(user)}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** What a subscription delivered so far, and a way to wait for what it has not yet. */
export interface EventLog {
  readonly events: JobEvent[];
  /** Resolves with the first event (already received or still to come) that `match` accepts. */
  next<T extends JobEvent>(match: (event: JobEvent) => event is T, timeoutMs?: number): Promise<T>;
  next(match: (event: JobEvent) => boolean, timeoutMs?: number): Promise<JobEvent>;
}

const EVENT_TYPES = [
  'initialJobs',
  'jobInsert',
  'jobUpdate',
  'jobDelete',
  'open',
  'reconnecting',
] as const;

/** Records every event of `subscription` through its listeners. */
export function recordEvents(subscription: JobSubscription): EventLog {
  const events: JobEvent[] = [];
  // When each event arrived (ms since recording began): a timeout's message shows whether events
  // came late (a slow server) or the process stalled.
  const startedAt = Date.now();
  const arrivals: number[] = [];
  const waiters = new Set<{
    match: (event: JobEvent) => boolean;
    resolve: (e: JobEvent) => void;
  }>();
  for (const type of EVENT_TYPES) {
    subscription.on(type, (event: JobEvent) => {
      events.push(event);
      arrivals.push(Date.now() - startedAt);
      for (const waiter of [...waiters]) {
        if (waiter.match(event)) {
          waiters.delete(waiter);
          waiter.resolve(event);
        }
      }
    });
  }
  return {
    events,
    next(match: (event: JobEvent) => boolean, timeoutMs = 10_000): Promise<JobEvent> {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve };
        waiters.add(waiter);
        const waitingSince = Date.now() - startedAt;
        setTimeout(() => {
          if (!waiters.delete(waiter)) return;
          const received = events
            .map((event, index) => `${event.type} at ${arrivals[index]} ms`)
            .join(', ');
          reject(
            new Error(
              `No matching event within ${timeoutMs} ms (waiting since ${waitingSince} ms, ` +
                `timed out at ${Date.now() - startedAt} ms; last event id ` +
                `${subscription.lastEventId ?? 'none'}); received: ${received}`,
            ),
          );
        }, timeoutMs);
      });
    },
  } as EventLog;
}

/** A server of one test's own, on a database of its own that outlives restarts. */
export interface PrivateServer {
  /** Starts the server (again), on `port` when given (0 or nothing: a free one). */
  start(
    options?: Omit<ServerOptions, 'dataDir' | 'databaseUrl' | 'databaseSchema'>,
  ): Promise<RunningServer>;
  /** Closes the server if it runs and removes its database. */
  dispose(): Promise<void>;
  /** A token for `user` on this database (a creator unless `role` says otherwise). */
  tokenFor(user: string, role?: Role, services?: readonly string[]): Promise<string>;
}

/**
 * A database for a private server on the project's backend: a PGlite data folder (copied from
 * the server tests' migrated template, which opens in a fraction of the time a new one takes) or
 * a fresh schema on `DATABASE_URL`.
 */
export async function privateServer(): Promise<PrivateServer> {
  const databaseUrl = jssBackend === 'postgres' ? process.env.DATABASE_URL : undefined;
  if (jssBackend === 'postgres' && !databaseUrl) throw new Error('postgres needs DATABASE_URL');
  const schema = `jss_it_private_${randomBytes(4).toString('hex')}`;
  const dataDir = databaseUrl ? undefined : await copyPgliteTemplate();
  let running: RunningServer | undefined;
  // Tokens live in the database, so they outlive restarts of the server.
  const minted = new Map<string, Promise<string>>();
  return {
    async start(options = {}) {
      running = await startServer({
        port: 0,
        logger: false,
        ...options,
        ...(databaseUrl ? { databaseUrl, databaseSchema: schema } : { dataDir }),
      });
      return running;
    },
    tokenFor(user, role = 'creator', services = []) {
      if (!running) throw new Error('Start the private server before asking for tokens');
      const key = JSON.stringify([user, role, [...services].sort()]);
      let token = minted.get(key);
      if (!token) {
        token = running.createToken({ user, role, services }).then((issued) => issued.token);
        minted.set(key, token);
      }
      return token;
    },
    async dispose() {
      await running?.close();
      if (databaseUrl) await dropSchema(databaseUrl, schema);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
