import { ConnectionError, ResponseValidationError } from '../errors';
import type { JobStatusError } from '../errors';
import { sensitiveHeaderValues, toSafeErrorInfo } from '../internal/redact';
import type { SseEvent } from '../internal/sse';
import { readServerSentEvents } from '../internal/sse';
import type { BackoffRange } from './backoff';
import { backoffDelay, sleep } from './backoff';
import type { FollowContext } from './context';
import { log } from './log';
import { EventQueue } from './event-queue';
import type { JobEvent, JobEventOfType, JobEventType } from './events';
import { decodeJobEvent } from './events';
import { apiErrorFromResponse, isRetryableStatus } from './http-error';
import type { SubscriptionTarget } from './target';
import { subscriptionPath } from './target';

/** Options of {@link subscribe}. */
export interface SubscribeOptions {
  /**
   * Closes the subscription when it aborts, like {@link JobSubscription.close}.
   * @example { signal: AbortSignal.timeout(60_000) }
   */
  signal?: AbortSignal;
  /**
   * Delays between reconnects: each is a random point between `initialMs` and an exponential
   * bound (doubling per attempt, capped at `maxMs`). A server's `retry:` field replaces
   * `initialMs` (and raises `maxMs` if it is larger).
   * @default { initialMs: 1000, maxMs: 30000 }
   * @example { reconnectDelay: { initialMs: 250, maxMs: 5000 } }
   */
  reconnectDelay?: Partial<BackoffRange>;
  /**
   * Consecutive failed reconnects after which the subscription fails with the last error.
   * @default Infinity
   * @example { maxReconnects: 10 }
   */
  maxReconnects?: number;
}

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

const DEFAULT_RECONNECT_DELAY: BackoffRange = { initialMs: 1000, maxMs: 30_000 };
const STAMP = /^[0-9]+$/;

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
  return new EventStreamSubscription(ctx, subscriptionPath(target), options);
}

type Listener = (event: JobEvent) => void;

class EventStreamSubscription implements JobSubscription {
  readonly done: Promise<void>;
  private resolveDone: () => void = () => undefined;
  private rejectDone: (error: unknown) => void = () => undefined;
  private state: 'running' | 'closed' | 'failed' = 'running';
  private failure: unknown;
  private queue: EventQueue<JobEvent> | undefined;
  private readonly listeners = new Map<JobEventType, Set<Listener>>();
  private readonly controller = new AbortController();
  private readonly detachCallerSignal: () => void;
  private lastId: string | undefined;
  private highestStamp: number | undefined;
  private serverRetryMs: number | undefined;

  constructor(
    private readonly ctx: FollowContext,
    private readonly path: string,
    private readonly options: SubscribeOptions,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // A handler on `done` itself: callers that only iterate need not await it.
    this.done.catch(() => undefined);

    const callerSignal = options.signal;
    const onCallerAbort = (): void => this.close();
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    this.detachCallerSignal = () => callerSignal?.removeEventListener('abort', onCallerAbort);

    if (callerSignal?.aborted) this.close();
    else void this.run();
  }

  get lastEventId(): string | undefined {
    return this.lastId;
  }

  on<T extends JobEventType>(type: T, listener: (event: JobEventOfType<T>) => void): () => void {
    const forType = this.listeners.get(type) ?? new Set<Listener>();
    this.listeners.set(type, forType);
    const stored = listener as Listener;
    forType.add(stored);
    return () => {
      forType.delete(stored);
    };
  }

  close(): void {
    if (this.state !== 'running') return;
    this.state = 'closed';
    this.stop();
    this.queue?.end();
    this.resolveDone();
  }

  [Symbol.asyncIterator](): AsyncIterator<JobEvent> {
    if (this.queue) throw new TypeError('A job subscription can be iterated only once');
    const queue = new EventQueue<JobEvent>(() => this.close());
    this.queue = queue;
    if (this.state === 'closed') queue.end();
    if (this.state === 'failed') queue.fail(this.failure);
    return queue;
  }

  private fail(error: unknown): void {
    if (this.state !== 'running') return;
    this.state = 'failed';
    this.failure = error;
    this.stop();
    log(this.ctx, 'warn', `Job subscription ${this.path} stopped: ${describe(error)}`);
    this.queue?.fail(error);
    this.rejectDone(error);
  }

  private stop(): void {
    this.detachCallerSignal();
    // Aborts a pending fetch, cancels the stream reader and wakes a reconnect sleep.
    this.controller.abort();
  }

