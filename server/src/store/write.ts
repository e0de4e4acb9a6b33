import { ApiError } from '../http/api-error';
import type { Sql } from './db';
import type { Store } from './store';

/**
 * Any fixed number, different from the migration lock: with the schema's stamp sequence, the lock
 * every write takes first.
 */
const WRITE_LOCK = 7_415_002;

/** What every write NOTIFYs, small enough for PostgreSQL's 8000-byte payload limit. */
export interface ChangeNotice {
  stamp: number;
  job_id: string;
  user: string;
  kind: 'insert' | 'update' | 'delete';
  /** Deletions only: what the visibility rule needs once the job is gone. */
  service?: string | null;
  parent_user?: string | null;
}

/** A write transaction that holds the write lock, so stamps follow commit order. */
export interface WriteTx {
  sql: Sql;
  /** Announces a change; PostgreSQL delivers it when (and only if) the transaction commits. */
  notify(change: ChangeNotice): Promise<void>;
}

/** An answer that is stored with its idempotency key and can be sent again. */
export interface WriteAnswer {
  status: number;
  body: unknown;
}

/** What identifies a request for `Idempotency-Key` replay (docs/protocol.md, "Idempotency"). */
export interface IdempotencyRequest {
  key: string;
  user: string;
  method: string;
  path: string;
  bodyHash: string;
}

/**
 * Runs one write. Every write transaction takes the same advisory lock before it takes a stamp,
 * so stamps are handed out in commit order: a poller or a resumed subscription that has seen
 * stamp n has seen every change up to n. With an idempotency key, the key is checked under the
 * same lock and stored in the same transaction as the write, so a replay never runs twice.
 */
export async function runWrite(
  store: Store,
  idempotency: IdempotencyRequest | undefined,
  operation: (tx: WriteTx) => Promise<WriteAnswer>,
): Promise<WriteAnswer & { replayed: boolean }> {
  return store.db.transaction(async (sql) => {
    // Keyed by this schema's stamp sequence as well: deployments (or test runs) that share one
    // database in different schemas have separate stamps and must not wait for each other.
    await sql.query(`SELECT pg_advisory_xact_lock($1, 'jss_stamp'::regclass::oid::int)`, [
      WRITE_LOCK,
    ]);
    if (idempotency) {
      const stored = await findStoredAnswer(sql, idempotency);
      if (stored) return { ...stored, replayed: true };
    }
    const tx: WriteTx = {
      sql,
      async notify(change) {
        await sql.query('SELECT pg_notify($1, $2)', [store.channel, JSON.stringify(change)]);
      },
    };
    const answer = await operation(tx);
    if (idempotency) await storeAnswer(sql, idempotency, answer);
    return { ...answer, replayed: false };
  });
}

async function findStoredAnswer(
  sql: Sql,
  request: IdempotencyRequest,
): Promise<WriteAnswer | undefined> {
  // Keys live 24 hours; forgetting the old ones here keeps the table small without a timer.
  await sql.query(`DELETE FROM idempotency_keys WHERE created < now() - interval '24 hours'`);
  const { rows } = await sql.query<{
    method: string;
    path: string;
    body_hash: string;
    status: number;
    response: string;
  }>(
    `SELECT method, path, body_hash, status, response FROM idempotency_keys
     WHERE user_name = $1 AND key = $2`,
    [request.user, request.key],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (
    row.method !== request.method ||
    row.path !== request.path ||
    row.body_hash !== request.bodyHash
  ) {
    throw new ApiError(
      409,
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different request',
    );
  }
  // Stored as text so that a replay repeats the first answer byte for byte.
  return { status: Number(row.status), body: JSON.parse(row.response) as unknown };
}

async function storeAnswer(sql: Sql, request: IdempotencyRequest, answer: WriteAnswer) {
  await sql.query(
    `INSERT INTO idempotency_keys (user_name, key, method, path, body_hash, status, response)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      request.user,
      request.key,
      request.method,
      request.path,
      request.bodyHash,
      answer.status,
      JSON.stringify(answer.body),
    ],
  );
}
