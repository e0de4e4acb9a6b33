import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../src/errors';
import { parseInput } from '../../src/schemas/issues';
import { jobIdProblem } from '../../src/schemas/job-id';
import { newJobSchema } from '../../src/schemas/new-job';
import { toWireSort } from '../../src/schemas/paging';

describe('toWireSort', () => {
  it('maps camelCase fields to wire names and keeps the descending prefix', () => {
    expect(toWireSort(['-created', 'jobId', '-currentStage', 'jobName'])).toBe(
      '-created,job_id,-current_stage,job_name',
    );
  });

  it('trims the parts of a comma-separated string', () => {
    expect(toWireSort(' modified , -user')).toBe('modified,-user');
  });
});

describe('jobIdProblem', () => {
  it.each(['abc', 'a b', 'f55dd53883a44cdaa6eff884a6b5266b', '...', 'x'.repeat(256), 'é✓'])(
    'accepts %j',
    (jobId) => {
      expect(jobIdProblem(jobId)).toBeUndefined();
    },
  );

  it.each([
    ['nul\u0000'],
    ['del\u007f'],
    ['c1\u0085'],
    ['a/b'],
    ['a\\b'],
    ['.'],
    ['..'],
    [''],
    [42],
  ])('refuses %j', (jobId) => {
    expect(jobIdProblem(jobId)).toEqual(expect.any(String));
  });
});

describe('parseInput', () => {
  it('prefixes every issue path with the argument name', () => {
    let error: unknown;
    try {
      parseInput(newJobSchema, { user: 5, jobName: 1 }, 'job');
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues.map((issue) => issue.path)).toEqual([
      ['job', 'user'],
      ['job', 'jobName'],
    ]);
  });

  it('reports each unknown key as its own issue', () => {
    let error: unknown;
    try {
      parseInput(newJobSchema, { user: 'u', created: 1, owner: 2 }, 'job');
    } catch (thrown) {
      error = thrown;
    }

    expect((error as RequestValidationError).issues.map((issue) => issue.path)).toEqual([
      ['job', 'created'],
      ['job', 'owner'],
    ]);
  });

  it('does not repeat a refused value in the message', () => {
    let error: unknown;
    try {
      parseInput(newJobSchema, { user: 'u', status: 'secret-status-value' }, 'job');
    } catch (thrown) {
      error = thrown;
    }

    expect((error as Error).message).not.toContain('secret-status-value');
  });
});
