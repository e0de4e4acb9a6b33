// The reference server on an in-memory PGlite database, so the demo needs nothing installed
// beyond `npm install`. The server package has no `exports` entry yet, hence the relative path.
import { openStore, startServer } from '../../server/src/index';

/** A running demo server: its base URL, tokens for the demo's users, and how to stop it. */
export interface EmbeddedServer {
  url: string;
  /** A creator token of `user`, made on the server's database (as `jss-server token create`). */
  token: string;
  /** A worker token granted `workerService`: it may claim that service's jobs and update them. */
  workerToken: string;
  close(): Promise<void>;
}

/**
 * Starts the server on a random free port. The database is opened here rather than by
 * `startServer`, which would pick up a `DATABASE_URL` from the environment: the demo must never
 * write into a real database.
 */
export async function startEmbeddedServer(
  user: string,
  workerService: string,
): Promise<EmbeddedServer> {
  const store = await openStore({});
  try {
    const server = await startServer({ port: 0, logger: false, store });
    // The server requires a token on every request; the demo makes its own.
    const { token } = await server.createToken({ user, role: 'creator', expiresInMs: 3_600_000 });
    const worker = await server.createToken({
      user: `${user}-worker`,
      role: 'worker',
      services: [workerService],
      expiresInMs: 3_600_000,
    });
    return {
      url: server.url,
      token,
      workerToken: worker.token,
      async close() {
        // The server does not close a store it was given: its connections go first, then the data.
        await server.close();
        await store.db.close();
      },
    };
  } catch (error) {
    await store.db.close();
    throw error;
  }
}
