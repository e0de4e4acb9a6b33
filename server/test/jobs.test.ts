import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { apiClient, jobOf, uniqueUser, useTestDatabase } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});
const client = (label?: string) => apiClient(() => server.url, uniqueUser(label));

const LEGACY_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

describe('create', () => {
  it('creates a job with the server defaults and answers 201 with the wire form', async () => {
    const api = client();
    const answer = await api.create({ job_name: 'Dinner', service: 'diner-service' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ response_type: 'SUCCESS', total_count: 1, offset: 0 });
    const job = jobOf(answer);
    expect(job).toMatchObject({
      user: api.user,
      status: 'WAITING',
      job_name: 'Dinner',
      service: 'diner-service',
      current_host: null,
      current_stage: null,
      origination_host: null,
      parent_id: null,
      child_ids: null,
      update_parent: false,
      service_fields: {},
      progress: null,
      logs: [],
    });
    expect(job.job_id).toMatch(/^[0-9a-f]{32}$/);
    expect(job.created).toMatch(LEGACY_DATE);
    expect(job.modified).toBe(job.created);
  });

  it('stores the legacy README job as sent, nested service fields included', async () => {
    const api = client();
    const body = {
      job_id: `f55dd538-${api.user}`,
      child_ids: ['a0eaf0d41db848c8be5802432de327b9'],
      current_host: 'dev-aics-lhp-001',
      current_stage: 'started',
      job_name: 'Dinner',
      origination_host: 'kitchen',
      parent_id: null,
      service: 'diner-service',
      service_fields: { guest_name: 'goofy', order: { courses: [1, 2, 3], wine: null } },
      status: 'WAITING',
      update_parent: null,
    };
    await api.create(body);
    const job = jobOf(await api.get(body.job_id));
    expect(job).toMatchObject({ ...body, update_parent: false, user: api.user });
  });

  it('answers 200 with the stored job when the same create is sent again', async () => {
    const api = client();
    const body = { job_id: `retry-${api.user}`, service_fields: { n: 1 } };
    const first = await api.create(body);
    const second = await api.create({ service_fields: { n: 1 }, job_id: body.job_id });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(jobOf(second)).toEqual(jobOf(first));
    const all = await api.query({ user: api.user });
    expect(all.body.total_count).toBe(1);
  });

  it('ignores created and modified when comparing a repeated create', async () => {
    const api = client();
    const first = jobOf(await api.create({ job_id: `echo-${api.user}` }));
    const again = await api.create({ job_id: first.job_id, created: first.created, modified: 'x' });
    expect(again.status).toBe(200);
  });

  it('refuses a create that reuses an existing job id with a different body (409 job_exists)', async () => {
    const api = client();
    const jobId = `taken-${api.user}`;
    await api.create({ job_id: jobId, job_name: 'first' });
    const clash = await api.create({ job_id: jobId, job_name: 'second' });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('job_exists');
    expect(jobOf(await api.get(jobId)).job_name).toBe('first');
  });

  it('requires a user', async () => {
    const api = client();
    const answer = await api.call('POST', '1.0/job/', { job_name: 'nobody' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ response_type: 'CLIENT_ERROR', code: 'invalid_body' });
  });

  it.each([
    ['a number as job_name', { job_name: 5 }],
    ['a string as child_ids', { child_ids: 'a' }],
    ['an array as service_fields', { service_fields: [1] }],
    ['a string as update_parent', { update_parent: 'yes' }],
    ['an unknown field', { colour: 'red' }],
  ])('refuses %s with 400 invalid_body', async (_label, fields) => {
    const answer = await client().create(fields);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_body');
  });

  it('refuses a body that is not JSON', async () => {
    const answer = await client().call('POST', '1.0/job/', '{"user": ');
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_body');
  });

  it('refuses a status that is not upper-case letters (400 invalid_status)', async () => {
    const answer = await client().create({ status: 'working' });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_status');
  });

  it('accepts a status it does not know yet when it is upper case', async () => {
    const answer = await client().create({ status: 'PAUSED' });
    expect(jobOf(answer).status).toBe('PAUSED');
  });

  it.each([
    ['a slash', 'a/b'],
    ['a backslash', 'a\\b'],
    ['a control character', 'a\u0001b'],
    ['a dot', '.'],
    ['two dots', '..'],
    ['the reserved word subscribe', 'subscribe'],
    ['257 characters', 'x'.repeat(257)],
  ])('refuses a job id with %s (400 invalid_job_id)', async (_label, jobId) => {
    const answer = await client().create({ job_id: jobId });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_job_id');
  });
});

describe('get', () => {
  it('reads a job whose id needs percent-encoding', async () => {
    const api = client();
    const jobId = `file 50%.txt?#&${api.user}`;
    await api.create({ job_id: jobId });
    const answer = await api.get(jobId);
    expect(answer.status).toBe(200);
    expect(jobOf(answer).job_id).toBe(jobId);
  });

  it('answers 404 not_found with the legacy message for a missing job', async () => {
    const answer = await client().get('no-such-job');
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({
      response_type: 'CLIENT_ERROR',
      error: 'Job not found',
      code: 'not_found',
    });
  });

  it('refuses an encoded slash in the id (400 invalid_job_id)', async () => {
    const answer = await client().call('GET', '1.0/job/a%2Fb');
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_job_id');
  });

  it('answers the short status form', async () => {
    const api = client();
    const job = jobOf(await api.create({ current_stage: 'queued' }));
    await api.call('POST', `1.0/job/${job.job_id}/progress`, { completed: 1, total: 4 });
    const answer = await api.call('GET', `1.0/job/${job.job_id}/status`);
    const latest = jobOf(await api.get(job.job_id));
    expect(answer.body.data).toEqual([
      {
        job_id: job.job_id,
        status: 'WAITING',
        current_stage: 'queued',
        progress: { completed: 1, total: 4, percent: 25 },
        modified: latest.modified,
      },
    ]);
  });
});

