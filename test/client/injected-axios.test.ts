import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/index';
import { demoClient, envelope, respond, useMswServer, wireJob } from './msw-harness';

// `ClientOptions.axios`: the SDK sends through the caller's instance (its interceptors and adapter
// apply) but reads the bytes itself, whatever that instance's own defaults say.

useMswServer();

describe('an injected axios instance', () => {
  it('runs its request interceptors on every request the SDK sends', async () => {
    const instance = axios.create();
    instance.interceptors.request.use((config) => {
      config.headers.set('X-Trace-Id', 'trace-1');
      return config;
    });
    const calls = respond('get', '1.0/job/abc123', { body: envelope([wireJob()]) });

    await demoClient({ axios: instance, maxRetries: 0 }).getJob('abc123');

    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers['x-trace-id']).toBe('trace-1');
    expect(calls[0]?.headers['x-user-id']).toBe('demo');
  });

  it('decodes the job even when the instance parses and transforms answers by default', async () => {
    const instance = axios.create({
      responseType: 'json',
      transformResponse: [() => ({ replaced: 'by the instance' })],
      validateStatus: (status) => status === 200,
    });
    respond('get', '1.0/job/abc123', { body: envelope([wireJob({ job_id: 'abc123' })]) });

    const job = await demoClient({ axios: instance, maxRetries: 0 }).getJob('abc123');

    expect(job.jobId).toBe('abc123');
  });

  it('maps a 404 to NotFoundError even when the instance would reject other statuses', async () => {
    const instance = axios.create({ validateStatus: (status) => status === 200 });
    respond('get', '1.0/job/missing', {
      status: 404,
      body: { response_type: 'CLIENT_ERROR', error: 'no such job' },
    });

    const failure = demoClient({ axios: instance, maxRetries: 0 }).getJob('missing');

    await expect(failure).rejects.toBeInstanceOf(NotFoundError);
  });
});
