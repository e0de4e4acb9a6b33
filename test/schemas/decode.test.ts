import { describe, expect, it } from 'vitest';
import { ResponseValidationError } from '../../src/errors';
import { decodeJobPage, decodeWireJob } from '../../src/internal/decode';

const SNAKE = { serviceFieldKeys: 'snake_case' } as const;

function wire(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    job_id: 'j1',
    user: 'demo',
    status: 'WORKING',
    created: '2019-06-18T15:31:45.610+0000',
    modified: '2019-06-18T15:31:45.610Z',
    ...overrides,
  };
}

function failure(run: () => unknown): ResponseValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ResponseValidationError);
    return error as ResponseValidationError;
  }
  throw new Error('expected a ResponseValidationError');
}

describe('decodeWireJob', () => {
  it('accepts a job with only the required fields', () => {
    const job = decodeWireJob(wire(), SNAKE);

    expect(job).toEqual({
      jobId: 'j1',
      user: 'demo',
      status: 'WORKING',
      created: new Date('2019-06-18T15:31:45.610Z'),
      modified: new Date('2019-06-18T15:31:45.610Z'),
    });
  });

  it('keeps a log level it does not know, like an unknown status', () => {
    const job = decodeWireJob(
      wire({ logs: [{ time: '2020-01-01T00:00:00Z', level: 'trace', message: 'm' }] }),
      SNAKE,
    );

    expect(job.logs?.[0]?.level).toBe('trace');
  });

  it('accepts null for the optional fields a legacy server writes as null', () => {
    const job = decodeWireJob(
      wire({
        job_name: null,
        child_ids: null,
        update_parent: null,
        service_fields: null,
        progress: null,
      }),
      SNAKE,
    );

    expect([job.jobName, job.childIds, job.serviceFields, job.progress]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('refuses a job that is not an object', () => {
    const error = failure(() => decodeWireJob('job', SNAKE));

    expect(error.message).toContain('must be of type object, received a string');
  });

  it.each([
    ['no user', wire({ user: undefined }), 'user'],
    ['a numeric job id', wire({ job_id: 12 }), 'job_id'],
    ['child ids of numbers', wire({ child_ids: [1] }), 'child_ids[0]'],
    ['update_parent as a string', wire({ update_parent: 'yes' }), 'update_parent'],
    ['logs that are not an array', wire({ logs: {} }), 'logs'],
  ])('refuses a job with %s, naming %s', (_name, value, path) => {
    const error = failure(() => decodeWireJob(value, SNAKE));

    expect(error.message).toContain(`${path}:`);
  });

  it('names the call in the message when given one', () => {
    const error = failure(() =>
      decodeWireJob({}, SNAKE, { method: 'GET', path: '1.0/job/subscribe/demo', status: 200 }),
    );

    expect(error.message).toContain('GET 1.0/job/subscribe/demo');
  });
});

describe('decodeJobPage', () => {
  it('says more follow when total_count exceeds what was read, though has_more is absent', () => {
    const page = decodeJobPage(
      { response_type: 'SUCCESS', data: [wire()], total_count: 5, offset: 0 },
      SNAKE,
    );

    expect(page.hasMore).toBe(true);
  });

  it('keeps extra envelope fields from a newer server without complaint', () => {
    const page = decodeJobPage(
      { response_type: 'SUCCESS', data: [], total_count: 0, offset: 0, took_ms: 3 },
      SNAKE,
    );

    expect(page.jobs).toEqual([]);
  });

  it('refuses a non-integer offset', () => {
    const error = failure(() =>
      decodeJobPage({ response_type: 'SUCCESS', data: [], offset: 1.5 }, SNAKE),
    );

    expect(error.message).toContain('offset:');
  });
});
