/** Bounds of an exponential backoff, in milliseconds. */
export interface BackoffRange {
  /** The first delay; later ones double from it. */
  initialMs: number;
  /** No delay exceeds this. */
  maxMs: number;
}

/**
 * The delay before reconnect number `attempt` (1-based): a random point between `initialMs` and
 * the exponential bound `initialMs * 2^(attempt - 1)` (capped at `maxMs`). Never shorter than
 * `initialMs`, so a server's `retry:` is honoured as a minimum, while the jitter keeps clients
 * that lost the same server from reconnecting in lockstep.
 */
export function backoffDelay(
  attempt: number,
  range: BackoffRange,
  random: () => number = Math.random,
): number {
  const floor = Math.min(range.initialMs, range.maxMs);
  const bound = Math.min(range.maxMs, range.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(floor + random() * Math.max(0, bound - floor));
}

// setTimeout fires at once when given more than 2^31 - 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms`, or as soon as `signal` aborts (without rejecting: the caller checks the
 * signal). The timer and the listener are removed either way.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    signal?.addEventListener('abort', finish, { once: true });
  });
}
