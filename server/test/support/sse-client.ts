import { adminTokenFor } from './tokens';

/** One Server-Sent Event, or a comment line (`event: 'comment'`). */
export interface SseEvent {
  event: string;
  id?: string;
  data?: string;
  retry?: number;
}

/**
 * Reads an event stream with fetch and parses it as it arrives. A small parser of our own, so
 * the tests see exactly the bytes the server sends (comments and `retry:` included).
 */
export async function openEventStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  // As an admin of a registered server unless the caller says who it is: subscriptions in these
  // tests are about the stream, not about who may read what.
  const named = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
  const admin = named ? undefined : await adminTokenFor(url);
  const response = await fetch(url, {
    headers: {
      Accept: 'text/event-stream',
      ...(admin === undefined ? {} : { Authorization: `Bearer ${admin}` }),
      ...headers,
    },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  let buffer = '';

  const parseBlock = (block: string) => {
    const event: SseEvent = { event: 'message' };
    let isComment = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        isComment = true;
        event.data = line.slice(1).trim();
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
      else if (field === 'data')
        event.data = event.data === undefined ? value : `${event.data}\n${value}`;
      else if (field === 'retry') event.retry = Number(value);
    }
    if (isComment) event.event = 'comment';
    else if (event.retry !== undefined && event.data === undefined) event.event = 'retry';
    events.push(event);
  };

  const pump = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        for (const wake of waiters) wake();
      }
    } catch {
      // Aborted by close(), or the server went away: both end the stream.
    } finally {
      ended = true;
      for (const wake of waiters) wake();
    }
  })();

  /** Waits until `count` events (comments excluded unless asked for) have arrived. */
  async function waitFor(
    predicate: (all: SseEvent[]) => boolean,
    timeoutMs = 5000,
  ): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(events)) {
      if (ended) throw new Error(`The stream ended; events so far: ${JSON.stringify(events)}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`Timed out; events so far: ${JSON.stringify(events)}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, remaining);
        waiters.add(wake);
      });
    }
    return events;
  }

  return {
    response,
    events,
    /** Events other than comments and the `retry:` preamble. */
    get named() {
      return events.filter((event) => event.event !== 'comment' && event.event !== 'retry');
    },
    /** Waits for `count` named events and returns them. */
    async take(count: number, timeoutMs?: number): Promise<SseEvent[]> {
      const named = () =>
        events.filter((event) => event.event !== 'comment' && event.event !== 'retry');
      await waitFor(() => named().length >= count, timeoutMs);
      return named();
    },
    waitFor,
    /** Resolves when the server ends the stream. */
    ended: () => pump,
    get isEnded() {
      return ended;
    },
    close() {
      controller.abort();
      return pump;
    },
  };
}

export type EventStream = Awaited<ReturnType<typeof openEventStream>>;

/** The JSON of an event's data. */
export const dataOf = <T = { job_id: string; status: string; user: string }>(
  event: SseEvent | undefined,
): T => JSON.parse(event?.data ?? 'null') as T;
