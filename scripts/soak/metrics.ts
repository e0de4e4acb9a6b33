import type { TransportHooks } from 'job-status-client';

/** What the callers did, counted as they go. */
export class SoakMetrics {
  /** SDK method calls started. */
  calls = 0;
  /** SDK calls that threw after every retry (each also listed, a few, in `failures`). */
  failedCalls = 0;
  /** HTTP attempts, first tries and retries, reported by the client's `onAttempt` hook. */
  attempts = 0;
  /** Retries, reported by the client's `onRetry` hook. */
  retries = 0;
  /** Retries per reason (`HTTP 503 injected_fault`, `ConnectionError …`). */
  readonly retryReasons = new Map<string, number>();
  /** Reads that did not show a write the same caller had already seen acknowledged. */
  staleReads = 0;
  /** The first few failures, for the report. */
  readonly failures: string[] = [];

  /** The hooks to give every soak client: they count, and never throw. */
  readonly hooks: TransportHooks = {
    onAttempt: () => {
      this.attempts += 1;
    },
    onRetry: (info) => {
      this.retries += 1;
      // Job ids vary; the reason's first words are what tells one kind of fault from another.
      const reason = info.reason.split(' ').slice(0, 3).join(' ');
      this.retryReasons.set(reason, (this.retryReasons.get(reason) ?? 0) + 1);
    },
  };

  /**
   * Runs one SDK call, counting it. A call that fails for good is counted and recorded, and
   * resolves to undefined: one failure must not stop the other callers from being measured.
   */
  async call<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
    this.calls += 1;
    try {
      return await run();
    } catch (error) {
      this.failedCalls += 1;
      if (this.failures.length < 5) {
        this.failures.push(
          `${name}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        );
      }
      return undefined;
    }
  }
}
