import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { apiClient, uniqueUser, useTestDatabase, type Envelope } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});

type BatchEnvelope = Envelope & { results?: { job_id: string; created: boolean }[] };

function batch(user: string, body: unknown, headers: Record<string, string> = {}) {
  return apiClient(() => server.url, user).call<BatchEnvelope>(
    'POST',
    '1.0/job/batch',
    body,
    headers,
  );
}

describe('POST 1.0/job/batch', () => {
  it('creates every job in order and answers 201 with one result per job', async () => {
    const user = uniqueUser('batch');
    const answer = await batch(user, [
      { job_id: 'b-one-' + user, user, job_name: 'one' },
      { job_id: 'b-two-' + user, user, service_fields: { n: 2 } },
    ]);

    expect(answer.status).toBe(201);
    expect(answer.body.data.map((job) => [job.job_id, job.job_name, job.service_fields])).toEqual([
      ['b-one-' + user, 'one', {}],
      ['b-two-' + user, null, { n: 2 }],
    ]);
    expect(answer.body.results).toEqual([
      { job_id: 'b-one-' + user, created: true },
      { job_id: 'b-two-' + user, created: true },
    ]);
  });

  it('answers an item whose equal create came before as created: false', async () => {
    const user = uniqueUser('batch');
    const api = apiClient(() => server.url, user);
    await api.create({ job_id: 'again-' + user, job_name: 'x' });
    const answer = await batch(user, [
      { job_id: 'again-' + user, user, job_name: 'x' },
      { job_id: 'new-' + user, user },
    ]);

    expect(answer.body.results?.map((result) => result.created)).toEqual([false, true]);
  });

  it('refuses the whole batch naming the item and field of the first mistake', async () => {
    const user = uniqueUser('batch');
    const answer = await batch(user, [{ user }, { user }, { user }, { job_name: 'no user' }]);

    expect([answer.status, answer.body.code]).toEqual([400, 'invalid_body']);
    expect(answer.body.error).toContain('"jobs[3].user"');
    const changes = await apiClient(() => server.url, user).call('POST', '1.0/job/query', { user });
    expect(changes.body.data).toEqual([]);
  });

  it('refuses a batch that names one job id twice', async () => {
    const user = uniqueUser('batch');
    const answer = await batch(user, [
      { job_id: 'twice-' + user, user },
      { job_id: 'twice-' + user, user },
    ]);

    expect([answer.status, answer.body.error]).toEqual([
      400,
      expect.stringContaining('"jobs[1].job_id"'),
    ]);
  });

  it('refuses a body that is not an array of 1..1000 jobs', async () => {
    const user = uniqueUser('batch');
    const answers = await Promise.all(
      [{ user }, [], Array.from({ length: 1001 }, () => ({ user }))].map((body) =>
        batch(user, body),
      ),
    );

    expect(answers.map((answer) => [answer.status, answer.body.code])).toEqual([
      [400, 'invalid_body'],
      [400, 'invalid_body'],
      [400, 'invalid_body'],
    ]);
  });

  it('creates nothing when one item conflicts with a different existing job', async () => {
    const user = uniqueUser('batch');
    const api = apiClient(() => server.url, user);
    await api.create({ job_id: 'taken-' + user, job_name: 'first' });
    const answer = await batch(user, [
      { job_id: 'fresh-' + user, user },
      { job_id: 'taken-' + user, user, job_name: 'other' },
    ]);

    expect([answer.status, answer.body.code]).toEqual([409, 'job_exists']);
    expect(answer.body.error).toContain('jobs[1]');
    expect((await api.get('fresh-' + user)).status).toBe(404);
  });

  it('replays the stored answer for a repeated Idempotency-Key', async () => {
    const user = uniqueUser('batch');
    const body = [{ user }, { user }];
    const first = await batch(user, body, { 'Idempotency-Key': `key-${user}` });
    const again = await batch(user, body, { 'Idempotency-Key': `key-${user}` });

    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
  });
});
