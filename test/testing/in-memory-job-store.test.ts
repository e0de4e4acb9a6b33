// The store on its own: seeding, reading, clock and stamps, listeners. No HTTP.
import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../src/index';
import { InMemoryJobStore, type JobStoreChange } from '../../src/testing/index';

describe('insert', () => {
  it('takes an SDK-shaped job and stores it snake_cased in wire form', () => {
    const store = new InMemoryJobStore();

    store.insert({
      jobId: 'job-1',
      user: 'demo',
      currentStage: 'copying',
      serviceFields: { fileName: 'a' },
    });

    expect(store.getWire('job-1')).toMatchObject({
      job_id: 'job-1',
      current_stage: 'copying',
      service_fields: { file_name: 'a' },
    });
  });

  it('keeps service-field keys as given when the store is verbatim', () => {
    const store = new InMemoryJobStore({ serviceFieldKeys: 'verbatim' });

    store.insert({ jobId: 'job-1', user: 'demo', serviceFields: { fileName: 'a', my_key: 1 } });

    expect(store.getWire('job-1')?.service_fields).toEqual({ fileName: 'a', my_key: 1 });
    expect(store.get('job-1')?.serviceFields).toEqual({ fileName: 'a', my_key: 1 });
  });

  it('returns the job as the client would: camelCase keys and Dates', () => {
    const store = new InMemoryJobStore();

    const job = store.insert({ jobId: 'job-1', user: 'demo', serviceFields: { fileName: 'a' } });

    expect(job.serviceFields).toEqual({ fileName: 'a' });
    expect(job.created).toBeInstanceOf(Date);
  });

  it('writes seeded times in the legacy form', () => {
    const store = new InMemoryJobStore();

    store.insert({ jobId: 'job-1', user: 'demo', created: new Date('2020-02-03T04:05:06.007Z') });

    expect(store.getWire('job-1')?.created).toBe('2020-02-03T04:05:06.007+0000');
    expect(store.getWire('job-1')?.modified).toBe('2020-02-03T04:05:06.007+0000');
  });

  it('derives the percentage of seeded progress', () => {
    const store = new InMemoryJobStore();

    const job = store.insert({
      jobId: 'job-1',
      user: 'demo',
      progress: { completed: 1, total: 8 },
    });

    expect(job.progress).toEqual({ completed: 1, total: 8, percent: 12.5 });
  });

  it('dates seeded log entries without a time by the store clock', () => {
    const now = new Date('2024-03-01T12:00:00.000Z');
    const store = new InMemoryJobStore({ now: () => now });

    store.insert({ jobId: 'job-1', user: 'demo', logs: [{ level: 'info', message: 'queued' }] });

    expect(store.getWire('job-1')?.logs).toEqual([
      { time: '2024-03-01T12:00:00.000+0000', level: 'info', message: 'queued' },
    ]);
  });

  it('accepts a wire job through insertWire', () => {
    const store = new InMemoryJobStore();

    const wire = store.insertWire({
      job_id: 'job-1',
      user: 'demo',
      created: '2019-06-18T15:31:45.610+0000',
    });

    expect(wire.created).toBe('2019-06-18T15:31:45.610+0000');
    expect(store.get('job-1')?.jobId).toBe('job-1');
  });

  it('refuses a job without a user with code invalid_body', () => {
    const store = new InMemoryJobStore();

    expect(() => store.insertWire({ job_id: 'job-1' })).toThrow(
      expect.objectContaining({ code: 'invalid_body' }),
    );
  });

  it('refuses an id that is taken with code job_exists', () => {
    const store = new InMemoryJobStore();
    store.insert({ jobId: 'job-1', user: 'demo' });

    expect(() => store.insert({ jobId: 'job-1', user: 'demo' })).toThrow(
      expect.objectContaining({ code: 'job_exists' }),
    );
  });

  it('leaves the parent alone when an updateParent child is seeded (no change of status)', () => {
    const store = new InMemoryJobStore();
    store.insert({ jobId: 'parent', user: 'demo', status: 'WORKING', childIds: ['a'] });

    store.insert({
      jobId: 'a',
      user: 'demo',
      parentId: 'parent',
      status: 'FAILED',
      updateParent: true,
    });

    expect(store.get('parent')?.status).toBe('WORKING');
  });
});

