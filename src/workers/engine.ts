import { ConflictError, NotFoundError, RequestValidationError } from '../errors';
import type { ClaimedJob } from '../schemas/work-queue';
import {
  checkResult,
  claimJobs,
  completeJob,
  completeJobs,
  failJob,
  heartbeat,
  type CompleteOutcome,
} from './calls';
import type { JobContext, ProcessorEngine, ProcessorState, StopOptions } from './processor-types';
import { isUnrecoverable } from './unrecoverable-error';

/** The longest wait of one claim (the service's bound on `wait_ms`). */
const MAX_CLAIM_WAIT_MS = 30_000;
/** Heartbeats go out this many times per lease. */
const HEARTBEATS_PER_LEASE = 3;
const DEFAULT_STOP_TIMEOUT_MS = 30_000;
/** What a job failed by a hard stop records. */
const STOPPED_FAILURE = {
  message: 'The worker stopped before the job finished',
  code: 'worker_stopped',
};

/** One claimed job, from its claim until its outcome is reported (or its lease lost). */
interface HeldJob {
  job: ClaimedJob;
  controller: AbortController;
  heartbeats: ReturnType<typeof setInterval>;
  /** Local time of the claim or of the last heartbeat that went through. */
  renewedAt: number;
  renewing: boolean;
  /** Set once nothing more is to be reported for it: outcome sent, lease lost, or stopped hard. */
  settled: boolean;
}

/** Most jobs one batched complete reports (the service's bound). */
const MAX_COMPLETE_BATCH = 100;

/** A completion waiting for the next batched complete. */
interface PendingCompletion {
  jobId: string;
  result: unknown;
  settle: (outcome: CompleteOutcome) => void;
}

function abortReason(message: string): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

/**
 * Runs a processor: one loop claims jobs while there is room (concurrency + prefetch), each
 * claim a long poll that the service ends when work arrives; held jobs are heartbeated, started
 * as slots free up, and their outcomes reported.
 */
class Engine implements ProcessorEngine {
  readonly #state: ProcessorState;
  readonly #held = new Map<string, HeldJob>();
  readonly #queue: HeldJob[] = [];
  readonly #reports = new Set<Promise<unknown>>();
  readonly #drainWaiters: (() => void)[] = [];
  #claim: AbortController | undefined;
  #wakeUp: (() => void) | undefined;
  #draining = false;
  #hard = false;
  #idleReported = false;
  readonly #completions: PendingCompletion[] = [];
  #flushing = false;
  /** Held jobs whose handler has finished and whose outcome is being reported. */
  #reporting = 0;
  /** Set when the service has no batched complete: each job is then completed on its own. */
  #oneByOne = false;
  readonly #loop: Promise<void>;

  constructor(state: ProcessorState) {
    this.#state = state;
    this.#loop = this.#run();
  }

  wake(): void {
    const wakeUp = this.#wakeUp;
    this.#wakeUp = undefined;
    wakeUp?.();
    this.#startQueued();
  }

