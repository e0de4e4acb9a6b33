// Listing in pages, iterating across pages, polling for changes and the queue presets.
import { expect, it } from 'vitest';
import {
  QUEUE_STATUSES,
  type Job,
  type JobStatus,
  type JobStatusClient,
  type QueuePreset,
} from '../../src';
import { clientFor, describeJss, uniqueUser } from './support';

/** `count` jobs of a fresh user, created one after another (so in `created` order). */
async function jobsOfNewUser(count: number, status: JobStatus = 'WAITING') {
  const user = uniqueUser();
  const client = clientFor(user);
  const jobs: Job[] = [];
  for (let index = 0; index < count; index++) {
    const jobName = `job-${String.fromCharCode(97 + ((index * 7) % 26))}`;
    jobs.push(await client.createJob({ user, jobName, status: status as 'WAITING' }));
  }
  return { user, client, jobs, ids: jobs.map((job) => job.jobId) };
}

describeJss('listJobs', () => {
  it('answers one page with limit and offset, and describes it', async () => {
    const { user, client, ids } = await jobsOfNewUser(5);

    const page = await client.listJobs({ user }, { limit: 2, offset: 2 });

    expect(page.jobs.map((job) => job.jobId)).toEqual(ids.slice(2, 4));
    expect(page).toMatchObject({ totalCount: 5, offset: 2, hasMore: true });
  });

  it('says hasMore false on the last page', async () => {
    const { user, client, ids } = await jobsOfNewUser(5);

    const page = await client.listJobs({ user }, { limit: 2, offset: 4 });

    expect(page.jobs.map((job) => job.jobId)).toEqual(ids.slice(4));
    expect(page.hasMore).toBe(false);
  });

  it('answers every match when no limit is given', async () => {
    const { user, client, ids } = await jobsOfNewUser(4);

    const page = await client.listJobs({ user });

    expect(page.jobs.map((job) => job.jobId)).toEqual(ids);
    expect(page).toMatchObject({ totalCount: 4, offset: 0, hasMore: false });
  });

  it('orders by the given keys, descending with a - prefix', async () => {
    const { user, client, jobs } = await jobsOfNewUser(6);
    const expected = [...jobs]
      .sort((a, b) =>
        a.jobName === b.jobName
          ? b.created.getTime() - a.created.getTime()
          : (b.jobName ?? '') < (a.jobName ?? '')
            ? -1
            : 1,
      )
      .map((job) => job.jobId);

    const page = await client.listJobs({ user }, { sort: ['-jobName', '-created'] });

    expect(page.jobs.map((job) => job.jobId)).toEqual(expected);
  });

  it('walks every job once by following nextCursor', async () => {
    const { user, client, ids } = await jobsOfNewUser(7);
    const seen: string[] = [];

    let page = await client.listJobs({ user }, { limit: 3 });
    seen.push(...page.jobs.map((job) => job.jobId));
    while (page.nextCursor !== undefined) {
      page = await client.listJobs({ user }, { limit: 3, cursor: page.nextCursor });
      seen.push(...page.jobs.map((job) => job.jobId));
    }

    expect(seen).toEqual(ids);
  });
});

describeJss('iterateJobs', () => {
  it('yields every matching job once, across pages', async () => {
    const { user, client, ids } = await jobsOfNewUser(7);
    const seen: string[] = [];

    for await (const job of client.iterateJobs({ user }, { pageSize: 2 })) seen.push(job.jobId);

    expect(seen).toEqual(ids);
  });

  it('neither skips nor repeats while jobs are deleted and inserted meanwhile', async () => {
    const { user, client, ids } = await jobsOfNewUser(10, 'SUCCEEDED');
    const seen: string[] = [];
    const inserted: string[] = [];

    for await (const job of client.iterateJobs({ user }, { pageSize: 3 })) {
      seen.push(job.jobId);
      if (!ids.includes(job.jobId)) continue;
      // Deleting what was read would make offset paging skip; inserting would make it repeat.
      await client.deleteJob(job.jobId);
      inserted.push((await client.createJob({ user, jobName: `late-${job.jobId}` })).jobId);
    }

    expect(seen).toEqual([...ids, ...inserted]);
  });

  it('stops early without asking for more pages', async () => {
    const { user, client, ids } = await jobsOfNewUser(5);
    const seen: string[] = [];

    for await (const job of client.iterateJobs({ user }, { pageSize: 2 })) {
      seen.push(job.jobId);
      if (seen.length === 3) break;
    }

    expect(seen).toEqual(ids.slice(0, 3));
  });
});

