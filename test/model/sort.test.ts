import { describe, expect, it } from 'vitest';
import { compareJobs, type JobRecord } from '#protocol';

function job(job_id: string, extra: Record<string, unknown> = {}): JobRecord {
  return {
    job_id,
    user: 'demo',
    status: 'WAITING',
    created: '2020-01-01T00:00:00.000+0000',
    ...extra,
  };
}

function ids(jobs: JobRecord[]): string[] {
  return jobs.map((entry) => entry.job_id);
}

describe('compareJobs', () => {
  it('orders by created, then job_id, when no sort is given', () => {
    const jobs = [job('b'), job('c', { created: '2019-01-01T00:00:00.000+0000' }), job('a')];
    expect(ids(jobs.sort(compareJobs([])))).toEqual(['c', 'a', 'b']);
  });

  it('compares created as instants, whatever their written form', () => {
    const jobs = [
      job('later', { created: '2020-01-01T01:30:00.000+0000' }),
      job('earlier', { created: '2020-01-01T02:00:00+02:00' }),
    ];
    expect(ids(jobs.sort(compareJobs([])))).toEqual(['earlier', 'later']);
  });

  it('sorts descending with direction -1', () => {
    const jobs = [job('a', { status: 'B' }), job('b', { status: 'C' }), job('c', { status: 'A' })];
    expect(ids(jobs.sort(compareJobs([{ field: 'status', direction: -1 }])))).toEqual([
      'b',
      'a',
      'c',
    ]);
  });

  it('breaks ties with job_id ascending', () => {
    const jobs = [job('z', { user: 'u' }), job('m', { user: 'u' }), job('a', { user: 'v' })];
    expect(ids(jobs.sort(compareJobs([{ field: 'user', direction: 1 }])))).toEqual(['m', 'z', 'a']);
  });

  it('honours job_id descending when the sort names it', () => {
    const jobs = [job('a'), job('c'), job('b')];
    expect(ids(jobs.sort(compareJobs([{ field: 'job_id', direction: -1 }])))).toEqual([
      'c',
      'b',
      'a',
    ]);
  });

  it('puts null and missing values last ascending and first descending', () => {
    const jobs = [job('a', { job_name: 'x' }), job('b', { job_name: null }), job('c')];
    expect(ids([...jobs].sort(compareJobs([{ field: 'job_name', direction: 1 }])))).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(ids([...jobs].sort(compareJobs([{ field: 'job_name', direction: -1 }])))).toEqual([
      'b',
      'c',
      'a',
    ]);
  });

  it('orders strings by code point, not by UTF-16 unit', () => {
    const jobs = [job('a', { job_name: '\u{1F600}' }), job('b', { job_name: '\uFFFD' })];
    expect(ids(jobs.sort(compareJobs([{ field: 'job_name', direction: 1 }])))).toEqual(['b', 'a']);
  });

  it('applies the sort keys in the order given', () => {
    const jobs = [
      job('a', { status: 'X', job_name: '2' }),
      job('b', { status: 'Y', job_name: '1' }),
      job('c', { status: 'X', job_name: '1' }),
    ];
    const sorted = jobs.sort(
      compareJobs([
        { field: 'status', direction: 1 },
        { field: 'job_name', direction: -1 },
      ]),
    );
    expect(ids(sorted)).toEqual(['a', 'c', 'b']);
  });
});
