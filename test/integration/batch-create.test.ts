// createJobs against the reference server: one request, every job stored, retries and conflicts.
import { expect, it } from 'vitest';
import { ConflictError, RequestValidationError } from '../../src';
import { clientFor, describeJss, uniqueUser } from './support';

describeJss('createJobs', () => {
  it('creates every job and answers them in the order sent', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const results = await client.createJobs([
      { user, jobName: 'one', serviceFields: { plateBarcode: 'BC1' } },
      { user, jobName: 'two', status: 'WORKING' },
    ]);

    const stored = await Promise.all(results.map(({ job }) => client.getJob(job.jobId)));
    expect(stored).toEqual(results.map(({ job }) => job));
    expect(results.map(({ job, created }) => [job.jobName, created])).toEqual([
      ['one', true],
      ['two', true],
    ]);
  });

  it('answers created: false for a job that an equal create made before', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const existing = await client.createJob({ user, jobName: 'first' });
    const results = await client.createJobs([
      { user, jobId: existing.jobId, jobName: 'first' },
      { user, jobName: 'second' },
    ]);

    expect(results.map(({ created }) => created)).toEqual([false, true]);
    expect(results[0]!.job).toEqual(existing);
  });

  it('creates none of the jobs when one conflicts with an existing job', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    await client.createJob({ user, jobId: 'taken-' + user, jobName: 'first' });
    const error = await client
      .createJobs([
        { user, jobName: 'fresh' },
        { user, jobId: 'taken-' + user, jobName: 'other' },
      ])
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConflictError);
    expect((await client.getJobs({ user })).map((job) => job.jobName)).toEqual(['first']);
  });

  it('refuses a job that breaks a rule before sending anything', async () => {
    const user = uniqueUser();
    const error = await clientFor(user)
      .createJobs([{ user }, { user: '' }])
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RequestValidationError);
  });
});
