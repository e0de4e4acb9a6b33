import { beforeAll, describe, expect, it } from 'vitest';
import { parseJssDate } from '#protocol/dates';
import type { RunningServer } from '../src/index';
import type { WireJob } from '../src/store/job-row';
import {
  apiClient,
  authorizationFor,
  jobOf,
  uniqueUser,
  testQueue,
  useTestDatabase,
} from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});

const queue = () => testQueue(() => server.url);

const timeOf = (value: unknown) => parseJssDate(String(value))!.getTime();
const ids = (jobs: readonly WireJob[]) => jobs.map((job) => job.job_id);
const resultsOf = (body: unknown) => (body as { results: unknown }).results;

/** Makes a job's `run_at` (or its lease) due now, instead of waiting for it. */
async function makeDue(jobId: string, column: 'run_at' | 'lease_expires') {
  await database.store.db.query(
    `UPDATE jobs SET ${column} = clock_timestamp() - interval '1 second' WHERE job_id = $1`,
    [jobId],
  );
}

describe('scheduling fields on create', () => {
  it('stores a named priority as its number and delay_ms as run_at', async () => {
    const { create } = queue();
    const before = Date.now();
    const job = await create({ priority: 'high', delay_ms: 60_000 });
    expect(job.priority).toBe(10);
    expect(timeOf(job.run_at)).toBeGreaterThanOrEqual(before + 60_000 - 1);
    expect(timeOf(job.run_at)).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('refuses a dependency that does not exist, naming depends_on', async () => {
    const { creator, service } = queue();
    const answer = await creator.create({ service, depends_on: ['no-such-job-' + service] });
    expect([answer.status, answer.body.code, answer.body.error]).toEqual([
      400,
      'invalid_body',
      expect.stringContaining('"depends_on"'),
    ]);
  });

  it('accepts scheduling fields in a batch, an item depending on an earlier one', async () => {
    const { creator, service } = queue();
    const first = 'first-' + service;
    const answer = await creator.call('POST', '1.0/job/batch', [
      { user: creator.user, job_id: first, service, priority: 3 },
      { user: creator.user, service, depends_on: [first], retry: { retries: 2 } },
    ]);
    expect(answer.status).toBe(201);
    expect(answer.body.data.map((job) => [job.priority, job.depends_on, job.retry])).toEqual([
      [3, undefined, undefined],
      [
        undefined,
        [first],
        { retries: 2, wait_ms: 300_000, backoff: 'constant', max_wait_ms: null, until: null },
      ],
    ]);
  });

  it('leaves a job made without scheduling fields as it was before the work queue', async () => {
    const { create } = queue();
    const job = await create();
    expect(
      Object.keys(job).filter((key) => ['priority', 'attempts', 'run_at'].includes(key)),
    ).toEqual([]);
  });
});

describe('POST 1.0/job/claim', () => {
  it('leases a WAITING job to the worker: WORKING, one attempt, a lease deadline', async () => {
    const { create, claim } = queue();
    const job = await create();
    const before = Date.now();
    const answer = await claim('w1', { lease_ms: 60_000 });
    expect(answer.status).toBe(200);
    const claimed = jobOf(answer);
    expect([
      claimed.job_id,
      claimed.status,
      claimed.attempts,
      claimed.worker_id,
      claimed.lease_ms,
    ]).toEqual([job.job_id, 'WORKING', 1, 'w1', 60_000]);
    expect(timeOf(claimed.lease_expires)).toBeGreaterThanOrEqual(before + 60_000 - 1);
  });

  it('hands one job to only one of two workers racing for it', async () => {
    const { create, claim } = queue();
    const job = await create();
    const answers = await Promise.all([claim('racer-a'), claim('racer-b'), claim('racer-c')]);
    const claimed = answers.flatMap((answer) => answer.body.data);
    expect(ids(claimed)).toEqual([job.job_id]);
  });

  it('hands each of many jobs to exactly one of many concurrent claims', async () => {
    const { create, claim } = queue();
    const made = [];
    for (let index = 0; index < 12; index += 1) made.push((await create()).job_id);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) => claim(`many-${index}`, { limit: 3 })),
    );
    const claimed = ids(answers.flatMap((answer) => answer.body.data));
    expect(claimed.sort()).toEqual([...made].sort());
  });

  it('takes the highest priority first, then the oldest', async () => {
    const { create, claim } = queue();
    const low = await create({ priority: 'low' });
    const normalOld = await create();
    const high = await create({ priority: 'critical' });
    const normalNew = await create({ priority: 0 });
    const answer = await claim('w', { limit: 10 });
    expect(ids(answer.body.data)).toEqual([
      high.job_id,
      normalOld.job_id,
      normalNew.job_id,
      low.job_id,
    ]);
  });

  it('does not hand out a job before its run_at', async () => {
    const { create, claim } = queue();
    const job = await create({ delay_ms: 3_600_000 });
    expect((await claim('w')).body.data).toEqual([]);
    await makeDue(job.job_id, 'run_at');
    expect(ids((await claim('w')).body.data)).toEqual([job.job_id]);
  });

  it('answers [] at the end of wait_ms when nothing is claimable', async () => {
    const { claim } = queue();
    const answer = await claim('idle', { wait_ms: 1_000 });
    expect([answer.status, answer.body.data]).toEqual([200, []]);
  });

  it('holds an idle claim until a job is created for its service', async () => {
    const { create, claim } = queue();
    const waiting = claim('sleeper', { wait_ms: 30_000 });
    const job = await create();
    expect(ids((await waiting).body.data)).toEqual([job.job_id]);
  });

  it('wakes an idle claim on one instance for a job created through another', async () => {
    const { service, worker } = queue();
    const other = await database.server();
    const producer = apiClient(() => other.url, uniqueUser('producer'));
    const waiting = worker.call('POST', '1.0/job/claim', {
      service,
      worker_id: 'sleeper',
      wait_ms: 30_000,
    });
    const job = jobOf(await producer.create({ service }));
    expect(ids((await waiting).body.data)).toEqual([job.job_id]);
  });

  it('claims nothing for a client that went away while it waited', async () => {
    const { service, worker, create, claim } = queue();
    const controller = new AbortController();
    const headers = {
      'Content-Type': 'application/json',
      ...(await authorizationFor(server.url, worker.user, 'worker', [service])),
    };
    const abandoned = fetch(`${server.url}/1.0/job/claim`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ service, worker_id: 'gone', wait_ms: 30_000 }),
      signal: controller.signal,
    }).catch(() => undefined);
    controller.abort();
    await abandoned;
    const job = await create();
    expect(ids((await claim('present', { wait_ms: 5_000 })).body.data)).toEqual([job.job_id]);
  });

  it('refuses a creator token with 403', async () => {
    const { creator, service, create } = queue();
    await create();
    const answer = await creator.call('POST', '1.0/job/claim', { service, worker_id: 'c' });
    expect([answer.status, answer.body.code]).toEqual([403, 'forbidden']);
  });

  it('refuses a worker a service it was not granted with 403', async () => {
    const { worker } = queue();
    const answer = await worker.call('POST', '1.0/job/claim', {
      service: uniqueUser('other'),
      worker_id: 'w',
    });
    expect([answer.status, answer.body.code]).toEqual([403, 'forbidden']);
  });

  it('refuses a body with an unknown field, naming it', async () => {
    const { claim } = queue();
    const answer = await claim('w', { lmit: 2 });
    expect([answer.status, answer.body.code, answer.body.error]).toEqual([
      400,
      'invalid_body',
      expect.stringContaining('lmit'),
    ]);
  });
});

