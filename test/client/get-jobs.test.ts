import { describe, expect, it } from 'vitest';
import {
  eq,
  exists,
  gt,
  noneOf,
  oneOf,
  RequestValidationError,
  type JobFilter,
} from '../../src/index';
import { envelope, respond, sentRequests, useMswServer, wireJob, demoClient } from './msw-harness';

useMswServer();

function client(filters: 'legacy' | 'strict' = 'legacy') {
  return demoClient({ maxRetries: 0, filters });
}

async function refusal(promise: Promise<unknown>): Promise<RequestValidationError> {
  const error = await promise.catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(RequestValidationError);
  return error as RequestValidationError;
}

describe('getJobs', () => {
  it('sends the contract query vector byte for byte', async () => {
    const calls = respond('post', '1.0/job/query', { body: envelope([]) });

    await client().getJobs({
      user: 'demo',
      jobId: { $in: ['a', 'b'] },
      status: { $in: ['FAILED', 'UNRECOVERABLE'] },
      parentId: { $ne: 'p' },
      serviceFields: { type: 'upload' },
    });

    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.search).toBe('');
    expect(calls[0]?.body).toBe(
      '{"user":"demo","job_id":{"$in":["a","b"]},"status":{"$in":["FAILED","UNRECOVERABLE"]},"parent_id":{"$ne":"p"},"service_fields.type":"upload"}',
    );
  });

  it('runs the legacy README example: all blocked or waiting jobs owned by foo', async () => {
    const calls = respond('post', '1.0/job/query', {
      body: envelope([wireJob({ job_id: 'one', status: 'BLOCKED' }), wireJob({ job_id: 'two' })]),
    });

    const jobs = await client().getJobs({ user: 'foo', status: { $in: ['BLOCKED', 'WAITING'] } });

    expect(calls[0]?.body).toBe('{"user":"foo","status":{"$in":["BLOCKED","WAITING"]}}');
    expect(calls[0]?.headers['x-user-id']).toBe('demo');
    expect(calls[0]?.headers['content-type']).toBe('application/json');
    expect(jobs.map((job) => [job.jobId, job.status])).toEqual([
      ['one', 'BLOCKED'],
      ['two', 'WAITING'],
    ]);
  });

  it('keeps operators inside service fields as one key (legacy defect 3)', async () => {
    const calls = respond('post', '1.0/job/query', { body: envelope([]) });

    await client().getJobs({
      serviceFields: { n: { $in: [1, 2] }, meta: { sizeBytes: { $gt: 3 } } },
    });

    expect(calls[0]?.body).toBe(
      '{"service_fields.n":{"$in":[1,2]},"service_fields.meta.size_bytes":{"$gt":3}}',
    );
  });

  it('sends Dates in operators as ISO strings', async () => {
    const calls = respond('post', '1.0/job/query', { body: envelope([]) });

    await client().getJobs({ created: { $gte: new Date('2024-01-02T03:04:05.000Z') } });

    expect(calls[0]?.body).toBe('{"created":{"$gte":"2024-01-02T03:04:05.000Z"}}');
  });

  it('sends an empty filter as {}', async () => {
    const calls = respond('post', '1.0/job/query', { body: envelope([]) });

    await client().getJobs();

    expect(calls[0]?.body).toBe('{}');
  });

  it('builds the same body from the helpers as from plain operator objects', async () => {
    const calls = respond('post', '1.0/job/query', { body: envelope([]) });

    await client('strict').getJobs({
      user: eq('demo'),
      status: oneOf(['FAILED', 'UNRECOVERABLE']),
      jobId: noneOf(['x']),
      serviceFields: { size: gt(3), error: exists(false) },
    });

    expect(calls[0]?.body).toBe(
      '{"user":{"$eq":"demo"},"status":{"$in":["FAILED","UNRECOVERABLE"]},"job_id":{"$nin":["x"]},"service_fields.size":{"$gt":3},"service_fields.error":{"$exists":false}}',
    );
  });

  it.each([
    [
      { serviceFields: { code: { $where: 'sleep(1000)' } } },
      'filter.serviceFields.code.$where',
      'not allowed',
    ],
    [
      { serviceFields: { code: { $function: 'x' } } },
      'filter.serviceFields.code.$function',
      'not allowed',
    ],
    [{ jobName: { $regex: '^a' } }, 'filter.jobName.$regex', 'not allowed'],
    [{ $expr: { $gt: ['$a', 1] } }, 'filter.$expr', 'top-level operators'],
    [{ user: { $ne: 'x', name: 'y' } }, 'filter.user', 'must not mix'],
    [{ jobId: { $in: 'a' } }, 'filter.jobId.$in', 'must be an array'],
    [
      { serviceFields: { n: { $in: [{ a: 1 }] } } },
      'filter.serviceFields.n.$in[0]',
      'must be a string, number',
    ],
    [
      { serviceFields: { n: { $gt: true } } },
      'filter.serviceFields.n.$gt',
      'finite number, a string or a valid Date',
    ],
    [{ serviceFields: { n: { $exists: 'yes' } } }, 'filter.serviceFields.n.$exists', 'boolean'],
    [{ status: 'DONE' }, 'filter.status', 'must be one of WAITING'],
    [{ status: { $in: ['WAITING', 'LATER'] } }, 'filter.status.$in[1]', 'must be one of'],
    [{ user: 42 }, 'filter.user', 'string or null'],
    [{ job_id: 'x' }, 'filter.job_id', 'did you mean jobId?'],
    [{ owner: 'x' }, 'filter.owner', 'not a filterable field'],
    [{ serviceFields: [1] }, 'filter.serviceFields', 'plain object of fields'],
    [
      { serviceFields: JSON.parse('{"__proto__":{"polluted":true}}') },
      'filter.serviceFields.__proto__',
      'not allowed',
    ],
    [
      { serviceFields: { a: { b: JSON.parse('{"constructor":1}') } } },
      'filter.serviceFields.a.b.constructor',
      'not allowed',
    ],
    [
      { serviceFields: { tags: [{ $ne: 1 }] } },
      'filter.serviceFields.tags[0].$ne',
      'operator-like key',
    ],
  ])('refuses %j naming %s, and sends nothing', async (filter, field, rule) => {
    const error = await refusal(client().getJobs(filter as JobFilter));

    expect(error.message).toContain(`${field}:`);
    expect(error.message).toContain(rule);
    expect(sentRequests()).toHaveLength(0);
  });

  it('refuses a filter nested deeper than 64 levels', async () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 70; level++) deep = { next: deep };

    const error = await refusal(client().getJobs({ serviceFields: deep }));

    expect(error.message).toContain('deeper than 64');
    expect(sentRequests()).toHaveLength(0);
  });

  it('in strict mode refuses a plain operator object that did not come from a helper', async () => {
    const untrusted = JSON.parse('{"$ne":"nobody"}') as unknown;

    const error = await refusal(client('strict').getJobs({ serviceFields: { owner: untrusted } }));

    expect(error.message).toContain('filter.serviceFields.owner:');
    expect(error.message).toContain('helpers');
    expect(sentRequests()).toHaveLength(0);
  });

  it('refuses an untrusted object with $ keys wrapped in eq() as a literal', () => {
    const untrusted = JSON.parse('{"$ne":"nobody"}') as unknown;

    expect(() => eq(untrusted)).toThrow(RequestValidationError);
  });

  it('in strict mode refuses a copy of a helper object, which has lost the mark', async () => {
    const copy = { ...oneOf(['WAITING']) };

    const error = await refusal(client('strict').getJobs({ status: copy }));

    expect(error.message).toContain('filter.status:');
    expect(sentRequests()).toHaveLength(0);
  });
});
