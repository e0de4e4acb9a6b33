import type { Db, DbLocation } from './db';

// The engines are loaded on demand (a server on PGlite never loads `pg`, and the other way
// round), and from here rather than from db.ts, which they import for its interface.
/** Opens PostgreSQL when a URL is given, else PGlite (in a folder, or in memory). */
export async function openDb(location: DbLocation): Promise<Db> {
  if (location.databaseUrl) {
    const { openPostgresDb } = await import('./postgres-db');
    return openPostgresDb(location.databaseUrl, location.schema, location.poolSize);
  }
  if (location.schema) throw new Error('The schema option needs a databaseUrl');
  const { openPgliteDb } = await import('./pglite-db');
  return openPgliteDb(location.dataDir);
}
