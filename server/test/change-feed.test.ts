import type { Principal } from '#protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index';
import { listChanges } from '../src/store/changes';
import { createJob, createJobs, patchJob } from '../src/store/jobs';
import type { Store } from '../src/store/store';
import { runWrite } from '../src/store/write';
import { parseCreateBody } from '../src/wire/create-body';
import { parsePatchBody } from '../src/wire/patch-body';
import { apiClient, jobOf, registerTestServer, uniqueUser } from './support/harness';
import { openEventStream, type SseEvent } from './support/sse-client';
import {
  openPgliteTestStore,
  openPostgresTestStore,
  postgresUrlOrSkip,
  type TestStore,
} from './support/test-store';

/** The property is about ordering, not visibility: the poller may read every job. */
const ADMIN: Principal = { user: 'feed-admin', role: 'admin', services: [] };

/**
 * What one writer does, in order: create a job, patch one of the jobs it created, or create a
 * batch of `target` jobs between two patches in one transaction (stamps taken one at a time
 * before and after stamps taken as a range).
 */
const writerArbitrary = fc.array(
  fc.oneof(
    fc.constant({ op: 'create' as const, target: 0 }),
    fc.record({ op: fc.constant('patch' as const), target: fc.nat(20) }),
    fc.record({ op: fc.constant('batch' as const), target: fc.integer({ min: 1, max: 5 }) }),
  ),
  { minLength: 1, maxLength: 8 },
);

/** Several writers at once, and how many jobs the reader asks for per page. */
const scenarioArbitrary = fc.record({
  writers: fc.array(writerArbitrary, { minLength: 2, maxLength: 12 }),
  pageSize: fc.integer({ min: 1, max: 7 }),
});

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** Runs the writers concurrently; returns each change's job and stamp as its writer saw it. */
async function runWriters(store: Store, user: string, scenario: Scenario) {
  const written: { jobId: string; stamp: number }[] = [];
  await Promise.all(
    scenario.writers.map(async (steps, writer) => {
      const mine: string[] = [];
      for (const [index, step] of steps.entries()) {
        const answer = await runWrite(store, undefined, async (tx) => {
          const patch = (jobId: string, stage: string) =>
            patchJob(tx, jobId, parsePatchBody({ current_stage: stage }), ADMIN);
          if (step.op === 'batch') {
            const before = mine[0] === undefined ? [] : [await patch(mine[0], `b${index}`)];
            const results = await createJobs(
              tx,
              Array.from({ length: step.target }, (_, item) =>
                parseCreateBody({ user, job_name: `w${writer}-${index}-${item}` }),
              ),
            );
            const rows = results.map((result) => result.row);
            mine.push(...rows.map((row) => row.job_id));
            const after = await patch(rows[0]!.job_id, `a${index}`);
            return { status: 201, body: [...before, ...rows, after] };
          }
          if (step.op === 'create' || mine.length === 0) {
            const { row } = await createJob(
              tx,
              parseCreateBody({ user, job_name: `w${writer}-${index}` }),
            );
            mine.push(row.job_id);
            return { status: 201, body: [row] };
          }
          const row = await patch(mine[step.target % mine.length]!, `s${index}`);
          return { status: 200, body: [row] };
        });
        for (const row of answer.body as { job_id: string; stamp: string }[]) {
          written.push({ jobId: row.job_id, stamp: Number(row.stamp) });
        }
      }
    }),
  );
  return written;
}

/**
 * Polls `changes` while the writers run and until it is caught up after them, and checks what
 * every poller must get: stamps strictly increasing (so no change twice), and for every change
 * written, that job seen at that stamp or a later one (so no change skipped).
 */
