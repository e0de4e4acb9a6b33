// Following jobs live: subscriptions (Server-Sent Events) and waitForJob.
import { expect, it } from 'vitest';
import {
  AbortError,
  JobFailedError,
  NotFoundError,
  TimeoutError,
  type InitialJobsEvent,
  type Job,
  type JobDataEvent,
  type JobEvent,
  type JobInsertEvent,
  type JobStatusClient,
} from '../../src';
import { clientFor, describeJss, recordEvents, tokenFor, uniqueUser } from './support';

const isInitial = (event: JobEvent): event is InitialJobsEvent => event.type === 'initialJobs';
const isData = (event: JobEvent): event is JobDataEvent =>
  event.type !== 'open' && event.type !== 'reconnecting';

/** A short, comparable line per data event: `jobUpdate job-1 WORKING`. */
function summary(event: JobDataEvent): string {
  switch (event.type) {
    case 'initialJobs':
      return `initialJobs ${event.jobs.map((job) => job.jobId).join(',')}`;
    case 'jobDelete':
      return `jobDelete ${event.jobId}`;
    default:
      return `${event.type} ${event.job.jobId} ${event.job.status}`;
  }
}

describeJss('subscribe to a user', () => {
  it("starts with initialJobs holding the user's jobs", async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const first = await client.createJob({ user });
    const second = await client.createJob({ user });
    const subscription = client.subscribe(user);
    try {
      const initial = await recordEvents(subscription).next(isInitial);

      expect(initial.jobs).toEqual([first, second]);
    } finally {
      subscription.close();
    }
  });

  it("reports a job's insert, update and delete in order, after initialJobs", async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const subscription = client.subscribe(user);
    const seen: string[] = [];
    try {
      let jobId = '';
      for await (const event of subscription) {
        if (!isData(event)) continue;
        seen.push(summary(event));
        // Each write waits for the event of the one before: a job read after a later write
        // has committed would (rightly) carry that write's state already.
        if (event.type === 'initialJobs') {
          jobId = (await client.createJob({ user, status: 'WORKING' })).jobId;
        }
        if (event.type === 'jobInsert') await client.updateJob(jobId, { status: 'SUCCEEDED' });
        if (event.type === 'jobUpdate') await client.deleteJob(jobId);
        if (event.type === 'jobDelete') break;
      }

      expect(seen).toEqual([
        'initialJobs ',
        `jobInsert ${jobId} WORKING`,
        `jobUpdate ${jobId} SUCCEEDED`,
        `jobDelete ${jobId}`,
      ]);
    } finally {
      subscription.close();
    }
  });

  it('delivers the job of a jobInsert fully decoded', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const subscription = client.subscribe({ user });
    const events = recordEvents(subscription);
    try {
      await events.next(isInitial);

      const created = await client.createJob({ user, serviceFields: { list: ['a', 'b'] } });

      const insert = await events.next(
        (event): event is JobInsertEvent => event.type === 'jobInsert',
      );
      expect(insert.job).toEqual(created);
    } finally {
      subscription.close();
    }
  });

  it("does not deliver other users' jobs", async () => {
    const user = uniqueUser();
    const other = uniqueUser();
    const client = clientFor(user);
    const subscription = client.subscribe(user);
    const events = recordEvents(subscription);
    try {
      await events.next(isInitial);

      await clientFor(other).createJob({ user: other });
      const own = await client.createJob({ user });
      await events.next((event) => event.type === 'jobInsert');

      const inserted = events.events.flatMap((event) =>
        event.type === 'jobInsert' ? [event.job.jobId] : [],
      );
      expect(inserted).toEqual([own.jobId]);
    } finally {
      subscription.close();
    }
  });
});

