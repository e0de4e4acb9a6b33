import type { FollowContext, StreamSink } from './context';
import type { JobEvent, JobEventOfType, JobEventType } from './events';
import type { SubscribeOptions } from './options';
import type { SubscriptionTarget } from './target';
import { subscriptionPath } from './target';

/**
 * A live view of jobs. Read it with `for await (const event of subscription)` (once: a second
 * iteration throws), or register listeners with {@link JobSubscription.on}; both see every event.
 * An abort or `close()` ends the iteration quietly; an error that stops the subscription is thrown
 * by the iterator after the events received before it.
 *
 * Memory: events wait in an unbounded queue until the iterator reads them, so a consumer that
 * falls behind makes the queue grow (the network is never slowed down, which would only delay the
 * server's view of this client). The queue exists only once iteration has started: `for await`
 * starts it at once, and a subscription used only through `on()` buffers nothing.
 */
export interface JobSubscription extends AsyncIterable<JobEvent> {
  /**
   * Calls `listener` for every event of `type`, synchronously as it arrives. A listener that throws
   * is reported to the logger and does not stop the subscription.
   * @returns a function that removes the listener
   * @example const off = subscription.on('jobUpdate', (event) => render(event.job));
   */
  on<T extends JobEventType>(type: T, listener: (event: JobEventOfType<T>) => void): () => void;
  /**
   * Stops for good: cancels the stream, clears any reconnect timer and ends the iteration (events
   * not yet read are dropped). Calling it again does nothing.
   */
  close(): void;
  /**
   * Settles when the subscription stops: resolves after `close()` or an abort, rejects with the
   * error that ended it (a 4xx other than 408/429 on connect, a malformed event, or
   * `maxReconnects` exhausted). Never reported as an unhandled rejection.
   */
  readonly done: Promise<void>;
  /** The id (stamp) of the last event received, sent as `Last-Event-ID` when reconnecting. */
  readonly lastEventId: string | undefined;
}

/**
 * Follows jobs through the Server-Sent Events endpoint: every job of `{ user }`
 * (`GET 1.0/job/subscribe/{user}`) or the listed `{ jobIds }` (`GET 1.0/job/subscribe?job_id=…`).
 * The first event is `initialJobs`; then `jobInsert`, `jobUpdate` and `jobDelete`, each job
 * validated and mapped. After a drop it reconnects with backoff, sending `Last-Event-ID` so the
 * server replays exactly what was missed.
 *
 * @throws RequestValidationError at once for an empty user, an empty list or an invalid job id
 * @example
 * for await (const event of subscribe(ctx, { jobIds: [id] })) {
 *   if (event.type === 'jobUpdate') console.log(event.job.status);
 * }
 */
export function subscribe(
  ctx: FollowContext,
  target: SubscriptionTarget,
  options: SubscribeOptions = {},
): JobSubscription {
  const path = subscriptionPath(target);
  const { signal } = options;
  // Aborts a pending fetch, cancels the stream reader and wakes a reconnect sleep.
  const controller = new AbortController();
  const listeners = new Set<[JobEventType, (event: never) => void]>();
  const sink: StreamSink = { emit };
  // The iterator's queue: created when iteration starts, so `on()` alone buffers nothing.
  let queue: JobEvent[] | undefined;
  // The error that stopped the subscription, until the iterator has thrown it.
  let failure: { error: unknown } | undefined;
  let stopped = false;
  // Resolves the iterator's pending next() so it looks again.
  let wake = (): void => undefined;

  function emit(event: JobEvent): void {
    if (stopped) return;
    for (const [type, listener] of [...listeners]) {
      if (type !== event.type) continue;
      try {
        listener(event as never);
      } catch (error) {
        ctx.log('error', `A job subscription listener threw: ${String(error)}`);
      }
    }
    queue?.push(event);
    wake();
  }

  /** Stops for good: the stream, a reconnect sleep, the caller's signal listener; wakes next(). */
  function stop(): void {
    stopped = true;
    signal?.removeEventListener('abort', close);
    controller.abort();
    wake();
  }

  function close(): void {
    if (stopped) return;
    // Events not yet read are dropped.
    if (queue) queue = [];
    stop();
  }

  signal?.addEventListener('abort', close);
  if (signal?.aborted) close();
  // The connection code (`ctx.connect`) may be a separate chunk, loaded on the first subscription.
  // The stream ends soon after close() or an abort (everything it waits on takes the signal), or
  // with the error that stopped it.
  const done = ctx
    .connect(ctx, path, options, controller.signal, sink)
    .then(close, (error: unknown) => {
      // An error met while closing (an answer read after the abort) is not a failure.
      if (stopped) return;
      // The iterator throws it after the events queued before it.
      failure = { error };
      ctx.log('warn', `Job subscription ${path} stopped: ${String(error)}`);
      stop();
      throw error;
    });
  // A handler on `done` itself: callers that only iterate need not await it.
  done.catch(() => undefined);

  return {
    done,
    get lastEventId() {
      return sink.lastEventId;
    },
    on(type, listener) {
      const entry: [JobEventType, (event: never) => void] = [type, listener];
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    close,
    [Symbol.asyncIterator]() {
      if (queue) throw new TypeError('A job subscription can be iterated only once');
      queue = [];
      return {
        async next() {
          for (;;) {
            const value = queue?.shift();
            if (value) return { value, done: false };
            if (failure) {
              const { error } = failure;
              failure = undefined;
              throw error;
            }
            if (stopped) return { value: undefined, done: true };
            await new Promise<void>((resolve) => (wake = resolve));
          }
        },
        return() {
          // `break` in a for-await loop: stop now, dropping what is queued and a pending failure.
          queue = [];
          failure = undefined;
          close();
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
}
