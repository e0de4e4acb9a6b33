import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { apiClient, jobOf, uniqueUser, useTestDatabase } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});
const client = () => apiClient(() => server.url, uniqueUser());

describe('progress', () => {
  it('stores completed and total with the percentage rounded to two decimals', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    const answer = await api.call('POST', `1.0/job/${job.job_id}/progress`, {
      completed: 2,
      total: 3,
    });
    expect(answer.status).toBe(200);
    expect(jobOf(answer).progress).toEqual({ completed: 2, total: 3, percent: 66.67 });
    expect(jobOf(await api.get(job.job_id)).progress).toEqual({
      completed: 2,
      total: 3,
      percent: 66.67,
    });
  });

  it('replaces the previous progress and bumps modified', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    await api.call('POST', `1.0/job/${job.job_id}/progress`, { completed: 1, total: 10 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = jobOf(
      await api.call('POST', `1.0/job/${job.job_id}/progress`, { completed: 10, total: 10 }),
    );
    expect(later.progress).toEqual({ completed: 10, total: 10, percent: 100 });
    expect(later.modified > job.modified).toBe(true);
  });

  it.each([
    ['completed above total', { completed: 4, total: 3 }],
    ['a negative completed', { completed: -1, total: 3 }],
    ['a zero total', { completed: 0, total: 0 }],
    ['a string', { completed: '1', total: 3 }],
    ['a missing total', { completed: 1 }],
    ['an extra field', { completed: 1, total: 2, eta: 5 }],
  ])('refuses %s (400 invalid_body)', async (_label, body) => {
    const api = client();
    const job = jobOf(await api.create({}));
    const answer = await api.call('POST', `1.0/job/${job.job_id}/progress`, body);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_body');
  });

  it('answers 404 for a missing job', async () => {
    const answer = await client().call('POST', '1.0/job/nobody-here/progress', {
      completed: 1,
      total: 2,
    });
    expect(answer.status).toBe(404);
  });
});

describe('logs', () => {
  it('appends entries oldest first with the server time', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    await api.call('POST', `1.0/job/${job.job_id}/logs`, { level: 'info', message: 'started' });
    const answer = await api.call('POST', `1.0/job/${job.job_id}/logs`, {
      level: 'danger',
      message: 'disk full',
      data: { free: 0, paths: ['/a'] },
    });
    const logs = jobOf(answer).logs as { time: string }[];
    expect(logs).toEqual([
      { time: expect.any(String), level: 'info', message: 'started' },
      {
        time: expect.any(String),
        level: 'danger',
        message: 'disk full',
        data: { free: 0, paths: ['/a'] },
      },
    ]);
    expect(logs[0]!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    expect(logs[0]!.time <= logs[1]!.time).toBe(true);
  });

  it.each([
    ['an unknown level', { level: 'debug', message: 'x' }],
    ['an empty message', { level: 'info', message: '' }],
    ['a message over 10 000 characters', { level: 'info', message: 'x'.repeat(10_001) }],
    ['a missing message', { level: 'info' }],
  ])('refuses %s (400 invalid_body)', async (_label, body) => {
    const api = client();
    const job = jobOf(await api.create({}));
    const answer = await api.call('POST', `1.0/job/${job.job_id}/logs`, body);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_body');
  });

  it('accepts a message of exactly 10 000 characters', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    const answer = await api.call('POST', `1.0/job/${job.job_id}/logs`, {
      level: 'success',
      message: 'x'.repeat(10_000),
    });
    expect(answer.status).toBe(200);
  });
});
