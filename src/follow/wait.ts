import { AbortError, ApiError, JobFailedError, NotFoundError, TimeoutError } from '../errors';
import { isTerminalStatus } from '#protocol/statuses';
import { isRetryableError } from '../internal/retry';
import type { Job } from '../schemas';
import { assertJobId } from '../schemas/job-id';
import { MAX_TIMER_MS, sleep } from './backoff';
import type { FollowContext } from './context';
import type { WaitForJobOptions } from './options';
import { subscribe } from './subscribe';

export type { WaitForJobOptions } from './options';

/**
 * Waits until a job ends. Subscribes first (the server's `initialJobs` is the job's state when the
 * stream opened, so no change can slip between reading and following) and also reads the job once.
 *
 * Resolves with the job when it ends in SUCCEEDED. Rejects with `JobFailedError` (whose message
 * names the status) when it ends FAILED, UNRECOVERABLE or ABORTED; `NotFoundError` when the job
 * does not exist or is deleted meanwhile; `TimeoutError` after `timeout`; `AbortError` when
 * `signal` aborts; or the error of a read or a subscription that cannot succeed (401, 403, ...).
 * Connection trouble is waited out. Statuses it does not know are taken as still running. Every
 * timer, request and stream is released whatever the outcome.
 *
 * @throws RequestValidationError (as a rejection) for an invalid job id
 * @example
 * const job = await waitForJob(ctx, id, { timeout: 60_000 });
 */
export function waitForJob(
  ctx: FollowContext,
  jobId: string,
  options: WaitForJobOptions = {},
): Promise<Job> {
  const { signal, timeout, onUpdate } = options;
  const { initialMs, maxMs } = { initialMs: 500, maxMs: 10_000, ...options.pollInterval };
  return new Promise<Job>((resolve, reject) => {
    assertJobId(jobId);
    // Cancels this wait's own reads, sleeps and subscription once it settles.
    const controller = new AbortController();
    let settled = false;
    let polling = false;
    let latest: Job | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;

    /** Settles once, with `job` when it succeeded, else with `error`; releases everything. */
    const finish = (error: unknown, job?: Job): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      controller.abort();
      if (job) resolve(job);
      else reject(error);
    };
    const onAbort = (): void => finish(new AbortError());

    const observe = (job: Job): void => {
      if (settled || job.jobId !== jobId) return;
      if (latest) {
        const previous = latest.modified.getTime();
        const current = job.modified.getTime();
        // A read answered late must not undo a newer event, and a state seen twice is not news.
        if (current < previous || (current === previous && job.status === latest.status)) return;
      }
      latest = job;
      try {
        onUpdate?.(job);
      } catch (error) {
        ctx.log('error', `waitForJob's onUpdate threw: ${String(error)}`);
      }
      if (job.status === 'SUCCEEDED') finish(undefined, job);
      else if (isTerminalStatus(job.status)) finish(new JobFailedError(job));
    };

    const read = async (): Promise<void> => {
      try {
        observe(await ctx.getJob(jobId, { signal: controller.signal }));
      } catch (error) {
        if (settled) return;
        // Connection trouble, any timeout or a 5xx (the transport has already retried): the
        // stream or the next poll will bring the state. Anything else would fail again.
        if (!isRetryableError(error) && !TimeoutError.is(error)) finish(error);
        else ctx.log('warn', `Reading job ${jobId} failed; still waiting: ${String(error)}`);
      }
    };

    const startPolling = async (): Promise<void> => {
      if (polling) return;
      polling = true;
      for (let delayMs = initialMs; !settled; delayMs = Math.min(maxMs, delayMs * 2)) {
        await sleep(delayMs, controller.signal);
        if (!settled) await read();
      }
    };

    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort);
    if (timeout !== undefined && Number.isFinite(timeout)) {
      timer = setTimeout(
        () => finish(new TimeoutError({ timeoutMs: timeout, scope: 'deadline' })),
        Math.min(timeout, MAX_TIMER_MS),
      );
    }
    if (options.useSubscription === false || typeof ctx.fetch !== 'function') {
      void read();
      void startPolling();
      return;
    }
    // Subscribed before the read: `initialJobs` is the state when the stream opened, so no change
    // slips between the two.
    const subscription = subscribe(ctx, { jobIds: [jobId] }, { signal: controller.signal });
    subscription.on('initialJobs', (event) => event.jobs.forEach(observe));
    subscription.on('jobInsert', (event) => observe(event.job));
    subscription.on('jobUpdate', (event) => observe(event.job));
    subscription.on('jobDelete', (event) => {
      if (event.jobId !== jobId) return;
      finish(
        new NotFoundError({
          status: 404,
          message: `Job ${jobId} was deleted while waiting for it`,
          code: 'not_found',
          method: 'GET',
          path: `1.0/job/${encodeURIComponent(jobId)}`,
        }),
      );
    });
    subscription.done.catch((error: unknown) => {
      if (settled) return;
      // What a server without the event stream answers.
      if (ApiError.is(error) && [404, 405, 501].includes(error.status)) {
        ctx.log(
          'info',
          `The server has no event stream (HTTP ${error.status}); polling job ${jobId} instead`,
        );
        void startPolling();
      } else finish(error);
    });
    void read();
  });
}