describe('patch', () => {
  it('applies the legacy PATCH vector and GET returns the merged document', async () => {
    const api = client();
    const jobId = `abc123-${api.user}`;
    await api.create({
      job_id: jobId,
      service_fields: { favorites: { color: 'blue', number: 7 }, keep: true },
    });
    const body =
      '{"status":"WORKING","current_stage":"copying","service_fields.favorites.color":"red",' +
      '"service_fields.favorites.movies.0":"x","service_fields.favorites.movies.1":"y",' +
      '"service_fields.file(dot)txt.size_bytes":3}';
    const patched = await api.patch(jobId, body);
    expect(patched.status).toBe(200);
    const job = jobOf(await api.get(jobId));
    expect(job.status).toBe('WORKING');
    expect(job.current_stage).toBe('copying');
    // Paths into missing containers create objects: arrays come back keyed "0", "1" (the SDK
    // rebuilds them), as the legacy service answered.
    expect(job.service_fields).toEqual({
      favorites: { color: 'red', number: 7, movies: { '0': 'x', '1': 'y' } },
      'file.txt': { size_bytes: 3 },
      keep: true,
    });
    expect(jobOf(patched)).toEqual(job);
  });

  it('sets elements of an existing array, padding with null', async () => {
    const api = client();
    const job = jobOf(await api.create({ service_fields: { list: ['a', 'b'] } }));
    await api.patch(job.job_id, { 'service_fields.list.1': 'B', 'service_fields.list.4': 'e' });
    expect(jobOf(await api.get(job.job_id)).service_fields).toEqual({
      list: ['a', 'B', null, null, 'e'],
    });
  });

  it('creates nested objects inside array elements', async () => {
    const api = client();
    const job = jobOf(await api.create({ service_fields: { files: [{ name: 'a' }] } }));
    await api.patch(job.job_id, {
      'service_fields.files.0.size': 3,
      'service_fields.files.1.name': 'b',
    });
    expect(jobOf(await api.get(job.job_id)).service_fields).toEqual({
      files: [{ name: 'a', size: 3 }, { name: 'b' }],
    });
  });

  it('replaces a scalar that is in the way of a path with an object', async () => {
    const api = client();
    const job = jobOf(await api.create({ service_fields: { a: 5 } }));
    await api.patch(job.job_id, { 'service_fields.a.b': 1 });
    expect(jobOf(await api.get(job.job_id)).service_fields).toEqual({ a: { b: 1 } });
  });

  it('replaces one whole property in replace mode and keeps the others', async () => {
    const api = client();
    const job = jobOf(
      await api.create({ service_fields: { favorites: { color: 'blue', n: 1 }, other: 2 } }),
    );
    await api.patch(job.job_id, { 'service_fields.favorites': { color: 'red' } });
    expect(jobOf(await api.get(job.job_id)).service_fields).toEqual({
      favorites: { color: 'red' },
      other: 2,
    });
  });

  it('stores empty objects, empty arrays and null leaves as sent', async () => {
    const api = client();
    const job = jobOf(await api.create({ service_fields: { a: 1 } }));
    await api.patch(job.job_id, {
      'service_fields.o': {},
      'service_fields.l': [],
      'service_fields.a': null,
    });
    expect(jobOf(await api.get(job.job_id)).service_fields).toEqual({ a: null, o: {}, l: [] });
  });

  it('bumps modified on every write', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const patched = jobOf(await api.patch(job.job_id, { job_name: 'renamed' }));
    expect(patched.modified > job.modified).toBe(true);
    expect(patched.created).toBe(job.created);
  });

  it.each([
    'user',
    'service',
    'parent_id',
    'update_parent',
    'created',
    'service_fields',
    'progress',
  ])('refuses to update %s (400 field_not_updatable)', async (field) => {
    const api = client();
    const job = jobOf(await api.create({}));
    const answer = await api.patch(job.job_id, { [field]: 'x' });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('field_not_updatable');
  });

  it("applies the keys in the body's order", async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    await api.patch(
      job.job_id,
      '{"service_fields.a":1,"service_fields.a.b":2,"service_fields.c.d":3,"service_fields.c":4}',
    );
    expect(jobOf(await api.get(job.job_id)).service_fields).toEqual({ a: { b: 2 }, c: 4 });
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses the path segment %s',
    async (segment) => {
      const api = client();
      const job = jobOf(await api.create({}));
      const answer = await api.patch(job.job_id, `{"service_fields.x.${segment}.y":1}`);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_body');
    },
  );

  it('reads an empty path segment as the key ""', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    const answer = await api.patch(job.job_id, { 'service_fields.a..b': 1 });
    expect(jobOf(answer).service_fields).toEqual({ a: { '': { b: 1 } } });
  });

  it('refuses an array index that would pad more than 10 000 nulls and changes nothing', async () => {
    const api = client();
    const job = jobOf(await api.create({ service_fields: { list: [1] } }));
    const answer = await api.patch(job.job_id, { 'service_fields.list.20000': 1, job_name: 'x' });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_body');
    expect(jobOf(await api.get(job.job_id))).toMatchObject({
      job_name: null,
      service_fields: { list: [1] },
    });
  });

  it('refuses a status that is not upper case (400 invalid_status)', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    expect((await api.patch(job.job_id, { status: 'Done' })).body.code).toBe('invalid_status');
  });

  it('answers 404 for a patch of a missing job', async () => {
    const answer = await client().patch('missing-job', { job_name: 'x' });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('not_found');
  });
});
