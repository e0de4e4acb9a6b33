import pg from 'pg';
import { assertSchemaName, type Db, type Sql, type Statement } from './db';

/** Connections a server keeps to PostgreSQL for statements and transactions, unless told. */
export const DEFAULT_POOL_SIZE = 10;

/** Any fixed number: the lock instances take to create their schema. */
const SCHEMA_LOCK = 7_415_000;

/**
 * A real PostgreSQL: a pool for statements and transactions, plus ONE dedicated client that holds
 * every LISTEN (a pooled client may be handed to someone else between two notifications).
 */
export async function openPostgresDb(
  databaseUrl: string,
  schema?: string,
  poolSize = DEFAULT_POOL_SIZE,
): Promise<Db> {
  if (schema) {
    assertSchemaName(schema);
    const setup = new pg.Client({ connectionString: databaseUrl });
    await setup.connect();
    try {
      // Two instances running CREATE SCHEMA IF NOT EXISTS at once can still collide; the lock
      // makes them take turns.
      await setup.query('BEGIN');
      await setup.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await setup.query('COMMIT');
    } finally {
      await setup.end();
    }
  }
  const connection = {
    connectionString: databaseUrl,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  };
  const pool = new pg.Pool({ ...connection, max: poolSize });
  // An idle client that loses its server must not crash the process; the next checkout reconnects.
  pool.on('error', () => {});

  const listener = new ListenClient(connection);
  await listener.connect();

  const run = async <Row>(
    client: pg.Pool | pg.PoolClient,
    text: string,
    params?: readonly unknown[],
    name?: string,
  ) => {
    const values = params ? [...params] : undefined;
    const result = await (name ? client.query({ name, text, values }) : client.query(text, values));
    return { rows: result.rows as Row[] };
  };

  return {
    engine: 'postgres',
    query: (text, params, name) => run(pool, text, params, name),
    async transaction(fn, last) {
      const client = await pool.connect();
      const tx: Sql = { query: (text, params, name) => run(client, text, params, name) };
      try {
        await client.query('BEGIN');
        const result = await fn(tx);
        const statement = last?.(result);
        // One simple query may hold several statements but no parameters, hence the literals.
        await client.query(statement ? `${withLiterals(client, statement)}; COMMIT` : 'COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    listen: (channel, onPayload, onGap) => listener.listen(channel, { onPayload, onGap }),
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

/**
 * `statement` with each `$n` replaced by its parameter as a literal, escaped by the driver. The
 * replacement reads only the statement's own text, so a `$n` inside a parameter stays as it is.
 */
function withLiterals(client: pg.PoolClient, { text, params }: Statement): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'string') return client.escapeLiteral(value);
    throw new TypeError(`Parameter $${n} cannot be written as a literal`);
  });
}

interface Callback {
  onPayload(payload: string): void;
  onGap?: (() => void) | undefined;
}

/** The dedicated LISTEN connection; reconnects (and re-LISTENs) when the server drops it. */
class ListenClient {
  private client: pg.Client | undefined;
  private readonly callbacks = new Map<string, Set<Callback>>();
  private closed = false;
  // Set from losing the connection until listening again: what was NOTIFYed in between is lost.
  private lost = false;

  constructor(private readonly config: pg.ClientConfig) {}

  async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('notification', (message) => {
      for (const callback of this.callbacks.get(message.channel) ?? [])
        callback.onPayload(message.payload ?? '');
    });
    client.on('error', () => this.reconnectSoon(client));
    client.on('end', () => this.reconnectSoon(client));
    await client.connect();
    for (const channel of this.callbacks.keys()) await client.query(`LISTEN ${channel}`);
    this.client = client;
    if (this.lost) {
      this.lost = false;
      for (const callback of [...this.callbacks.values()].flatMap((set) => [...set])) {
        callback.onGap?.();
      }
    }
  }

  async listen(channel: string, callback: Callback): Promise<() => Promise<void>> {
    assertChannelName(channel);
    let set = this.callbacks.get(channel);
    if (!set) {
      set = new Set();
      this.callbacks.set(channel, set);
      await this.client?.query(`LISTEN ${channel}`);
    }
    set.add(callback);
    return async () => {
      set.delete(callback);
      if (set.size === 0 && this.callbacks.get(channel) === set) {
        this.callbacks.delete(channel);
        await this.client?.query(`UNLISTEN ${channel}`).catch(() => {});
      }
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private reconnectSoon(dead: pg.Client): void {
    if (this.closed || this.client !== dead) return;
    this.client = undefined;
    this.lost = true;
    const retry = () => {
      if (this.closed) return;
      this.connect().catch(() => setTimeout(retry, 1000).unref());
    };
    setTimeout(retry, 200).unref();
  }
}

function assertChannelName(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`Invalid channel name ${channel}`);
}
