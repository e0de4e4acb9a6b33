// The connection side of a subscription: fetch, the event stream, reconnects. A separate module
// so that only apps that subscribe load it (see ./subscribe, which imports it on demand).

import { ApiError, ConnectionError, ResponseValidationError } from '../errors';
import type { JobStatusError } from '../errors';
import type { SafeErrorInfo } from '../internal/redact';
import { sensitiveHeaderValues, toSafeErrorInfo } from '../internal/redact';
import { isRetryableStatus } from '../internal/retry';
import type { SseEvent } from '../internal/sse';
import { readServerSentEvents } from '../internal/sse';
import { sleep } from './backoff';
import type { FollowContext, StreamSink } from './context';
import { decodeJobEvent } from './events';
import type { SubscribeOptions } from './options';

// Headers of the caller that the stream sets itself (and a GET has no body).
const OWN_HEADERS = /^(accept|last-event-id|content-type)$/i;

/**
 * Follows `path` until `signal` aborts (then resolves), reconnecting with backoff after a drop and
 * resuming with `Last-Event-ID`. Rejects with the error that cannot be waited out: a 4xx other than
 * 408/429 on connect, a body that is not an event stream, a malformed event, or the last drop once
 * `maxReconnects` is exhausted.
 */
export async function followStream(
  ctx: FollowContext,
  path: string,
  options: SubscribeOptions,
  signal: AbortSignal,
  sink: StreamSink,
): Promise<void> {
  const { maxReconnects = Infinity } = options;
  const configured = { initialMs: 1000, maxMs: 30_000, ...options.reconnectDelay };
  const request = { method: 'GET', path };
  const lost = (cause: SafeErrorInfo): ConnectionError =>
    new ConnectionError({ ...request, cause });
  const note = (severity: 'debug' | 'warn', text: string): void =>
    ctx.log(severity, `Job subscription ${path} ${text}`);
  let attempt = 0;
  let serverRetryMs: number | undefined;
  // The highest stamp delivered; -1 before any.
  let highestStamp = -1;

  const handle = (sse: SseEvent): void => {
    // NaN when the event has no numeric id: every comparison with it is false.
    const stamp = /^\d+$/.test(sse.id ?? '') ? Number(sse.id) : NaN;
    // The server resumes after Last-Event-ID, so repeats should not happen; this is the safety
    // net. `initialJobs` is exempt: it restates everything (and a reset server restarts stamps).
    const initial = sse.type === 'initialJobs';
    if (!initial && stamp <= highestStamp) {
      note('debug', `skipped repeated event ${stamp}`);
      return;
    }
    const event = decodeJobEvent(sse, ctx.decodeJob);
    if (stamp >= 0) highestStamp = stamp;
    if (sse.lastEventId !== '') sink.lastEventId = sse.lastEventId;
    if (event) sink.emit(event);
    else note('debug', `ignored an event of type ${sse.type}`);
  };

  /**
   * One connection, from fetch to the end of the stream. Resolves with the error that ended it
   * when reconnecting may help; throws when it cannot.
   */
  const connect = async (): Promise<JobStatusError> => {
    if (typeof ctx.fetch !== 'function') {
      throw lost({ name: 'TypeError', message: 'no fetch implementation is available' });
    }
    const base = await ctx.headers();
    const secrets = sensitiveHeaderValues(base);
    const headers = Object.fromEntries(
      Object.entries(base).filter(([name]) => !OWN_HEADERS.test(name)),
    );
    headers.Accept = 'text/event-stream';
    if (sink.lastEventId !== undefined) headers['Last-Event-ID'] = sink.lastEventId;
    let response: Response;
    try {
      response = await ctx.fetch(ctx.baseURL + path, { headers, signal });
    } catch (error) {
      return lost(toSafeErrorInfo(error, secrets));
    }
    const { body, status } = response;
    if (!response.ok) {
      // Not JSON (a proxy's HTML page, a dropped body): the status alone still says enough.
      const errorBody: unknown = await response.json().catch(() => undefined);
      const error = ApiError.from(status, errorBody, Object.fromEntries(response.headers), {
        ...request,
        secrets,
      });
      if (isRetryableStatus(status)) return error;
      throw error;
    }
    const contentType = response.headers.get('content-type') ?? 'none';
    if (!body || !/^text\/event-stream/i.test(contentType)) {
      await body?.cancel().catch(() => undefined);
      throw new ResponseValidationError(
        [
          {
            path: ['content-type'],
            message: `must be text/event-stream (got ${contentType})`,
            code: 'invalid_content_type',
          },
        ],
        { ...request, status },
      );
    }
    attempt = 0;
    sink.emit({ type: 'open' });
    // Set while an event is handled: its error stops the subscription rather than reconnecting.
    let handling = false;
    try {
      await readServerSentEvents(
        body,
        {
          onEvent: (event) => {
            handling = true;
            handle(event);
            handling = false;
          },
          onRetry: (delayMs) => {
            serverRetryMs = delayMs;
          },
        },
        { signal, lastEventId: sink.lastEventId ?? '' },
      );
    } catch (error) {
      if (handling) throw error;
      return lost(toSafeErrorInfo(error, secrets));
    }
    return lost({ name: 'Error', message: 'the server closed the event stream' });
  };

  while (!signal.aborted) {
    const error = await connect();
    if (signal.aborted) return;
    attempt += 1;
    if (attempt > maxReconnects) throw error;
    // A random point between the floor and an exponential bound: never shorter than the floor
    // (so a server's `retry:` is honoured as a minimum), while the jitter keeps clients that lost
    // the same server from reconnecting in lockstep.
    const floor = serverRetryMs ?? configured.initialMs;
    const bound = Math.min(Math.max(configured.maxMs, floor), floor * 2 ** (attempt - 1));
    const delayMs = Math.round(floor + Math.random() * (bound - floor));
    note('warn', `lost (${error.message}); reconnecting in ${delayMs} ms`);
    sink.emit({ type: 'reconnecting', attempt, delayMs, error });
    await sleep(delayMs, signal);
  }
}
