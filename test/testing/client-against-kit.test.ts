// The real SDK client against the kit's handlers: every call goes through msw to the in-memory
// service, and what the client sent is asserted byte for byte where the protocol fixes it.
import { describe, expect, it } from 'vitest';
import { ConflictError, JobFailedError, NotFoundError } from '../../src/index';
import { InMemoryJobStore } from '../../src/testing/index';
import { kitClient, lastRequest, LEGACY_TIME, store, useJssKit } from './kit-harness';

useJssKit();

describe('createJobs', () => {
  it('sends the jobs to POST 1.0/job/batch and stores each as the client returns it', async () => {
    const results = await kitClient().createJobs([
      { jobId: 'job-1', user: 'demo', jobName: 'one' },
      { jobId: 'job-2', user: 'demo', serviceFields: { fileName: 'b.txt' } },
    ]);

    const request = await lastRequest('POST');
    expect(request.url).toBe('/jss/1.0/job/batch');
    expect(request.body).toBe(
      '[{"job_id":"job-1","user":"demo","job_name":"one"},{"job_id":"job-2","user":"demo","service_fields":{"file_name":"b.txt"}}]',
    );
    expect(results.map(({ job, created }) => [store.get(job.jobId), created])).toEqual([
      [results[0]!.job, true],
      [results[1]!.job, true],
    ]);
  });

  it('answers created: false for a job an equal earlier request created', async () => {
    const client = kitClient();
    await client.createJob({ jobId: 'job-1', user: 'demo' });
    const results = await client.createJobs([
      { jobId: 'job-1', user: 'demo' },
      { jobId: 'job-2', user: 'demo' },
    ]);

    expect(results.map(({ created }) => created)).toEqual([false, true]);
  });

  it('creates nothing when one job conflicts with an existing one', async () => {
    const client = kitClient();
    await client.createJob({ jobId: 'job-1', user: 'demo', jobName: 'first' });
    const error = await client
      .createJobs([
        { jobId: 'job-2', user: 'demo' },
        { jobId: 'job-1', user: 'demo', jobName: 'other' },
      ])
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConflictError);
    expect(store.size).toBe(1);
  });
});

