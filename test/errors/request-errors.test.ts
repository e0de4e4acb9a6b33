import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ConnectionError,
  JobFailedError,
  TimeoutError,
  isJobStatusError,
} from '../../src/errors';

describe('ConnectionError', () => {
  it('describes the request and the low-level cause', () => {
    const error = new ConnectionError({
      method: 'GET',
      path: '1.0/job/abc',
      cause: { name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' },
    });

    expect(error.message).toBe(
      'Could not reach the Job Status Service (GET 1.0/job/abc): connect ECONNREFUSED 127.0.0.1:9',
    );
    expect(error.code).toBe('connection_error');
    expect(error.cause).toEqual({
      name: 'Error',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:9',
    });
  });

  it('adds the cause code when the cause message lacks it', () => {
    const error = new ConnectionError({
      cause: { name: 'AxiosError', code: 'ERR_NETWORK', message: 'Network Error' },
    });

    expect(error.message).toBe('Could not reach the Job Status Service: ERR_NETWORK Network Error');
  });
});

describe('TimeoutError', () => {
  it('reports an attempt timeout with code timeout', () => {
    const error = new TimeoutError({ timeoutMs: 250, scope: 'attempt', method: 'GET', path: 'p' });

    expect(error.message).toBe('The request (GET p) timed out after 250 ms');
    expect(error.code).toBe('timeout');
    expect(error.timeoutMs).toBe(250);
  });

  it('reports a passed deadline with code deadline_exceeded', () => {
    const error = new TimeoutError({ timeoutMs: 1000, scope: 'deadline' });

    expect(error.message).toBe('The request exceeded its deadline of 1000 ms');
    expect(error.code).toBe('deadline_exceeded');
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ timeoutMs: 1000, scope: 'deadline' });
  });
});

describe('AbortError', () => {
  it('is named AbortError like the platform abort errors', () => {
    const error = new AbortError({ method: 'DELETE', path: '1.0/job/a' });

    expect(error.name).toBe('AbortError');
    expect(error.code).toBe('aborted');
    expect(error.message).toBe('The request (DELETE 1.0/job/a) was aborted');
    expect(error.cause).toBeUndefined();
  });
});

describe('JobFailedError', () => {
  it('names the job and its final status', () => {
    const job = { jobId: 'j-1', status: 'UNRECOVERABLE', serviceFields: { secret: 'x' } };

    const error = new JobFailedError(job);

    expect(error.message).toBe('Job j-1 ended with status UNRECOVERABLE');
    expect(error.status).toBe('UNRECOVERABLE');
    expect(error.job).toBe(job);
    expect(isJobStatusError(error)).toBe(true);
  });

  it('serialises the job id and status but not the job', () => {
    const error = new JobFailedError({
      jobId: 'j-1',
      status: 'FAILED',
      serviceFields: { note: 'private' },
    });

    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'JobFailedError',
      code: 'job_failed',
      message: 'Job j-1 ended with status FAILED',
      jobId: 'j-1',
      status: 'FAILED',
    });
  });
});
