// Creating, reading and updating jobs: the SDK against the reference server.
import { expect, it } from 'vitest';
import { ConflictError, NotFoundError, RequestValidationError, type AttemptInfo } from '../../src';
import { clientFor, describeJss, rawRequest, uniqueUser } from './support';

describeJss('creating a job', () => {
  it('gets a 32-hex id fixed by the client when none is given, and reads it back', async () => {
    const user = uniqueUser();
    const client = clientFor(user);

    const created = await client.createJob({ user, jobName: 'no id' });

    expect(created.jobId).toMatch(/^[0-9a-f]{32}$/);
    expect(await client.getJob(created.jobId)).toEqual(created);
  });

  it('fills in the defaults the protocol gives a new job', async () => {
    const user = uniqueUser();

    const created = await clientFor(user).createJob({ user });

    expect(created).toMatchObject({
      user,
      status: 'WAITING',
      updateParent: false,
      serviceFields: {},
      progress: null,
      logs: [],
    });
    expect(created.created).toBeInstanceOf(Date);
    expect(created.modified.getTime()).toBe(created.created.getTime());
  });

  it('keeps the id the client chose', async () => {
    const user = uniqueUser();
    const jobId = `${user}-chosen`;

    const created = await clientFor(user).createJob({ user, jobId, service: 'upload' });

    expect(created).toMatchObject({ jobId, service: 'upload' });
  });

  it('percent-encodes an id with reserved characters so that it reads back', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const jobId = `${user} #1?x=50%&y`;

    await client.createJob({ user, jobId });

    expect((await client.getJob(jobId)).jobId).toBe(jobId);
  });

  it('returns the first job, not a second one, when a create with the same id is replayed', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const job = { user, jobId: `${user}-replay`, jobName: 'once', serviceFields: { n: 1 } };

    const first = await client.createJob(job);
    const replayed = await client.createJob(job);

    expect(replayed).toEqual(first);
    expect(await client.getJobs({ user })).toHaveLength(1);
  });

  it('answers a replayed create with the job as it is now', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const job = { user, jobId: `${user}-later`, jobName: 'before' };
    await client.createJob(job);
    const updated = await client.updateJob(job.jobId, { currentStage: 'copying' });

    expect(await client.createJob(job)).toEqual(updated);
  });

  it('throws ConflictError job_exists for an existing id with a different body', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const jobId = `${user}-taken`;
    await client.createJob({ user, jobId, jobName: 'first' });

    const conflict = client.createJob({ user, jobId, jobName: 'second' });

    await expect(conflict).rejects.toBeInstanceOf(ConflictError);
    await expect(conflict).rejects.toMatchObject({ status: 409, code: 'job_exists' });
    expect((await client.getJob(jobId)).jobName).toBe('first');
  });
});

describeJss('reading a job', () => {
  it('throws NotFoundError carrying the code and the request id for a missing job', async () => {
    const user = uniqueUser();

    const error = await clientFor(user)
      .getJob(`${user}-missing`)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'not_found', message: 'Job not found' });
    expect((error as NotFoundError).requestId).toMatch(/^[A-Za-z0-9._:+=/-]{1,128}$/);
  });

  it('reads a status this SDK does not know as it came', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user });
    const patched = await rawRequest(
      'PATCH',
      `1.0/job/${jobId}`,
      user,
      JSON.stringify({ status: 'PAUSED_BY_OPERATOR' }),
    );
    expect(patched.status).toBe(200);

    expect((await client.getJob(jobId)).status).toBe('PAUSED_BY_OPERATOR');
  });

  it('reads only the status, stage, progress and modification time with getJobStatus', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user, serviceFields: { big: 'x'.repeat(100) } });
    const updated = await client.updateJob(jobId, { status: 'WORKING', currentStage: 'copying' });

    const summary = await client.getJobStatus(jobId);

    expect(summary).toEqual({
      jobId,
      status: 'WORKING',
      currentStage: 'copying',
      progress: null,
      modified: updated.modified,
    });
  });
});

describeJss('job ids that could climb out of their path segment', () => {
  const traversals = ['../x', '..', '.', 'a/b', 'a\\b'];

  it.each(traversals)('refuses %j before any request is sent', async (jobId) => {
    const attempts: AttemptInfo[] = [];
    const client = clientFor(uniqueUser(), { hooks: { onAttempt: (info) => attempts.push(info) } });

    await expect(client.getJob(jobId)).rejects.toBeInstanceOf(RequestValidationError);
    await expect(client.updateJob(jobId, { jobName: 'x' })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    await expect(client.deleteJob(jobId)).rejects.toBeInstanceOf(RequestValidationError);
    await expect(client.createJob({ user: 'someone', jobId })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    expect(attempts).toEqual([]);
  });
});
