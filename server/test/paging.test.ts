import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { apiClient, jobOf, uniqueUser, useTestDatabase, type ApiClient } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});
const client = () => apiClient(() => server.url, uniqueUser('paging'));

async function createJobs(
  api: ApiClient,
  count: number,
  fields: (i: number) => Record<string, unknown> = () => ({}),
) {
  const created: string[] = [];
  for (let i = 0; i < count; i++) created.push(jobOf(await api.create(fields(i))).job_id);
  return created;
}
const idsOf = (answer: { body: { data: { job_id: string }[] } }) =>
  answer.body.data.map((job) => job.job_id);

describe('limit and offset', () => {
  it('answers every match without a limit, in creation order', async () => {
    const api = client();
    const created = await createJobs(api, 5);
    const answer = await api.query({ user: api.user });
    expect(idsOf(answer)).toEqual(created);
    expect(answer.body).toMatchObject({ total_count: 5, offset: 0, has_more: false });
    expect(answer.body.next_cursor).toBeUndefined();
  });

  it('answers one page and describes it', async () => {
    const api = client();
    const created = await createJobs(api, 5);
    const answer = await api.query({ user: api.user }, '?limit=2&offset=2');
    expect(idsOf(answer)).toEqual(created.slice(2, 4));
    expect(answer.body).toMatchObject({ total_count: 5, offset: 2, has_more: true });
  });

  it('says there is no more on the last page', async () => {
    const api = client();
    const created = await createJobs(api, 3);
    const answer = await api.query({ user: api.user }, '?limit=2&offset=2');
    expect(idsOf(answer)).toEqual(created.slice(2));
    expect(answer.body.has_more).toBe(false);
  });

  it('reports the total of every match on the last page', async () => {
    const api = client();
    await createJobs(api, 3);
    const answer = await api.query({ user: api.user }, '?limit=2&offset=2');
    expect(answer.body).toMatchObject({ total_count: 3, offset: 2, has_more: false });
  });

  it('counts every match for an offset past the last one', async () => {
    const api = client();
    await createJobs(api, 3);
    const answer = await api.query({ user: api.user }, '?limit=2&offset=5');
    expect(idsOf(answer)).toEqual([]);
    expect(answer.body).toMatchObject({ total_count: 3, offset: 5, has_more: false });
  });

  it.each([
    'limit=0',
    'limit=1001',
    'limit=abc',
    'offset=-1',
    'offset=1.5',
    'sort=colour',
    'sort=created,created',
    'sort=',
    'cursor=@@@',
  ])('refuses %s with 400 invalid_paging', async (search) => {
    const answer = await client().query({}, `?${search}`);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_paging');
  });
});

describe('sort', () => {
  it('sorts by several fields, descending with a minus', async () => {
    const api = client();
    const [a, b, c, d] = await createJobs(api, 4, (i) => ({
      status: i % 2 ? 'FAILED' : 'WORKING',
      job_name: `n${i}`,
    }));
    const answer = await api.query({ user: api.user }, '?sort=status,-job_name');
    expect(idsOf(answer)).toEqual([d, b, c, a]);
  });

  it('puts nulls after every value ascending and before them descending', async () => {
    const api = client();
    const [named, unnamed] = await createJobs(api, 2, (i) => ({ job_name: i === 0 ? 'x' : null }));
    expect(idsOf(await api.query({ user: api.user }, '?sort=job_name'))).toEqual([named, unnamed]);
    expect(idsOf(await api.query({ user: api.user }, '?sort=-job_name'))).toEqual([unnamed, named]);
  });

  it('sorts by modified', async () => {
    const api = client();
    const [first, second] = await createJobs(api, 2);
    await api.patch(first!, { job_name: 'touched later' });
    expect(idsOf(await api.query({ user: api.user }, '?sort=-modified'))).toEqual([first, second]);
  });

  it('offers no cursor for a page in another order', async () => {
    const api = client();
    await createJobs(api, 3);
    const answer = await api.query({ user: api.user }, '?limit=1&sort=-created');
    expect(answer.body.has_more).toBe(true);
    expect(answer.body.next_cursor).toBeUndefined();
  });
});

describe('cursor', () => {
  it('walks every job once, page by page', async () => {
    const api = client();
    const created = await createJobs(api, 7);
    const seen: string[] = [];
    let search = '?limit=3';
    for (;;) {
      const answer = await api.query({ user: api.user }, search);
      expect(answer.body.offset).toBe(seen.length);
      expect(answer.body.total_count).toBe(7);
      seen.push(...idsOf(answer));
      if (!answer.body.next_cursor) break;
      search = `?limit=3&cursor=${encodeURIComponent(answer.body.next_cursor)}`;
    }
    expect(seen).toEqual(created);
  });

  it('neither skips nor repeats a job when others are created and deleted between pages', async () => {
    const api = client();
    const created = await createJobs(api, 6, () => ({ status: 'SUCCEEDED' }));
    const seen: string[] = [];
    let search = '?limit=2';
    let round = 0;
    for (;;) {
      const answer = await api.query({ user: api.user }, search);
      seen.push(...idsOf(answer));
      // Between pages: delete a job already seen, and add a new one.
      if (round < 3) {
        await api.remove(created[round]!);
        created.push(jobOf(await api.create({ status: 'SUCCEEDED' })).job_id);
      }
      round++;
      if (!answer.body.next_cursor) break;
      search = `?limit=2&cursor=${encodeURIComponent(answer.body.next_cursor)}`;
    }
    expect(seen).toEqual(created);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('keeps jobs created in the same millisecond in order', async () => {
    const api = client();
    const created = await Promise.all(Array.from({ length: 8 }, () => api.create({})));
    // Concurrent creates may share a millisecond; the job id orders those.
    const byCreation = created
      .map(jobOf)
      .sort((x, y) =>
        x.created === y.created ? (x.job_id < y.job_id ? -1 : 1) : x.created < y.created ? -1 : 1,
      );
    const first = await api.query({ user: api.user }, '?limit=4');
    const second = await api.query(
      { user: api.user },
      `?limit=4&cursor=${encodeURIComponent(first.body.next_cursor!)}`,
    );
    expect([...idsOf(first), ...idsOf(second)]).toEqual(byCreation.map((job) => job.job_id));
  });

  it.each(['sort=created', 'offset=1'])('refuses a cursor with %s', async (search) => {
    const api = client();
    await createJobs(api, 2);
    const page = await api.query({ user: api.user }, '?limit=1');
    const answer = await api.query(
      { user: api.user },
      `?cursor=${page.body.next_cursor}&${search}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_paging');
  });

  it('refuses a cursor that was not made by the server', async () => {
    const forged = Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url');
    const answer = await client().query({}, `?cursor=${forged}`);
    expect(answer.body.code).toBe('invalid_paging');
  });
});

describe('sortable fields', () => {
  it('has a column for every field the shared model lets a query sort by', async () => {
    const { SORT_COLUMNS } = await import('../src/store/query-jobs');
    const { SORTABLE_FIELDS } = await import('#protocol');
    expect([...SORT_COLUMNS.keys()].sort()).toEqual([...SORTABLE_FIELDS].sort());
  });
});
