import { describe, expect, it } from 'vitest';
import { ConflictError, RequestValidationError } from '../../src/index';
import {
  demoClient,
  envelope,
  FAST_RETRIES,
  respond,
  sentRequests,
  useMswServer,
  wireJob,
} from './msw-harness';

useMswServer();

const HEX_32 = /^[0-9a-f]{32}$/;
const LEASE = '2024-03-01T12:00:30.000+0000';

function client() {
  return demoClient(FAST_RETRIES);
}

function claimed(overrides: Record<string, unknown> = {}) {
  return wireJob({
    job_id: 'j1',
    status: 'WORKING',
    attempts: 1,
    worker_id: 'w1',
    lease_ms: 30_000,
    lease_expires: LEASE,
    ...overrides,
  });
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(RequestValidationError);
  return error as Error;
}

describe('claimJobs', () => {
  it('posts the claim to 1.0/job/claim with an Idempotency-Key and answers the leased jobs', async () => {
    const calls = respond('post', '1.0/job/claim', { body: envelope([claimed()]) });

    const jobs = await client().claimJobs({
      service: ['upload', 'copy'],
      limit: 5,
      leaseMs: 30_000,
      workerId: 'w1',
      waitMs: 1000,
    });

    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.body).toBe(
      '{"service":["upload","copy"],"limit":5,"lease_ms":30000,"worker_id":"w1","wait_ms":1000}',
    );
    expect(calls[0]?.headers['content-type']).toBe('application/json');
    expect(calls[0]?.headers['x-user-id']).toBe('demo');
    expect(calls[0]?.headers['idempotency-key']).toMatch(HEX_32);
    expect(jobs[0]).toMatchObject({ jobId: 'j1', status: 'WORKING', attempts: 1, workerId: 'w1' });
    expect(jobs[0]?.leaseExpires).toEqual(new Date('2024-03-01T12:00:30.000Z'));
  });

  it("sends the client's own worker id when none is given", async () => {
    const calls = respond('post', '1.0/job/claim', { body: envelope([]) });
    const jss = client();

    await expect(jss.claimJobs({ service: 'upload' })).resolves.toEqual([]);

    expect(calls[0]?.body).toBe(`{"service":"upload","worker_id":"${jss.workerId}"}`);
    expect(jss.workerId).toMatch(/^worker-[0-9a-f]{16}$/);
  });

  it.each([
    [{ service: '' }, 'options.service'],
    [{ service: 'x', limit: 0 }, 'options.limit'],
    [{ service: 'x', limit: 101 }, 'options.limit'],
    [{ service: 'x', leaseMs: 999 }, 'options.leaseMs'],
    [{ service: 'x', waitMs: 30_001 }, 'options.waitMs'],
    [{ service: 'x', workerId: 'has space' }, 'options.workerId'],
    [{ service: 'x', extra: 1 }, 'options'],
  ])('refuses %j naming %s, and sends nothing', async (options, path) => {
    const error = await refusal(client().claimJobs(options as never));
    expect(error.message).toContain(path);
    expect(sentRequests()).toHaveLength(0);
  });
});

