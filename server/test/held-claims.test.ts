import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import type { WireJob } from '../src/store/job-row';
import { jobOf, testQueue, useTestDatabase } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});

const queue = () => testQueue(() => server.url);

const ids = (jobs: readonly WireJob[]) => jobs.map((job) => job.job_id);

/** Resolves once the server holds some claim open (it has subscribed to the change hub). */
async function heldOpen(pending: Promise<unknown>): Promise<void> {
  await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, 300))]);
}

describe('held claims', () => {
  it('are not woken by changes to jobs of other services', async () => {
    const mine = queue();
    const other = queue();
    const job = await mine.create({ delay_ms: 600_000 });
    const started = Date.now();
    const waiting = mine.claim('sleeper', { wait_ms: 4_000 });
    await heldOpen(waiting);
    // Due now without a change notice: only a wake-up (or the end of the wait) finds it.
    await database.store.db.query(
      `UPDATE jobs SET run_at = clock_timestamp() - interval '1 second' WHERE job_id = $1`,
      [job.job_id],
    );
    await other.create();
    const answer = await waiting;
    expect(ids(answer.body.data)).toEqual([job.job_id]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_900);
  });

  it('wake when a job of another service succeeds, for the dependant it makes claimable', async () => {
    const mine = queue();
    const other = queue();
    const dependency = jobOf(await mine.creator.create({ service: other.service }));
    const dependant = await mine.create({ depends_on: [dependency.job_id] });
    const claimed = await other.worker.call('POST', '1.0/job/claim', {
      service: other.service,
      worker_id: 'first',
    });
    expect(ids(claimed.body.data)).toEqual([dependency.job_id]);
    const waiting = mine.claim('second', { wait_ms: 30_000 });
    await heldOpen(waiting);
    const done = await other.worker.call(
      'POST',
      `1.0/job/${encodeURIComponent(dependency.job_id)}/complete`,
      { worker_id: 'first' },
    );
    expect(done.status).toBe(200);
    expect(ids((await waiting).body.data)).toEqual([dependant.job_id]);
  });
});
