// A scope is one AbortController tied to its parent (the caller's signal, or the call's scope) and
// to an optional timer, remembering which of them stopped it: the transport must tell a caller's
// abort (AbortError) from a deadline or an attempt timeout (TimeoutError).

/** Why a scope stopped. */
export type StopReason = 'aborted' | 'deadline' | 'timeout';

export interface Scope {
  /** Aborts when the scope stops, for whatever reason. */
  readonly signal: AbortSignal;
  /** Why the scope stopped; undefined while it runs. */
  stopReason(): StopReason | undefined;
  /** Removes the timer and the listener on the parent. Call it in every case, in `finally`. */
  dispose(): void;
}

export interface ScopeTimer {
  ms: number;
  reason: StopReason;
}

// setTimeout fires at once when given more than 2^31 - 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Opens a scope under `parent` (a caller's AbortSignal, whose abort counts as `aborted`, or
 * another scope, whose reason is inherited) that also stops after `timer.ms` when a timer is given.
 * A non-positive or infinite `ms` means no timer.
 */
export function openScope(parent: Scope | AbortSignal | undefined, timer?: ScopeTimer): Scope {
  const controller = new AbortController();
  let reason: StopReason | undefined;
  let timeout: ReturnType<typeof setTimeout> | undefined;

  const parentSignal = parent === undefined ? undefined : isScope(parent) ? parent.signal : parent;
  const parentReason = (): StopReason =>
    parent !== undefined && isScope(parent) ? (parent.stopReason() ?? 'aborted') : 'aborted';

  const stop = (why: StopReason): void => {
    if (reason !== undefined) return;
    reason = why;
    dispose();
    controller.abort();
  };
  const onParentAbort = (): void => stop(parentReason());

  function dispose(): void {
    if (timeout !== undefined) clearTimeout(timeout);
    timeout = undefined;
    parentSignal?.removeEventListener('abort', onParentAbort);
  }

  if (parentSignal?.aborted) {
    stop(parentReason());
  } else {
    parentSignal?.addEventListener('abort', onParentAbort, { once: true });
    if (timer !== undefined && timer.ms > 0 && Number.isFinite(timer.ms)) {
      timeout = setTimeout(() => stop(timer.reason), Math.min(timer.ms, MAX_TIMER_MS));
    }
  }

  return { signal: controller.signal, stopReason: () => reason, dispose };
}

function isScope(value: Scope | AbortSignal): value is Scope {
  return typeof (value as Scope).stopReason === 'function';
}

/**
 * Settles like `promise`, or rejects with `signal.reason` as soon as `signal` aborts (for work
 * that cannot be cancelled, such as a caller's token provider). The listener is removed either way.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      // The abandoned promise may still reject: that must not become an unhandled rejection.
      promise.catch(() => undefined);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/**
 * Resolves after `ms`, or rejects with `signal.reason` as soon as `signal` aborts. The timer and
 * the listener are removed either way.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(Math.max(0, ms), MAX_TIMER_MS),
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
