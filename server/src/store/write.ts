import { ApiError } from '../http/api-error';
import { announcerOf } from './announcer';
import type { Sql } from './db';
import { sweeperOf } from './key-sweeper';
import { TOO_MANY_CHANGES } from './migrations';
import type { Store } from './store';

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

/** An open write transaction. Its changes take stamps from `jss_next_stamp()`. */
export interface WriteTx {
  sql: Sql;
  /** Announces changes once (and only if) the transaction commits (see `ChangeAnnouncer`). */
  notify(...changes: ChangeNotice[]): Promise<void>;
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
 * Runs one write. Writers do not wait for each other: the change feed's order comes from the
 * stamps (transaction id first, see `jss_next_stamp`), not from committing one at a time. With an
 * idempotency key, the key is claimed first, by inserting its row: a concurrent request with the
 * same key waits on that row until the first commits (then replays its answer) or rolls back (then
 * runs itself), so a write never runs twice.
 */
export async function runWrite(
  store: Store,
  idempotency: IdempotencyRequest | undefined,
  operation: (tx: WriteTx) => Promise<WriteAnswer>,
): Promise<WriteAnswer & { replayed: boolean }> {
  const changes: ChangeNotice[] = [];
  const answer = await store.db.transaction(async (sql) => {
    if (idempotency && !(await claimKey(sql, idempotency))) {
      return { ...(await storedAnswer(sql, idempotency)), replayed: true };
    }
    const tx: WriteTx = {
      sql,
      notify: (...made) => {
        changes.push(...made);
        return Promise.resolve();
      },
    };
    const answer = await operation(tx).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === TOO_MANY_CHANGES) {
        throw new ApiError(413, 'payload_too_large', 'The request would make too many changes');
      }
      throw error;
    });
    if (idempotency) await storeAnswer(sql, idempotency, answer);
    return { ...answer, replayed: false };
  });
  announcerOf(store).announce(changes);
  if (idempotency) sweeperOf(store).afterWrite();
  return answer;
}

/**
 * Inserts the key's row, or finds it taken. `ON CONFLICT DO NOTHING` waits for a transaction
 * that holds the same key and has not ended yet, so the answer is final.
 */
async function claimKey(sql: Sql, request: IdempotencyRequest): Promise<boolean> {
  const { rows } = await sql.query(
    `INSERT INTO idempotency_keys (user_name, key, method, path, body_hash, status, response)
     VALUES ($1, $2, $3, $4, $5, 0, '') ON CONFLICT (user_name, key) DO NOTHING RETURNING key`,
    [request.user, request.key, request.method, request.path, request.bodyHash],
  );
  return rows.length === 1;
}

async function storedAnswer(sql: Sql, request: IdempotencyRequest): Promise<WriteAnswer> {
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
  if (
    !row ||
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
    `UPDATE idempotency_keys SET status = $3, response = $4 WHERE user_name = $1 AND key = $2`,
    [request.user, request.key, answer.status, JSON.stringify(answer.body)],
  );
}
