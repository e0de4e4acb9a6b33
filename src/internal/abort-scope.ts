// The cancellation state of one call. The transport opens a scope only when something beyond
// axios's own `timeout` can stop the call (a caller's signal, a deadline, or a token provider
// that must be cut short by the attempt's timeout): the common call needs no AbortController.
// The scope remembers what stopped it, because a caller's abort (AbortError) must be told apart
// from a deadline or an attempt timeout (TimeoutError).

/** Why a call or an attempt stopped. */
export type StopReason = 'aborted' | 'deadline' | 'timeout';

/** One call's scope: one controller, one listener on the caller's signal, one deadline timer. */
export interface Scope {
  /** Starts an attempt limited to `ms` (none when not positive and finite); returns its signal. */
  attempt(ms: number): AbortSignal;
  /** Why the call (or, until `endAttempt`, the current attempt) stopped; undefined while it runs. */
  reason(): StopReason | undefined;
  /** Clears the attempt's timer. Call it in `finally`. */
  endAttempt(): void;
  /** Resolves after `ms`, or at once when the call stops. Leaves no timer behind. */
  sleep(ms: number): Promise<void>;
  /** Removes every timer and the listener on the caller's signal. Call it in `finally`. */
  dispose(): void;
}

type Timer = ReturnType<typeof setTimeout> | undefined;

/** setTimeout fires at once when given more than 2^31 - 1 ms: clamp, and treat ≤0/∞ as none. */
export function timerMs(ms: number): number {
  return ms > 0 && ms < Infinity ? Math.min(ms, 2 ** 31 - 1) : 0;
}

function startTimer(ms: number, run: () => void): Timer {
  const clamped = timerMs(ms);
  return clamped > 0 ? setTimeout(run, clamped) : undefined;
}

/** Opens the scope of a call that `signal` can abort and that ends after `deadline` ms. */
export function openScope(signal: AbortSignal | undefined, deadline: number | undefined): Scope {
  let controller = new AbortController();
  let stopped: StopReason | undefined;
  let timedOut = false;
  let attemptTimer: Timer;
  let deadlineTimer: Timer;
  let wake: (() => void) | undefined;

  const stop = (why: StopReason): void => {
    if (stopped !== undefined) return;
    stopped = why;
    dispose();
    controller.abort();
    wake?.();
  };
  const onAbort = (): void => stop('aborted');

  function dispose(): void {
    clearTimeout(attemptTimer);
    clearTimeout(deadlineTimer);
    signal?.removeEventListener('abort', onAbort);
  }

  if (signal?.aborted) {
    stop('aborted');
  } else {
    signal?.addEventListener('abort', onAbort);
    if (deadline !== undefined) deadlineTimer = startTimer(deadline, () => stop('deadline'));
  }

  return {
    attempt(ms) {
      attemptTimer = startTimer(ms, () => {
        timedOut = true;
        controller.abort();
      });
      return controller.signal;
    },
    reason: () => stopped ?? (timedOut ? 'timeout' : undefined),
    endAttempt() {
      clearTimeout(attemptTimer);
      // A timed-out attempt spent the controller; the call itself goes on with a fresh one.
      if (timedOut && stopped === undefined) controller = new AbortController();
      timedOut = false;
    },
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        if (stopped !== undefined) return resolve();
        const timer = setTimeout(
          (wake = () => {
            clearTimeout(timer);
            resolve();
          }),
          timerMs(ms),
        );
      }),
    dispose,
  };
}

/**
 * Settles like `promise`, or rejects as soon as `signal` aborts (for work that cannot be
 * cancelled, such as a caller's token provider). The listener is removed either way.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  // The abandoned promise may still reject: that must not become an unhandled rejection.
  promise.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
