import { describe, expect, it } from 'vitest';
import { RequestValidationError, type ListJobsOptions } from '../../src/index';
import { envelope, respond, sentRequests, useMswServer, wireJob, demoClient } from './msw-harness';

useMswServer();

function client() {
  return demoClient({ maxRetries: 0 });
}

describe('listJobs', () => {
  it('sends limit, offset and the sort mapped to wire names in the query string, the filter as body', async () => {
    const calls = respond('post', '1.0/job/query', { body: envelope([]) });

    await client().listJobs(
      { user: 'demo' },
      { limit: 50, offset: 100, sort: ['-modified', 'jobId', 'currentStage'] },
    );

    const query = new URLSearchParams(calls[0]?.search);
    expect([...query.entries()]).toEqual([
      ['limit', '50'],
      ['offset', '100'],
      ['sort', '-modified,job_id,current_stage'],
    ]);
    expect(calls[0]?.body).toBe('{"user":"demo"}');
    expect(calls[0]?.headers['x-user-id']).toBe('demo');
    expect(calls[0]?.headers['content-type']).toBe('application/json');
  });

  it('accepts the sort as a comma-separated string', async () => {
    const calls = respond('post', '1.0/job/query', { body: envelope([]) });

    await client().listJobs({}, { sort: '-created,jobName' });

    expect(new URLSearchParams(calls[0]?.search).get('sort')).toBe('-created,job_name');
  });

  it('sends only the cursor when continuing from a previous page', async () => {
    const calls = respond('post', '1.0/job/query', { body: envelope([]) });

    await client().listJobs({}, { limit: 10, cursor: 'opaque/cursor=' });

    expect(calls[0]?.search).toBe('limit=10&cursor=opaque%2Fcursor%3D');
  });

  it('maps the page: jobs, totalCount, offset, hasMore and nextCursor', async () => {
    respond('post', '1.0/job/query', {
      body: envelope([wireJob({ job_id: 'a' }), wireJob({ job_id: 'b' })], {
        total_count: 7,
        offset: 2,
        has_more: true,
        next_cursor: 'c2',
      }),
    });

    const page = await client().listJobs({}, { limit: 2, offset: 2 });

    expect(page.jobs.map((job) => job.jobId)).toEqual(['a', 'b']);
    expect(page.jobs[0]?.created).toBeInstanceOf(Date);
    expect({ ...page, jobs: undefined }).toEqual({
      jobs: undefined,
      totalCount: 7,
      offset: 2,
      hasMore: true,
      nextCursor: 'c2',
    });
  });

  it('derives the paging fields when a legacy server leaves them out', async () => {
    respond('post', '1.0/job/query', {
      body: { response_type: 'SUCCESS', data: [wireJob(), wireJob({ job_id: 'b' })] },
    });

    const page = await client().listJobs({}, { offset: 4 });

    expect([page.totalCount, page.offset, page.hasMore, page.nextCursor]).toEqual([
      6,
      4,
      false,
      undefined,
    ]);
  });

  it.each([
    [{ limit: 0 }, 'options.limit', '>= 1'],
    [{ limit: 1001 }, 'options.limit', '<= 1000'],
    [{ limit: 2.5 }, 'options.limit', 'integer'],
    [{ offset: -1 }, 'options.offset', '>= 0'],
    [{ sort: ['-size'] }, 'options.sort[0]', 'sort field'],
    [{ sort: 'created,job_id' }, 'options.sort', 'sort field'],
    [{ cursor: 'c', sort: 'created' }, 'options.sort', 'cannot be combined with cursor'],
    [{ cursor: 'c', offset: 10 }, 'options.offset', 'cannot be combined with cursor'],
    [{ cursor: '' }, 'options.cursor', 'must not be empty'],
    [{ timeout: -5 }, 'options.timeout', '> 0'],
  ])('refuses the options %j naming %s, and sends nothing', async (options, field, rule) => {
    const error = await client()
      .listJobs({}, options as ListJobsOptions)
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toContain(`${field}:`);
    expect((error as Error).message).toContain(rule);
    expect(sentRequests()).toHaveLength(0);
  });
});
