import { describe, expect, it } from 'vitest';
import { send, store, useJssKit } from './kit-harness';

useJssKit();

async function body(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

async function claim(extra: Record<string, unknown> = {}) {
  return send('POST', '1.0/job/claim', { body: { service: 'upload', worker_id: 'w1', ...extra } });
}

describe('the testing kit as a work queue', () => {
  it('answers a claim with the leased jobs in the envelope', async () => {
    store.insertWire({ job_id: 'a', user: 'demo', service: 'upload' });

    const response = await claim({ lease_ms: 5000 });

    expect(response.status).toBe(200);
    const answer = await body(response);
    expect(answer).toMatchObject({ response_type: 'SUCCESS', total_count: 1, offset: 0 });
    expect((answer.data as unknown[])[0]).toMatchObject({
      job_id: 'a',
      status: 'WORKING',
      attempts: 1,
      worker_id: 'w1',
      lease_ms: 5000,
      lease_expires: expect.any(String),
    });
  });

  it('answers 409 not_claimed to a report from a worker that does not hold the job', async () => {
    store.insertWire({ job_id: 'a', user: 'demo', service: 'upload' });
    await claim();

    const response = await send('POST', '1.0/job/a/complete', { body: { worker_id: 'w2' } });

    expect(response.status).toBe(409);
    expect(await body(response)).toMatchObject({
      response_type: 'CLIENT_ERROR',
      code: 'not_claimed',
      error: 'Job a is not held by worker w2: it is claimed by another worker',
    });
  });

  it('ends the lease of a job that is aborted, so that its heartbeat is refused', async () => {
    store.insertWire({ job_id: 'a', user: 'demo', service: 'upload' });
    await claim();

    await send('POST', '1.0/job/a/abort');
    const response = await send('POST', '1.0/job/a/heartbeat', { body: { worker_id: 'w1' } });

    expect(store.getWire('a')).toMatchObject({ status: 'ABORTED', lease_expires: null });
    expect(response.status).toBe(409);
  });

  it('answers 400 naming the field for a bad claim body', async () => {
    const response = await send('POST', '1.0/job/claim', { body: { service: 'upload' } });

    expect(response.status).toBe(400);
    expect(await body(response)).toMatchObject({
      code: 'invalid_body',
      error: expect.stringContaining('worker_id'),
    });
  });

  it('holds a claim with wait_ms open until a job arrives', async () => {
    const pending = claim({ wait_ms: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    store.insertWire({ job_id: 'late', user: 'demo', service: 'upload' });

    const answer = await body(await pending);

    expect((answer.data as { job_id: string }[]).map((job) => job.job_id)).toEqual(['late']);
  });

  it('refuses a dependency on a job that does not exist, naming depends_on', async () => {
    const response = await send('POST', '1.0/job/', {
      body: { user: 'demo', service: 'upload', depends_on: ['nope'] },
    });

    expect(response.status).toBe(400);
    expect(await body(response)).toMatchObject({ error: expect.stringContaining('"depends_on"') });
  });

  it('stores the normalised scheduling fields of a create', async () => {
    const response = await send('POST', '1.0/job/', {
      body: {
        job_id: 'sched',
        user: 'demo',
        service: 'upload',
        priority: 'critical',
        retry: { retries: 2 },
      },
    });

    expect(response.status).toBe(201);
    expect(store.getWire('sched')).toMatchObject({
      priority: 15,
      retry: { retries: 2, wait_ms: 300_000, backoff: 'constant', max_wait_ms: null, until: null },
    });
  });
});
