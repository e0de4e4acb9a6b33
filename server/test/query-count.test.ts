import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { LIMITS } from '../src/limits';
import { apiClient, uniqueUser, useTestDatabase, type Envelope } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
const user = uniqueUser('counted');
const jobs = LIMITS.queryCountCap + 200;

beforeAll(async () => {
  server = await database.server();
  const api = apiClient(() => server.url, user);
  for (let start = 0; start < jobs; start += 600) {
    const batch = Array.from({ length: Math.min(600, jobs - start) }, () => ({ user }));
    const answer = await api.call('POST', '1.0/job/batch', batch);
    expect(answer.status).toBe(201);
  }
});

type CountedEnvelope = Envelope & { total_count_capped?: boolean };
const query = (search: string) =>
  apiClient(() => server.url, user).call<CountedEnvelope>('POST', `1.0/job/query${search}`, {
    user,
  });

describe('the total of a query', () => {
  it('stops counting at the cap on a page that is not the last, and says so', async () => {
    const { body } = await query('?limit=10');

    expect([body.total_count, body.total_count_capped]).toEqual([LIMITS.queryCountCap, true]);
  });

  it('still counts the page and one match after it when the offset passes the cap', async () => {
    const { body } = await query(`?limit=10&offset=${LIMITS.queryCountCap + 50}`);

    expect([body.total_count, body.total_count_capped]).toEqual([LIMITS.queryCountCap + 61, true]);
  });

  it('is exact, without the flag, on the last page', async () => {
    const { body } = await query(`?limit=10&offset=${jobs - 5}`);

    expect([body.total_count, 'total_count_capped' in body]).toEqual([jobs, false]);
  });
});
