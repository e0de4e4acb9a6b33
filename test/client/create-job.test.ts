import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../src/index';
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

describe('createJob', () => {
  it('posts the job to 1.0/job/ with snake_cased nested keys and a generated 32-hex job id first', async () => {
    const calls = respond('post', '1.0/job/', { status: 201, body: envelope([wireJob()]) });

    await client().createJob({
      user: 'demo',
      jobName: 'Dinner',
      childIds: ['a0eaf0d41db848c8be5802432de327b9'],
      serviceFields: { guestName: 'goofy', favoriteDish: { mainCourse: 'pie' } },
    });

    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.method).toBe('POST');
    const sent = JSON.parse(call?.body ?? '') as Record<string, unknown>;
    expect(sent.job_id).toMatch(HEX_32);
    expect(call?.body).toBe(
      JSON.stringify({
        job_id: sent.job_id,
        user: 'demo',
        job_name: 'Dinner',
        child_ids: ['a0eaf0d41db848c8be5802432de327b9'],
        service_fields: { guest_name: 'goofy', favorite_dish: { main_course: 'pie' } },
      }),
    );
  });

  it('sends X-User-Id, JSON content headers and a 32-hex Idempotency-Key', async () => {
    const calls = respond('post', '1.0/job/', { status: 201, body: envelope([wireJob()]) });

    await client().createJob({ user: 'demo' });

    const headers = calls[0]?.headers ?? {};
    expect(headers['x-user-id']).toBe('demo');
    expect(headers['content-type']).toBe('application/json');
    expect(headers.accept).toContain('application/json');
    expect(headers['idempotency-key']).toMatch(HEX_32);
    expect(headers.authorization).toBeUndefined();
    expect(calls[0]?.search).toBe('');
  });

  it('keeps a job id given by the caller', async () => {
    const calls = respond('post', '1.0/job/', { status: 201, body: envelope([wireJob()]) });

    await client().createJob({ user: 'demo', jobId: 'my-own-id' });

    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({ job_id: 'my-own-id', user: 'demo' });
  });

  it('repeats the same job id and Idempotency-Key when a lost answer makes it retry', async () => {
    const calls = respond(
      'post',
      '1.0/job/',
      {
        status: 503,
        body: { response_type: 'SERVER_ERROR', error: 'down', code: 'injected_fault' },
      },
      { status: 201, body: envelope([wireJob()]) },
    );

    await client().createJob({ user: 'demo' });

    expect(calls).toHaveLength(2);
    expect(calls[1]?.body).toBe(calls[0]?.body);
    expect(calls[1]?.headers['idempotency-key']).toBe(calls[0]?.headers['idempotency-key']);
  });

  it('uses a fresh job id and key for each separate create', async () => {
    const calls = respond('post', '1.0/job/', { status: 201, body: envelope([wireJob()]) });
    const jss = client();

    await jss.createJob({ user: 'demo' });
    await jss.createJob({ user: 'demo' });

    expect(calls[0]?.body).not.toBe(calls[1]?.body);
    expect(calls[0]?.headers['idempotency-key']).not.toBe(calls[1]?.headers['idempotency-key']);
  });

  it('returns the created job mapped to camelCase with Date times', async () => {
    respond('post', '1.0/job/', { status: 201, body: envelope([wireJob({ job_id: 'abc' })]) });

    const job = await client().createJob({ user: 'demo' });

    expect(job.jobId).toBe('abc');
    expect(job.serviceFields).toEqual({ guestName: 'goofy' });
    expect(job.created).toEqual(new Date('2019-06-18T15:31:45.610Z'));
  });

  it('returns an answer expanded like a read, where the legacy client left it as sent', async () => {
    // Deliberate difference: the legacy client returned this answer's service fields as
    // { files: { '0': 'a', '1': 'b' }, 'file(dot)txt': 1 }.
    respond('post', '1.0/job/', {
      status: 201,
      body: envelope([
        wireJob({ service_fields: { files: { 0: 'a', 1: 'b' }, 'file(dot)txt': 1 } }),
      ]),
    });

    const job = await client().createJob({ user: 'demo' });

    expect(job.serviceFields).toStrictEqual({ files: ['a', 'b'], 'file.txt': 1 });
  });

  it('returns top-level service fields keyed "0", "1" as an object, as the legacy client did', async () => {
    respond('post', '1.0/job/', {
      status: 201,
      body: envelope([wireJob({ service_fields: { 0: 'a', 1: { file_name: 'b' } } })]),
    });

    const job = await client().createJob({ user: 'demo' });

    expect(job.serviceFields).toStrictEqual({ 0: 'a', 1: { fileName: 'b' } });
  });

  it.each([
    [{ user: 'demo', created: new Date() }, 'job.created'],
    [{ user: 'demo', modified: '2019-06-18T15:31:45.610+0000' }, 'job.modified'],
    [{ user: 'demo', status: 'DONE' }, 'job.status'],
    [{ user: '' }, 'job.user'],
    [{ jobName: 'no user' }, 'job.user'],
    [{ user: 'demo', jobId: 'a/b' }, 'job.jobId'],
    [{ user: 'demo', serviceFields: ['not', 'an', 'object'] }, 'job.serviceFields'],
    [
      { user: 'demo', serviceFields: JSON.parse('{"a":{"__proto__":{"x":1}}}') },
      'job.serviceFields.a.__proto__',
    ],
    [{ user: 'demo', serviceFields: { n: Number.NaN } }, 'job.serviceFields.n'],
    [{ user: 'demo', serviceFields: { when: new Map() } }, 'job.serviceFields.when'],
  ])('refuses %j naming %s, and sends nothing', async (job, field) => {
    const error = await client()
      .createJob(job as never)
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).message).toContain(field);
    expect(sentRequests()).toHaveLength(0);
  });

  it('refuses service fields nested deeper than 64 levels', async () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 70; level++) deep = { next: deep };

    await expect(client().createJob({ user: 'demo', serviceFields: deep })).rejects.toThrow(
      /deeper than 64/,
    );
    expect(sentRequests()).toHaveLength(0);
  });

  it('refuses a body over 1 MiB', async () => {
    const big = 'x'.repeat(1024 * 1024);

    await expect(client().createJob({ user: 'demo', serviceFields: { big } })).rejects.toThrow(
      /limit is 1048576/,
    );
    expect(sentRequests()).toHaveLength(0);
  });
});
