// Updating jobs: the contract's `$set` semantics, end to end through the SDK's encoding, the
// server's SQL and the SDK's expansion of what comes back.
import { expect, it } from 'vitest';
import { clientFor, describeJss, rawRequest, uniqueUser } from './support';

/** The contract's observed legacy call (shared contract, "Update (PATCH) body"). */
const LEGACY_VECTOR = {
  status: 'WORKING',
  currentStage: 'copying',
  serviceFields: { favorites: { color: 'red', movies: ['x', 'y'] }, 'file.txt': { sizeBytes: 3 } },
} as const;

const twelve = Array.from({ length: 12 }, (_, index) => `item-${index}`);

describeJss('patching a job (isPatch, the default)', () => {
  it('merges the legacy vector into what is stored, rebuilding arrays and the file.txt key', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({
      user,
      jobId: `${user}-abc123`,
      serviceFields: { favorites: { color: 'blue', food: 'pizza' }, keep: true },
    });

    await client.updateJob(jobId, LEGACY_VECTOR);

    expect(await client.getJob(jobId)).toMatchObject({
      status: 'WORKING',
      currentStage: 'copying',
      serviceFields: {
        favorites: { color: 'red', food: 'pizza', movies: ['x', 'y'] },
        'file.txt': { sizeBytes: 3 },
        keep: true,
      },
    });
  });

  it('stores the legacy vector the way the legacy service did: arrays as index-keyed objects', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user, jobId: `${user}-abc123` });

    await client.updateJob(jobId, LEGACY_VECTOR);

    const raw = await rawRequest('GET', `1.0/job/${jobId}`, user);
    expect((raw.body.data as Record<string, unknown>[])[0]?.service_fields).toEqual({
      favorites: { color: 'red', movies: { 0: 'x', 1: 'y' } },
      'file.txt': { size_bytes: 3 },
    });
  });

  it('answers the update with the job as stored', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user });

    const updated = await client.updateJob(jobId, LEGACY_VECTOR);

    expect(await client.getJob(jobId)).toEqual(updated);
  });

  it('round-trips arrays of 11 or more elements, created and patched in', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user, serviceFields: { created: twelve } });

    await client.updateJob(jobId, { serviceFields: { patched: [...twelve, 'item-12'] } });

    expect((await client.getJob(jobId)).serviceFields).toEqual({
      created: twelve,
      patched: [...twelve, 'item-12'],
    });
  });

  it('replaces only the listed elements of a stored 12-element array', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user, serviceFields: { list: twelve } });

    await client.updateJob(jobId, { serviceFields: { list: ['new-0', 'new-1'] } });

    expect((await client.getJob(jobId)).serviceFields?.list).toEqual([
      'new-0',
      'new-1',
      ...twelve.slice(2),
    ]);
  });

  it('keeps empty objects, empty arrays and nulls inside arrays', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user });
    const fields = { emptyObject: {}, emptyList: [], gaps: [1, null, 3], nested: [[], [null]] };

    await client.updateJob(jobId, { serviceFields: fields });

    expect((await client.getJob(jobId)).serviceFields).toEqual(fields);
  });

  it('keeps empty objects, empty arrays and nulls inside arrays given on create', async () => {
    const user = uniqueUser();
    const fields = { emptyObject: {}, emptyList: [], gaps: [null, 'b', null] };

    const created = await clientFor(user).createJob({ user, serviceFields: fields });

    expect(created.serviceFields).toEqual(fields);
  });

  it('stores a Date in service fields as its ISO string', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user });
    const when = new Date('2024-02-29T12:34:56.789Z');

    const updated = await client.updateJob(jobId, { serviceFields: { when } });

    expect(updated.serviceFields?.when).toBe(when.toISOString());
  });

  it('changes the updatable top-level fields and leaves the others', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user, jobName: 'old', service: 'upload' });

    const updated = await client.updateJob(jobId, {
      jobName: null,
      childIds: ['c1', 'c2'],
      currentHost: 'worker-7',
    });

    expect(updated).toMatchObject({
      jobName: null,
      childIds: ['c1', 'c2'],
      currentHost: 'worker-7',
      service: 'upload',
    });
  });

  it('moves modified forward and leaves created alone', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const created = await client.createJob({ user });

    const updated = await client.updateJob(created.jobId, { currentStage: 'later' });

    expect(updated.created).toEqual(created.created);
    expect(updated.modified.getTime()).toBeGreaterThanOrEqual(created.modified.getTime());
  });

  it('keeps every one of many concurrent patches to different paths', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user, serviceFields: { counters: {} } });
    const keys = Array.from({ length: 20 }, (_, index) => `k${index}`);

    await Promise.all(
      keys.map((key, index) =>
        client.updateJob(jobId, { serviceFields: { counters: { [key]: index } } }),
      ),
    );

    expect((await client.getJob(jobId)).serviceFields?.counters).toEqual(
      Object.fromEntries(keys.map((key, index) => [key, index])),
    );
  });
});

describeJss('an empty service-field key', () => {
  it('is patched like any other key', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user, serviceFields: { '': { a: 1 } } });

    await client.updateJob(jobId, { serviceFields: { '': { b: 2 } } });

    expect((await client.getJob(jobId)).serviceFields).toEqual({ '': { a: 1, b: 2 } });
  });

  it('is found by a filter', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user, serviceFields: { '': { a: 1 } } });
    await client.createJob({ user, serviceFields: { '': { a: 2 } } });

    const found = await client.getJobs({ user, serviceFields: { '': { a: 1 } } });

    expect(found.map((job) => job.jobId)).toEqual([jobId]);
  });
});

describeJss('replacing service fields (isPatch = false)', () => {
  it('replaces each given property whole and keeps the properties not given', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({
      user,
      serviceFields: { favorites: { color: 'blue', food: 'pizza' }, keep: 1 },
    });

    await client.updateJob(jobId, { serviceFields: { favorites: { color: 'red' } } }, false);

    expect((await client.getJob(jobId)).serviceFields).toEqual({
      favorites: { color: 'red' },
      keep: 1,
    });
  });

  it('replaces a stored array with a shorter one', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user, serviceFields: { list: twelve } });

    await client.updateJob(jobId, { serviceFields: { list: ['only'] } }, false);

    expect((await client.getJob(jobId)).serviceFields?.list).toEqual(['only']);
  });
});

describeJss('service-field keys', () => {
  it('converts camelCase keys to snake_case on the wire and back by default', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user, serviceFields: { originalPath: '/a' } });

    const raw = await rawRequest('GET', `1.0/job/${jobId}`, user);

    expect((raw.body.data as Record<string, unknown>[])[0]?.service_fields).toEqual({
      original_path: '/a',
    });
    expect((await client.getJob(jobId)).serviceFields).toEqual({ originalPath: '/a' });
  });

  it('keeps keys exactly as given with serviceFieldKeys verbatim', async () => {
    const user = uniqueUser();
    const client = clientFor(user, { serviceFieldKeys: 'verbatim' });
    const fields = { my_key: 1, myKey: 2, 'my key': 3 };
    const { jobId } = await client.createJob({ user, serviceFields: fields });

    await client.updateJob(jobId, { serviceFields: { Mixed_Case: { innerKey: true } } });

    expect((await client.getJob(jobId)).serviceFields).toEqual({
      ...fields,
      Mixed_Case: { innerKey: true },
    });
  });
});
