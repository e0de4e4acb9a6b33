import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ChangeHub } from '../src/events';
import type { Db } from '../src/store/db';
import { openStore, type Store } from '../src/store/store';
import type { ChangeNotice } from '../src/store/write';
import { dropSchema, postgresUrlOrSkip } from './support/test-store';

/**
 * A store whose NOTIFYs the test sends itself and whose every statement after the first (the
 * hub's starting point, read when the first stream joins) fails, as a pool that cannot connect
 * (`too many clients already`) makes it fail.
 */
function failingStore() {
  let notify: (payload: string) => void = () => {};
  let statements = 0;
  const db = {
    engine: 'postgres',
    query: () =>
      statements++ === 0
        ? Promise.resolve({ rows: [{ frontier: '100' }] })
        : Promise.reject(new Error('sorry, too many clients already')),
    listen: (_channel: string, onPayload: (payload: string) => void) => {
      notify = onPayload;
      return Promise.resolve(() => Promise.resolve());
    },
  } as unknown as Db;
  const store: Store = { db, channel: 'jss_jobs' };
  return { store, notify: (notice: ChangeNotice) => notify(JSON.stringify(notice)) };
}

describe('ChangeHub', () => {
  it('ends the streams that wanted a change it could not read', async () => {
    const { store, notify } = failingStore();
    const errors: unknown[] = [];
    const hub = await ChangeHub.start(store, (error) => errors.push(error));
    const received: unknown[] = [];
    let closed = false;
    await hub.subscribe({
      scope: { jobIds: ['followed'] },
      wants: (notice) => notice.job_id === 'followed',
      receive: (event) => received.push(event),
      close: () => {
        closed = true;
      },
    });

    notify({ stamp: 700, job_id: 'followed', user: 'u', kind: 'update' });
    await expect.poll(() => errors.length).toBe(1);

    // Left open, the stream would never get this change; ended, its client resumes after it.
    expect(closed).toBe(true);
    expect(received).toEqual([]);
    await hub.close();
  });
});

const databaseUrl = postgresUrlOrSkip('change hub on PostgreSQL');

describe.skipIf(!databaseUrl)('ChangeHub on PostgreSQL', () => {
  it('ends its streams once it listens again after losing the listening connection', async () => {
    const url = databaseUrl!;
    const schema = `jss_test_hub_${randomBytes(4).toString('hex')}`;
    const store = await openStore({ databaseUrl: url, schema });
    const hub = await ChangeHub.start(store, () => {});
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      let closed = false;
      await hub.subscribe({
        scope: { user: 'anyone' },
        wants: () => true,
        receive: () => {},
        close: () => {
          closed = true;
        },
      });

      const { rows } = await admin.query<{ ended: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE query = $1`,
        [`LISTEN ${store.channel}`],
      );
      expect(rows).toEqual([{ ended: true }]);

      // NOTIFYs sent while it was gone are lost; ended, the stream's client resumes after them.
      await expect.poll(() => closed, { timeout: 5_000 }).toBe(true);
    } finally {
      await admin.end();
      await hub.close();
      await store.db.close();
      await dropSchema(url, schema);
    }
  });
});
