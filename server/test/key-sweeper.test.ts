import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_LIFETIME_MS } from '#protocol/headers';
import { KEY_SWEEP_INTERVAL_MS, KeySweeper } from '../src/store/key-sweeper';
import { uniqueUser, useTestDatabase } from './support/harness';

const database = useTestDatabase();

async function insertKey(user: string, key: string, ageMs: number) {
  await database.store.db.query(
    `INSERT INTO idempotency_keys (user_name, key, method, path, body_hash, status, response, created)
     VALUES ($1, $2, 'POST', '/jss/1.0/job', '', 201, '{}', now() - $3::bigint * interval '1 millisecond')`,
    [user, key, ageMs],
  );
}

async function keysOf(user: string) {
  const { rows } = await database.store.db.query<{ key: string }>(
    'SELECT key FROM idempotency_keys WHERE user_name = $1 ORDER BY key',
    [user],
  );
  return rows.map((row) => row.key);
}

describe('KeySweeper', () => {
  it('forgets keys older than their lifetime and keeps younger ones', async () => {
    const user = uniqueUser('sweep');
    await insertKey(user, 'old', IDEMPOTENCY_KEY_LIFETIME_MS + 60_000);
    await insertKey(user, 'young', IDEMPOTENCY_KEY_LIFETIME_MS - 60_000);
    const sweeper = new KeySweeper(database.store);
    sweeper.afterWrite();
    await sweeper.idle();
    expect(await keysOf(user)).toEqual(['young']);
  });

  it('sweeps at most once per interval', async () => {
    const user = uniqueUser('sweep');
    let now = 1_000_000;
    const sweeper = new KeySweeper(database.store, () => now);
    sweeper.afterWrite();
    await sweeper.idle();
    await insertKey(user, 'old', IDEMPOTENCY_KEY_LIFETIME_MS + 60_000);
    now += KEY_SWEEP_INTERVAL_MS - 1;
    sweeper.afterWrite();
    await sweeper.idle();
    const beforeInterval = await keysOf(user);
    now += 1;
    sweeper.afterWrite();
    await sweeper.idle();
    expect([beforeInterval, await keysOf(user)]).toEqual([['old'], []]);
  });

  it('reports a failed sweep instead of throwing it', async () => {
    const errors: unknown[] = [];
    const failing = {
      ...database.store,
      db: { ...database.store.db, query: () => Promise.reject(new Error('gone')) },
    };
    const sweeper = new KeySweeper(failing);
    sweeper.onError = (error) => errors.push(error);
    sweeper.afterWrite();
    await sweeper.idle();
    expect(errors.map((error) => (error as Error).message)).toEqual(['gone']);
  });
});