describe('leases', () => {
  it('counts a lease that ran out as a failed attempt, retried by the policy', async () => {
    const { create, claim, report } = queue();
    const job = await create({ retry: { retries: 1, wait_ms: 0 } });
    // A lease that really runs out: a server instance knows no lease ends sooner than the
    // shortest allowed, so it does not look for expired ones before then.
    await claim('lost', { lease_ms: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = jobOf(await claim('second'));
    expect([again.job_id, again.attempts, again.worker_id, again.last_error]).toEqual([
      job.job_id,
      2,
      'second',
      { message: 'The worker did not report before its lease expired', code: 'lease_expired' },
    ]);
    const late = await report(job.job_id, 'complete', { worker_id: 'lost' });
    expect([late.status, late.body.code]).toEqual([409, 'not_claimed']);
  });

  it('fails a job whose lease ran out at the report of its worker, which gets 409', async () => {
    const { create, claim, report, creator } = queue();
    const job = await create();
    await claim('slow');
    await makeDue(job.job_id, 'lease_expires');
    const answer = await report(job.job_id, 'heartbeat', { worker_id: 'slow' });
    expect([answer.status, answer.body.code]).toEqual([409, 'not_claimed']);
    expect(jobOf(await creator.get(job.job_id)).status).toBe('FAILED');
  });

  it('renews the lease on a heartbeat', async () => {
    const { create, claim, report } = queue();
    const job = await create();
    const claimed = jobOf(await claim('beat', { lease_ms: 1_000 }));
    const beat = jobOf(
      await report(job.job_id, 'heartbeat', { worker_id: 'beat', lease_ms: 600_000 }),
    );
    expect(beat.lease_ms).toBe(600_000);
    expect(timeOf(beat.lease_expires)).toBeGreaterThan(timeOf(claimed.lease_expires) + 500_000);
  });

  it('renews the lease on progress of the leased job', async () => {
    const { create, claim, worker } = queue();
    const job = await create();
    const claimed = jobOf(await claim('p', { lease_ms: 1_000 }));
    await database.store.db.query(`UPDATE jobs SET lease_ms = 600000 WHERE job_id = $1`, [
      job.job_id,
    ]);
    const progressed = jobOf(
      await worker.call('POST', `1.0/job/${job.job_id}/progress`, { completed: 1, total: 2 }),
    );
    expect(timeOf(progressed.lease_expires)).toBeGreaterThan(
      timeOf(claimed.lease_expires) + 500_000,
    );
  });

  it('answers 409 not_claimed to a worker that does not hold the job', async () => {
    const { create, claim, report } = queue();
    const job = await create();
    await claim('holder');
    const answer = await report(job.job_id, 'complete', { worker_id: 'intruder' });
    expect([answer.status, answer.body.code, answer.body.error]).toEqual([
      409,
      'not_claimed',
      expect.stringContaining('claimed by another worker'),
    ]);
  });

  it('ends the lease of an aborted job: the next heartbeat gets 409', async () => {
    const { create, claim, report, creator } = queue();
    const job = await create();
    await claim('w');
    expect((await creator.action(job.job_id, 'abort')).status).toBe(200);
    const answer = await report(job.job_id, 'heartbeat', { worker_id: 'w' });
    expect([answer.status, answer.body.code]).toEqual([409, 'not_claimed']);
  });

  it('answers 404 to a worker reporting on a job of a service it was not granted', async () => {
    const mine = queue();
    const theirs = queue();
    const job = await theirs.create();
    await theirs.claim('w');
    const answer = await mine.report(job.job_id, 'complete', { worker_id: 'w' });
    expect([answer.status, answer.body.code]).toEqual([404, 'not_found']);
  });
});

describe('outcomes', () => {
  it('completes: SUCCEEDED, the result in service_fields.result, the lease released', async () => {
    const { create, claim, report } = queue();
    const job = await create({ service_fields: { input: 1 } });
    await claim('w');
    const done = jobOf(
      await report(job.job_id, 'complete', { worker_id: 'w', result: { out: 2 } }),
    );
    expect([done.status, done.service_fields, done.lease_expires]).toEqual([
      'SUCCEEDED',
      { input: 1, result: { out: 2 } },
      null,
    ]);
  });

  it('fails without a retry policy: FAILED with the last error', async () => {
    const { create, claim, report } = queue();
    const job = await create();
    await claim('w');
    const failed = jobOf(
      await report(job.job_id, 'fail', { worker_id: 'w', error: { message: 'boom', code: 7 } }),
    );
    expect([failed.status, failed.last_error]).toEqual(['FAILED', { message: 'boom', code: 7 }]);
  });

  it('fails fatally: UNRECOVERABLE though retries remain', async () => {
    const { create, claim, report } = queue();
    const job = await create({ retry: { retries: 5, wait_ms: 0 } });
    await claim('w');
    const failed = jobOf(
      await report(job.job_id, 'fail', { worker_id: 'w', error: { message: 'bad' }, fatal: true }),
    );
    expect(failed.status).toBe('UNRECOVERABLE');
  });

  it('retries with a constant backoff: RETRYING, run_at wait_ms later, until retries run out', async () => {
    const { create, claim, report } = queue();
    const job = await create({ retry: { retries: 1, wait_ms: 60_000 } });
    await claim('w');
    const before = Date.now();
    const failed = jobOf(
      await report(job.job_id, 'fail', { worker_id: 'w', error: { message: 'x' } }),
    );
    expect(failed.status).toBe('RETRYING');
    expect(timeOf(failed.run_at)).toBeGreaterThanOrEqual(before + 60_000 - 1);
    expect(timeOf(failed.run_at)).toBeLessThanOrEqual(Date.now() + 60_000);
    await makeDue(job.job_id, 'run_at');
    await claim('w');
    const last = jobOf(
      await report(job.job_id, 'fail', { worker_id: 'w', error: { message: 'y' } }),
    );
    expect([last.status, last.attempts]).toEqual(['FAILED', 2]);
  });

  it('retries with an exponential backoff, doubling the wait up to max_wait_ms', async () => {
    const { create, claim, report } = queue();
    const job = await create({
      retry: { retries: 5, wait_ms: 100_000, backoff: 'exponential', max_wait_ms: 300_000 },
    });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await claim('w');
      const failed = jobOf(
        await report(job.job_id, 'fail', { worker_id: 'w', error: { message: 'again' } }),
      );
      // Rounded to seconds: the wait dwarfs the milliseconds between the two clocks' readings.
      waits.push(Math.round((timeOf(failed.run_at) - timeOf(failed.modified)) / 1_000) * 1_000);
      await makeDue(job.job_id, 'run_at');
    }
    expect(waits).toEqual([100_000, 200_000, 300_000]);
  });
});

describe('POST 1.0/job/complete (batched)', () => {
  it('completes every job the worker holds, each with its result, in request order', async () => {
    const { create, claim, worker } = queue();
    const first = await create();
    const second = await create({ service_fields: { input: 1 } });
    await claim('w', { limit: 2 });
    const answer = await worker.call('POST', '1.0/job/complete', {
      worker_id: 'w',
      jobs: [{ job_id: second.job_id, result: { out: 2 } }, { job_id: first.job_id }],
    });
    expect([answer.status, resultsOf(answer.body)]).toEqual([
      200,
      [
        { job_id: second.job_id, completed: true },
        { job_id: first.job_id, completed: true },
      ],
    ]);
    const done = answer.body.data as WireJob[];
    expect(
      done.map((job) => [job.job_id, job.status, job.service_fields, job.lease_expires]),
    ).toEqual([
      [second.job_id, 'SUCCEEDED', { input: 1, result: { out: 2 } }, null],
      [first.job_id, 'SUCCEEDED', {}, null],
    ]);
  });

  it('refuses in its item a job another worker holds or that does not exist, completing the rest', async () => {
    const { create, claim, worker, creator } = queue();
    const mine = await create();
    const theirs = await create();
    await claim('w', { limit: 1 });
    await claim('other', { limit: 1 });
    const answer = await worker.call('POST', '1.0/job/complete', {
      worker_id: 'w',
      jobs: [{ job_id: theirs.job_id }, { job_id: 'no-such-job' }, { job_id: mine.job_id }],
    });
    expect([answer.status, resultsOf(answer.body)]).toEqual([
      200,
      [
        {
          job_id: theirs.job_id,
          completed: false,
          code: 'not_claimed',
          error: `Job ${theirs.job_id} is not held by worker w: it is claimed by another worker`,
        },
        { job_id: 'no-such-job', completed: false, code: 'not_found', error: 'Job not found' },
        { job_id: mine.job_id, completed: true },
      ],
    ]);
    expect(ids(answer.body.data as WireJob[])).toEqual([mine.job_id]);
    expect(jobOf(await creator.get(theirs.job_id)).status).toBe('WORKING');
  });

  it('refuses a body that names a job twice, completing none', async () => {
    const { create, claim, worker, creator } = queue();
    const job = await create();
    await claim('w');
    const answer = await worker.call('POST', '1.0/job/complete', {
      worker_id: 'w',
      jobs: [{ job_id: job.job_id }, { job_id: job.job_id }],
    });
    expect([answer.status, answer.body.code, answer.body.error]).toEqual([
      400,
      'invalid_body',
      expect.stringContaining('"jobs[1].job_id" repeats'),
    ]);
    expect(jobOf(await creator.get(job.job_id)).status).toBe('WORKING');
  });

  it('refuses more than 100 jobs in one request', async () => {
    const { worker } = queue();
    const jobs = Array.from({ length: 101 }, (_, index) => ({ job_id: `job-${index}` }));
    const answer = await worker.call('POST', '1.0/job/complete', { worker_id: 'w', jobs });
    expect([answer.status, answer.body.code, answer.body.error]).toEqual([
      400,
      'invalid_body',
      expect.stringContaining('"jobs" must be an array of 1..100'),
    ]);
  });

  it("answers not_found in its item for a job outside the worker's services", async () => {
    const { create, claim, worker, service } = queue();
    const held = await create();
    await claim('w');
    const elsewhere = jobOf(
      await apiClient(() => server.url, uniqueUser('producer')).create({ service: `${service}-x` }),
    );
    const answer = await worker.call('POST', '1.0/job/complete', {
      worker_id: 'w',
      jobs: [{ job_id: elsewhere.job_id }, { job_id: held.job_id }],
    });
    expect(resultsOf(answer.body)).toEqual([
      { job_id: elsewhere.job_id, completed: false, code: 'not_found', error: 'Job not found' },
      { job_id: held.job_id, completed: true },
    ]);
  });
});

describe('dependencies', () => {
  it('hands out a dependant only once its dependency SUCCEEDED', async () => {
    const { create, claim, report } = queue();
    const first = await create();
    const second = await create({ depends_on: [first.job_id], priority: 'critical' });
    expect(ids((await claim('w', { limit: 5 })).body.data)).toEqual([first.job_id]);
    await report(first.job_id, 'complete', { worker_id: 'w' });
    expect(ids((await claim('w', { limit: 5 })).body.data)).toEqual([second.job_id]);
  });

  it('blocks a dependant when its dependency fails, with the reason', async () => {
    const { create, claim, report, creator } = queue();
    const first = await create();
    const second = await create({ depends_on: [first.job_id] });
    await claim('w');
    await report(first.job_id, 'fail', { worker_id: 'w', error: { message: 'no' } });
    const blocked = jobOf(await creator.get(second.job_id));
    expect([blocked.status, blocked.blocked_reason]).toEqual([
      'BLOCKED',
      `Dependency ${first.job_id} is FAILED`,
    ]);
  });

  it('releases a blocked dependant when its failed dependency is retried', async () => {
    const { create, claim, report, creator } = queue();
    const first = await create();
    const second = await create({ depends_on: [first.job_id] });
    await claim('w');
    await report(first.job_id, 'fail', { worker_id: 'w', error: { message: 'no' } });
    await creator.action(first.job_id, 'retry');
    expect(jobOf(await creator.get(second.job_id)).status).toBe('WAITING');
  });

  it('creates a job BLOCKED when a dependency already failed', async () => {
    const { create, claim, report } = queue();
    const first = await create();
    await claim('w');
    await report(first.job_id, 'fail', { worker_id: 'w', error: { message: 'no' }, fatal: true });
    const late = await create({ depends_on: [first.job_id] });
    expect([late.status, late.blocked_reason]).toEqual([
      'BLOCKED',
      `Dependency ${first.job_id} is UNRECOVERABLE`,
    ]);
  });
});

describe('repeat', () => {
  it('creates the next run when a repeating job succeeds, until its repeats are used up', async () => {
    const { create, claim, report } = queue();
    const job = await create({ repeat: { repeats: 1, wait_ms: 0 }, service_fields: { n: 1 } });
    await claim('w');
    await report(job.job_id, 'complete', { worker_id: 'w', result: 'first' });
    const next = jobOf(await claim('w'));
    expect([next.repeat_of, next.repeat, next.service_fields]).toEqual([
      job.job_id,
      { repeats: 0, wait_ms: 0, schedule: null, until: null },
      { n: 1 },
    ]);
    await report(next.job_id, 'complete', { worker_id: 'w' });
    expect((await claim('w')).body.data).toEqual([]);
  });

  it('schedules the next run of a cron repeat at the next matching minute', async () => {
    const { create, claim, report, creator, service } = queue();
    const job = await create({ repeat: { schedule: '*/5 * * * *' } });
    await claim('w');
    const done = jobOf(await report(job.job_id, 'complete', { worker_id: 'w' }));
    const runs = await creator.query({ service });
    const next = runs.body.data.find((run) => run.repeat_of === job.job_id)!;
    const runAt = timeOf(next.run_at);
    expect([
      runAt % 300_000,
      runAt > timeOf(done.modified),
      runAt - timeOf(done.modified) <= 300_000,
    ]).toEqual([0, true, true]);
  });
});

describe('Idempotency-Key on claims and completes', () => {
  const keyed = () => ({ 'Idempotency-Key': `key-${uniqueUser('k')}` });

  it('replays a claim with the jobs of the first answer and claims no more', async () => {
    const { create, worker, creator, service } = queue();
    const first = await create({ priority: 'high' });
    const second = await create();
    const headers = keyed();
    const body = { service, worker_id: 'w', limit: 1 };
    const once = await worker.call('POST', '1.0/job/claim', body, headers);
    const again = await worker.call('POST', '1.0/job/claim', body, headers);
    const waiting = jobOf(await creator.get(second.job_id));
    expect([
      ids(once.body.data as WireJob[]),
      again.headers.get('Idempotent-Replayed'),
      again.body,
      waiting.status,
    ]).toEqual([[first.job_id], 'true', once.body, 'WAITING']);
  });

  it('answers concurrent claims with one key with one claimed job', async () => {
    const { create, worker, service } = queue();
    for (let index = 0; index < 3; index += 1) await create();
    const headers = keyed();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        worker.call('POST', '1.0/job/claim', { service, worker_id: 'w', limit: 1 }, headers),
      ),
    );
    const { rows } = await database.store.db.query<{ working: number }>(
      `SELECT count(*)::int AS working FROM jobs WHERE service = $1 AND status = 'WORKING'`,
      [service],
    );
    expect([
      new Set(answers.map((answer) => JSON.stringify(answer.body.data))).size,
      answers.every((answer) => answer.body.data?.length === 1),
      rows[0]!.working,
    ]).toEqual([1, true, 1]);
  });

  it('replays a complete with its first answer after the job was deleted', async () => {
    const { create, claim, worker, creator } = queue();
    const job = await create();
    await claim('w');
    const headers = keyed();
    const body = { worker_id: 'w', jobs: [{ job_id: job.job_id, result: { it: "'\\$1" } }] };
    const once = await worker.call('POST', '1.0/job/complete', body, headers);
    expect((await creator.remove(job.job_id)).status).toBe(200);
    const again = await worker.call('POST', '1.0/job/complete', body, headers);
    expect([once.status, again.headers.get('Idempotent-Replayed'), again.body]).toEqual([
      200,
      'true',
      once.body,
    ]);
  });
});
