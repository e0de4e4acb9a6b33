// The SDK's worker pool against the reference server: claims, leases, outcomes, pause and stop.
import { afterEach, expect, it } from 'vitest';
import {
  PermissionDeniedError,
  UnrecoverableError,
  type ClaimedJob,
  type JobContext,
  type JobProcessor,
  type ProcessJobsOptions,
} from '../../src';
import { clientFor, describeJss, sleep, tokenFor, uniqueUser } from './support';

const processors: JobProcessor[] = [];
afterEach(async () => {
  await Promise.all(processors.splice(0).map((processor) => processor.stop({ graceful: false })));
});

/** A service of its own, a producer (creator token) and a client with a worker token for it. */
function queue() {
  const service = uniqueUser('svc');
  const user = uniqueUser('producer');
  const producer = clientFor(user);
  const workerUser = uniqueUser('worker');
  const worker = clientFor(workerUser, { token: () => tokenFor(workerUser, 'worker', [service]) });
  const process = (
    handler: (job: ClaimedJob, context: JobContext) => unknown,
    options: ProcessJobsOptions = {},
  ) => {
    const processor = worker.processJobs(service, handler, { pollIntervalMs: 500, ...options });
    processors.push(processor);
    return processor;
  };
  return { service, user, producer, worker, process };
}

/** Waits until `condition` holds; a bound on the checks, not a time limit of the test. */
async function until(condition: () => boolean | Promise<boolean>, checks = 400): Promise<void> {
  for (let check = 0; !(await condition()); check += 1) {
    if (check >= checks) throw new Error('the condition never held');
    await sleep(25);
  }
}

/** A promise and the function that settles it: a handler held mid-job. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describeJss('processJobs', () => {
  it('runs each job once and completes it with the handler result', async () => {
    const { service, user, producer, process } = queue();
    const jobs = await producer.createJobs(
      Array.from({ length: 8 }, (_, index) => ({ user, service, serviceFields: { index } })),
    );
    const seen: string[] = [];
    const processor = process(
      (job) => {
        seen.push(job.jobId);
        return { doubled: Number(job.serviceFields?.index) * 2 };
      },
      { concurrency: 3 },
    );
    await until(() => processor.counts.completed === 8);

    expect([...seen].sort()).toEqual(jobs.map(({ job }) => job.jobId).sort());
    const stored = await Promise.all(jobs.map(({ job }) => producer.getJob(job.jobId)));
    expect(stored.map((job) => [job.status, job.serviceFields?.result])).toEqual(
      stored.map((job) => ['SUCCEEDED', { doubled: Number(job.serviceFields?.index) * 2 }]),
    );
  });

  it('retries a job whose handler threw, by its retry policy', async () => {
    const { service, user, producer, process } = queue();
    const job = await producer.createJob({ user, service, retry: { retries: 1, waitMs: 0 } });
    let calls = 0;
    const processor = process(() => {
      calls += 1;
      if (calls === 1) throw new Error('first attempt fails');
      return 'second';
    });
    await until(() => processor.counts.completed === 1);

    const stored = await producer.getJob(job.jobId);
    expect([stored.status, stored.attempts, stored.serviceFields?.result]).toEqual([
      'SUCCEEDED',
      2,
      'second',
    ]);
  });

  it('fails a job for good when the handler throws an UnrecoverableError', async () => {
    const { service, user, producer, process } = queue();
    const job = await producer.createJob({ user, service, retry: { retries: 5, waitMs: 0 } });
    const processor = process(() => {
      throw new UnrecoverableError('corrupt input');
    });
    await until(() => processor.counts.failed === 1);

    expect((await producer.getJob(job.jobId)).status).toBe('UNRECOVERABLE');
  });

  it('runs dependants after their dependency, in priority order', async () => {
    const { service, user, producer, process } = queue();
    const first = await producer.createJob({ user, service, priority: 'low' });
    const second = await producer.createJob({
      user,
      service,
      dependsOn: [first.jobId],
      priority: 'critical',
    });
    const order: string[] = [];
    const processor = process((job) => {
      order.push(job.jobId);
    });
    await until(() => processor.counts.completed === 2);

    expect(order).toEqual([first.jobId, second.jobId]);
  });

  it('finishes the job in flight when paused, and claims nothing more until resumed', async () => {
    const { service, user, producer, process } = queue();
    const held = gate();
    const first = await producer.createJob({ user, service });
    const processor = process(async () => {
      await held.opened;
    });
    await until(() => processor.counts.running === 1);
    processor.pause();
    const second = await producer.createJob({ user, service });
    held.open();
    await until(() => processor.counts.completed === 1);

    expect((await producer.getJob(first.jobId)).status).toBe('SUCCEEDED');
    expect([processor.counts.claimed, (await producer.getJob(second.jobId)).status]).toEqual([
      1,
      'WAITING',
    ]);
    processor.resume();
    await until(() => processor.counts.completed === 2);
    expect((await producer.getJob(second.jobId)).status).toBe('SUCCEEDED');
  });

  it('lets the job in flight finish on a graceful stop', async () => {
    const { service, user, producer, process } = queue();
    const held = gate();
    const job = await producer.createJob({ user, service });
    const processor = process(async () => {
      await held.opened;
      return 'finished';
    });
    await until(() => processor.counts.running === 1);
    const stopping = processor.stop({ graceful: true, timeoutMs: 30_000 });
    held.open();
    await stopping;

    const stored = await producer.getJob(job.jobId);
    expect([stored.status, stored.serviceFields?.result]).toEqual(['SUCCEEDED', 'finished']);
  });

  it('aborts the handler and fails its job, retried by its policy, on a hard stop', async () => {
    const { service, user, producer, process } = queue();
    const job = await producer.createJob({ user, service, retry: { retries: 1, waitMs: 60_000 } });
    let aborted = false;
    const processor = process(
      (_job, context) =>
        new Promise<void>((resolve) => {
          context.signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
    );
    await until(() => processor.counts.running === 1);
    await processor.stop({ graceful: false });

    const stored = await producer.getJob(job.jobId);
    expect([aborted, stored.status, stored.attempts]).toEqual([true, 'RETRYING', 1]);
  });
});

describeJss('claimJobs', () => {
  it('refuses a creator token with PermissionDeniedError', async () => {
    const { service, user, producer } = queue();
    await producer.createJob({ user, service });
    await expect(producer.claimJobs({ service })).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('gives a job to only one of two workers racing for it', async () => {
    const { service, user, producer, worker } = queue();
    const job = await producer.createJob({ user, service });
    const otherUser = uniqueUser('worker');
    const workerB = clientFor(otherUser, {
      token: () => tokenFor(otherUser, 'worker', [service]),
    });
    const claims = await Promise.all([
      worker.claimJobs({ service, workerId: 'a' }),
      workerB.claimJobs({ service, workerId: 'b' }),
    ]);
    expect(claims.flat().map((claimed) => claimed.jobId)).toEqual([job.jobId]);
  });
});
