// The processor's types, apart from its code, so that the engine (in the work-queue chunk) and
// the processor (in the entry) both import them without importing each other.
import type { Job, LogOptions } from '../schemas';
import type { ClaimedJob } from '../schemas/work-queue';
import type { WorkerContext } from './context';

/** What a handler gets besides its job. */
export interface JobContext {
  /**
   * Aborted when the job's lease is lost (the service gave the job up: it expired, was aborted,
   * or went to another worker) or the processor is stopped hard. Pass it on to what the handler
   * awaits; whatever the handler does after it is aborted is not reported.
   */
  signal: AbortSignal;
  /** Reports progress: `completed` of `total` (default 100). Renews the lease too. */
  progress: (completed: number, total?: number) => Promise<void>;
  /** Appends to the job's log. Renews the lease too. */
  log: (message: string, options?: LogOptions) => Promise<void>;
}

/**
 * Works on one job. Resolving completes it (the value is its result, kept in
 * `serviceFields.result`); throwing fails it (retried by its retry policy), and throwing an
 * `UnrecoverableError` fails it for good (UNRECOVERABLE).
 */
export type JobHandler = (job: ClaimedJob, context: JobContext) => unknown;

/** The events of a {@link JobProcessor} and what their listeners receive. */
export interface JobProcessorEvents {
  /** A job the handler finished, as the service recorded it, and the handler's result. */
  completed: { job: Job; result: unknown };
  /** A job the handler failed, as the service recorded it (RETRYING, FAILED or UNRECOVERABLE). */
  failed: { job: Job; error: unknown; fatal: boolean };
  /** A claim, heartbeat or report that did not go through, or a lost lease (a ConflictError). */
  error: unknown;
  /** Nothing to do: no job held and the last claim found none. Once per idle spell. */
  idle: undefined;
}

/** Running totals of a processor. */
export interface JobProcessorCounts {
  claimed: number;
  /** Jobs the handler is working on now. */
  running: number;
  completed: number;
  failed: number;
  /** Jobs whose lease was lost before the handler finished. */
  lost: number;
}

/** Options of {@link JobProcessor.stop}. */
export interface StopOptions {
  /**
   * `true`: claim nothing more, let the jobs already claimed finish (until `timeoutMs`).
   * `false`: abort every handler's signal and fail its job (retried by its policy) at once.
   * @default true
   */
  graceful?: boolean;
  /**
   * How long a graceful stop waits before it stops hard.
   * @default 30000
   */
  timeoutMs?: number;
}

/** The state a processor shares with the engine that runs it (src/workers/engine.ts). */
export interface ProcessorState {
  context: WorkerContext;
  service: string | string[];
  handler: JobHandler;
  workerId: string;
  concurrency: number;
  prefetch: number;
  leaseMs: number;
  pollIntervalMs: number;
  paused: boolean;
  counts: JobProcessorCounts;
  emit: <E extends keyof JobProcessorEvents>(event: E, payload: JobProcessorEvents[E]) => void;
}

/** The engine's face, as the processor drives it. */
export interface ProcessorEngine {
  wake(): void;
  stop(options: StopOptions): Promise<void>;
}

/** A listener of one {@link JobProcessor} event. */
export type JobProcessorListener<E extends keyof JobProcessorEvents> = (
  payload: JobProcessorEvents[E],
) => void;
