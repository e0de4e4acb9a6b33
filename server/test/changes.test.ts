import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { apiClient, jobOf, uniqueUser, useTestDatabase, type ApiClient } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});
const client = () => apiClient(() => server.url, uniqueUser('changes'));

const changes = (api: ApiClient, search: string, filter: unknown = { user: api.user }) =>
  api.call('POST', `1.0/job/changes${search}`, filter);
const idsOf = (answer: { body: { data: { job_id: string }[] } }) =>
  answer.body.data.map((job) => job.job_id);

describe('changes', () => {
  it('answers the jobs changed after a stamp, in stamp order', async () => {
    const api = client();
    const start = (await changes(api, '?since=0')).body.stamp!;
    const a = jobOf(await api.create({})).job_id;
    const b = jobOf(await api.create({})).job_id;
    await api.patch(a, { job_name: 'changed last' });
    const answer = await changes(api, `?since=${start}`);
    expect(answer.status).toBe(200);
    expect(idsOf(answer)).toEqual([b, a]);
    expect(answer.body.data[1]!.job_name).toBe('changed last');
    expect(answer.body).toMatchObject({
      response_type: 'SUCCESS',
      total_count: 2,
      offset: 0,
      has_more: false,
    });
  });

  it('hands out a stamp that neither misses nor repeats a change', async () => {
    const api = client();
    const first = await changes(api, '?since=0');
    expect(first.body.data).toEqual([]);
    const job = jobOf(await api.create({})).job_id;
    const second = await changes(api, `?since=${first.body.stamp}`);
    expect(idsOf(second)).toEqual([job]);
    const third = await changes(api, `?since=${second.body.stamp}`);
    expect(third.body.data).toEqual([]);
    expect(third.body.stamp).toBe(second.body.stamp);
  });

  it('pages by limit and continues from the last job of a full page', async () => {
    const api = client();
    const start = (await changes(api, '?since=0')).body.stamp!;
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push(jobOf(await api.create({})).job_id);
    const seen: string[] = [];
    let since = start;
    for (let round = 0; round < 5; round++) {
      const answer = await changes(api, `?since=${since}&limit=2`);
      seen.push(...idsOf(answer));
      since = answer.body.stamp!;
      if (!answer.body.has_more) break;
    }
    expect(seen).toEqual(created);
  });

  it('pages in numeric stamp order when stamps differ in their number of digits', async () => {
    const api = client();
    const nine = jobOf(await api.create({})).job_id;
    const ten = jobOf(await api.create({})).job_id;
    // Text order would put 10 before 9 and then continue after 10, skipping 9.
    await database.store.db.query(
      `UPDATE jobs SET stamp = CASE job_id WHEN $1 THEN 9 ELSE 10 END WHERE job_id IN ($1, $2)`,
      [nine, ten],
    );
    const first = await changes(api, '?since=0&limit=1');
    const second = await changes(api, `?since=${first.body.stamp}&limit=1`);
    expect([...idsOf(first), ...idsOf(second)]).toEqual([nine, ten]);
  });

  it('narrows to finished jobs with finished=true', async () => {
    const api = client();
    const start = (await changes(api, '?since=0')).body.stamp!;
    const done = jobOf(await api.create({ status: 'SUCCEEDED' })).job_id;
    await api.create({ status: 'WORKING' });
    const aborted = jobOf(await api.create({ status: 'WORKING' })).job_id;
    await api.action(aborted, 'abort');
    expect(idsOf(await changes(api, `?since=${start}&finished=true`))).toEqual([done, aborted]);
  });

  it('applies the filter body', async () => {
    const api = client();
    const start = (await changes(api, '?since=0')).body.stamp!;
    await api.create({ service_fields: { kind: 'a' } });
    const wanted = jobOf(await api.create({ service_fields: { kind: 'b' } })).job_id;
    expect(
      idsOf(await changes(api, `?since=${start}`, { user: api.user, 'service_fields.kind': 'b' })),
    ).toEqual([wanted]);
  });

  it('accepts an empty filter body', async () => {
    const api = client();
    const answer = await api.call('POST', '1.0/job/changes?since=0&limit=1');
    expect(answer.status).toBe(200);
  });

  it('moves the stamp past a deletion without answering the deleted job', async () => {
    const api = client();
    const job = jobOf(await api.create({ status: 'FAILED' })).job_id;
    const before = (await changes(api, '?since=0')).body.stamp!;
    await api.remove(job);
    const answer = await changes(api, `?since=${before}`);
    expect(answer.body.data).toEqual([]);
    expect(answer.body.stamp).toBeGreaterThan(before);
  });

  it.each(['since=-1', 'since=x', 'limit=0', 'limit=1001', 'finished=yes'])(
    'refuses %s with 400 invalid_paging',
    async (search) => {
      const api = client();
      const answer = await changes(api, `?${search}`);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_paging');
    },
  );
});
