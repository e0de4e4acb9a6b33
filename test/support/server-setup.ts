// vitest globalSetup of the integration projects: starts ONE reference server for the whole run
// (a PGlite database costs seconds and about 0.5 GB to create) and provides its base URL.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startServer, type RunningServer } from '../../server/src/index';

declare module 'vitest' {
  interface ProvidedContext {
    /** The server's API base, `http://127.0.0.1:PORT/jss`; '' when the suite must skip. */
    jssBaseUrl: string;
    /** Which database the server runs on: 'pglite' or 'postgres'. */
    jssBackend: string;
    /** An admin token of that server; the suites mint their users' tokens with it. */
    jssAdminToken: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Per call, not per module: both integration projects may share one loaded copy of this file.
  let running: RunningServer | undefined;
  let dropOnTeardown: { databaseUrl: string; schema: string } | undefined;
  const backend = project.getProvidedContext().jssBackend;
  if (backend === 'postgres') {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      if (process.env.JSS_REQUIRE_ALL === '1') {
        throw new Error(
          'integration-postgres: DATABASE_URL is not set and JSS_REQUIRE_ALL=1 requires it',
        );
      }
      console.warn('[skip] integration-postgres: DATABASE_URL is not set; its suites are skipped');
      project.provide('jssBaseUrl', '');
      project.provide('jssAdminToken', '');
      return async () => {};
    }
    // A fresh schema per run keeps runs repeatable and apart from any other run on the database.
    const schema = `jss_it_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    dropOnTeardown = { databaseUrl, schema };
    running = await startServer({ port: 0, logger: false, databaseUrl, databaseSchema: schema });
  } else if (backend === 'pglite') {
    // In memory: nothing is left behind, and every run starts empty.
    running = await startServer({ port: 0, logger: false, dataDir: 'memory://' });
  } else {
    throw new Error(`Unknown jssBackend ${JSON.stringify(backend)}: use 'pglite' or 'postgres'`);
  }
  project.provide('jssBaseUrl', running.url);
  project.provide(
    'jssAdminToken',
    (await running.createToken({ user: 'test-admin', role: 'admin' })).token,
  );

  return async function teardown() {
    await running?.close();
    running = undefined;
    if (dropOnTeardown) {
      const client = new pg.Client({ connectionString: dropOnTeardown.databaseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${dropOnTeardown.schema} CASCADE`);
      } finally {
        await client.end();
      }
      dropOnTeardown = undefined;
    }
  };
}
