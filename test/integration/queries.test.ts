// getJobs: the contract's query vector and every operator, run by the server's SQL.
import { expect, it } from 'vitest';
import {
  BadRequestError,
  eq,
  exists,
  gt,
  lte,
  oneOf,
  RequestValidationError,
  type AttemptInfo,
  type Job,
  type JobFilter,
  type JobStatusClient,
  type NewJob,
} from '../../src';
import { clientFor, describeJss, rawRequest, uniqueUser } from './support';

/** Creates the jobs one after another (so `created` follows the list) and returns them. */
async function createAll(client: JobStatusClient, jobs: NewJob[]): Promise<Job[]> {
  const created: Job[] = [];
  for (const job of jobs) created.push(await client.createJob(job));
  return created;
}

/** The ids of the jobs `filter` finds, sorted, so that a test states a set. */
async function idsFound(client: JobStatusClient, filter: JobFilter): Promise<string[]> {
  return (await client.getJobs(filter)).map((job) => job.jobId).sort();
}

/** The same instant written with a +02:00 offset: compared as a time, not as text. */
function withPlusTwoHours(date: Date): string {
  const shifted = new Date(date.getTime() + 2 * 3_600_000).toISOString();
  return shifted.replace('Z', '+02:00');
}

describeJss('getJobs with the contract query vector', () => {
  it('finds exactly the jobs that satisfy every condition of the vector', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const id = (name: string) => `${user}-${name}`;
    const upload = { type: 'upload' };
    await createAll(client, [
      { user, jobId: id('a'), status: 'FAILED', serviceFields: upload },
      { user, jobId: id('b'), status: 'WORKING', serviceFields: upload },
      { user, jobId: id('c'), status: 'UNRECOVERABLE', parentId: 'p', serviceFields: upload },
      { user, jobId: id('d'), status: 'UNRECOVERABLE', serviceFields: { type: 'download' } },
      { user, jobId: id('e'), status: 'FAILED', serviceFields: upload },
      { user, jobId: id('f'), status: 'UNRECOVERABLE', parentId: 'q', serviceFields: upload },
    ]);

    const found = await idsFound(client, {
      user,
      jobId: { $in: [id('a'), id('b'), id('c'), id('d'), id('f')] },
      status: { $in: ['FAILED', 'UNRECOVERABLE'] },
      parentId: { $ne: 'p' },
      serviceFields: { type: 'upload' },
    });

    expect(found).toEqual([id('a'), id('f')]);
  });

  it('returns the jobs expanded like getJob does', async () => {
    const user = uniqueUser();
    const client = clientFor(user);
    const { jobId } = await client.createJob({ user });
    const updated = await client.updateJob(jobId, { serviceFields: { list: ['x', 'y'] } });

    expect(await client.getJobs({ user })).toEqual([updated]);
  });

  it('returns an empty list when nothing matches', async () => {
    expect(await clientFor('nobody').getJobs({ user: uniqueUser() })).toEqual([]);
  });
});

describeJss('getJobs operators', () => {
  /** Six jobs of a fresh user: `n` is 1..5 on the first five, missing on the last. */
  async function numbered() {
    const user = uniqueUser();
    const client = clientFor(user);
    const jobs = await createAll(client, [
      ...[1, 2, 3, 4, 5].map((n) => ({
        user,
        jobId: `${user}-n${n}`,
        status: n % 2 === 0 ? ('SUCCEEDED' as const) : ('FAILED' as const),
        childIds: [`child-${n}`, 'shared'],
        serviceFields: { n, label: `label-${n}` },
      })),
      { user, jobId: `${user}-none`, serviceFields: { other: true } },
    ]);
    const id = (suffix: string) => `${user}-${suffix}`;
    return { user, client, jobs, id };
  }

  it('compares numbers inside service fields with $gt and $lte', async () => {
    const { user, client, id } = await numbered();

    const found = await idsFound(client, { user, serviceFields: { n: { $gt: 2, $lte: 4 } } });

    expect(found).toEqual([id('n3'), id('n4')]);
  });

  it('compares with $gte and $lt, never matching a job without the field', async () => {
    const { user, client, id } = await numbered();

    const found = await idsFound(client, { user, serviceFields: { n: { $gte: 4, $lt: 100 } } });

    expect(found).toEqual([id('n4'), id('n5')]);
  });

  it('compares strings by code point', async () => {
    const { user, client, id } = await numbered();

    const found = await idsFound(client, { user, serviceFields: { label: { $gt: 'label-3' } } });

    expect(found).toEqual([id('n4'), id('n5')]);
  });

  it('keeps $in inside service fields an operator rather than a path', async () => {
    const { user, client, id } = await numbered();

    const found = await idsFound(client, { user, serviceFields: { n: { $in: [1, 5, 9] } } });

    expect(found).toEqual([id('n1'), id('n5')]);
  });

  it('excludes the listed statuses with $nin', async () => {
    const { user, client, id } = await numbered();

    const found = await idsFound(client, { user, status: { $nin: ['FAILED', 'WAITING'] } });

    expect(found).toEqual([id('n2'), id('n4')]);
  });

  it('matches a missing field with $ne', async () => {
    const { user, client, id } = await numbered();

    const found = await idsFound(client, { user, serviceFields: { n: { $ne: 3 } } });

    expect(found).toEqual([id('n1'), id('n2'), id('n4'), id('n5'), id('none')]);
  });

  it('finds present fields with $exists true and missing ones with $exists false', async () => {
    const { user, client, id } = await numbered();

    expect(await idsFound(client, { user, serviceFields: { other: { $exists: true } } })).toEqual([
      id('none'),
    ]);
    expect(await idsFound(client, { user, serviceFields: { n: { $exists: false } } })).toEqual([
      id('none'),
    ]);
  });

  it('matches null against a missing top-level field', async () => {
    const { user, client, id } = await numbered();

    expect(await idsFound(client, { user, childIds: null })).toEqual([id('none')]);
  });

  it('matches a child id against the jobs whose childIds contain it', async () => {
    const { user, client, id } = await numbered();

    expect(await idsFound(client, { user, childIds: 'child-2' })).toEqual([id('n2')]);
  });

  it('compares created as a time, whatever zone the operand is written in', async () => {
    const { user, client, jobs, id } = await numbered();
    const third = jobs[2]!;

    expect(await idsFound(client, { user, created: { $gt: third.created } })).toEqual([
      id('n4'),
      id('n5'),
      id('none'),
    ]);
    expect(
      await idsFound(client, { user, created: { $lte: withPlusTwoHours(third.created) } }),
    ).toEqual([id('n1'), id('n2'), id('n3')]);
  });

  it('finds jobs modified since a time with $gte on modified', async () => {
    const { user, client, jobs, id } = await numbered();
    const updated = await client.updateJob(jobs[0]!.jobId, { currentStage: 'touched' });

    const found = await idsFound(client, { user, modified: { $gte: updated.modified } });

    expect(found).toEqual([id('n1')]);
  });

  it('accepts the safe helpers in strict mode', async () => {
    const { user, id } = await numbered();
    const strict = clientFor(user, { filters: 'strict' });

    const found = await idsFound(strict, {
      user: eq(user),
      status: oneOf(['SUCCEEDED']),
      serviceFields: { n: gt(1), label: exists() },
      created: lte(new Date(Date.now() + 60_000)),
    });

    expect(found).toEqual([id('n2'), id('n4')]);
  });

  it('matches an object given to eq as a literal, never as operators', async () => {
    const user = uniqueUser();
    const client = clientFor(user, { serviceFieldKeys: 'verbatim' });
    const { jobId } = await client.createJob({ user, serviceFields: { doc: { kind: 'a' } } });
    await client.createJob({ user, serviceFields: { doc: { kind: 'b' } } });

    expect(await idsFound(client, { user, serviceFields: { doc: eq({ kind: 'a' }) } })).toEqual([
      jobId,
    ]);
  });
});

