import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/index';
import { applyPatchWithSql, matchFilterWithSql } from '../src/store/oracle';
import {
  apiClient,
  jobOf,
  registerTestServer,
  uniqueUser,
  useTestDatabase,
} from './support/harness';

const database = useTestDatabase();

describe('a PGlite data folder', () => {
  const folder = mkdtempSync(join(tmpdir(), 'jss-data-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps jobs across a restart', async () => {
    const first = registerTestServer(
      await startServer({ port: 0, logger: false, dataDir: folder }),
    );
    const api = apiClient(() => first.url, uniqueUser('disk'));
    const job = jobOf(await api.create({ service_fields: { kept: [1, 2] } }));
    await first.close();

    const second = registerTestServer(
      await startServer({ port: 0, logger: false, dataDir: folder }),
    );
    try {
      expect(jobOf(await apiClient(() => second.url, api.user).get(job.job_id))).toEqual(job);
    } finally {
      await second.close();
    }
  });
});

describe('the differential-test hooks', () => {
  const base = { job_id: 'j1', user: 'u', service_fields: { a: { b: [1, 2] } } };

  it('applies a patch body with the server SQL without touching the jobs table', async () => {
    const patched = await applyPatchWithSql(database.store.db, base, {
      'service_fields.a.b.3': 'x',
      'service_fields.c(dot)d': true,
      status: 'WORKING',
    });
    expect(patched.service_fields).toEqual({ a: { b: [1, 2, null, 'x'] }, 'c.d': true });
    expect(patched.status).toBe('WORKING');
    const { rows } = await database.store.db.query('SELECT 1 FROM jobs WHERE job_id = $1', ['j1']);
    expect(rows).toEqual([]);
  });

  it('throws the refusal the endpoint would answer', async () => {
    await expect(applyPatchWithSql(database.store.db, base, { user: 'x' })).rejects.toMatchObject({
      code: 'field_not_updatable',
    });
  });

  it('runs a filter body over given documents', async () => {
    const jobs = [
      { job_id: 'x', user: 'u', created: '2020-01-01T00:00:00.000+0000', service_fields: { n: 1 } },
      { job_id: 'y', user: 'u', created: '2020-01-02T00:00:00.000+0000', service_fields: { n: 2 } },
      { job_id: 'z', user: 'v', created: '2020-01-03T00:00:00.000+0000', service_fields: {} },
    ];
    expect(
      await matchFilterWithSql(database.store.db, jobs, { 'service_fields.n': { $gte: 1 } }),
    ).toEqual(['x', 'y']);
    expect(await matchFilterWithSql(database.store.db, jobs, { user: 'u' }, '-created')).toEqual([
      'y',
      'x',
    ]);
  });
});

describe('a server on an existing store', () => {
  it('does not close the store it was given', async () => {
    const own = registerTestServer(
      await startServer({ port: 0, logger: false, store: database.store }),
    );
    await own.close();
    const { rows } = await database.store.db.query<{ one: number }>('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
  });
});