describe('createJob', () => {
  it('sends the job snake_cased to POST 1.0/job/ and stores it as the client returns it', async () => {
    const job = await kitClient().createJob({
      jobId: 'job-1',
      user: 'demo',
      jobName: 'upload',
      serviceFields: { fileName: 'a.txt' },
    });

    const request = await lastRequest('POST');
    expect(request.url).toBe('/jss/1.0/job/');
    expect(request.headers['x-user-id']).toBe('demo');
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(request.headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
    expect(request.body).toBe(
      '{"job_id":"job-1","user":"demo","job_name":"upload","service_fields":{"file_name":"a.txt"}}',
    );
    expect(store.get('job-1')).toEqual(job);
    expect(job.status).toBe('WAITING');
  });

  it('returns the job created the first time when the same create is sent again', async () => {
    const client = kitClient();
    const first = await client.createJob({ jobId: 'job-1', user: 'demo', jobName: 'upload' });
    const again = await client.createJob({ jobId: 'job-1', user: 'demo', jobName: 'upload' });

    expect(again).toEqual(first);
    expect(store.size).toBe(1);
  });

  it('refuses a different job under an existing id with ConflictError job_exists', async () => {
    const client = kitClient();
    await client.createJob({ jobId: 'job-1', user: 'demo', jobName: 'upload' });

    const refusal = client.createJob({ jobId: 'job-1', user: 'demo', jobName: 'download' });

    await expect(refusal).rejects.toBeInstanceOf(ConflictError);
    await expect(refusal).rejects.toMatchObject({ code: 'job_exists', status: 409 });
  });
});

describe('getJob', () => {
  it('reads a job whose times travel in the legacy form and arrive as Dates', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', created: new Date('2024-05-01T10:00:00.123Z') });

    const job = await kitClient().getJob('job-1');

    expect(store.getWire('job-1')?.created).toBe('2024-05-01T10:00:00.123+0000');
    expect(store.getWire('job-1')?.modified).toMatch(LEGACY_TIME);
    expect(job.created).toEqual(new Date('2024-05-01T10:00:00.123Z'));
  });

  it('reads top-level service fields keyed "0", "1" as an object that can be written back', async () => {
    store.insertWire({ job_id: 'job-1', user: 'demo', service_fields: { 0: 'a', 1: { x: 'b' } } });
    const client = kitClient();
    const { serviceFields } = await client.getJob('job-1');

    const updated = await client.updateJob('job-1', { serviceFields: serviceFields ?? {} }, false);

    expect(updated.serviceFields).toStrictEqual({ 0: 'a', 1: { x: 'b' } });
  });

  it('rejects with NotFoundError carrying the request id when there is no such job', async () => {
    const failure = await kitClient()
      .getJob('missing')
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(NotFoundError);
    expect(failure).toMatchObject({ code: 'not_found', message: 'Job not found' });
    expect((failure as NotFoundError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('updateJob', () => {
  it('sends dotted $set keys and keeps the service fields the patch does not name', async () => {
    store.insert({
      jobId: 'job-1',
      user: 'demo',
      serviceFields: { favorites: { color: 'red', movies: ['x', 'y'] }, owner: 'ann' },
    });

    const job = await kitClient().updateJob('job-1', {
      currentStage: 'copying',
      serviceFields: { favorites: { color: 'blue' } },
    });

    const request = await lastRequest('PATCH');
    expect(request.url).toBe('/jss/1.0/job/job-1');
    expect(request.body).toBe(
      '{"current_stage":"copying","service_fields.favorites.color":"blue"}',
    );
    expect(job.currentStage).toBe('copying');
    expect(job.serviceFields).toEqual({
      favorites: { color: 'blue', movies: ['x', 'y'] },
      owner: 'ann',
    });
  });

  it('replaces a whole top-level service field in replace mode and keeps the others', async () => {
    store.insert({
      jobId: 'job-1',
      user: 'demo',
      serviceFields: { favorites: { color: 'red', movies: ['x'] }, owner: 'ann' },
    });

    const job = await kitClient().updateJob(
      'job-1',
      { serviceFields: { favorites: { color: 'blue' } } },
      false,
    );

    expect((await lastRequest('PATCH')).body).toBe('{"service_fields.favorites":{"color":"blue"}}');
    expect(job.serviceFields).toEqual({ favorites: { color: 'blue' }, owner: 'ann' });
  });
});

describe("keyCasing 'legacy'", () => {
  it('stores the keys a legacy patch stored, and reads them back as the legacy client did', async () => {
    const client = kitClient({ keyCasing: 'legacy' });
    await client.createJob({ jobId: 'job-1', user: 'demo' });

    const updated = await client.updateJob('job-1', { serviceFields: { Plate: { WellID: 1 } } });

    expect(store.getWire('job-1')?.service_fields).toEqual({ _plate: { _well_i_d: 1 } });
    expect(updated.serviceFields).toEqual({ plate: { wellID: 1 } });
  });

  it('patches the keys an earlier legacy patch stored instead of writing beside them', async () => {
    const client = kitClient({ keyCasing: 'legacy' });
    await client.createJob({ jobId: 'job-1', user: 'demo' });
    await client.updateJob('job-1', { serviceFields: { Plate: { WellID: 1 } } });

    await client.updateJob('job-1', { serviceFields: { Plate: { WellID: 2 } } });

    expect(store.getWire('job-1')?.service_fields).toEqual({ _plate: { _well_i_d: 2 } });
  });

  it('finds a job by a capitalised path the way a legacy patch stored it', async () => {
    const client = kitClient({ keyCasing: 'legacy' });
    await client.createJob({ jobId: 'job-1', user: 'demo' });
    await client.updateJob('job-1', { serviceFields: { Plate: { WellID: 1 } } });

    const jobs = await client.getJobs({ serviceFields: { Plate: { WellID: 1 } } });

    expect((await lastRequest('POST')).body).toBe('{"service_fields._plate._well_i_d":1}');
    expect(jobs.map((job) => job.jobId)).toEqual(['job-1']);
  });

  it('matches what the store writes when the store is given the same keyCasing', () => {
    const legacyStore = new InMemoryJobStore({ keyCasing: 'legacy' });
    legacyStore.insert({ jobId: 'job-1', user: 'demo' });

    legacyStore.update('job-1', { serviceFields: { Plate: { WellID: 1 } } });

    expect(legacyStore.getWire('job-1')?.service_fields).toEqual({ _plate: { _well_i_d: 1 } });
  });
});

describe('querying', () => {
  function seedFive(): void {
    const statuses = ['WAITING', 'FAILED', 'WORKING', 'UNRECOVERABLE', 'SUCCEEDED'];
    statuses.forEach((status, index) =>
      store.insert({ jobId: `job-${index}`, user: 'demo', status }),
    );
  }

  it('finds the jobs whose status is $in a list, in creation order', async () => {
    seedFive();

    const jobs = await kitClient().getJobs({ status: { $in: ['FAILED', 'UNRECOVERABLE'] } });

    expect((await lastRequest('POST')).body).toBe('{"status":{"$in":["FAILED","UNRECOVERABLE"]}}');
    expect(jobs.map((job) => job.jobId)).toEqual(['job-1', 'job-3']);
  });

  it('pages with limit and next cursors through every match exactly once', async () => {
    seedFive();
    const client = kitClient();

    const first = await client.listJobs({ user: 'demo' }, { limit: 2 });
    const second = await client.listJobs({ user: 'demo' }, { limit: 2, cursor: first.nextCursor });
    const third = await client.listJobs({ user: 'demo' }, { limit: 2, cursor: second.nextCursor });

    const pages = [first, second, third];
    expect(pages.map((page) => page.jobs.map((job) => job.jobId))).toEqual([
      ['job-0', 'job-1'],
      ['job-2', 'job-3'],
      ['job-4'],
    ]);
    expect(pages.map((page) => [page.totalCount, page.offset, page.hasMore])).toEqual([
      [5, 0, true],
      [5, 2, true],
      [5, 4, false],
    ]);
    expect(third.nextCursor).toBeUndefined();
  });

  it('pages with offset in a descending sort, without a cursor', async () => {
    seedFive();

    const page = await kitClient().listJobs({}, { limit: 2, offset: 1, sort: '-jobId' });

    expect((await lastRequest('POST')).url).toBe(
      '/jss/1.0/job/query?limit=2&offset=1&sort=-job_id',
    );
    expect(page.jobs.map((job) => job.jobId)).toEqual(['job-3', 'job-2']);
    expect(page.nextCursor).toBeUndefined();
  });
});

describe('abort, retry and delete', () => {
  it('aborts a job in progress', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'WORKING' });

    const job = await kitClient().abortJob('job-1');

    const request = await lastRequest('POST');
    expect(request.url).toBe('/jss/1.0/job/job-1/abort');
    expect(request.body).toBe('');
    expect(job.status).toBe('ABORTED');
  });

  it('refuses to abort a job that succeeded with ConflictError invalid_transition', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'SUCCEEDED' });

    await expect(kitClient().abortJob('job-1')).rejects.toMatchObject({
      name: 'ConflictError',
      code: 'invalid_transition',
    });
    expect(store.get('job-1')?.status).toBe('SUCCEEDED');
  });

  it('retries an aborted job', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'ABORTED' });

    const job = await kitClient().retryJob('job-1');

    expect(job.status).toBe('RETRYING');
  });

  it('refuses to retry an UNRECOVERABLE job with ConflictError invalid_transition', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'UNRECOVERABLE' });

    await expect(kitClient().retryJob('job-1')).rejects.toMatchObject({
      name: 'ConflictError',
      code: 'invalid_transition',
    });
  });

  it('deletes an ended job and answers it as it was', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'FAILED' });

    const job = await kitClient().deleteJob('job-1');

    const request = await lastRequest('DELETE');
    expect(request.url).toBe('/jss/1.0/job/job-1');
    expect(request.body).toBe('');
    expect(job.status).toBe('FAILED');
    expect(store.get('job-1')).toBeUndefined();
  });

  it('refuses to delete a job in progress with ConflictError invalid_transition', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'WAITING' });

    await expect(kitClient().deleteJob('job-1')).rejects.toMatchObject({
      name: 'ConflictError',
      code: 'invalid_transition',
    });
    expect(store.size).toBe(1);
  });
});

