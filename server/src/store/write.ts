import { ApiError } from '../http/api-error';
import { announcerOf } from './announcer';
import type { Sql, SqlResult } from './db';
import { sweeperOf } from './key-sweeper';
import { TOO_MANY_CHANGES } from './migrations';
import type { Store } from './store';

/** What every write NOTIFYs, small enough for PostgreSQL's 8000-byte payload limit. */
export interface ChangeNotice {
  stamp: number;
  job_id: string;
  user: string;
  kind: 'insert' | 'update' | 'delete';
  /** The job's status after the change (none for deletions): held claims wake on some only. */
  status?: string;
  /** The job's service: held claims wake for theirs; a deletion's visibility rule reads it. */
  service?: string | null;
  /** Deletions only: what the visibility rule needs once the job is gone. */
  parent_user?: string | null;
}

/** An open write transaction. Its changes take stamps from `jss_next_stamp()`. */
export interface WriteTx {
  sql: Sql;
  /** Announces changes once (and only if) the transaction commits (see `ChangeAnnouncer`). */
  notify(...changes: ChangeNotice[]): Promise<void>;
  /**
   * Runs the operation's first statement with the request's idempotency key claimed by that same
   * statement, which saves a round trip. `build(claimed)` gets a boolean SQL condition and must
   * make the statement write and return nothing unless it holds. Without a key, or once the key
   * is claimed, the condition is `TRUE`.
   */
  guarded<Row>(
    build: (claimed: string) => string,
    params: readonly unknown[],
    name?: string,
  ): Promise<SqlResult<Row>>;
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

/** The key was taken by an earlier request: its answer, sent again (the transaction rolls back). */
class Replay {
  constructor(readonly answer: WriteAnswer) {}
}

/**
 * Runs one write. Writers do not wait for each other: the change feed's order comes from the
 * stamps (transaction id first, see `jss_next_stamp`), not from committing one at a time. With an
 * idempotency key, the key is claimed before the operation's first statement or by it (see
 * `WriteTx.guarded`), by inserting its row: a concurrent request with the same key waits on that
 * row until the first commits (then replays its answer) or rolls back (then runs itself), so a
 * write never runs twice. The answer is stored by the statement that commits.
 */
export async function runWrite(
  store: Store,
  idempotency: IdempotencyRequest | undefined,
  operation: (tx: WriteTx) => Promise<WriteAnswer>,
): Promise<WriteAnswer & { replayed: boolean }> {
  const changes: ChangeNotice[] = [];
  let answer: WriteAnswer;
  try {
    answer = await store.db.transaction(
      async (sql) => {
        const tx = keyedTx(sql, idempotency, changes);
        const made = await operation(tx).catch((error: unknown) => {
          if ((error as { code?: unknown }).code === TOO_MANY_CHANGES) {
            throw new ApiError(413, 'payload_too_large', 'The request would make too many changes');
          }
          throw error;
        });
        await tx.claimKey();
        return made;
      },
      (made) => (idempotency ? storeAnswer(idempotency, made) : undefined),
    );
  } catch (error) {
    if (error instanceof Replay) return { ...error.answer, replayed: true };
    throw error;
  }
  announcerOf(store).announce(changes);
  if (idempotency) sweeperOf(store).afterWrite();
  return { ...answer, replayed: false };
}

/** Names the key claim's CTE; `claimed` reads it. */
const KEY_CTE = 'jss_key';

/**
 * A `WriteTx` whose key is claimed, at the latest, before the first statement that does not
 * claim it itself, and before the answer is stored.
 */
function keyedTx(
  sql: Sql,
  idempotency: IdempotencyRequest | undefined,
  changes: ChangeNotice[],
): WriteTx & { claimKey(): Promise<void> } {
  let claimed = idempotency === undefined;
  const claimKey = async () => {
    if (claimed || !idempotency) return;
    claimed = true;
    const { rows } = await sql.query(
      `INSERT INTO idempotency_keys (user_name, key, method, path, body_hash, status, response)
       VALUES ($1, $2, $3, $4, $5, 0, '') ON CONFLICT (user_name, key) DO NOTHING RETURNING key`,
      keyParams(idempotency),
      'jss_claim_key',
    );
    if (rows.length === 0) throw new Replay(await storedAnswer(sql, idempotency));
  };
  return {
    sql: {
      async query(text, params, name) {
        await claimKey();
        return sql.query(text, params, name);
      },
    },
    notify: (...made) => {
      changes.push(...made);
      return Promise.resolve();
    },
    async guarded<Row>(
      build: (claimed: string) => string,
      params: readonly unknown[],
      name?: string,
    ) {
      if (claimed || !idempotency) return sql.query<Row>(build('TRUE'), params, name);
      claimed = true;
      const first = params.length + 1;
      const claim = `${KEY_CTE} AS (
        INSERT INTO idempotency_keys (user_name, key, method, path, body_hash, status, response)
        VALUES ($${first}, $${first + 1}, $${first + 2}, $${first + 3}, $${first + 4}, 0, '')
        ON CONFLICT (user_name, key) DO NOTHING RETURNING key)`;
      const statement = build(`EXISTS (SELECT 1 FROM ${KEY_CTE})`).trimStart();
      const text = /^WITH\s/i.test(statement)
        ? `WITH ${claim}, ${statement.replace(/^WITH\s+/i, '')}`
        : `WITH ${claim} ${statement}`;
      const result = await sql.query<Row>(
        text,
        [...params, ...keyParams(idempotency)],
        name && `${name}_keyed`,
      );
      // No row back: either the statement had nothing to do or the key was taken. A row this
      // transaction inserted has no answer yet (status 0); a committed one always has.
      if (result.rows.length === 0) {
        const row = await keyRow(sql, idempotency);
        if (!row || Number(row.status) !== 0) throw new Replay(answerOf(row, idempotency));
      }
      return result;
    },
    claimKey,
  };
}

const keyParams = (request: IdempotencyRequest) => [
  request.user,
  request.key,
  request.method,
  request.path,
  request.bodyHash,
];

interface KeyRow {
  method: string;
  path: string;
  body_hash: string;
  status: number;
  response: string;
}

async function keyRow(sql: Sql, request: IdempotencyRequest): Promise<KeyRow | undefined> {
  const { rows } = await sql.query<KeyRow>(
    `SELECT method, path, body_hash, status, response FROM idempotency_keys
     WHERE user_name = $1 AND key = $2`,
    [request.user, request.key],
    'jss_key_row',
  );
  return rows[0];
}

async function storedAnswer(sql: Sql, request: IdempotencyRequest): Promise<WriteAnswer> {
  return answerOf(await keyRow(sql, request), request);
}

function answerOf(row: KeyRow | undefined, request: IdempotencyRequest): WriteAnswer {
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

/** The statement that stores the answer, sent with the COMMIT. */
function storeAnswer(request: IdempotencyRequest, answer: WriteAnswer) {
  return {
    text: `UPDATE idempotency_keys SET status = $3, response = $4 WHERE user_name = $1 AND key = $2`,
    params: [request.user, request.key, answer.status, JSON.stringify(answer.body)],
  };
}
