import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ConflictError,
  JobStatusClient,
  UnrecoverableError,
  type ClaimedJob,
  type JobContext,
  type JobProcessor,
  type ProcessJobsOptions,
} from '../../src/index';
import { createJssHandlers, InMemoryJobStore } from '../../src/testing/index';

const BASE_URL = 'http://jss.test:8080/jss';
const store = new InMemoryJobStore();
const server = setupServer(...createJssHandlers({ baseURL: BASE_URL, store }));
const processors: JobProcessor[] = [];

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  // The processor's engine is imported on first use: loaded here, in real time, once.
  await import('../../src/workers/index');
});
beforeEach(() => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    now: new Date('2024-03-01T12:00:00.000Z'),
  });
});
afterEach(async () => {
  const stopping = Promise.all(processors.splice(0).map((p) => p.stop({ graceful: false })));
  await runUntilSettled(stopping);
  vi.useRealTimers();
  store.clear();
});
afterAll(() => server.close());

function client(): JobStatusClient {
  return new JobStatusClient({
    baseURL: BASE_URL,
    user: 'demo',
    retryDelay: { initialMs: 1, maxMs: 1 },
  });
}

type Handler = (job: ClaimedJob, context: JobContext) => unknown;

function processJobs(service: string, handler: Handler, options: ProcessJobsOptions = {}) {
  const processor = client().processJobs(service, handler, { pollIntervalMs: 1000, ...options });
  processors.push(processor);
  return processor;
}