describe('progress and logs', () => {
  it('stores reported progress with the percentage the service derives', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'WORKING' });

    const job = await kitClient().reportProgress('job-1', 1, 3);

    expect((await lastRequest('POST')).body).toBe('{"completed":1,"total":3}');
    expect(job.progress).toEqual({ completed: 1, total: 3, percent: 33.33 });
  });

  it('appends log entries oldest first, each with the time the service received it', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'WORKING' });
    const client = kitClient();

    await client.log('job-1', 'started');
    const job = await client.log('job-1', 'copied', { level: 'success', data: { fileCount: 3 } });

    expect((await lastRequest('POST')).body).toBe(
      '{"level":"success","message":"copied","data":{"file_count":3}}',
    );
    expect(job.logs?.map(({ level, message, data }) => ({ level, message, data }))).toEqual([
      { level: 'info', message: 'started', data: undefined },
      { level: 'success', message: 'copied', data: { fileCount: 3 } },
    ]);
    expect(job.logs?.[1]?.time).toBeInstanceOf(Date);
  });
});

describe('following jobs', () => {
  it('subscribes and sees the initial jobs, then an insert and an update as they happen', async () => {
    store.insert({ jobId: 'job-1', user: 'demo' });
    const client = kitClient();
    const subscription = client.subscribe('demo');
    const seen: unknown[][] = [];
    const sawUpdate = new Promise<void>((resolve) => {
      subscription.on('initialJobs', (event) => {
        seen.push([event.type, event.jobs.map((job) => job.jobId)]);
        void client.createJob({ jobId: 'job-2', user: 'demo' });
      });
      subscription.on('jobInsert', (event) => {
        seen.push([event.type, event.job.jobId, event.job.status]);
        void client.updateJob('job-2', { status: 'WORKING' });
      });
      subscription.on('jobUpdate', (event) => {
        seen.push([event.type, event.job.jobId, event.job.status]);
        resolve();
      });
    });

    await sawUpdate;
    subscription.close();

    expect(seen).toEqual([
      ['initialJobs', ['job-1']],
      ['jobInsert', 'job-2', 'WAITING'],
      ['jobUpdate', 'job-2', 'WORKING'],
    ]);
  });

  it('resolves waitForJob once the job succeeds', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'WORKING' });

    const waiting = kitClient().waitForJob('job-1', {
      // Plays the worker as soon as the client has seen the job running.
      onUpdate: (job) => {
        if (job.status === 'WORKING') store.update('job-1', { status: 'SUCCEEDED' });
      },
    });

    await expect(waiting).resolves.toMatchObject({ jobId: 'job-1', status: 'SUCCEEDED' });
  });

  it('rejects waitForJob with JobFailedError once the job fails', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'WORKING' });

    const waiting = kitClient().waitForJob('job-1', {
      onUpdate: (job) => {
        if (job.status === 'WORKING') store.update('job-1', { status: 'FAILED' });
      },
    });

    await expect(waiting).rejects.toBeInstanceOf(JobFailedError);
  });
});
