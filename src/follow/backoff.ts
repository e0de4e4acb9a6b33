/** Bounds of an exponential backoff, in milliseconds. */
export interface BackoffRange {
  /** The first delay; later ones double from it. */
  initialMs: number;
  /** No delay exceeds this. */
  maxMs: number;
}

/** setTimeout fires at once when given more than 2^31 - 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms`, or as soon as `signal` aborts (without rejecting: the caller checks the
 * signal). The timer and the listener are removed either way.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, Math.min(ms, MAX_TIMER_MS));
    signal.addEventListener('abort', finish);
    if (signal.aborted) finish();
  });
}
