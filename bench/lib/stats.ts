// Order statistics for the figures. Medians and p99 rather than means: on a shared, noisy machine
// a single stall would drag a mean far from what a caller typically sees.

/**
 * The value below which `fraction` of `values` lie (nearest rank on a sorted copy); NaN when there
 * are none.
 *
 * @example percentile([5, 1, 3], 0.5) // 3
 */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

/** The median (the lower middle of an even count, so that it is always a value that occurred). */
export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/**
 * The median of `values[i] / baseline[i]`: each round against the baseline's same round, so that
 * what slowed the machine in one round slows both sides of its ratio.
 */
export function pairedRatio(values: readonly number[], baseline: readonly number[]): number {
  return median(values.map((value, index) => value / (baseline[index] ?? Number.NaN)));
}

/** Median and p99 of a set of latencies. */
export interface LatencySummary {
  medianMs: number;
  p99Ms: number;
}

/** Summarises latencies in milliseconds. */
export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  return { medianMs: median(latenciesMs), p99Ms: percentile(latenciesMs, 0.99) };
}

/**
 * The round whose `key` is the median of all rounds: every figure reported for a contender then
 * comes from one real round rather than a mix of rounds.
 */
export function medianRound<T>(rounds: readonly T[], key: (round: T) => number): T {
  if (rounds.length === 0) throw new RangeError('medianRound needs at least one round');
  const sorted = [...rounds].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)] as T;
}
