import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index';
import { migrate, SCHEMA_VERSION } from '../src/store/migrations';
import { openStore, type Store } from '../src/store/store';
import { apiClient, jobOf, registerTestServer, uniqueUser } from './support/harness';
import { dataOf, openEventStream } from './support/sse-client';
import { dropSchema, postgresUrlOrSkip } from './support/test-store';

// These need a real PostgreSQL: several connections, LISTEN on one and NOTIFY from others,
// concurrent transactions. Skipped with a notice without DATABASE_URL (a failure under
// JSS_REQUIRE_ALL=1).
const databaseUrl = postgresUrlOrSkip('server postgres tests');
const schema = `jss_pgtest_${Date.now().toString(36)}_${process.pid}`;

describe.skipIf(!databaseUrl)('on PostgreSQL', () => {
  const url = databaseUrl!;
  let stores: Store[] = [];
  let servers: RunningServer[] = [];

  beforeAll(async () => {
    // Three instances starting at once on an empty schema: the migration lock lets one create
    // the tables and the others find them.
    stores = await Promise.all([1, 2, 3].map(() => openStore({ databaseUrl: url, schema })));
    servers = await Promise.all(
      stores
        .slice(0, 2)
        .map((store) => startServer({ port: 0, logger: false, store }).then(registerTestServer)),
    );
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await Promise.all(stores.map((store) => store.db.close()));
    await dropSchema(url, schema);
  });

  it('migrates once when several instances start together', async () => {
    const { rows } = await stores[0]!.db.query<{ version: number }>(
      'SELECT version FROM jss_migrations ORDER BY version',
    );
    expect(rows.map((row) => Number(row.version))).toEqual(
      Array.from({ length: SCHEMA_VERSION }, (_, index) => index + 1),
    );
    await expect(migrate(stores[2]!.db)).resolves.toBeUndefined();
  });

  it('stores service fields and logs with lz4, which Debian builds PostgreSQL with', async () => {
    const { rows } = await stores[0]!.db.query<{ name: string; compression: string }>(
      `SELECT attname AS name, attcompression AS compression FROM pg_attribute
       WHERE attrelid = 'jobs'::regclass AND attname IN ('service_fields', 'logs') ORDER BY attname`,
    );
    expect(rows).toEqual([
      { name: 'logs', compression: 'l' },
      { name: 'service_fields', compression: 'l' },
    ]);
  });

  it('uses the schema it was given and leaves public alone', async () => {
    const { rows } = await stores[0]!.db.query<{ schema: string }>(
      `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'jobs' AND table_schema = $1`,
      [schema],
    );
    expect(rows).toHaveLength(1);
  });

  it("delivers one instance's writes to the other instance's subscribers through LISTEN/NOTIFY", async () => {
    const [first, second] = servers as [RunningServer, RunningServer];
    const api = apiClient(() => second.url, uniqueUser('pg-sse'));
    const stream = await openEventStream(`${first.url}/1.0/job/subscribe/${api.user}`);
    try {
      await stream.take(1);
      const job = jobOf(await api.create({}));
      await api.patch(job.job_id, { status: 'SUCCEEDED' });
      const events = await stream.take(3);
      expect(events.slice(1).map((event) => [event.event, dataOf(event).status])).toEqual([
        ['jobInsert', 'WAITING'],
        ['jobUpdate', 'SUCCEEDED'],
      ]);
    } finally {
      await stream.close();
    }
  });

  it('lets a poller see every change exactly in stamp order while two instances write at once', async () => {
    const user = uniqueUser('pg-poll');
    const [first, second] = servers as [RunningServer, RunningServer];
    const poller = apiClient(() => first.url, user);
    let since = (await poller.call('POST', '1.0/job/changes?since=0', { user })).body.stamp!;
    const lastSeen = new Map<string, string | null>();
    let writing = true;
    const writers = (async () => {
      await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const api = apiClient(() => (i % 2 ? first : second).url, user);
          const job = jobOf(await api.create({ job_name: `j${i}` }));
          await api.patch(job.job_id, { job_name: `j${i} done` });
        }),
      );
      writing = false;
    })();
    const stamps: number[] = [];
    // Once the writers are done, a change may still wait for a transaction elsewhere in the
    // cluster (a PostgreSQL shared with other work) to end before the feed hands it out.
    const caughtUp = () =>
      lastSeen.size === 40 && [...lastSeen.values()].every((name) => name?.endsWith(' done'));
    while (writing || !caughtUp()) {
      const answer = await poller.call('POST', `1.0/job/changes?since=${since}&limit=7`, { user });
      for (const job of answer.body.data) lastSeen.set(job.job_id, job.job_name);
      stamps.push(answer.body.stamp!);
      since = answer.body.stamp!;
    }
    await writers;
    expect(lastSeen.size).toBe(40);
    expect([...lastSeen.values()].every((name) => name?.endsWith(' done'))).toBe(true);
    expect([...stamps].sort((x, y) => x - y)).toEqual(stamps);
  });

  it('keeps committed jobs when an instance restarts', async () => {
    const api = apiClient(() => servers[0]!.url, uniqueUser('pg-restart'));
    const job = jobOf(await api.create({ service_fields: { kept: true } }));
    const restarted = registerTestServer(
      await startServer({
        port: 0,
        logger: false,
        databaseUrl: url,
        databaseSchema: schema,
      }),
    );
    try {
      const again = await apiClient(() => restarted.url, api.user).get(job.job_id);
      expect(jobOf(again)).toEqual(job);
    } finally {
      await restarted.close();
    }
  });
});
