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

function client() {
  return demoClient({ ...FAST_RETRIES });
}

// Actions send no body and so no Content-Type (no form type from the HTTP stack either).
const actions = [
  ['abortJob', 'post', '/abort', 'ABORTED', '', undefined],
  ['retryJob', 'post', '/retry', 'RETRYING', '', undefined],
  ['deleteJob', 'delete', '', 'SUCCEEDED', '', undefined],
] as const;

describe.each(actions)('%s', (method, httpMethod, suffix, status, body, contentType) => {
  it(`sends ${httpMethod.toUpperCase()} 1.0/job/{jobId}${suffix} with body ${JSON.stringify(body)}, X-User-Id and an Idempotency-Key`, async () => {
    const calls = respond(httpMethod, `1.0/job/a%20b${suffix}`, {
      body: envelope([wireJob({ job_id: 'a b', status })]),
    });

    await client()[method]('a b');

    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe(httpMethod.toUpperCase());
    expect(calls[0]?.search).toBe('');
    expect(calls[0]?.body).toBe(body);
    expect(calls[0]?.headers['x-user-id']).toBe('demo');
    expect(calls[0]?.headers.accept).toContain('application/json');
    expect(calls[0]?.headers['content-type']).toBe(contentType);
    expect(calls[0]?.headers['idempotency-key']).toMatch(HEX_32);
  });

  it('returns the job the server answered with', async () => {
    respond(httpMethod, `1.0/job/abc${suffix}`, {
      body: envelope([wireJob({ job_id: 'abc', status })]),
    });

    const job = await client()[method]('abc');

    expect([job.jobId, job.status]).toEqual(['abc', status]);
  });

  it('keeps the Idempotency-Key across a retry', async () => {
    const calls = respond(
      httpMethod,
      `1.0/job/abc${suffix}`,
      { status: 502, body: { response_type: 'SERVER_ERROR', error: 'bad gateway' } },
      { body: envelope([wireJob({ job_id: 'abc', status })]) },
    );

    await client()[method]('abc');

    expect(calls).toHaveLength(2);
    expect(calls[1]?.headers['idempotency-key']).toBe(calls[0]?.headers['idempotency-key']);
  });

  it('turns a 409 into ConflictError', async () => {
    respond(httpMethod, `1.0/job/abc${suffix}`, {
      status: 409,
      body: {
        response_type: 'CLIENT_ERROR',
        error: 'not allowed from the current status',
        code: 'invalid_transition',
      },
    });

    await expect(client()[method]('abc')).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses a job id with a slash and sends nothing', async () => {
    await expect(client()[method]('a/b')).rejects.toBeInstanceOf(RequestValidationError);
    expect(sentRequests()).toHaveLength(0);
  });
});
