// Bounded load: `count` async calls, at most `concurrency` in flight, each one timed.
import { performance } from 'node:perf_hooks';

/** The latencies of one run of calls, and how long the run took. */
export interface CallRun {
  latenciesMs: number[];
  elapsedMs: number;
}

/**
 * Runs `call(index)` for index 0..count-1 with at most `concurrency` in flight and times each.
 * A failed call fails the run: figures of calls that did not do their work would mislead.
 */
export async function runCalls(
  count: number,
  concurrency: number,
  call: (index: number) => Promise<unknown>,
): Promise<CallRun> {
  const latenciesMs = new Array<number>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      const started = performance.now();
      await call(index);
      latenciesMs[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { latenciesMs, elapsedMs: performance.now() - started };
}
