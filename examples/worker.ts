/**
 * A producer and a worker pool: `npx tsx examples/worker.ts`.
 *
 * The producer creates jobs for the `thumbnail` service (one urgent, one that waits for another,
 * one that fails once and is retried); a pool of workers processes them. It runs against the
 * testing kit (msw + an in-memory service), so it needs no server. Against the reference server
 * (examples/worker-pool.ts), drop the msw lines, point `baseURL` at it and give each client a
 * token: a creator's for the producer, a worker's granted `thumbnail` for the pool.
 */
import { JobStatusClient, UnrecoverableError, type ClaimedJob } from 'job-status-client';
import { createJssHandlers, InMemoryJobStore } from 'job-status-client/testing';
import { setupServer } from 'msw/node';

const BASE_URL = 'http://jss.example/jss';
const store = new InMemoryJobStore();
const server = setupServer(...createJssHandlers({ baseURL: BASE_URL, store }));
server.listen({ onUnhandledRequest: 'error' });

const producer = new JobStatusClient({ baseURL: BASE_URL, user: 'gallery' });
const workerClient = new JobStatusClient({ baseURL: BASE_URL, user: 'thumbnailer' });

async function produce(): Promise<string[]> {
  const original = await producer.createJob({
    user: 'gallery',
    service: 'thumbnail',
    serviceFields: { image: 'cat.tif' },
  });
  const urgent = await producer.createJob({
    user: 'gallery',
    service: 'thumbnail',
    priority: 'high',
    serviceFields: { image: 'banner.tif' },
  });
  const flaky = await producer.createJob({
    user: 'gallery',
    service: 'thumbnail',
    retry: { retries: 2, waitMs: 200, backoff: 'exponential' },
    serviceFields: { image: 'remote.tif' },
  });
  const index = await producer.createJob({
    user: 'gallery',
    service: 'thumbnail',
    dependsOn: [original.jobId, urgent.jobId],
    serviceFields: { image: 'index' },
  });
  return [original.jobId, urgent.jobId, flaky.jobId, index.jobId];
}

/** The work of one job: resolve to complete it, throw to fail it. */
async function makeThumbnail(
  job: ClaimedJob,
  context: { signal: AbortSignal; progress: (done: number, total?: number) => Promise<void> },
): Promise<{ thumbnail: string }> {
  const image = job.serviceFields?.image;
  if (typeof image !== 'string') throw new UnrecoverableError('the job names no image');
  if (image === 'remote.tif' && job.attempts === 1) throw new Error('the remote store timed out');
  context.signal.throwIfAborted();
  await context.progress(100);
  return { thumbnail: `${image}.thumb.png` };
}

const jobIds = await produce();
const pool = workerClient.processJobs('thumbnail', makeThumbnail, {
  concurrency: 2,
  leaseMs: 10_000,
  pollIntervalMs: 1000,
});
pool.on('completed', ({ job, result }) => console.log('completed', job.jobId, result));
pool.on('failed', ({ job, error }) => console.log('failed', job.jobId, job.status, String(error)));
pool.on('error', (error) => console.error('worker error', error));

// Wait until every job has ended, then stop the pool gracefully.
const ended = () =>
  jobIds.every((id) =>
    ['SUCCEEDED', 'FAILED', 'UNRECOVERABLE'].includes(store.get(id)?.status ?? ''),
  );
while (!ended()) await new Promise((resolve) => setTimeout(resolve, 50));
await pool.stop({ graceful: true, timeoutMs: 5000 });
console.log(pool.counts);
server.close();