async function checkPolling(store: Store, scenario: Scenario): Promise<void> {
  const user = uniqueUser('feed');
  const seen: { jobId: string; stamp: number }[] = [];
  let since = 0;
  let writing = true;
  const poll = async () => {
    const page = await listChanges(
      store,
      { user },
      {
        since,
        limit: scenario.pageSize,
        finished: false,
      },
      ADMIN,
    );
    for (const row of page.rows) seen.push({ jobId: row.job_id, stamp: Number(row.stamp) });
    expect(page.stamp).toBeGreaterThanOrEqual(since);
    since = page.stamp;
    return page;
  };
  const writers = runWriters(store, user, scenario).finally(() => {
    writing = false;
  });
  const reader = (async () => {
    while (writing) await poll();
    const last = Math.max(-1, ...(await writers).map((change) => change.stamp));
    // A change is answered once every older transaction of the cluster has ended, which another
    // session on a shared PostgreSQL may hold back for a while: poll until the feed is past it.
    while (since < last) {
      if ((await poll()).rows.length === 0) await new Promise((done) => setTimeout(done, 5));
    }
  })();
  const written = await writers;
  await reader;

  const stamps = seen.map((change) => change.stamp);
  expect(stamps).toEqual([...new Set(stamps)].sort((a, b) => a - b));
  const newestSeen = new Map<string, number>();
  for (const { jobId, stamp } of seen) newestSeen.set(jobId, stamp);
  const skipped = written.filter(({ jobId, stamp }) => (newestSeen.get(jobId) ?? -1) < stamp);
  expect(skipped).toEqual([]);
}

function describeOn(name: string, open: () => Promise<TestStore>, runs: number) {
  describe(`the change feed on ${name}`, () => {
    let testStore: TestStore;
    beforeAll(async () => {
      testStore = await open();
    });
    afterAll(async () => {
      await testStore.dispose();
    });

    it('neither skips nor repeats a change for a poller while many writers commit', async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArbitrary, (scenario) => checkPolling(testStore.store, scenario)),
        { numRuns: runs },
      );
    });

    it('streams every change once, in increasing ids, across a resume with Last-Event-ID', async () => {
      const server = registerTestServer(
        await startServer({ port: 0, logger: false, store: testStore.store }),
      );
      try {
        await checkStreaming(server);
      } finally {
        await server.close();
      }
    });
  });
}

/** The job events of a stream: id, job id and the job as sent. */
const jobEvents = (events: SseEvent[]) =>
  events
    .filter((event) => event.event === 'jobInsert' || event.event === 'jobUpdate')
    .map((event) => {
      const job = JSON.parse(event.data!) as { job_id: string };
      return { id: Number(event.id), job };
    });

async function checkStreaming(server: RunningServer): Promise<void> {
  const user = uniqueUser('stream');
  const url = `${server.url}/1.0/job/subscribe/${user}`;
  const first = await openEventStream(url);
  await first.take(1);
  const writers = Array.from({ length: 8 }, (_, writer) => async () => {
    const api = apiClient(() => server.url, user);
    const job = jobOf(await api.create({ job_name: `w${writer}` }));
    for (let step = 0; step < 4; step++) await api.patch(job.job_id, { current_stage: `s${step}` });
    return job.job_id;
  });
  const running = Promise.all(writers.map((write) => write()));
  // Cut the stream part way through the writes, then resume after the last id it got.
  await first.waitFor((events) => jobEvents(events).length >= 6, 20_000);
  await first.close();
  const firstEvents = jobEvents(first.events);
  const lastId = firstEvents[firstEvents.length - 1]!.id;
  const second = await openEventStream(url, { 'Last-Event-ID': String(lastId) });
  const jobIds = await running;

  const api = apiClient(() => server.url, user);
  const finals = await Promise.all(jobIds.map(async (jobId) => jobOf(await api.get(jobId))));
  const arrivedAtFinal = (events: SseEvent[]) => {
    const newest = new Map(jobEvents(events).map(({ job }) => [job.job_id, job]));
    return finals.every((job) => JSON.stringify(newest.get(job.job_id)) === JSON.stringify(job));
  };
  await second.waitFor(arrivedAtFinal, 20_000);
  await second.close();

  const all = [...firstEvents, ...jobEvents(second.events)];
  const ids = all.map((event) => event.id);
  expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
}

describeOn('PGlite', openPgliteTestStore, 10);

const databaseUrl = postgresUrlOrSkip('change feed on PostgreSQL');
if (databaseUrl) describeOn('PostgreSQL', () => openPostgresTestStore(databaseUrl), 15);