  private emit(event: JobEvent): void {
    const listeners = this.listeners.get(event.type);
    if (listeners) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          log(this.ctx, 'error', `A job subscription listener threw: ${describe(error)}`);
        }
      }
    }
    this.queue?.push(event);
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    const { maxReconnects = Infinity } = this.options;
    const configured = { ...DEFAULT_RECONNECT_DELAY, ...this.options.reconnectDelay };
    let attempt = 0;
    try {
      while (!signal.aborted) {
        const lost = await this.connectOnce(() => {
          attempt = 0;
        });
        if (signal.aborted) return;
        attempt += 1;
        if (attempt > maxReconnects) {
          this.fail(lost);
          return;
        }
        const initialMs = this.serverRetryMs ?? configured.initialMs;
        const delayMs = backoffDelay(attempt, {
          initialMs,
          maxMs: Math.max(configured.maxMs, initialMs),
        });
        log(
          this.ctx,
          'warn',
          `Job subscription ${this.path} lost (${lost.message}); reconnecting in ${delayMs} ms`,
        );
        this.emit({ type: 'reconnecting', attempt, delayMs, error: lost });
        await sleep(delayMs, signal);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * One connection, from fetch to the end of the stream. Resolves with the error that ended it when
   * reconnecting may help; throws when it cannot (a 4xx, a body that is not an event stream, a
   * malformed event).
   */
  private async connectOnce(onOpen: () => void): Promise<JobStatusError> {
    const request = { method: 'GET', path: this.path };
    if (typeof this.ctx.fetch !== 'function') {
      throw new ConnectionError({
        ...request,
        cause: { name: 'TypeError', message: 'no fetch implementation is available' },
      });
    }
    const baseHeaders = await this.ctx.headers();
    const secrets = sensitiveHeaderValues(baseHeaders);
    let response: Response;
    try {
      response = await this.ctx.fetch(`${this.ctx.baseURL}${this.path}`, {
        method: 'GET',
        headers: streamHeaders(baseHeaders, this.lastId),
        signal: this.controller.signal,
      });
    } catch (error) {
      return new ConnectionError({ ...request, cause: toSafeErrorInfo(error, secrets) });
    }
    if (!response.ok) {
      const error = await apiErrorFromResponse(response, { ...request, secrets });
      if (isRetryableStatus(response.status)) return error;
      throw error;
    }
    const body = response.body;
    const contentType = response.headers.get('content-type') ?? '';
    if (body === null || !contentType.toLowerCase().startsWith('text/event-stream')) {
      await body?.cancel().catch(() => undefined);
      throw new ResponseValidationError(
        [
          {
            path: ['content-type'],
            message: `must be text/event-stream (got ${contentType === '' ? 'none' : contentType})`,
            code: 'invalid_content_type',
          },
        ],
        { ...request, status: response.status },
      );
    }

    onOpen();
    this.emit({ type: 'open' });
    let handlerFailure: { error: unknown } | undefined;
    try {
      await readServerSentEvents(
        body,
        {
          onEvent: (event) => {
            try {
              this.handle(event);
            } catch (error) {
              handlerFailure = { error };
              throw error;
            }
          },
          onRetry: (delayMs) => {
            this.serverRetryMs = delayMs;
          },
        },
        { signal: this.controller.signal, lastEventId: this.lastId ?? '' },
      );
    } catch (error) {
      if (handlerFailure) throw handlerFailure.error;
      return new ConnectionError({ ...request, cause: toSafeErrorInfo(error, secrets) });
    }
    return new ConnectionError({
      ...request,
      cause: { name: 'Error', message: 'the server closed the event stream' },
    });
  }

  private handle(sse: SseEvent): void {
    const stamp = sse.id !== undefined && STAMP.test(sse.id) ? Number(sse.id) : undefined;
    // The server resumes after Last-Event-ID, so repeats should not happen; this is the safety
    // net. `initialJobs` is exempt: it restates everything (and a reset server restarts stamps).
    if (
      sse.type !== 'initialJobs' &&
      stamp !== undefined &&
      this.highestStamp !== undefined &&
      stamp <= this.highestStamp
    ) {
      log(this.ctx, 'debug', `Job subscription ${this.path} skipped repeated event ${stamp}`);
      return;
    }
    const event = decodeJobEvent(sse, (wire) => this.ctx.decodeJob(wire));
    if (stamp !== undefined) {
      this.highestStamp =
        sse.type === 'initialJobs' || this.highestStamp === undefined
          ? stamp
          : Math.max(this.highestStamp, stamp);
    }
    if (sse.lastEventId !== '') this.lastId = sse.lastEventId;
    if (event === undefined) {
      log(this.ctx, 'debug', `Job subscription ${this.path} ignored an event of type ${sse.type}`);
      return;
    }
    this.emit(event);
  }
}

/** The caller's headers for an event stream: its own Accept, and Last-Event-ID when resuming. */
function streamHeaders(
  base: Record<string, string>,
  lastEventId: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    const lower = name.toLowerCase();
    // A GET has no body; and the stream sets Accept and Last-Event-ID itself.
    if (lower === 'accept' || lower === 'last-event-id' || lower === 'content-type') continue;
    headers[name] = value;
  }
  headers['Accept'] = 'text/event-stream';
  if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
  return headers;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
