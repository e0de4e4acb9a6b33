import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  NotFoundError,
  RequestValidationError,
  ResponseValidationError,
  type Job,
} from '../../src/index';
import {
  demoClient,
  envelope,
  MODIFIED,
  respond,
  respondWith,
  sentRequests,
  useMswServer,
  wireJob,
} from './msw-harness';

useMswServer();

function client() {
  return demoClient({ maxRetries: 0 });
}

describe('getJob', () => {
  it('sends GET 1.0/job/{jobId} with X-User-Id and Accept, and no body or idempotency key', async () => {
    const calls = respond('get', '1.0/job/abc123', { body: envelope([wireJob()]) });

    await client().getJob('abc123');

    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe('GET');
    expect(calls[0]?.search).toBe('');
    expect(calls[0]?.body).toBe('');
    expect(calls[0]?.headers['x-user-id']).toBe('demo');
    expect(calls[0]?.headers.accept).toContain('application/json');
    expect(calls[0]?.headers['content-type']).toBeUndefined();
    expect(calls[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('percent-encodes the job id in the path', async () => {
    const calls = respond('get', '1.0/job/a%20b%3F%23%25', { body: envelope([wireJob()]) });

    await client().getJob('a b?#%');

    expect(calls).toHaveLength(1);
  });

  it('maps the job: camelCase keys, Date times, arrays rebuilt from index keys, (dot) unescaped', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 11 }, (_, index) => [String(index), `file${index}.txt`]),
    );
    respond('get', '1.0/job/abc123', {
      body: envelope([
        wireJob({
          service_fields: { files, 'file(dot)txt': { size_bytes: 3 }, sparse: { 0: 'a', 2: 'c' } },
        }),
      ]),
    });

    const job = await client().getJob('abc123');

    expect(job.jobId).toBe('f55dd53883a44cdaa6eff884a6b5266b');
    expect(job.currentHost).toBe('dev-aics-lhp-001');
    expect(job.childIds).toEqual(['a0eaf0d41db848c8be5802432de327b9']);
    expect(job.created).toBeInstanceOf(Date);
    expect(job.created.toISOString()).toBe('2019-06-18T15:31:45.610Z');
    expect(job.modified.toISOString()).toBe('2019-06-18T15:32:00.000Z');
    expect(job.serviceFields).toEqual({
      files: Array.from({ length: 11 }, (_, index) => `file${index}.txt`),
      'file.txt': { sizeBytes: 3 },
      sparse: { 0: 'a', 2: 'c' },
    });
  });

  it('keeps fields it does not know and statuses it does not know', async () => {
    respond('get', '1.0/job/abc123', {
      body: envelope([wireJob({ status: 'PAUSED', priority_class: 'high' })]),
    });

    const job = await client().getJob('abc123');

    expect(job.status).toBe('PAUSED');
    expect((job as Job & Record<string, unknown>).priorityClass).toBe('high');
  });

  it('maps progress and log entries with Date times', async () => {
    respond('get', '1.0/job/abc123', {
      body: envelope([
        wireJob({
          progress: { completed: 1, total: 4, percent: 25 },
          logs: [{ time: MODIFIED, level: 'info', message: 'started', data: { file_name: 'a' } }],
        }),
      ]),
    });

    const job = await client().getJob('abc123');

    expect(job.progress).toEqual({ completed: 1, total: 4, percent: 25 });
    expect(job.logs).toEqual([
      {
        time: new Date('2019-06-18T15:32:00.000Z'),
        level: 'info',
        message: 'started',
        data: { fileName: 'a' },
      },
    ]);
  });

  it.each([
    ['', 'must not be empty'],
    ['a/b', 'path traversal'],
    ['a\\b', 'path traversal'],
    ['.', 'path traversal'],
    ['..', 'path traversal'],
    ['tab\there', 'control characters'],
    ['x'.repeat(257), 'at most 256'],
  ])('refuses the job id %j (%s) and sends nothing', async (jobId, rule) => {
    const error = await client()
      .getJob(jobId)
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toContain('jobId');
    expect((error as Error).message).toContain(rule);
    expect(sentRequests()).toHaveLength(0);
  });

  it('refuses an answer whose data is empty instead of resolving to undefined', async () => {
    respond('get', '1.0/job/abc123', { body: envelope([]) });

    const error = await client()
      .getJob('abc123')
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toMatch(/data: .*empty/);
  });

  it.each([
    [{ data: [wireJob()] }, 'response_type'],
    [{ response_type: 'SUCCESS', data: { job_id: 'x' } }, 'data'],
    [envelope([wireJob({ job_id: undefined })]), 'data[0].job_id'],
    [envelope([wireJob({ created: 'yesterday' })]), 'data[0].created'],
    [envelope([wireJob({ modified: '2019-02-30T10:00:00.000+0000' })]), 'data[0].modified'],
    [
      envelope([
        wireJob({ logs: [{ time: '2019-13-01T00:00:00Z', level: 'info', message: 'm' }] }),
      ]),
      'data[0].logs[0].time',
    ],
    [
      envelope([wireJob({ progress: { completed: '1', total: 2, percent: 50 } })]),
      'data[0].progress.completed',
    ],
    [envelope([wireJob({ status: 7 })]), 'data[0].status'],
    [envelope([wireJob({ child_ids: 'a,b' })]), 'data[0].child_ids'],
    [envelope([wireJob({ service_fields: [1, 2] })]), 'data[0].service_fields'],
    [envelope([wireJob()], { total_count: -1 }), 'total_count'],
  ])('refuses the malformed answer %j naming %s', async (body, field) => {
    respond('get', '1.0/job/abc123', { body: body as never });

    const error = await client()
      .getJob('abc123')
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toContain(`${field}:`);
    expect((error as Error).message).toContain('GET 1.0/job/abc123');
  });

  it.each([
    ['written plainly', '"__proto__"'],
    ['spelt with \\u escapes', '"\\u005f\\u005fproto\\u005f\\u005f"'],
  ])('refuses a "__proto__" key deep in the service fields, %s', async (_spelling, key) => {
    const job = JSON.stringify(wireJob({ service_fields: { meta: { marker: 1 } } }));
    const text = `{"response_type":"SUCCESS","data":[${job.replace('"marker"', key)}]}`;
    respondWith(
      'get',
      '1.0/job/abc123',
      () => new HttpResponse(text, { headers: { 'Content-Type': 'application/json' } }),
    );

    const error = await client()
      .getJob('abc123')
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues).toEqual([
      {
        path: ['data', 0, 'service_fields', 'meta', '__proto__'],
        message: 'is not allowed (prototype pollution)',
        code: 'forbidden_key',
      },
    ]);
  });

  it('returns a job whose text holds "__proto__" only as a value', async () => {
    const job = wireJob({ service_fields: { protocol: '__proto__' } });
    respond('get', '1.0/job/abc123', { body: envelope([job]) });

    const result = await client().getJob('abc123');

    expect(result.serviceFields).toEqual({ protocol: '__proto__' });
  });

  it('turns a 404 into NotFoundError', async () => {
    respond('get', '1.0/job/missing', {
      status: 404,
      body: { response_type: 'CLIENT_ERROR', error: 'Job not found', code: 'not_found' },
    });

    await expect(client().getJob('missing')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('getJobStatus', () => {
  it('sends GET 1.0/job/{jobId}/status and maps the summary', async () => {
    const calls = respond('get', '1.0/job/a%20b/status', {
      body: envelope([
        {
          job_id: 'a b',
          status: 'WORKING',
          current_stage: 'copying',
          progress: { completed: 2, total: 8, percent: 25 },
          modified: MODIFIED,
        },
      ]),
    });

    const summary = await client().getJobStatus('a b');

    expect(calls[0]?.headers['x-user-id']).toBe('demo');
    expect(summary).toEqual({
      jobId: 'a b',
      status: 'WORKING',
      currentStage: 'copying',
      progress: { completed: 2, total: 8, percent: 25 },
      modified: new Date('2019-06-18T15:32:00.000Z'),
    });
  });

  it('refuses a summary without a parseable modified time', async () => {
    respond('get', '1.0/job/abc/status', {
      body: envelope([{ job_id: 'abc', status: 'WORKING', modified: 'soon' }]),
    });

    await expect(client().getJobStatus('abc')).rejects.toThrow(/data\[0\]\.modified/);
  });

  it('refuses an empty answer', async () => {
    respond('get', '1.0/job/abc/status', { body: envelope([]) });

    await expect(client().getJobStatus('abc')).rejects.toBeInstanceOf(ResponseValidationError);
  });
});
