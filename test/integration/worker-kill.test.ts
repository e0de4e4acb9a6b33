// A worker process killed with SIGKILL mid-job, against the reference server: its lease runs
// out, the attempt is recorded as lease_expired, and another worker process completes the job.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  bundleWorker,
  type WorkerBundle,
  type WorkerChild,
} from '../../scripts/soak/worker-bundle';
import type { SideLogEntry } from '../../scripts/soak/worker-process';
import { clientFor, describeJss, jssBaseUrl, tokenFor, uniqueUser } from './support';

const LEASE_MS = 1000;

let bundle: WorkerBundle;
const children: WorkerChild[] = [];
beforeAll(async () => {
  bundle = await bundleWorker();
});
afterAll(() => {
  for (const child of children) child.process.kill('SIGKILL');
  bundle?.dispose();
});

/** The first entry `child` prints that `match` accepts (rejects when the child ends first). */
function entryOf(
  child: WorkerChild,
  match: (entry: SideLogEntry) => boolean,
): Promise<SideLogEntry> {
  return new Promise((resolve, reject) => {
    child.onEntry((entry) => {
      if (match(entry)) resolve(entry);
    });
    void child.exited.then((code) =>
      reject(new Error(`the worker ended first (${code}): ${child.stderr()}`)),
    );
  });
}

describeJss('a worker process killed with SIGKILL mid-job', () => {
  it('loses the job to another worker after its lease, which completes it once', async () => {
    const service = uniqueUser('svc');
    const user = uniqueUser('producer');
    const workerUser = uniqueUser('worker');
    const token = await tokenFor(workerUser, 'worker', [service]);
    const start = (workMs: string) => {
      const child = bundle.start({
        JSS_URL: jssBaseUrl,
        JSS_TOKEN: token,
        WORKER_SERVICE: service,
        WORKER_LEASE_MS: String(LEASE_MS),
        WORKER_WORK_MS: workMs,
      });
      children.push(child);
      const entries: SideLogEntry[] = [];
      child.onEntry((entry) => entries.push(entry));
      return { child, entries };
    };
    const producer = clientFor(user);
    const job = await producer.createJob({ user, service, retry: { retries: 1, waitMs: 0 } });

    // Its handler would work for a minute: it is certainly mid-job when killed.
    const first = start('60000-60000');
    await entryOf(first.child, (entry) => entry.event === 'start' && entry.jobId === job.jobId);
    first.child.process.kill('SIGKILL');
    expect(await first.child.exited).toBeNull();

    const second = start('10-10');
    const completed = await entryOf(second.child, (entry) => entry.event === 'completed');
    const stored = await producer.getJob(job.jobId);

    expect({
      status: stored.status,
      attempts: stored.attempts,
      lastError: stored.lastError?.code,
      result: stored.serviceFields?.result,
      firstWorker: first.entries.map((entry) => entry.event),
      // Its claim is the job's second attempt: the first ended when the lease ran out.
      secondWorker: second.entries.map((entry) => [entry.event, entry.attempts]),
    }).toEqual({
      status: 'SUCCEEDED',
      attempts: 2,
      lastError: 'lease_expired',
      result: { run: completed.run },
      firstWorker: ['start'],
      secondWorker: [
        ['start', 2],
        ['finish', undefined],
        ['completed', undefined],
      ],
    });
  });
});
