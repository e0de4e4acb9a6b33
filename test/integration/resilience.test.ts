// What must survive trouble: a subscription across a server restart, and retried writes under
// the server's fault injection. Each test runs its own server, on a database of its own.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/index';
import { JobStatusClient, type JobUpdateEvent, type RetryInfo } from '../../src';
import {
  describeJss,
  privateServer,
  recordEvents,
  uniqueUser,
  type PrivateServer,
} from './support';

describeJss('a subscription across a server restart', () => {
  let database: PrivateServer;
  beforeAll(async () => {
    database = await privateServer();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('resumes on the same port and data and delivers a later update', async () => {
    const first = await database.start();
    const user = uniqueUser();
    const client = new JobStatusClient({
      baseURL: first.url,
      user,
      maxRetries: 0,
      token: () => database.tokenFor(user),
    });
    const { jobId } = await client.createJob({ user, status: 'WORKING' });
    const subscription = client.subscribe(user, { reconnectDelay: { initialMs: 100, maxMs: 500 } });
    const events = recordEvents(subscription);
    try {
      await events.next((event) => event.type === 'initialJobs');

      await first.close();
      await events.next((event) => event.type === 'reconnecting');
      await database.start({ port: first.port });
      await client.updateJob(jobId, { status: 'SUCCEEDED', currentStage: 'after restart' });

      const update = await events.next(
        (event): event is JobUpdateEvent => event.type === 'jobUpdate',
        15_000,
      );
      expect(update.job).toMatchObject({
        jobId,
        status: 'SUCCEEDED',
        currentStage: 'after restart',
      });
      // Resumed with Last-Event-ID: the stream did not start over.
      expect(events.events.filter((event) => event.type === 'initialJobs')).toHaveLength(1);
      expect(events.events.filter((event) => event.type === 'open')).toHaveLength(2);
    } finally {
      subscription.close();
    }
  });
});

describeJss('retries under fault injection', () => {
  let database: PrivateServer;
  let faulty: RunningServer;
  beforeAll(async () => {
    database = await privateServer();
    // A third of the requests fail before doing anything, a third of the writes commit and then
    // lose their answer: the cases where a naive retry would create a second job.
    faulty = await database.start({
      faults: { failureRate: 0.3, dropAfterCommitRate: 0.3, latencyMs: [0, 5] },
    });
  });
  afterAll(async () => {
    await database?.dispose();
  });

  /** A patient client of the faulty server that records why it retried. */
  function patientClient(user: string) {
    const retries: RetryInfo[] = [];
    const client = new JobStatusClient({
      baseURL: faulty.url,
      user,
      token: () => database.tokenFor(user),
      maxRetries: 30,
      retryDelay: { initialMs: 5, maxMs: 20 },
      hooks: { onRetry: (info) => retries.push(info) },
    });
    return { client, retries };
  }

  it('never creates a job twice, with or without a client-chosen id', async () => {
    const user = uniqueUser('faulty');
    const { client, retries } = patientClient(user);

    const created = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        client.createJob({
          user,
          jobName: `job-${index}`,
          ...(index % 2 === 0 ? { jobId: `${user}-${index}` } : {}),
        }),
      ),
    );

    const stored = await client.getJobs({ user });
    expect(stored.map((job) => job.jobId).sort()).toEqual(created.map((job) => job.jobId).sort());
    expect(new Set(stored.map((job) => job.jobName)).size).toBe(30);
    // Both kinds of fault happened, so the count above is not luck.
    expect(retries.some((retry) => retry.reason.includes('injected_fault'))).toBe(true);
    expect(retries.some((retry) => retry.reason.startsWith('ConnectionError'))).toBe(true);
  });

  it('appends each log entry once', async () => {
    const user = uniqueUser('faulty');
    const { client } = patientClient(user);
    const { jobId } = await client.createJob({ user, status: 'WORKING' });
    const messages = Array.from({ length: 20 }, (_, index) => `entry-${index}`);

    for (const message of messages) await client.log(jobId, message);

    const { logs } = await client.getJob(jobId);
    expect(logs?.map((entry) => entry.message)).toEqual(messages);
  });

  it('aborts, retries and deletes once each, answering as if nothing went wrong', async () => {
    const user = uniqueUser('faulty');
    const { client } = patientClient(user);
    const { jobId } = await client.createJob({ user, status: 'WORKING' });

    expect((await client.abortJob(jobId)).status).toBe('ABORTED');
    expect((await client.retryJob(jobId)).status).toBe('RETRYING');
    await client.updateJob(jobId, { status: 'FAILED' });
    expect((await client.deleteJob(jobId)).jobId).toBe(jobId);
    expect(await client.getJobs({ user })).toEqual([]);
  });
});
