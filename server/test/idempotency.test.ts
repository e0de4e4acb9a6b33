import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { apiClient, jobOf, uniqueUser, useTestDatabase, type ApiClient } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});
const client = () => apiClient(() => server.url, uniqueUser('idem'));
const key = () => ({ 'Idempotency-Key': randomUUID() });

async function countJobs(api: ApiClient) {
  return (await api.query({ user: api.user })).body.total_count;
}

describe('Idempotency-Key', () => {
  it('replays a create without a job id instead of creating a second job', async () => {
    const api = client();
    const headers = key();
    const first = await api.create({ job_name: 'once' }, headers);
    const second = await api.create({ job_name: 'once' }, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    expect(second.body).toEqual(first.body);
    expect(await countJobs(api)).toBe(1);
  });

  it('replays an abort with the first answer even after the job moved on', async () => {
    const api = client();
    const job = jobOf(await api.create({ status: 'WORKING' }));
    const headers = key();
    const first = await api.action(job.job_id, 'abort', headers);
    await api.action(job.job_id, 'retry');
    const again = await api.action(job.job_id, 'abort', headers);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(jobOf(await api.get(job.job_id)).status).toBe('RETRYING');
  });

  it('replays a retry instead of retrying twice', async () => {
    const api = client();
    const job = jobOf(await api.create({ status: 'FAILED' }));
    const headers = key();
    const first = await api.action(job.job_id, 'retry', headers);
    const again = await api.action(job.job_id, 'retry', headers);
    expect(again.status).toBe(200);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(jobOf(again)).toEqual(jobOf(first));
  });

  it('replays a delete whose job is already gone', async () => {
    const api = client();
    const job = jobOf(await api.create({ status: 'SUCCEEDED' }));
    const headers = key();
    const first = await api.remove(job.job_id, headers);
    const again = await api.remove(job.job_id, headers);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await api.remove(job.job_id)).status).toBe(404);
  });

  it('appends a log entry once however often it is sent', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    const headers = key();
    const entry = { level: 'info', message: 'copied 3 files' };
    await api.call('POST', `1.0/job/${job.job_id}/logs`, entry, headers);
    await api.call('POST', `1.0/job/${job.job_id}/logs`, entry, headers);
    expect(jobOf(await api.get(job.job_id)).logs).toHaveLength(1);
  });

  it('treats a body with keys in another order as the same request', async () => {
    const api = client();
    const headers = key();
    await api.create({ job_name: 'a', service: 'b' }, headers);
    const again = await api.call(
      'POST',
      '1.0/job/',
      `{"service":"b","job_name":"a","user":"${api.user}"}`,
      headers,
    );
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
  });

  it('refuses the same key with another body (409 idempotency_key_reused)', async () => {
    const api = client();
    const headers = key();
    await api.create({ job_name: 'a' }, headers);
    const answer = await api.create({ job_name: 'b' }, headers);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('idempotency_key_reused');
    expect(await countJobs(api)).toBe(1);
  });

  it('refuses the same key on another path', async () => {
    const api = client();
    const one = jobOf(await api.create({ status: 'WORKING' }));
    const two = jobOf(await api.create({ status: 'WORKING' }));
    const headers = key();
    await api.action(one.job_id, 'abort', headers);
    const answer = await api.action(two.job_id, 'abort', headers);
    expect(answer.body.code).toBe('idempotency_key_reused');
    expect(jobOf(await api.get(two.job_id)).status).toBe('WORKING');
  });

  it('keeps keys apart per user', async () => {
    const alice = client();
    const bob = client();
    const headers = key();
    await alice.create({}, headers);
    const answer = await bob.create({}, headers);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('Idempotent-Replayed')).toBeNull();
  });

  it('does not store a refused request, so a corrected retry with the key goes through', async () => {
    const api = client();
    const job = jobOf(await api.create({ status: 'SUCCEEDED' }));
    const headers = key();
    expect((await api.action(job.job_id, 'abort', headers)).status).toBe(409);
    await api.patch(job.job_id, { status: 'WORKING' });
    expect(jobOf(await api.action(job.job_id, 'abort', headers)).status).toBe('ABORTED');
  });

  it.each([
    ['an empty key', ''],
    ['a key with a space', 'a b'],
    ['a key of 256 characters', 'k'.repeat(256)],
  ])('refuses %s (400 invalid_idempotency_key)', async (_label, value) => {
    const answer = await client().create({}, { 'Idempotency-Key': value });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_idempotency_key');
  });

  it('replays an answer holding quotes, backslashes and $1 as it was first sent', async () => {
    const api = client();
    const headers = key();
    const name = `it's \\ $1 $4 "quoted" \u00e9`;
    const first = await api.create({ job_name: name, service_fields: { path: 'C:\\$2' } }, headers);
    const second = await api.create(
      { job_name: name, service_fields: { path: 'C:\\$2' } },
      headers,
    );
    expect([jobOf(first).job_name, second.headers.get('Idempotent-Replayed'), second.body]).toEqual(
      [name, 'true', first.body],
    );
  });

  it('answers concurrent requests with one key with one job', async () => {
    const api = client();
    const headers = key();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => api.create({ job_name: 'race' }, headers)),
    );
    expect(new Set(answers.map((answer) => jobOf(answer).job_id)).size).toBe(1);
    expect(await countJobs(api)).toBe(1);
  });
});
