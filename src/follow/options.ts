// The options of the follow methods, apart from the code that reads them, so that the schemas
// which check them and the client that documents them import no code of the follow chunk.
import type { Job } from '../schemas/job';
import type { BackoffRange } from './backoff';

/** Options of {@link JobStatusClient.subscribe}. */
export interface SubscribeOptions {
  /**
   * Closes the subscription when it aborts, like {@link JobSubscription.close}.
   * @example { signal: AbortSignal.timeout(60_000) }
   */
  signal?: AbortSignal;
  /**
   * Delays between reconnects: each is a random point between `initialMs` and an exponential
   * bound (doubling per attempt, capped at `maxMs`). A server's `retry:` field replaces
   * `initialMs` (and raises `maxMs` if it is larger).
   * @default { initialMs: 1000, maxMs: 30000 }
   * @example { reconnectDelay: { initialMs: 250, maxMs: 5000 } }
   */
  reconnectDelay?: Partial<BackoffRange>;
  /**
   * Consecutive failed reconnects after which the subscription fails with the last error.
   * @default Infinity
   * @example { maxReconnects: 10 }
   */
  maxReconnects?: number;
}

/** Options of {@link JobStatusClient.waitForJob}. */
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

/** Options of {@link JobStatusClient.iterateJobs}. */
export interface IterateJobsOptions {
  /**
   * Jobs per request, 1 to 1000. Only one page is held in memory at a time.
   * @default 100
   * @example { pageSize: 500 }
   */
  pageSize?: number;
  /**
   * Cancels the request in flight; the iteration then throws `AbortError`.
   * @example { signal: AbortSignal.timeout(30_000) }
   */
  signal?: AbortSignal;
}