describe('heartbeat', () => {
  it('posts {worker_id, lease_ms} to 1.0/job/{jobId}/heartbeat, the id percent-encoded', async () => {
    const calls = respond('post', '1.0/job/a%20b/heartbeat', { body: envelope([claimed()]) });

    await client().heartbeat('a b', { workerId: 'w1', leaseMs: 60_000 });

    expect(calls[0]?.body).toBe('{"worker_id":"w1","lease_ms":60000}');
    expect(calls[0]?.headers['content-type']).toBe('application/json');
    expect(calls[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('rejects with ConflictError when the lease is lost (409 not_claimed)', async () => {
    respond('post', '1.0/job/j1/heartbeat', {
      status: 409,
      body: {
        response_type: 'CLIENT_ERROR',
        error: 'not held',
        code: 'not_claimed',
        request_id: 'r',
      },
    });

    await expect(client().heartbeat('j1', { workerId: 'w1' })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});

describe('completeJob', () => {
  it('posts {worker_id, result} with the result keys snake_cased like service fields', async () => {
    const calls = respond('post', '1.0/job/j1/complete', {
      body: envelope([
        claimed({ status: 'SUCCEEDED', service_fields: { result: { file_count: 3 } } }),
      ]),
    });

    const job = await client().completeJob('j1', { fileCount: 3 }, { workerId: 'w1' });

    expect(calls[0]?.body).toBe('{"worker_id":"w1","result":{"file_count":3}}');
    expect(calls[0]?.headers['idempotency-key']).toMatch(HEX_32);
    expect(job.serviceFields).toEqual({ result: { fileCount: 3 } });
  });

  it('sends no result when none is given', async () => {
    const calls = respond('post', '1.0/job/j1/complete', { body: envelope([claimed()]) });

    await client().completeJob('j1', undefined, { workerId: 'w1' });

    expect(calls[0]?.body).toBe('{"worker_id":"w1"}');
  });

  it('refuses a result that is not JSON, and sends nothing', async () => {
    const error = await refusal(client().completeJob('j1', { f: () => 1 }));
    expect(error.message).toContain('result.f');
    expect(sentRequests()).toHaveLength(0);
  });
});

describe('failJob', () => {
  it('posts an Error as its message and name, never its stack, with fatal', async () => {
    const calls = respond('post', '1.0/job/j1/fail', {
      body: envelope([claimed({ status: 'UNRECOVERABLE' })]),
    });
    const error = Object.assign(new TypeError('disk full'), { code: 'ENOSPC' });

    const job = await client().failJob('j1', error, { workerId: 'w1', fatal: true });

    expect(calls[0]?.body).toBe(
      '{"worker_id":"w1","error":{"message":"disk full","name":"TypeError","code":"ENOSPC"},"fatal":true}',
    );
    expect(calls[0]?.headers['idempotency-key']).toMatch(HEX_32);
    expect(job.status).toBe('UNRECOVERABLE');
  });

  it('posts a string as {message} and an object as it is (keys snake_cased), without fatal', async () => {
    const calls = respond('post', '1.0/job/j1/fail', {
      body: envelope([claimed({ status: 'RETRYING' })]),
    });

    await client().failJob('j1', 'timed out', { workerId: 'w1' });
    await client().failJob('j1', { message: 'bad input', badField: 'x' }, { workerId: 'w1' });

    expect(calls.map((call) => call.body)).toEqual([
      '{"worker_id":"w1","error":{"message":"timed out"}}',
      '{"worker_id":"w1","error":{"message":"bad input","bad_field":"x"}}',
    ]);
  });

  it('refuses an error object without a message, and sends nothing', async () => {
    const error = await refusal(client().failJob('j1', { reason: 'x' } as never));
    expect(error.message).toContain('error.message');
    expect(sentRequests()).toHaveLength(0);
  });
});

describe('createJob with scheduling fields', () => {
  it('sends them snake_cased, times as ISO strings', async () => {
    const calls = respond('post', '1.0/job/', { status: 201, body: envelope([wireJob()]) });

    await client().createJob({
      jobId: 'j2',
      user: 'demo',
      service: 'upload',
      priority: 'high',
      runAt: new Date('2024-03-01T13:00:00.000Z'),
      dependsOn: ['j1'],
      retry: { retries: 3, waitMs: 1000, backoff: 'exponential', maxWaitMs: 60_000 },
      repeat: { repeats: 2, schedule: '0 3 * * *' },
    });

    expect(calls[0]?.body).toBe(
      '{"job_id":"j2","user":"demo","service":"upload","priority":"high","run_at":"2024-03-01T13:00:00.000Z","depends_on":["j1"],"retry":{"retries":3,"wait_ms":1000,"backoff":"exponential","max_wait_ms":60000},"repeat":{"repeats":2,"schedule":"0 3 * * *"}}',
    );
  });

  it.each([
    [{ priority: 'urgent' }, 'job.priority'],
    [{ priority: 1.5 }, 'job.priority'],
    [{ delayMs: -1 }, 'job.delayMs'],
    [{ runAt: new Date(), delayMs: 5 }, 'job.delayMs'],
    [{ dependsOn: [''] }, 'job.dependsOn[0]'],
    [{ retry: { waitMs: 5 } }, 'job.retry.retries'],
    [{ retry: { retries: 1, backoff: 'linear' } }, 'job.retry.backoff'],
    [{ repeat: { repeats: 1 } }, 'job.repeat'],
    [{ repeat: { waitMs: 1, schedule: '* * * * *' } }, 'job.repeat'],
  ])('refuses %j naming %s, and sends nothing', async (fields, path) => {
    const error = await refusal(client().createJob({ user: 'demo', ...(fields as object) }));
    expect(error.message).toContain(path);
    expect(sentRequests()).toHaveLength(0);
  });
});
