import { beforeAll, describe, expect, it } from 'vitest';
import { ResponseValidationError } from '../../src/errors';
import type { Job } from '../../src/schemas';
import {
  areResponseSchemasCompiled,
  compileResponseSchemas,
  decodeJobList,
  decodeWireJob,
  uncompileResponseSchemas,
} from '../../src/decode';
import { decodeJobChanges, decodeJobPage, decodeJobStatusSummary } from '../../src/decode/pages';

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

// Every case runs twice, in this order: with zod's interpreter, then with the schemas compiled
// (as on Node once a client exists). Compiling cannot be undone, so the order matters.
describe.each(['the interpreter', 'compiled schemas'])('decoding with %s', (validator) => {
  beforeAll(async () => {
    if (validator === 'compiled schemas') expect(await compileResponseSchemas()).toBe(true);
    else expect(areResponseSchemasCompiled()).toBe(false);
  });

  describe('decodeWireJob', () => {
    it('keeps the fields in the order the server sent them', () => {
      const job = decodeWireJob(
        {
          modified: '2019-06-18T15:31:45Z',
          extra: 1,
          created: '2019-06-18T15:31:45Z',
          status: 'WAITING',
          user: 'demo',
          job_id: 'j1',
        },
        SNAKE,
      );

      expect(Object.keys(job)).toEqual(['modified', 'extra', 'created', 'status', 'user', 'jobId']);
    });

    it('refuses a "__proto__" field of the job, naming it', () => {
      const body = JSON.parse(
        '{"job_id":"j1","user":"demo","status":"WAITING","created":"2019-06-18T15:31:45Z","modified":"2019-06-18T15:31:45Z","__proto__":{"polluted":true}}',
      ) as unknown;

      const error = failure(() => decodeWireJob(body, SNAKE));

      expect(error.issues).toEqual([
        {
          path: ['__proto__'],
          message: 'is not allowed (prototype pollution)',
          code: 'forbidden_key',
        },
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each([
      ['snake_case', SNAKE],
      ['verbatim', { serviceFieldKeys: 'verbatim' } as const],
    ])(
      'refuses a "__proto__" key deep in service_fields (%s keys), naming its path',
      (_mode, options) => {
        const body = JSON.parse(
          '{"job_id":"j1","user":"demo","status":"WAITING","created":"2019-06-18T15:31:45Z","modified":"2019-06-18T15:31:45Z","service_fields":{"files":[{"meta":{"__proto__":{"admin":true}}}]}}',
        ) as unknown;

        const error = failure(() => decodeWireJob(body, options));

        expect(error).toBeInstanceOf(ResponseValidationError);
        expect(error.issues.map((issue) => issue.path)).toEqual([
          ['service_fields', 'files', 0, 'meta', '__proto__'],
        ]);
      },
    );

    it('keeps "constructor" and "prototype" in service_fields as ordinary fields', () => {
      const body = JSON.parse(
        '{"job_id":"j1","user":"demo","status":"WAITING","created":"2019-06-18T15:31:45Z","modified":"2019-06-18T15:31:45Z","service_fields":{"constructor":"c","prototype":"p"}}',
      ) as unknown;

      const job = decodeWireJob(body, { serviceFieldKeys: 'verbatim' });

      expect(job.serviceFields).toEqual({ constructor: 'c', prototype: 'p' });
      expect(Object.getPrototypeOf(job.serviceFields)).toBe(Object.prototype);
    });

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

    it('keeps a status and fields it does not know', () => {
      const job = decodeWireJob(wire({ status: 'PAUSED', queue_name: 'q1' }), SNAKE);

      expect([job.status, (job as Job & Record<string, unknown>).queueName]).toEqual([
        'PAUSED',
        'q1',
      ]);
    });

    it('refuses service_fields that is an array', () => {
      const error = failure(() => decodeWireJob(wire({ service_fields: [1] }), SNAKE));

      expect(error.issues).toEqual([
        expect.objectContaining({
          path: ['service_fields'],
          message: 'must be of type object, received an array',
        }),
      ]);
    });

    it('refuses a time that is not a JSS time, naming the rule', () => {
      const error = failure(() => decodeWireJob(wire({ created: '18/06/2019' }), SNAKE));

      expect(error.issues).toEqual([
        expect.objectContaining({
          path: ['created'],
          message: 'must be a date such as 2019-06-18T15:31:45.610+0000',
        }),
      ]);
    });

    it('refuses February 30th in a log time, naming its path', () => {
      const error = failure(() =>
        decodeWireJob(
          wire({ logs: [{ time: '2019-02-30T00:00:00.000+0000', level: 'info', message: 'm' }] }),
          SNAKE,
        ),
      );

      expect(error.issues).toEqual([
        expect.objectContaining({ path: ['logs', 0, 'time'], code: 'invalid_date' }),
      ]);
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

  describe('decodeJobList', () => {
    it('reports at most 20 issues for a body of many broken jobs', () => {
      const body = { response_type: 'SUCCESS', data: Array.from({ length: 50 }, () => ({})) };

      const error = failure(() => decodeJobList(body, SNAKE));

      expect(error.issues).toHaveLength(20);
    });

    it('refuses an answer that is not a success', () => {
      const error = failure(() => decodeJobList({ response_type: 'FAILURE', data: [] }, SNAKE));

      expect(error.issues).toEqual([
        expect.objectContaining({ path: ['response_type'], code: 'invalid_value' }),
      ]);
    });
  });

  describe('decodeJobChanges', () => {
    it('refuses an answer without the stamp to pass next time', () => {
      const error = failure(() =>
        decodeJobChanges({ response_type: 'SUCCESS', data: [wire()] }, SNAKE),
      );

      expect(error.issues).toEqual([
        expect.objectContaining({ path: ['stamp'], message: 'is required' }),
      ]);
    });

    it('returns the jobs and the stamp', () => {
      const changes = decodeJobChanges(
        { response_type: 'SUCCESS', data: [wire()], stamp: 7 },
        SNAKE,
      );

      expect([changes.jobs.map((job) => job.jobId), changes.stamp]).toEqual([['j1'], 7]);
    });
  });

  describe('decodeJobStatusSummary', () => {
    it('keeps only the three known progress fields', () => {
      const summary = decodeJobStatusSummary({
        response_type: 'SUCCESS',
        data: [
          {
            job_id: 'j1',
            status: 'WORKING',
            modified: '2019-06-18T15:31:45.610+0000',
            progress: { completed: 1, total: 4, percent: 25, eta: 9 },
          },
        ],
      });

      expect(summary.progress).toEqual({ completed: 1, total: 4, percent: 25 });
    });

    it('refuses an empty data array', () => {
      const error = failure(() => decodeJobStatusSummary({ response_type: 'SUCCESS', data: [] }));

      expect(error.issues).toEqual([
        expect.objectContaining({ path: ['data'], code: 'too_small' }),
      ]);
    });
  });
});

describe('uncompileResponseSchemas', () => {
  it('returns decoding to the interpreter until the next compile', async () => {
    expect(await compileResponseSchemas()).toBe(true);

    await uncompileResponseSchemas();

    expect(areResponseSchemasCompiled()).toBe(false);
  });
});
