import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate } from '../../src/store/migrations';
import { openPgliteDb } from '../../src/store/pglite-db';
import { DEFAULT_CHANNEL, openStore, type Store } from '../../src/store/store';

/** A store for one test file, and how to get rid of it. */
export interface TestStore {
  store: Store;
  dispose(): Promise<void>;
}

const MIGRATIONS_SOURCE = fileURLToPath(new URL('../../src/store/migrations.ts', import.meta.url));

/**
 * A migrated PGlite data folder that test files copy instead of each creating a database
 * (creating one costs seconds; opening a copy a fraction of one). Named after the migrations'
 * source, so a schema change gets a fresh template.
 */
async function pgliteTemplate(): Promise<string> {
  const version = createHash('sha256')
    .update(readFileSync(MIGRATIONS_SOURCE))
    .digest('hex')
    .slice(0, 12);
  const template = join(tmpdir(), `jss-pglite-template-${version}`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const staging = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const db = await openPgliteDb(staging);
  await migrate(db);
  await db.close();
  try {
    renameSync(staging, template);
  } catch {
    // Another test worker finished its template first; theirs is as good as ours.
    rmSync(staging, { recursive: true, force: true });
  }
  return template;
}

/** A fresh folder holding a copy of the migrated template database (the caller removes it). */
export async function copyPgliteTemplate(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'jss-pglite-'));
  cpSync(await pgliteTemplate(), folder, { recursive: true });
  return folder;
}

/** A private PGlite database, copied from the template. */
export async function openPgliteTestStore(): Promise<TestStore> {
  const folder = await copyPgliteTemplate();
  const db = await openPgliteDb(folder);
  await migrate(db);
  return {
    store: { db, channel: DEFAULT_CHANNEL },
    async dispose() {
      await db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A fresh schema on the PostgreSQL at `databaseUrl`, dropped again by `dispose`. */
export async function openPostgresTestStore(
  databaseUrl: string,
): Promise<TestStore & { schema: string }> {
  const schema = `jss_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const store = await openStore({ databaseUrl, schema });
  return {
    schema,
    store,
    async dispose() {
      await store.db.close();
      await dropSchema(databaseUrl, schema);
    },
  };
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

let noticeShown = false;

/**
 * `DATABASE_URL` for tests that need a real PostgreSQL. Without it they skip, with a notice that
 * shows in the run's output, unless `JSS_REQUIRE_ALL=1` makes the missing database a failure.
 */
export function postgresUrlOrSkip(suite: string): string | undefined {
  const url = process.env.DATABASE_URL;
  if (url) return url;
  if (process.env.JSS_REQUIRE_ALL === '1') {
    throw new Error(`${suite}: DATABASE_URL is not set and JSS_REQUIRE_ALL=1 requires PostgreSQL`);
  }
  if (!noticeShown) {
    noticeShown = true;
    console.warn(`[skip] ${suite}: DATABASE_URL is not set; the PostgreSQL tests are skipped`);
  }
  return undefined;
}

/**
 * The store the server tests run on: PGlite unless `JSS_SERVER_BACKEND=postgres`, which runs the
 * whole server suite again on the PostgreSQL at `DATABASE_URL`.
 */
export async function openTestStore(): Promise<TestStore> {
  if (process.env.JSS_SERVER_BACKEND === 'postgres') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('JSS_SERVER_BACKEND=postgres needs DATABASE_URL');
    return openPostgresTestStore(url);
  }
  return openPgliteTestStore();
}
