import { describe, expect, it } from 'vitest';
import { RequestValidationError, ResponseValidationError, type QueuePreset } from '../../src/index';
import { envelope, respond, sentRequests, useMswServer, wireJob, demoClient } from './msw-harness';

useMswServer();

function client(filters: 'legacy' | 'strict' = 'legacy') {
  return demoClient({ maxRetries: 0, filters });
}

describe('getJobsChangedSince', () => {
  it('posts an empty filter to 1.0/job/changes with since in the query string', async () => {
    const calls = respond('post', '1.0/job/changes', { body: envelope([], { stamp: 12 }) });

    await client().getJobsChangedSince(0);

    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.search).toBe('since=0');
    expect(calls[0]?.body).toBe('{}');
    expect(calls[0]?.headers['x-user-id']).toBe('demo');
    expect(calls[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends the filter as the body and limit and finished in the query string', async () => {
    const calls = respond('post', '1.0/job/changes', { body: envelope([], { stamp: 40 }) });

    await client().getJobsChangedSince(41, {
      filter: { user: 'demo', serviceFields: { batchId: 'b1' } },
      finished: true,
      limit: 20,
    });

    expect(calls[0]?.search).toBe('since=41&limit=20&finished=true');
    expect(calls[0]?.body).toBe('{"user":"demo","service_fields.batch_id":"b1"}');
  });

  it('returns the jobs and the stamp to pass next time', async () => {
    respond('post', '1.0/job/changes', {
      body: envelope([wireJob({ job_id: 'a', status: 'SUCCEEDED' })], { stamp: 99 }),
    });

    const changes = await client().getJobsChangedSince(5);

    expect(changes.stamp).toBe(99);
    expect(changes.jobs.map((job) => [job.jobId, job.status])).toEqual([['a', 'SUCCEEDED']]);
  });

  it('refuses an answer without a stamp', async () => {
    respond('post', '1.0/job/changes', { body: envelope([wireJob()]) });

    const error = await client()
      .getJobsChangedSince(5)
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toContain('stamp:');
  });

  it.each([
    [-1, {}, 'stamp'],
    [1.5, {}, 'stamp'],
    [0, { limit: 5000 }, 'options.limit'],
    [0, { finished: 'yes' }, 'options.finished'],
    [0, { filter: { status: 'GONE' } }, 'options.filter.status'],
  ])('refuses since=%j with %j naming %s, and sends nothing', async (stamp, options, field) => {
    const error = await client()
      .getJobsChangedSince(stamp, options as never)
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toContain(`${field}:`);
    expect(sentRequests()).toHaveLength(0);
  });
});

describe('listQueue', () => {
  it.each([
    ['pending', ['WAITING', 'BLOCKED']],
    ['running', ['WORKING', 'RETRYING']],
    ['inProgress', ['WAITING', 'BLOCKED', 'WORKING', 'RETRYING']],
    ['finished', ['SUCCEEDED', 'FAILED', 'UNRECOVERABLE', 'ABORTED']],
    ['succeeded', ['SUCCEEDED']],
    ['failed', ['FAILED', 'UNRECOVERABLE']],
    ['aborted', ['ABORTED']],
  ])('queries the %s queue by its statuses', async (preset, statuses) => {
    const calls = respond('post', '1.0/job/query', { body: envelope([]) });

    await client().listQueue(preset as QueuePreset);

    expect(calls[0]?.body).toBe(JSON.stringify({ status: { $in: statuses } }));
  });

  it('adds the caller filter and paging, also with strict filters', async () => {
    const calls = respond('post', '1.0/job/query', {
      body: envelope([wireJob({ status: 'FAILED' })], { total_count: 1 }),
    });

    const page = await client('strict').listQueue('failed', {
      filter: { user: 'demo' },
      sort: '-modified',
      limit: 10,
      offset: 20,
    });

    expect(calls[0]?.body).toBe('{"user":"demo","status":{"$in":["FAILED","UNRECOVERABLE"]}}');
    expect(calls[0]?.search).toBe('limit=10&offset=20&sort=-modified');
    expect(page.jobs[0]?.status).toBe('FAILED');
  });

  it('refuses a status in the caller filter, which the preset sets', async () => {
    const error = await client()
      .listQueue('failed', { filter: { status: 'FAILED' } as never })
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toContain('options.filter.status:');
    expect(sentRequests()).toHaveLength(0);
  });

  it('refuses an unknown preset', async () => {
    const error = await client()
      .listQueue('stuck' as QueuePreset)
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toContain('preset: must be one of pending');
    expect(sentRequests()).toHaveLength(0);
  });
});