describeJss('subscribe to listed jobs', () => {
  it('follows only the listed jobs, whoever owns them, for a manager', async () => {
    const owner = uniqueUser();
    const ownerClient = clientFor(owner);
    const followed = await ownerClient.createJob({ user: owner });
    const ignored = await ownerClient.createJob({ user: owner });
    const manager = uniqueUser('manager');
    const subscription = clientFor(manager, {
      token: () => tokenFor(manager, 'manager'),
    }).subscribe({ jobIds: [followed.jobId] });
    const events = recordEvents(subscription);
    try {
      const initial = await events.next(isInitial);
      expect(initial.jobs.map((job) => job.jobId)).toEqual([followed.jobId]);

      await ownerClient.updateJob(ignored.jobId, { currentStage: 'ignored' });
      await ownerClient.updateJob(followed.jobId, { currentStage: 'followed' });
      await events.next((event) => event.type === 'jobUpdate');

      const updated = events.events.flatMap((event) =>
        event.type === 'jobUpdate' ? [event.job.currentStage] : [],
      );
      expect(updated).toEqual(['followed']);
    } finally {
      subscription.close();
    }
  });
});

describeJss('waitForJob', () => {
  /**
   * A running job and a wait on it that calls `whenFollowing` once the waiter has seen the job's
   * first state (so a change made then cannot happen before the wait began), with the client of
   * the job's owner (the one user who may change it).
   */
  async function waitWhileRunning(
    whenFollowing: (jobId: string, owner: JobStatusClient) => Promise<unknown>,
    options: { timeout?: number; signal?: AbortSignal; useSubscription?: boolean } = {},
  ) {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user, status: 'WORKING' });
    const states: string[] = [];
    let started = false;
    const waited = client.waitForJob(jobId, {
      ...options,
      pollInterval: { initialMs: 50, maxMs: 200 },
      onUpdate: (job) => {
        states.push(job.status);
        if (!started) {
          started = true;
          void whenFollowing(jobId, client);
        }
      },
    });
    const outcome = await waited.then(
      (job) => ({ job, error: undefined }),
      (error: unknown) => ({ job: undefined as Job | undefined, error }),
    );
    return { client, jobId, states, ...outcome };
  }

  it('resolves with the job when it succeeds', async () => {
    const done = await waitWhileRunning((jobId, owner) =>
      owner.updateJob(jobId, { status: 'SUCCEEDED', currentStage: 'done' }),
    );

    expect(done.error).toBeUndefined();
    expect(done.job).toMatchObject({
      jobId: done.jobId,
      status: 'SUCCEEDED',
      currentStage: 'done',
    });
    expect(done.states).toEqual(['WORKING', 'SUCCEEDED']);
  });

  it('resolves at once for a job that has already succeeded', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user, status: 'SUCCEEDED' });

    expect((await client.waitForJob(jobId, { timeout: 5_000 })).status).toBe('SUCCEEDED');
  });

  it('resolves by polling when told not to subscribe', async () => {
    const done = await waitWhileRunning(
      (jobId, owner) => owner.updateJob(jobId, { status: 'SUCCEEDED' }),
      { useSubscription: false },
    );

    expect(done.job?.status).toBe('SUCCEEDED');
  });

  it('rejects with JobFailedError carrying the job when it fails', async () => {
    const done = await waitWhileRunning((jobId, owner) =>
      owner.updateJob(jobId, { status: 'FAILED' }),
    );

    expect(done.error).toBeInstanceOf(JobFailedError);
    expect((done.error as JobFailedError).job).toMatchObject({
      jobId: done.jobId,
      status: 'FAILED',
    });
  });

  it('rejects with JobFailedError when the job is aborted', async () => {
    const done = await waitWhileRunning((jobId, owner) => owner.abortJob(jobId));

    expect(done.error).toBeInstanceOf(JobFailedError);
    expect((done.error as JobFailedError).job.status).toBe('ABORTED');
  });

  it('rejects with AbortError when its signal aborts', async () => {
    const controller = new AbortController();
    const done = await waitWhileRunning(async () => controller.abort(), {
      signal: controller.signal,
    });

    expect(done.error).toBeInstanceOf(AbortError);
  });

  it('rejects with TimeoutError when the job outlasts the timeout', async () => {
    const done = await waitWhileRunning(async () => undefined, { timeout: 300 });

    expect(done.error).toBeInstanceOf(TimeoutError);
    expect(done.states).toEqual(['WORKING']);
  });

  it('rejects with NotFoundError for a job that does not exist', async () => {
    const user = uniqueUser();

    await expect(
      clientFor(user).waitForJob(`${user}-ghost`, { timeout: 5_000 }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
