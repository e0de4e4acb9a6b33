// The state machine's actions (abort, retry, delete), parents advanced by their children, and
// what workers report (progress, logs).
import { expect, it } from 'vitest';
import {
  ConflictError,
  NotFoundError,
  RequestValidationError,
  type AttemptInfo,
  type JobEvent,
  type JobUpdateEvent,
} from '../../src';
import { clientFor, describeJss, recordEvents, uniqueUser } from './support';

/** A fresh user's client and one job of theirs in `status`. */
async function jobIn(status: 'WAITING' | 'WORKING' | 'SUCCEEDED' | 'FAILED' | 'UNRECOVERABLE') {
  const user = uniqueUser();
  const client = clientFor(user);
  const job = await client.createJob({ user, status });
  return { user, client, job, jobId: job.jobId };
}

describeJss('abortJob', () => {
  it('aborts a job in progress', async () => {
    const { client, jobId } = await jobIn('WORKING');

    expect((await client.abortJob(jobId)).status).toBe('ABORTED');
    expect((await client.getJob(jobId)).status).toBe('ABORTED');
  });

  it('leaves an aborted job unchanged when aborted again', async () => {
    const { client, jobId } = await jobIn('WAITING');
    const aborted = await client.abortJob(jobId);

    expect(await client.abortJob(jobId)).toEqual(aborted);
  });

  it('throws ConflictError invalid_transition for a job that has succeeded', async () => {
    const { client, jobId } = await jobIn('SUCCEEDED');

    const refused = client.abortJob(jobId);

    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toMatchObject({ status: 409, code: 'invalid_transition' });
    expect((await client.getJob(jobId)).status).toBe('SUCCEEDED');
  });

  it('throws NotFoundError for a job that does not exist', async () => {
    const user = uniqueUser();

    await expect(clientFor(user).abortJob(`${user}-ghost`)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describeJss('retryJob', () => {
  it('retries a failed job', async () => {
    const { client, jobId } = await jobIn('FAILED');

    expect((await client.retryJob(jobId)).status).toBe('RETRYING');
  });

  it('retries an aborted job', async () => {
    const { client, jobId } = await jobIn('WORKING');
    await client.abortJob(jobId);

    expect((await client.retryJob(jobId)).status).toBe('RETRYING');
  });

  it.each(['UNRECOVERABLE', 'WORKING', 'SUCCEEDED'] as const)(
    'throws ConflictError invalid_transition for a %s job and leaves it',
    async (status) => {
      const { client, jobId } = await jobIn(status);

      const refused = client.retryJob(jobId);

      await expect(refused).rejects.toBeInstanceOf(ConflictError);
      await expect(refused).rejects.toMatchObject({ code: 'invalid_transition' });
      expect((await client.getJob(jobId)).status).toBe(status);
    },
  );
});

describeJss('deleteJob', () => {
  it('deletes an ended job and returns it as it was', async () => {
    const { client, job, jobId } = await jobIn('SUCCEEDED');

    expect(await client.deleteJob(jobId)).toEqual(job);
    await expect(client.getJob(jobId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('throws ConflictError invalid_transition for a job in progress and keeps it', async () => {
    const { client, job, jobId } = await jobIn('WORKING');

    const refused = client.deleteJob(jobId);

    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toMatchObject({ code: 'invalid_transition' });
    expect(await client.getJob(jobId)).toEqual(job);
  });

  it('lets a deleted job id be created again', async () => {
    const { user, client, jobId } = await jobIn('FAILED');
    await client.deleteJob(jobId);

    const again = await client.createJob({ user, jobId, jobName: 'second life' });

    expect(again).toMatchObject({ jobId, jobName: 'second life', status: 'WAITING' });
  });
});

describeJss('update_parent', () => {
  /**
   * A WAITING parent with two children that point back at it (updateParent on them), created
   * WAITING and then set to WORKING.
   */
  async function family(updateParent = true) {
    const user = uniqueUser();
    const client = clientFor(user);
    const parentId = `${user}-parent`;
    const childIds = [`${user}-child-1`, `${user}-child-2`];
    await client.createJob({ user, jobId: parentId, childIds, status: 'WAITING' });
    for (const jobId of childIds) {
      await client.createJob({ user, jobId, parentId, updateParent, status: 'WAITING' });
    }
    for (const jobId of childIds) await client.updateJob(jobId, { status: 'WORKING' });
    return { user, client, parentId, childIds: childIds as [string, string] };
  }

  it('gives the parent the status its children share once they all have it', async () => {
    const { client, parentId } = await family();

    expect((await client.getJob(parentId)).status).toBe('WORKING');
  });

  it('leaves the parent alone while one child is still running', async () => {
    const { client, parentId, childIds } = await family();

    await client.updateJob(childIds[0], { status: 'SUCCEEDED' });

    expect((await client.getJob(parentId)).status).toBe('WORKING');
  });

  it('marks the parent SUCCEEDED when the last child succeeds', async () => {
    const { client, parentId, childIds } = await family();

    await client.updateJob(childIds[0], { status: 'SUCCEEDED' });
    await client.updateJob(childIds[1], { status: 'SUCCEEDED' });

    expect((await client.getJob(parentId)).status).toBe('SUCCEEDED');
  });

  it('leaves the parent as it is when the children end differently', async () => {
    const { client, parentId, childIds } = await family();

    await client.updateJob(childIds[0], { status: 'SUCCEEDED' });
    await client.abortJob(childIds[1]);

    expect((await client.getJob(parentId)).status).toBe('WORKING');
  });

  it('leaves the parent alone when the children did not set updateParent', async () => {
    const { client, parentId, childIds } = await family(false);

    await client.updateJob(childIds[0], { status: 'SUCCEEDED' });
    await client.updateJob(childIds[1], { status: 'SUCCEEDED' });

    expect((await client.getJob(parentId)).status).toBe('WAITING');
  });

  it('moves a grandparent when the parent it moved set updateParent too', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const [top, middle, leaf] = ['top', 'middle', 'leaf'].map((name) => `${user}-${name}`) as [
      string,
      string,
      string,
    ];
    await client.createJob({ user, jobId: top, childIds: [middle] });
    await client.createJob({
      user,
      jobId: middle,
      parentId: top,
      updateParent: true,
      childIds: [leaf],
    });
    await client.createJob({
      user,
      jobId: leaf,
      parentId: middle,
      updateParent: true,
      status: 'WORKING',
    });

    await client.updateJob(leaf, { status: 'SUCCEEDED' });

    expect((await client.getJob(middle)).status).toBe('SUCCEEDED');
    expect((await client.getJob(top)).status).toBe('SUCCEEDED');
  });
});

describeJss('reportProgress', () => {
  it('stores completed, total and the percentage, visible through getJob', async () => {
    const { client, jobId } = await jobIn('WORKING');

    await client.reportProgress(jobId, 30, 120);

    expect((await client.getJob(jobId)).progress).toEqual({
      completed: 30,
      total: 120,
      percent: 25,
    });
  });

  it('rounds the percentage to two decimals', async () => {
    const { client, jobId } = await jobIn('WORKING');

    const job = await client.reportProgress(jobId, 1, 3);

    expect(job.progress?.percent).toBe(33.33);
  });

  it('is visible through getJobStatus and queries', async () => {
    const { user, client, jobId } = await jobIn('WORKING');

    await client.reportProgress(jobId, 5, 10);

    expect((await client.getJobStatus(jobId)).progress?.percent).toBe(50);
    expect((await client.getJobs({ user }))[0]?.progress?.percent).toBe(50);
  });

  it('refuses completed above total without sending a request', async () => {
    const attempts: AttemptInfo[] = [];
    const user = uniqueUser();
    const client = clientFor(user, { hooks: { onAttempt: (info) => attempts.push(info) } });

    await expect(client.reportProgress(`${user}-job`, 11, 10)).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    expect(attempts).toEqual([]);
  });
});

describeJss('log', () => {
  it('appends entries oldest first with the server time, level, message and data', async () => {
    const { client, jobId } = await jobIn('WORKING');
    const before = Date.now();

    await client.log(jobId, 'started');
    await client.log(jobId, 'copied', { level: 'success', data: { fileCount: 3 } });

    const { logs } = await client.getJob(jobId);
    expect(logs?.map(({ level, message, data }) => ({ level, message, data }))).toEqual([
      { level: 'info', message: 'started', data: undefined },
      { level: 'success', message: 'copied', data: { fileCount: 3 } },
    ]);
    expect(logs?.[0]?.time).toBeInstanceOf(Date);
    expect(logs?.[0]?.time.getTime()).toBeGreaterThanOrEqual(before - 5_000);
  });

  it('is visible through queries', async () => {
    const { user, client, jobId } = await jobIn('WORKING');

    await client.log(jobId, 'visible', { level: 'warning' });

    const [job] = await client.getJobs({ user });
    expect(job?.logs?.map((entry) => entry.message)).toEqual(['visible']);
  });
});

describeJss('progress and logs through a subscription', () => {
  const isUpdate = (event: JobEvent): event is JobUpdateEvent => event.type === 'jobUpdate';

  it('delivers a progress report as a jobUpdate', async () => {
    const { client, jobId } = await jobIn('WORKING');
    const subscription = client.subscribe({ jobIds: [jobId] });
    const events = recordEvents(subscription);
    try {
      await events.next((event) => event.type === 'initialJobs');

      await client.reportProgress(jobId, 3, 4);

      const update = await events.next(isUpdate);
      expect(update.job.progress).toEqual({ completed: 3, total: 4, percent: 75 });
    } finally {
      subscription.close();
    }
  });

  it('delivers a log entry as a jobUpdate', async () => {
    const { client, jobId } = await jobIn('WORKING');
    const subscription = client.subscribe({ jobIds: [jobId] });
    const events = recordEvents(subscription);
    try {
      await events.next((event) => event.type === 'initialJobs');

      await client.log(jobId, 'halfway', { level: 'info' });

      const update = await events.next(isUpdate);
      expect(update.job.logs?.map((entry) => entry.message)).toEqual(['halfway']);
    } finally {
      subscription.close();
    }
  });
});
