import {
  AbortError,
  ApiError,
  ConnectionError,
  JobFailedError,
  NotFoundError,
  TimeoutError,
} from '../errors';
import { isTerminalStatus, SUCCEEDED_STATUSES } from '../internal/model/statuses';
import type { Job } from '../schemas';
import { assertJobId } from '../schemas';
import type { BackoffRange } from './backoff';
import { sleep } from './backoff';
import type { FollowContext } from './context';
import { log } from './log';
import { isRetryableStatus } from './http-error';
import type { JobSubscription } from './subscribe';
import { subscribe } from './subscribe';

/** Options of {@link waitForJob}. */
export interface WaitForJobOptions {
  /**
   * Stops waiting: the promise rejects with `AbortError`.
   * @example { signal: controller.signal }
   */
  signal?: AbortSignal;
  /**
   * Milliseconds to wait in all; then the promise rejects with `TimeoutError`. Without it, waits
   * as long as the job runs.
   * @example { timeout: 600_000 }
   */
  timeout?: number;
  /**
   * Called with each new state of the job as it is seen (the final one included). A listener that
   * throws is reported to the logger and does not stop the wait.
   * @example { onUpdate: (job) => console.log(job.status, job.progress?.percent) }
   */
  onUpdate?: (job: Job) => void;
  /**
   * Delays between reads when polling (no subscription): doubling from `initialMs` to `maxMs`.
   * @default { initialMs: 500, maxMs: 10000 }
   */
  pollInterval?: Partial<BackoffRange>;
  /**
   * Follow the job through the event stream, falling back to polling if the server has none
   * (404, 405 or 501) or no fetch is available. `false` polls from the start.
   * @default true
   */
  useSubscription?: boolean;
}

const DEFAULT_POLL_INTERVAL: BackoffRange = { initialMs: 500, maxMs: 10_000 };
// What a server without the event stream answers.
const NO_SUBSCRIPTION_STATUSES: ReadonlySet<number> = new Set([404, 405, 501]);
// setTimeout fires at once when given more than 2^31 - 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;
const SUCCEEDED: ReadonlySet<string> = new Set(SUCCEEDED_STATUSES);

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
  return new Promise<Job>((resolve, reject) => {
    assertJobId(jobId);
    new JobWaiter(ctx, jobId, options, resolve, reject).start();
  });
}

class JobWaiter {
  private settled = false;
  private latest: Job | undefined;
  private polling = false;
  private subscription: JobSubscription | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  // Cancels this waiter's own reads and sleeps once it settles.
  private readonly controller = new AbortController();
  private readonly onCallerAbort = (): void => this.finish(new AbortError());

  constructor(
    private readonly ctx: FollowContext,
    private readonly jobId: string,
    private readonly options: WaitForJobOptions,
    private readonly resolve: (job: Job) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  start(): void {
    const { signal, timeout } = this.options;
    if (signal?.aborted) {
      this.finish(new AbortError());
      return;
    }
    signal?.addEventListener('abort', this.onCallerAbort, { once: true });
    if (timeout !== undefined && Number.isFinite(timeout)) {
      this.timer = setTimeout(
        () => this.finish(new TimeoutError({ timeoutMs: timeout, scope: 'deadline' })),
        Math.min(timeout, MAX_TIMER_MS),
      );
    }
    const subscribing =
      this.options.useSubscription !== false && typeof this.ctx.fetch === 'function';
    if (subscribing) this.follow();
    void this.read();
    if (!subscribing) this.startPolling();
  }

  private follow(): void {
    const subscription = subscribe(
      this.ctx,
      { jobIds: [this.jobId] },
      { signal: this.controller.signal },
    );
    this.subscription = subscription;
    subscription.on('initialJobs', (event) => {
      const job = event.jobs.find((candidate) => candidate.jobId === this.jobId);
      if (job) this.observe(job);
    });
    subscription.on('jobInsert', (event) => this.observeIfOurs(event.job));
    subscription.on('jobUpdate', (event) => this.observeIfOurs(event.job));
    subscription.on('jobDelete', (event) => {
      if (event.jobId === this.jobId) this.finish(this.deletedError());
    });
    subscription.done.catch((error: unknown) => {
      if (this.settled) return;
      if (ApiError.is(error) && NO_SUBSCRIPTION_STATUSES.has(error.status)) {
        log(
          this.ctx,
          'info',
          `The server has no event stream (HTTP ${error.status}); polling job ${this.jobId} instead`,
        );
        this.startPolling();
        return;
      }
      this.finish(error);
    });
  }

  private startPolling(): void {
    if (this.polling || this.settled) return;
    this.polling = true;
    void this.poll();
  }

  private async poll(): Promise<void> {
    const range = { ...DEFAULT_POLL_INTERVAL, ...this.options.pollInterval };
    let delayMs = range.initialMs;
    while (!this.settled) {
      await sleep(delayMs, this.controller.signal);
      if (this.settled) return;
      await this.read();
      delayMs = Math.min(range.maxMs, delayMs * 2);
    }
  }

  private async read(): Promise<void> {
    try {
      this.observe(await this.ctx.getJob(this.jobId, { signal: this.controller.signal }));
    } catch (error) {
      if (this.settled) return;
      if (isPermanent(error)) {
        this.finish(error);
        return;
      }
      // Connection trouble, a timeout or a 5xx (the transport has already retried): the stream or
      // the next poll will bring the state.
      log(this.ctx, 'warn', `Reading job ${this.jobId} failed; still waiting: ${describe(error)}`);
    }
  }

  private observeIfOurs(job: Job): void {
    if (job.jobId === this.jobId) this.observe(job);
  }

  private observe(job: Job): void {
    if (this.settled) return;
    const latest = this.latest;
    if (latest !== undefined) {
      const previous = latest.modified.getTime();
      const current = job.modified.getTime();
      // A read answered late must not undo a newer event, and a state seen twice is not news.
      if (current < previous) return;
      if (current === previous && job.status === latest.status) return;
    }
    this.latest = job;
    try {
      this.options.onUpdate?.(job);
    } catch (error) {
      log(this.ctx, 'error', `waitForJob's onUpdate threw: ${describe(error)}`);
    }
    if (!isTerminalStatus(job.status)) return;
    if (SUCCEEDED.has(job.status)) this.finish(undefined, job);
    else this.finish(new JobFailedError(job));
  }

  private deletedError(): NotFoundError {
    return new NotFoundError({
      status: 404,
      message: `Job ${this.jobId} was deleted while waiting for it`,
      code: 'not_found',
      method: 'GET',
      path: `1.0/job/${encodeURIComponent(this.jobId)}`,
    });
  }

  private finish(error: unknown, job?: Job): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onCallerAbort);
    this.subscription?.close();
    this.controller.abort();
    if (job !== undefined && error === undefined) this.resolve(job);
    else this.reject(error);
  }
}

/** Errors that the same read would meet again: give up rather than wait forever. */
function isPermanent(error: unknown): boolean {
  if (ApiError.is(error)) return !isRetryableStatus(error.status);
  // Connection trouble and timeouts pass; a malformed answer or anything unexpected does not.
  return !(ConnectionError.is(error) || TimeoutError.is(error));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