describe('clock and stamps', () => {
  it('gives strictly increasing creation times even when the clock stands still', () => {
    const frozen = new Date('2024-01-01T00:00:00.000Z');
    const store = new InMemoryJobStore({ now: () => frozen });

    const times = ['a', 'b', 'c'].map((jobId) =>
      store.insert({ jobId, user: 'demo' }).created.getTime(),
    );

    expect(times).toEqual([frozen.getTime(), frozen.getTime() + 1, frozen.getTime() + 2]);
  });

  it('never moves modified backwards when the clock does', () => {
    let now = new Date('2024-01-01T00:00:10.000Z');
    const store = new InMemoryJobStore({ now: () => now });
    store.insert({ jobId: 'job-1', user: 'demo' });
    now = new Date('2024-01-01T00:00:00.000Z');

    const job = store.update('job-1', { currentStage: 'later' });

    expect(job.modified).toEqual(new Date('2024-01-01T00:00:10.000Z'));
  });

  it('stamps every write in order and tells listeners of each', () => {
    const store = new InMemoryJobStore();
    const changes: JobStoreChange[] = [];
    store.onChange((change) => changes.push(change));

    store.insert({ jobId: 'job-1', user: 'demo' });
    store.update('job-1', { status: 'SUCCEEDED' });

    expect(changes.map((change) => [change.type, change.stamp, change.job.status])).toEqual([
      ['jobInsert', 1, 'WAITING'],
      ['jobUpdate', 2, 'SUCCEEDED'],
    ]);
    expect(store.stamp).toBe(2);
  });

  it('stops telling a listener once it is removed', () => {
    const store = new InMemoryJobStore();
    const changes: JobStoreChange[] = [];
    const off = store.onChange((change) => changes.push(change));

    off();
    store.insert({ jobId: 'job-1', user: 'demo' });

    expect(changes).toEqual([]);
  });

  it('keeps counting stamps across clear()', () => {
    const store = new InMemoryJobStore();
    store.insert({ jobId: 'job-1', user: 'demo' });

    store.clear();
    store.insert({ jobId: 'job-1', user: 'demo' });

    expect(store.size).toBe(1);
    expect(store.stamp).toBe(2);
  });
});

describe('reading and updating', () => {
  it('lists every job oldest first', () => {
    const store = new InMemoryJobStore();
    store.insert({ jobId: 'b', user: 'demo', created: new Date('2024-01-02T00:00:00Z') });
    store.insert({ jobId: 'a', user: 'demo', created: new Date('2024-01-03T00:00:00Z') });
    store.insert({ jobId: 'c', user: 'demo', created: new Date('2024-01-01T00:00:00Z') });

    expect(store.all().map((job) => job.jobId)).toEqual(['c', 'b', 'a']);
  });

  it('hands out copies that do not change the store', () => {
    const store = new InMemoryJobStore();
    store.insert({ jobId: 'job-1', user: 'demo', serviceFields: { n: 1 } });

    (store.getWire('job-1')?.service_fields as { n: number }).n = 2;

    expect(store.get('job-1')?.serviceFields).toEqual({ n: 1 });
  });

  it('updates with $set semantics, keeping sibling service fields', () => {
    const store = new InMemoryJobStore();
    store.insert({ jobId: 'job-1', user: 'demo', serviceFields: { a: { b: 1, c: 2 } } });

    const job = store.update('job-1', { serviceFields: { a: { c: 3 } } });

    expect(job.serviceFields).toEqual({ a: { b: 1, c: 3 } });
  });

  it('refuses an update the client would refuse, with RequestValidationError', () => {
    const store = new InMemoryJobStore();
    store.insert({ jobId: 'job-1', user: 'demo' });

    expect(() => store.update('job-1', { user: 'x' } as never)).toThrow(RequestValidationError);
  });

  it('refuses to update a missing job with code not_found', () => {
    const store = new InMemoryJobStore();

    expect(() => store.update('missing', { status: 'WORKING' })).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });
});