/** Advances the fake clock in small steps until `condition` holds (a bound on the steps, not a time limit). */
async function runUntil(condition: () => boolean, stepMs = 50, steps = 2000): Promise<void> {
  for (let step = 0; !condition(); step++) {
    if (step >= steps) throw new Error('the condition never held');
    await vi.advanceTimersByTimeAsync(stepMs);
    // Real turns of the event loop too, for what msw does outside the fake timers.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function runUntilSettled(promise: Promise<unknown>): Promise<void> {
  let settled = false;
  void promise.finally(() => {
    settled = true;
  });
  await runUntil(() => settled);
  await promise;
}

const statusOf = (jobId: string) => store.get(jobId)?.status;

// Each test has a service of its own: a claim that a stopped processor gave up may still be
// waiting in the kit (msw does not tell it of the abort), and would take the next test's job.
let service = '';
let serviceCount = 0;
beforeEach(() => {
  service = `service-${++serviceCount}`;
});

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('processJobs', () => {
  it('completes a job with the handler result kept in serviceFields.result', async () => {
    store.insert({ jobId: 'j1', user: 'demo', service, serviceFields: { path: 'a' } });
    const processor = processJobs(service, () => ({ uploaded: 1 }));

    await runUntil(() => statusOf('j1') === 'SUCCEEDED');

    expect(store.get('j1')?.serviceFields).toEqual({ path: 'a', result: { uploaded: 1 } });
    expect(processor.counts).toMatchObject({ claimed: 1, completed: 1, failed: 0, running: 0 });
  });

  it('gives a job to only one of two processors racing for it', async () => {
    store.insert({ jobId: 'once', user: 'demo', service });
    const seen: string[] = [];
    const first = processJobs(service, (job) => void seen.push(`first:${job.jobId}`));
    const second = processJobs(service, (job) => void seen.push(`second:${job.jobId}`));

    await runUntil(() => statusOf('once') === 'SUCCEEDED');
    await vi.advanceTimersByTimeAsync(5000);

    expect(seen).toHaveLength(1);
    expect(first.counts.claimed + second.counts.claimed).toBe(1);
  });

  it('aborts ctx.signal when the lease is lost, and reports nothing for the job', async () => {
    store.insert({ jobId: 'lost', user: 'demo', service });
    let signal: AbortSignal | undefined;
    const processor = processJobs(
      service,
      (_job, context) =>
        new Promise((resolve) => {
          signal = context.signal;
          context.signal.addEventListener('abort', () => resolve('too late'));
        }),
      { leaseMs: 3000 },
    );
    await runUntil(() => signal !== undefined);

    await client().abortJob('lost');
    await runUntil(() => signal?.aborted === true);
    await runUntil(() => processor.counts.running === 0);

    expect(signal?.reason).toBeInstanceOf(ConflictError);
    expect(processor.counts).toMatchObject({ lost: 1, completed: 0 });
    expect(statusOf('lost')).toBe('ABORTED');
  });

  it('keeps a long job leased with heartbeats', async () => {
    store.insert({ jobId: 'long', user: 'demo', service });
    const finish = deferred();
    processJobs(service, () => finish.promise, { leaseMs: 3000 });
    await runUntil(() => statusOf('long') === 'WORKING');

    await vi.advanceTimersByTimeAsync(20_000);
    expect(statusOf('long')).toBe('WORKING');
    finish.resolve();

    await runUntil(() => statusOf('long') === 'SUCCEEDED');
    expect(store.get('long')?.attempts).toBe(1);
  });

  it('retries a failing job after its exponential backoff, then completes it', async () => {
    store.insert({
      jobId: 'flaky',
      user: 'demo',
      service,
      retry: { retries: 2, waitMs: 1000, backoff: 'exponential' },
    });
    const waits: number[] = [];
    const processor = processJobs(service, (job) => {
      if (job.attempts < 3) throw new Error(`attempt ${job.attempts} failed`);
      return 'third time lucky';
    });
    processor.on('failed', ({ job }) => {
      waits.push((job.runAt as Date).getTime() - job.modified.getTime());
    });

    await runUntil(() => statusOf('flaky') === 'SUCCEEDED');

    expect(waits).toEqual([1000, 2000]);
    expect(store.get('flaky')).toMatchObject({
      attempts: 3,
      lastError: { message: 'attempt 2 failed' },
    });
  });

  it('fails a job for good when the handler throws UnrecoverableError', async () => {
    store.insert({ jobId: 'bad', user: 'demo', service, retry: { retries: 5, waitMs: 0 } });
    const failed: boolean[] = [];
    const processor = processJobs(service, () => {
      throw new UnrecoverableError('no such file');
    });
    processor.on('failed', ({ fatal }) => failed.push(fatal));

    await runUntil(() => statusOf('bad') === 'UNRECOVERABLE');

    expect(failed).toEqual([true]);
    expect(store.get('bad')?.lastError).toEqual({
      message: 'no such file',
      name: 'UnrecoverableError',
    });
  });

  it('claims nothing while paused and carries on after resume', async () => {
    const processor = processJobs(service, () => 'done');
    processor.pause();
    store.insert({ jobId: 'later', user: 'demo', service });

    await vi.advanceTimersByTimeAsync(10_000);
    expect(statusOf('later')).toBe('WAITING');
    processor.resume();

    await runUntil(() => statusOf('later') === 'SUCCEEDED');
  });

  it('lets running jobs finish on a graceful stop, and claims no more', async () => {
    store.insert({ jobId: 'inflight', user: 'demo', service });
    const finish = deferred();
    const processor = processJobs(service, () => finish.promise);
    await runUntil(() => statusOf('inflight') === 'WORKING');

    const stopped = processor.stop({ graceful: true, timeoutMs: 60_000 });
    store.insert({ jobId: 'unclaimed', user: 'demo', service });
    await vi.advanceTimersByTimeAsync(1000);
    finish.resolve();
    await runUntilSettled(stopped);

    expect(statusOf('inflight')).toBe('SUCCEEDED');
    expect(statusOf('unclaimed')).toBe('WAITING');
  });

  it('aborts the handlers and fails their jobs on a hard stop', async () => {
    store.insert({ jobId: 'cut', user: 'demo', service, retry: { retries: 1, waitMs: 0 } });
    let signal: AbortSignal | undefined;
    const processor = processJobs(service, (_job, context) => {
      signal = context.signal;
      return new Promise(() => {});
    });
    await runUntil(() => signal !== undefined);

    await runUntilSettled(processor.stop({ graceful: false }));

    expect(signal?.aborted).toBe(true);
    expect(store.get('cut')).toMatchObject({
      status: 'RETRYING',
      lastError: { code: 'worker_stopped' },
    });
  });

  it('stops hard once a graceful stop times out', async () => {
    store.insert({ jobId: 'stuck', user: 'demo', service });
    const processor = processJobs(service, () => new Promise(() => {}));
    await runUntil(() => statusOf('stuck') === 'WORKING');

    await runUntilSettled(processor.stop({ graceful: true, timeoutMs: 5000 }));

    expect(statusOf('stuck')).toBe('FAILED');
  });

  it('takes higher priorities first, then the oldest', async () => {
    store.insert({ jobId: 'low', user: 'demo', service, priority: 'low' });
    store.insert({ jobId: 'normal-old', user: 'demo', service });
    store.insert({ jobId: 'critical', user: 'demo', service, priority: 'critical' });
    store.insert({ jobId: 'normal-new', user: 'demo', service, priority: 0 });
    const order: string[] = [];
    processJobs(service, (job) => void order.push(job.jobId));

    await runUntil(() => order.length === 4);

    expect(order).toEqual(['critical', 'normal-old', 'normal-new', 'low']);
  });

  it('does not start a delayed job before its time', async () => {
    await client().createJob({ jobId: 'delayed', user: 'demo', service, delayMs: 5000 });
    const runAt = store.get('delayed')?.runAt as Date;
    const startedAt: number[] = [];
    processJobs(service, () => void startedAt.push(Date.now()));

    await runUntil(() => statusOf('delayed') === 'SUCCEEDED');

    expect(startedAt).toHaveLength(1);
    expect(startedAt[0]).toBeGreaterThanOrEqual(runAt.getTime());
  });

  it('runs a dependant only after its dependency succeeded', async () => {
    store.insert({ jobId: 'first', user: 'demo', service });
    store.insert({
      jobId: 'second',
      user: 'demo',
      service,
      dependsOn: ['first'],
      priority: 'critical',
    });
    const order: string[] = [];
    processJobs(service, (job) => void order.push(job.jobId), { concurrency: 2 });

    await runUntil(() => statusOf('second') === 'SUCCEEDED');

    expect(order).toEqual(['first', 'second']);
  });

  it('blocks a dependant, with the reason, when its dependency fails', async () => {
    store.insert({ jobId: 'base', user: 'demo', service });
    store.insert({ jobId: 'dependant', user: 'demo', service, dependsOn: ['base'] });
    processJobs(service, () => {
      throw new Error('broken');
    });

    await runUntil(() => statusOf('dependant') === 'BLOCKED');

    expect(statusOf('base')).toBe('FAILED');
    expect(store.get('dependant')?.blockedReason).toBe('Dependency base is FAILED');
  });

  it('runs a repeating job again after each success, as many times as asked', async () => {
    store.insert({ jobId: 'tick', user: 'demo', service, repeat: { repeats: 2, waitMs: 10_000 } });
    const runs: string[] = [];
    processJobs(service, (job) => void runs.push(String(job.repeatOf ?? 'first')));

    await runUntil(() => runs.length === 3, 1000);
    await vi.advanceTimersByTimeAsync(30_000);

    expect(runs).toHaveLength(3);
    expect(store.all().map((job) => job.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('gives an expired lease of a dead worker to the next worker as a new attempt', async () => {
    store.insert({ jobId: 'orphan', user: 'demo', service, retry: { retries: 1, waitMs: 0 } });
    const [claimed] = await client().claimJobs({ service, leaseMs: 1000, workerId: 'dead' });
    expect(claimed?.jobId).toBe('orphan');
    const attempts: number[] = [];
    processJobs(service, (job) => void attempts.push(job.attempts));

    await runUntil(() => statusOf('orphan') === 'SUCCEEDED');

    expect(attempts).toEqual([2]);
  });

  it('reports an idle spell once', async () => {
    const processor = processJobs(service, () => undefined);
    let idle = 0;
    processor.on('idle', () => idle++);

    await vi.advanceTimersByTimeAsync(10_000);

    expect(idle).toBe(1);
  });

  it('refuses mistaken options at once', () => {
    expect(() => client().processJobs(service, () => 1, { concurrency: 0 })).toThrow(
      'options.concurrency',
    );
    expect(() => client().processJobs('', () => 1)).toThrow('service');
  });
});
