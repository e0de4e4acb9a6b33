/** The rows of one statement. */
export interface SqlResult<Row> {
  rows: Row[];
}

/** Anything that runs one parameterised statement: the database itself or an open transaction. */
export interface Sql {
  /**
   * Runs `text`. A `name` makes it a prepared statement on PostgreSQL (parsed and planned once
   * per connection); only for statements whose text never changes.
   */
  query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    name?: string,
  ): Promise<SqlResult<Row>>;
}

/** One statement and its parameters. */
export interface Statement {
  text: string;
  params: readonly unknown[];
}

/** Stops a `listen` subscription. */
export type Unlisten = () => Promise<void>;

/**
 * The whole of what the server needs from PostgreSQL, so that the embedded PGlite and a real
 * server (through `pg`) are interchangeable.
 */
export interface Db extends Sql {
  /** Which engine is behind this interface (tests and logs only). */
  readonly engine: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. `last`
   * may name one more statement from `fn`'s result, run just before the COMMIT and, on
   * PostgreSQL, sent with it in one round trip (its parameters: text, numbers or null only).
   */
  transaction<T>(
    fn: (tx: Sql) => Promise<T>,
    last?: (result: T) => Statement | undefined,
  ): Promise<T>;
  /**
   * Calls `onPayload` with the payload of every NOTIFY on `channel` (a lower-case identifier), and
   * `onGap` once listening again after the connection was lost: NOTIFYs in between are gone.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onGap?: () => void,
  ): Promise<Unlisten>;
  close(): Promise<void>;
}

/** Where the data lives. */
export interface DbLocation {
  /** A PGlite data folder; none or `memory://` for an in-memory database. */
  dataDir?: string;
  /** A PostgreSQL connection string; wins over `dataDir`. */
  databaseUrl?: string;
  /**
   * A PostgreSQL schema to keep the tables in (created when missing). Lets several test runs
   * share one database without seeing each other. Only with `databaseUrl`.
   */
  schema?: string;
  /** Connections in the PostgreSQL pool (PGlite is one connection). @default 10 */
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,50}$/;

/** Checks a schema name before it is put into a `search_path` (identifiers cannot be parameters). */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid schema name ${JSON.stringify(schema)}: use [a-z_][a-z0-9_]*`);
  }
}