describeJss('getJobsChangedSince', () => {
  /** Polls with `limit` until an answer is empty; returns the ids in the order they came. */
  async function pollAll(client: JobStatusClient, user: string, since: number, limit: number) {
    const ids: string[] = [];
    const stamps: number[] = [];
    let stamp = since;
    for (;;) {
      const changes = await client.getJobsChangedSince(stamp, { filter: { user }, limit });
      stamps.push(changes.stamp);
      ids.push(...changes.jobs.map((job) => job.jobId));
      stamp = changes.stamp;
      if (changes.jobs.length === 0) return { ids, stamp, stamps };
    }
  }

  it('answers each change once, in the order of the changes, across small pages', async () => {
    const { user, client, ids } = await jobsOfNewUser(5);
    await client.updateJob(ids[1]!, { currentStage: 'second' });
    await client.updateJob(ids[3]!, { currentStage: 'fourth' });

    const polled = await pollAll(client, user, 0, 2);

    expect(polled.ids).toEqual([ids[0], ids[2], ids[4], ids[1], ids[3]]);
  });

  it('moves the stamp forward with every answer that has jobs, and never back', async () => {
    const { user, client } = await jobsOfNewUser(5);

    const { stamps } = await pollAll(client, user, 0, 2);

    // Three full pages of two or fewer, then the empty answer; other tests write meanwhile, so
    // the empty answer's stamp may be newer still, but never older.
    const [first, second, third, last] = stamps as [number, number, number, number];
    expect(stamps).toHaveLength(4);
    expect(first).toBeLessThan(second);
    expect(second).toBeLessThan(third);
    expect(last).toBeGreaterThanOrEqual(third);
  });

  it('answers only what changed after the stamp it was given', async () => {
    const { user, client, ids } = await jobsOfNewUser(3);
    const { stamp } = await pollAll(client, user, 0, 100);

    await client.updateJob(ids[0]!, { currentStage: 'again' });
    const later = await client.getJobsChangedSince(stamp, { filter: { user } });

    expect(later.jobs.map((job) => job.jobId)).toEqual([ids[0]]);
    expect(later.jobs[0]?.currentStage).toBe('again');
    expect(later.stamp).toBeGreaterThan(stamp);
  });

  it('misses no change made while it polls', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const latest = new Map<string, string | null | undefined>();
    let stamp = 0;
    const poll = async () => {
      const changes = await client.getJobsChangedSince(stamp, { filter: { user }, limit: 3 });
      for (const job of changes.jobs) latest.set(job.jobId, job.currentStage);
      stamp = changes.stamp;
      return changes.jobs.length;
    };
    const writes = (async () => {
      for (let index = 0; index < 12; index++) {
        const { jobId } = await client.createJob({ user, currentStage: 'created' });
        await client.updateJob(jobId, { currentStage: `final-${index}` });
      }
    })();
    let writing = true;
    void writes.finally(() => (writing = false));

    while (writing) await poll();
    await writes;
    while ((await poll()) > 0);

    const stored = await client.getJobs({ user });
    expect(Object.fromEntries(latest)).toEqual(
      Object.fromEntries(stored.map((job) => [job.jobId, job.currentStage])),
    );
  });

  it('narrows to jobs that have ended with finished', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const running = await client.createJob({ user, status: 'WORKING' });
    const done = await client.createJob({ user, status: 'SUCCEEDED' });
    await client.updateJob(running.jobId, { currentStage: 'still going' });

    const changes = await client.getJobsChangedSince(0, { filter: { user }, finished: true });

    expect(changes.jobs.map((job) => job.jobId)).toEqual([done.jobId]);
  });
});

describeJss('listQueue', () => {
  const statuses = [
    'WAITING',
    'BLOCKED',
    'WORKING',
    'RETRYING',
    'SUCCEEDED',
    'FAILED',
    'UNRECOVERABLE',
    'ABORTED',
  ] as const;
  const presets = Object.keys(QUEUE_STATUSES) as QueuePreset[];

  it.each(presets)('lists exactly the jobs whose status is in the %s queue', async (preset) => {
    const user = uniqueUser();
    const client = clientFor(user);
    for (const status of statuses) await client.createJob({ user, status, jobName: status });

    const page = await client.listQueue(preset, { filter: { user } });

    const found = page.jobs.map((job) => job.status).sort();
    expect(found).toEqual([...QUEUE_STATUSES[preset]].sort());
  });

  it('pages and sorts a queue', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    for (const status of statuses) await client.createJob({ user, status, jobName: status });

    const page = await client.listQueue('finished', {
      filter: { user },
      sort: 'jobName',
      limit: 3,
    });

    expect(page.jobs.map((job) => job.jobName)).toEqual(['ABORTED', 'FAILED', 'SUCCEEDED']);
    expect(page).toMatchObject({ totalCount: 4, hasMore: true });
  });
});