  async stop(options: StopOptions): Promise<void> {
    this.#draining = true;
    this.#claim?.abort(abortReason('The processor is stopping'));
    this.wake();
    if (options.graceful === false) {
      await this.#stopHard();
      return;
    }
    // A graceful stop runs the held jobs, paused or not.
    this.#state.paused = false;
    this.#startQueued();
    const timeoutMs = options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const drained = await Promise.race([
      this.#drained().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!drained) await this.#stopHard();
    else await this.#settle();
  }

  async #stopHard(): Promise<void> {
    this.#hard = true;
    this.#queue.length = 0;
    for (const held of [...this.#held.values()]) this.#abandon(held);
    await this.#settle();
  }

  /** Waits for the loop and every report in flight. */
  async #settle(): Promise<void> {
    await this.#loop;
    while (this.#reports.size > 0) await Promise.allSettled([...this.#reports]);
  }

  #drained(): Promise<void> {
    if (this.#held.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  async #run(): Promise<void> {
    const state = this.#state;
    while (!this.#draining) {
      this.#startQueued();
      // Jobs whose outcome is on its way (up to a batch of them) leave room to claim: the next
      // claim overlaps their report instead of waiting for it.
      const reporting = Math.min(this.#reporting, MAX_COMPLETE_BATCH);
      const room = state.concurrency + state.prefetch - (this.#held.size - reporting);
      if (state.paused || room <= 0) {
        await this.#sleep();
        continue;
      }
      const started = Date.now();
      let jobs: ClaimedJob[];
      this.#claim = new AbortController();
      try {
        jobs = await claimJobs(
          state.context,
          {
            service: state.service,
            limit: Math.min(room, 100),
            leaseMs: state.leaseMs,
            workerId: state.workerId,
            waitMs: Math.min(state.pollIntervalMs, MAX_CLAIM_WAIT_MS),
          },
          { signal: this.#claim.signal },
        );
      } catch (error) {
        if (this.#draining) break;
        state.emit('error', error);
        await this.#sleep(state.pollIntervalMs);
        continue;
      } finally {
        this.#claim = undefined;
      }
      state.counts.claimed += jobs.length;
      for (const job of jobs) {
        const held = this.#hold(job);
        // Claimed as a hard stop began: given back at once (as a failed attempt).
        if (this.#hard) this.#abandon(held);
      }
      if (jobs.length > 0) {
        this.#idleReported = false;
        continue;
      }
      if (this.#held.size === 0 && !this.#idleReported) {
        this.#idleReported = true;
        state.emit('idle', undefined);
      }
      // A service that does not hold claims open answers at once: wait the rest of the interval.
      const rest = state.pollIntervalMs - (Date.now() - started);
      if (rest > 0 && !this.#draining) await this.#sleep(rest);
    }
  }

  /** Sleeps until {@link wake} (a slot freed, resume, stop) or `ms` have passed. */
  #sleep(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        clearTimeout(timer);
        if (this.#wakeUp === done) this.#wakeUp = undefined;
        resolve();
      };
      if (ms !== undefined) timer = setTimeout(done, ms);
      this.#wakeUp = done;
    });
  }

  #hold(job: ClaimedJob): HeldJob {
    const interval = Math.max(1, Math.floor(this.#state.leaseMs / HEARTBEATS_PER_LEASE));
    const held: HeldJob = {
      job,
      controller: new AbortController(),
      heartbeats: setInterval(() => void this.#renew(held), interval),
      renewedAt: Date.now(),
      renewing: false,
      settled: false,
    };
    this.#held.set(job.jobId, held);
    this.#queue.push(held);
    return held;
  }

  #startQueued(): void {
    const state = this.#state;
    while (!state.paused && state.counts.running < state.concurrency && this.#queue.length > 0) {
      const held = this.#queue.shift() as HeldJob;
      if (!held.settled) void this.#work(held);
    }
  }

  async #renew(held: HeldJob): Promise<void> {
    if (held.settled || held.renewing) return;
    held.renewing = true;
    const state = this.#state;
    try {
      await heartbeat(state.context, held.job.jobId, {
        workerId: state.workerId,
        leaseMs: state.leaseMs,
      });
      held.renewedAt = Date.now();
    } catch (error) {
      if (held.settled) return;
      if (error instanceof ConflictError || error instanceof NotFoundError) this.#lose(held, error);
      else {
        state.emit('error', error);
        // Unreachable service: once the lease has run out here, it has run out there too.
        if (Date.now() - held.renewedAt >= state.leaseMs) this.#lose(held, error);
      }
    } finally {
      held.renewing = false;
    }
  }

  /** The lease is gone: abort the handler's signal and report nothing more for the job. */
  #lose(held: HeldJob, error: unknown): void {
    if (held.settled) return;
    held.settled = true;
    this.#state.counts.lost++;
    held.controller.abort(error);
    this.#state.emit('error', error);
    // A job still waiting for a slot is dropped now; a running one when its handler returns.
    const waiting = this.#queue.indexOf(held);
    if (waiting >= 0) {
      this.#queue.splice(waiting, 1);
      this.#release(held);
    }
  }

  /** Stops hard: abort the handler and fail the job, so that its retry policy decides. */
  #abandon(held: HeldJob): void {
    if (held.settled) {
      this.#release(held);
      return;
    }
    held.settled = true;
    held.controller.abort(abortReason('The processor stopped'));
    const { context, workerId } = this.#state;
    this.#track(
      failJob(context, held.job.jobId, STOPPED_FAILURE, { workerId }).catch((error: unknown) =>
        this.#state.emit('error', error),
      ),
    );
    this.#release(held);
  }

  #track(report: Promise<unknown>): void {
    this.#reports.add(report);
    void report.finally(() => this.#reports.delete(report));
  }

  async #work(held: HeldJob): Promise<void> {
    const state = this.#state;
    state.counts.running++;
    const { jobId } = held.job;
    const context: JobContext = {
      signal: held.controller.signal,
      progress: async (completed, total = 100) => {
        await state.context.reportProgress(jobId, completed, total);
      },
      log: async (message, options) => {
        await state.context.log(jobId, message, options);
      },
    };
    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, result: await state.handler(held.job, context) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    state.counts.running--;
    // The freed slot takes the next held job now, not once this job's outcome is reported.
    this.#startQueued();
    if (!held.settled) {
      held.settled = true;
      clearInterval(held.heartbeats);
      const report = this.#report(held, outcome);
      this.#track(report);
      this.#reporting++;
      this.wake();
      try {
        await report;
      } finally {
        this.#reporting--;
      }
    }
    this.#release(held);
    this.wake();
  }

  async #report(
    held: HeldJob,
    outcome: { ok: true; result: unknown } | { ok: false; error: unknown },
  ): Promise<void> {
    const state = this.#state;
    const { jobId } = held.job;
    const options = { workerId: state.workerId };
    try {
      if (outcome.ok) {
        try {
          checkResult(outcome.result);
        } catch (error) {
          // A result that is not JSON fails the job instead, for the handler's author to see.
          if (!(error instanceof RequestValidationError)) throw error;
          outcome = { ok: false, error };
        }
      }
      if (outcome.ok) {
        const done = await this.#complete(jobId, outcome.result);
        if ('error' in done) {
          if (!(done.error instanceof RequestValidationError)) throw done.error;
          outcome = { ok: false, error: done.error };
        } else {
          state.counts.completed++;
          state.emit('completed', { job: done.job, result: outcome.result });
          return;
        }
      }
      const fatal = isUnrecoverable(outcome.error);
      const failure =
        outcome.error instanceof Error || typeof outcome.error === 'string'
          ? outcome.error
          : { message: String(outcome.error) };
      const job = await failJob(state.context, jobId, failure, { ...options, fatal });
      state.counts.failed++;
      state.emit('failed', { job, error: outcome.error, fatal });
    } catch (error) {
      if (error instanceof ConflictError) state.counts.lost++;
      state.emit('error', error);
    }
  }

  /**
   * Completes a job in the next batched complete: while one is in flight, the jobs finished
   * meanwhile wait for it and go together in the next, so a busy processor sends one request per
   * batch of jobs and an idle one sends each at once.
   */
  #complete(jobId: string, result: unknown): Promise<CompleteOutcome> {
    return new Promise((settle) => {
      this.#completions.push({ jobId, result, settle });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#completions.length > 0) {
        const batch = this.#completions.splice(0, MAX_COMPLETE_BATCH);
        const outcomes = await this.#completeBatch(batch);
        batch.forEach((pending, index) => pending.settle(outcomes[index]!));
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #completeBatch(batch: readonly PendingCompletion[]): Promise<CompleteOutcome[]> {
    const { context, workerId } = this.#state;
    if (!this.#oneByOne && batch.length > 1) {
      try {
        return await completeJobs(context, batch, { workerId });
      } catch (error) {
        // No such route: a service without batched completes. Too large together: one by one.
        if (error instanceof NotFoundError) this.#oneByOne = true;
        else if (!(error instanceof RequestValidationError)) {
          return batch.map(({ jobId }) => ({ jobId, error }));
        }
      }
    }
    return Promise.all(
      batch.map(({ jobId, result }) =>
        completeJob(context, jobId, result, { workerId }).then(
          (job): CompleteOutcome => ({ jobId, job }),
          (error: unknown): CompleteOutcome => ({ jobId, error }),
        ),
      ),
    );
  }

  #release(held: HeldJob): void {
    clearInterval(held.heartbeats);
    if (this.#held.get(held.job.jobId) !== held) return;
    this.#held.delete(held.job.jobId);
    if (this.#held.size === 0) {
      for (const resolve of this.#drainWaiters.splice(0)) resolve();
    }
  }
}

/** Starts the engine of a processor; it runs until stopped. */
export function startEngine(state: ProcessorState): ProcessorEngine {
  return new Engine(state);
}