describeJss('filters the SDK or the server refuses', () => {
  /** A client that records every attempt it makes. */
  function countingClient() {
    const attempts: AttemptInfo[] = [];
    const client = clientFor(uniqueUser(), { hooks: { onAttempt: (info) => attempts.push(info) } });
    return { client, attempts };
  }

  it('refuses $where inside service fields without sending a request', async () => {
    const { client, attempts } = countingClient();

    const refused = client.getJobs({ serviceFields: { name: { $where: 'sleep(1000)' } } });

    await expect(refused).rejects.toBeInstanceOf(RequestValidationError);
    expect(attempts).toEqual([]);
  });

  it('refuses a top-level $where without sending a request', async () => {
    const { client, attempts } = countingClient();

    const refused = client.getJobs({ $where: 'true' } as JobFilter);

    await expect(refused).rejects.toBeInstanceOf(RequestValidationError);
    expect(attempts).toEqual([]);
  });

  it('refuses a plain operator object in strict mode without sending a request', async () => {
    const attempts: AttemptInfo[] = [];
    const strict = clientFor(uniqueUser(), {
      filters: 'strict',
      hooks: { onAttempt: (info) => attempts.push(info) },
    });

    const refused = strict.getJobs({ serviceFields: { owner: { $ne: 'nobody' } } });

    await expect(refused).rejects.toBeInstanceOf(RequestValidationError);
    expect(attempts).toEqual([]);
  });

  it('sends a valid filter exactly once (the counting above can see requests)', async () => {
    const { client, attempts } = countingClient();

    await client.getJobs({ user: uniqueUser() });

    expect(attempts.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'POST', path: '1.0/job/query', status: 200 },
    ]);
  });

  it.each([
    ['a top-level $where', { $where: 'true' }],
    ['$where on a service field', { 'service_fields.name': { $where: 'sleep(1)' } }],
    ['$regex on a column', { status: { $regex: '.*' } }],
    ['operators mixed with plain keys', { 'service_fields.n': { $gt: 1, plain: 2 } }],
    ['an unknown top-level field', { password: 'x' }],
    ['a comparison with an object', { 'service_fields.n': { $gt: { a: 1 } } }],
    ['a created that is not a date', { created: { $gt: 'yesterday' } }],
  ])('is answered 400 invalid_filter by the server for %s', async (_name, filter) => {
    const answer = await rawRequest('POST', '1.0/job/query', uniqueUser(), JSON.stringify(filter));

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ response_type: 'CLIENT_ERROR', code: 'invalid_filter' });
  });

  it('surfaces a refusal only the server makes as BadRequestError invalid_filter', async () => {
    const client = clientFor(uniqueUser());

    // The SDK checks operators and operand types, not whether a created operand parses as a time.
    const refused = client.getJobs({ created: { $gt: 'not a time' } });

    await expect(refused).rejects.toBeInstanceOf(BadRequestError);
    await expect(refused).rejects.toMatchObject({ status: 400, code: 'invalid_filter' });
  });
});
