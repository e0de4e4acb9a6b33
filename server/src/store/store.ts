import type { Db, DbLocation } from './db';
import { openDb } from './open-db';
import { migrate } from './migrations';

/** A migrated database and the NOTIFY channel its writes announce themselves on. */
export interface Store {
  db: Db;
  channel: string;
}

/** The channel every write NOTIFYs (docs/protocol.md, "Live updates"). */
export const DEFAULT_CHANNEL = 'jss_jobs';

/**
 * Channels are database-wide while tables are per schema: a store in its own schema announces
 * on its own channel so that test runs sharing one database do not hear each other.
 */
export const channelFor = (schema?: string) =>
  schema ? `${DEFAULT_CHANNEL}_${schema}` : DEFAULT_CHANNEL;

/** Opens the database and brings its schema up to date. */
export async function openStore(location: DbLocation): Promise<Store> {
  const db = await openDb(location);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return { db, channel: channelFor(location.databaseUrl ? location.schema : undefined) };
}
