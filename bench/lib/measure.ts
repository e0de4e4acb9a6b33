// Interleaved rounds: every contender of a measurement runs once per round, in an order that
// rotates from round to round, so that a slow spell of the shared machine hits them all alike
// and a paired ratio (this contender against that one, within one round) stays meaningful.
import { performance } from 'node:perf_hooks';

/** One contender of a measurement: `run` performs one round and reports its figures. */
export interface Contender<Sample> {
  name: string;
  run: () => Sample | Promise<Sample>;
}

/** The measured rounds of each contender, by name (warm-up rounds are left out). */
export type RoundsByContender<Sample> = Map<string, Sample[]>;

/**
 * Runs `warmup` rounds, then `rounds` measured rounds of every contender, rotating the order.
 *
 * @example const byName = await interleave([{ name: 'parse', run: () => timeOf(parse) }], 7, 2)
 */
export async function interleave<Sample>(
  contenders: readonly Contender<Sample>[],
  rounds: number,
  warmup: number,
): Promise<RoundsByContender<Sample>> {
  const byName: RoundsByContender<Sample> = new Map(contenders.map(({ name }) => [name, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (let turn = 0; turn < contenders.length; turn++) {
      const contender = contenders[(round + turn) % contenders.length] as Contender<Sample>;
      const sample = await contender.run();
      if (round >= warmup) byName.get(contender.name)?.push(sample);
    }
  }
  return byName;
}

/**
 * How many calls of `operation` take about `targetMs`, so that a timed batch is long enough for
 * the clock's resolution and short enough to interleave often.
 */
export function calibrate(operation: () => unknown, targetMs: number): number {
  let iterations = 1;
  for (;;) {
    const started = performance.now();
    for (let index = 0; index < iterations; index++) operation();
    const elapsed = performance.now() - started;
    if (elapsed >= targetMs / 4 || iterations >= 1 << 24) {
      return Math.max(1, Math.round((iterations * targetMs) / Math.max(elapsed, 1e-3)));
    }
    iterations *= 4;
  }
}

/** Milliseconds per call of `operation`, timed over `iterations` calls in one batch. */
export function msPerCall(iterations: number, operation: () => unknown): number {
  let sink: unknown;
  const started = performance.now();
  for (let index = 0; index < iterations; index++) sink = operation();
  const elapsed = performance.now() - started;
  keep(sink);
  return elapsed / iterations;
}

/** Holds a result where the optimiser cannot prove it unused (and drop the work that made it). */
export function keep(value: unknown): void {
  (globalThis as { benchSink?: unknown }).benchSink = value;
}
