import { randomHex } from '#protocol/ids';
import { throwIfIssues, type ValidationIssue } from '../schemas/issues';
import type { ProcessJobsOptions } from '../schemas/work-queue';
import type { WorkerContext } from './context';
import { loadWorkers } from './load';
import type {
  JobHandler,
  JobProcessorCounts,
  JobProcessorEvents,
  JobProcessorListener,
  ProcessorEngine,
  ProcessorState,
  StopOptions,
} from './processor-types';

// Checked by hand rather than with zod: this module is in every app's entry, the schemas are not.
const NUMBER_BOUNDS = {
  concurrency: [1, 1000],
  prefetch: [0, 1000],
  leaseMs: [1000, 3_600_000],
  pollIntervalMs: [1, 3_600_000],
} as const;
const OPTION_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(NUMBER_BOUNDS),
  'signal',
  'workerId',
]);
const isName = (value: unknown) => typeof value === 'string' && value.length > 0;

/** The mistakes in the arguments of `processJobs`, each naming its path and rule. */
function processIssues(service: unknown, options: ProcessJobsOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const issue = (path: (string | number)[], message: string) =>
    issues.push({ path, message, code: 'invalid_value' });
  if (
    !isName(service) &&
    !(Array.isArray(service) && service.length > 0 && service.every(isName))
  ) {
    issue(['service'], 'must be a service name or a non-empty array of them');
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.has(key)) issue(['options', key], 'is not an option of processJobs');
  }
  for (const [name, [min, max]] of Object.entries(NUMBER_BOUNDS)) {
    const value = options[name as keyof typeof NUMBER_BOUNDS];
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
      issue(['options', name], `must be an integer of ${min}..${max}`);
    }
  }
  const { signal, workerId } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    issue(['options', 'signal'], 'must be an AbortSignal');
  }
  if (
    workerId !== undefined &&
    !(typeof workerId === 'string' && /^[\x21-\x7e]{1,128}$/.test(workerId))
  ) {
    issue(['options', 'workerId'], 'must be 1..128 visible ASCII characters');
  }
  return issues;
}

/**
 * A pool of workers on the jobs of one service (or several), from `client.processJobs`. It claims
 * jobs as it has room for them, runs the handler on each, heartbeats their leases, and reports
 * each outcome. Its engine is loaded on first use (a chunk of its own in the ESM build).
 */
export class JobProcessor {
  /** The id this processor claims under. */
  readonly workerId: string;
  readonly #state: ProcessorState;
  readonly #engine: Promise<ProcessorEngine | undefined>;
  readonly #listeners = new Map<keyof JobProcessorEvents, Set<JobProcessorListener<never>>>();

  /**
   * Made by `client.processJobs`, which supplies the context.
   * @throws RequestValidationError for a mistaken service or option
   * @internal
   */
  constructor(
    context: WorkerContext,
    service: string | string[],
    handler: JobHandler,
    options: ProcessJobsOptions = {},
  ) {
    const issues = processIssues(service, options);
    if (typeof handler !== 'function') {
      issues.push({ path: ['handler'], message: 'must be a function', code: 'invalid_type' });
    }
    throwIfIssues(issues);
    const checked = options;
    this.workerId = checked.workerId ?? `worker-${randomHex(8)}`;
    this.#state = {
      context,
      service,
      handler,
      workerId: this.workerId,
      concurrency: checked.concurrency ?? 1,
      prefetch: checked.prefetch ?? 0,
      leaseMs: checked.leaseMs ?? 30_000,
      pollIntervalMs: checked.pollIntervalMs ?? 5_000,
      paused: false,
      counts: { claimed: 0, running: 0, completed: 0, failed: 0, lost: 0 },
      emit: (event, payload) => this.#emit(event, payload),
    };
    this.#engine = loadWorkers().then(
      (workers) => workers.startEngine(this.#state),
      (error: unknown) => {
        this.#emit('error', error);
        return undefined;
      },
    );
    const signal = checked.signal;
    if (signal?.aborted) void this.stop();
    else signal?.addEventListener('abort', () => void this.stop(), { once: true });
  }

  /** A copy of the running totals. */
  get counts(): JobProcessorCounts {
    return { ...this.#state.counts };
  }

  /** Whether {@link pause} is in force. */
  get paused(): boolean {
    return this.#state.paused;
  }

  /** Claims nothing more and starts no held job; running jobs go on (and stay leased). */
  pause(): void {
    this.#state.paused = true;
  }

  /** Undoes {@link pause}. */
  resume(): void {
    this.#state.paused = false;
    void this.#engine.then((engine) => engine?.wake());
  }

  /** Stops the processor (see {@link StopOptions}); resolves when no job is held any more. */
  async stop(options: StopOptions = {}): Promise<void> {
    await (await this.#engine)?.stop(options);
  }

  /**
   * Listens to an event.
   * @returns the function that removes the listener
   * @example processor.on('failed', ({ job, error }) => console.warn(job.jobId, error));
   */
  on<E extends keyof JobProcessorEvents>(event: E, listener: JobProcessorListener<E>): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) this.#listeners.set(event, (set = new Set()));
    set.add(listener as JobProcessorListener<never>);
    return () => {
      set.delete(listener as JobProcessorListener<never>);
    };
  }

  #emit<E extends keyof JobProcessorEvents>(event: E, payload: JobProcessorEvents[E]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as JobProcessorListener<E>)(payload);
      } catch (error) {
        // A listener's bug must not stop the processor; it surfaces as an uncaught error.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
