import { describe, expect, it } from 'vitest';
import { ConflictError, RequestValidationError, ResponseValidationError } from '../../src/index';
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

function client() {
  return demoClient({ ...FAST_RETRIES });
}

const batchAnswer = (jobIds: string[], created: boolean[]) =>
  envelope(
    jobIds.map((jobId) => wireJob({ job_id: jobId })),
    { results: jobIds.map((jobId, index) => ({ job_id: jobId, created: created[index]! })) },
  );

describe('createJobs', () => {
  it('posts every job to 1.0/job/batch as an array, encoded as createJob encodes one', async () => {
    const calls = respond('post', '1.0/job/batch', {
      status: 201,
      body: batchAnswer(['a', 'b'], [true, true]),
    });

    await client().createJobs([
      { user: 'demo', jobId: 'a', jobName: 'Dinner', serviceFields: { guestName: 'goofy' } },
      { user: 'demo', jobId: 'b', childIds: ['a'] },
    ]);

    expect(calls.map((call) => [call.method, call.path, call.body])).toEqual([
      [
        'POST',
        '/jss/1.0/job/batch',
        JSON.stringify([
          {
            job_id: 'a',
            user: 'demo',
            job_name: 'Dinner',
            service_fields: { guest_name: 'goofy' },
          },
          { job_id: 'b', user: 'demo', child_ids: ['a'] },
        ]),
      ],
    ]);
  });

  it('gives every job without an id a 32-hex one before sending', async () => {
    const calls = respond('post', '1.0/job/batch', {
      status: 201,
      body: batchAnswer(['x', 'y'], [true, true]),
    });

    await client().createJobs([{ user: 'demo' }, { user: 'demo' }]);

    const sent = JSON.parse(calls[0]?.body ?? '') as { job_id: string }[];
    expect(sent.map((job) => HEX_32.test(job.job_id))).toEqual([true, true]);
  });

  it('sends X-User-Id, JSON content headers and one 32-hex Idempotency-Key', async () => {
    const calls = respond('post', '1.0/job/batch', {
      status: 201,
      body: batchAnswer(['a'], [true]),
    });

    await client().createJobs([{ user: 'demo', jobId: 'a' }]);

    const headers = calls[0]?.headers ?? {};
    expect([
      headers['x-user-id'],
      headers['content-type'],
      HEX_32.test(headers['idempotency-key'] ?? ''),
    ]).toEqual(['demo', 'application/json', true]);
  });

  it('repeats the same body and Idempotency-Key when a lost answer makes it retry', async () => {
    const calls = respond(
      'post',
      '1.0/job/batch',
      {
        status: 503,
        body: { response_type: 'SERVER_ERROR', error: 'down', code: 'injected_fault' },
      },
      { status: 201, body: batchAnswer(['a'], [true]) },
    );

    await client().createJobs([{ user: 'demo' }]);

    expect(calls).toHaveLength(2);
    expect(calls[1]?.body).toBe(calls[0]?.body);
    expect(calls[1]?.headers['idempotency-key']).toBe(calls[0]?.headers['idempotency-key']);
  });

  it('answers each job with whether this call created it, in the order sent', async () => {
    respond('post', '1.0/job/batch', {
      status: 201,
      body: batchAnswer(['a', 'b'], [false, true]),
    });

    const results = await client().createJobs([
      { user: 'demo', jobId: 'a' },
      { user: 'demo', jobId: 'b' },
    ]);

    expect(results.map(({ job, created }) => [job.jobId, created])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });

  it('refuses a job that breaks a rule by its place in the list, sending nothing', async () => {
    const error = await client()
      .createJobs([{ user: 'demo' }, { user: '' }])
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues[0]?.path).toEqual(['jobs', 1, 'user']);
    expect(sentRequests()).toEqual([]);
  });

  it('refuses an empty list and one over 1000 jobs, sending nothing', async () => {
    const tooMany = Array.from({ length: 1001 }, () => ({ user: 'demo' }));
    const errors = await Promise.all(
      [[], tooMany].map((jobs) =>
        client()
          .createJobs(jobs)
          .catch((caught: unknown) => caught),
      ),
    );

    expect(errors.map((error) => error instanceof RequestValidationError)).toEqual([true, true]);
    expect(sentRequests()).toEqual([]);
  });

  it('throws ConflictError when the server finds a different job under one of the ids', async () => {
    respond('post', '1.0/job/batch', {
      status: 409,
      body: {
        response_type: 'CLIENT_ERROR',
        error: 'A different job with id "a" exists (jobs[0])',
        code: 'job_exists',
      },
    });

    await expect(client().createJobs([{ user: 'demo', jobId: 'a' }])).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('refuses an answer that does not hold one job per job sent', async () => {
    respond('post', '1.0/job/batch', { status: 201, body: batchAnswer(['a'], [true]) });

    await expect(
      client().createJobs([
        { user: 'demo', jobId: 'a' },
        { user: 'demo', jobId: 'b' },
      ]),
    ).rejects.toBeInstanceOf(ResponseValidationError);
  });
});
