import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { apiClient, jobOf, uniqueUser, useTestDatabase } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
let other: RunningServer;
beforeAll(async () => {
  server = await database.server();
  // A second instance on the same database: writers on both must not lose each other's work.
  other = await database.server();
});

describe('concurrent writers', () => {
  it('keeps every one of 50 concurrent patches to different paths of one job', async () => {
    const user = uniqueUser('writers');
    const one = apiClient(() => server.url, user);
    const two = apiClient(() => other.url, user);
    const job = jobOf(await one.create({ service_fields: { counters: {}, list: [] } }));
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? one : two).patch(job.job_id, {
          [`service_fields.counters.c${i}`]: i,
          [`service_fields.list.${i}`]: `item ${i}`,
        }),
      ),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const fields = jobOf(await one.get(job.job_id)).service_fields as {
      counters: Record<string, number>;
      list: unknown[];
    };
    expect(Object.keys(fields.counters)).toHaveLength(50);
    for (let i = 0; i < 50; i++) expect(fields.counters[`c${i}`]).toBe(i);
    // Each index is set by exactly one patch; padding from an earlier, higher index is filled in.
    expect(fields.list).toEqual(Array.from({ length: 50 }, (_, i) => `item ${i}`));
  });

  it('answers each of 30 concurrent creates on two instances exactly once to a poller', async () => {
    const user = uniqueUser('stamps');
    const api = apiClient(() => server.url, user);
    const start = (await api.call('POST', '1.0/job/changes?since=0', { user })).body.stamp!;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        apiClient(() => (i % 2 ? server : other).url, user).create({}),
      ),
    );
    const jobIds: string[] = [];
    let since = start;
    // A change is handed out once no older transaction is running, so it may take a few polls.
    while (jobIds.length < 30) {
      const answer = await api.call('POST', `1.0/job/changes?since=${since}&limit=7`, { user });
      jobIds.push(...answer.body.data.map((job) => job.job_id));
      since = answer.body.stamp!;
    }
    expect(new Set(jobIds).size).toBe(jobIds.length);
  });
});
