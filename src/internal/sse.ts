// A streaming Server-Sent Events parser following the WHATWG "event stream interpretation" rules
// (https://html.spec.whatwg.org/multipage/server-sent-events.html). We parse ourselves because
// EventSource cannot send headers (X-User-Id, Authorization), so subscriptions go through fetch.

/** One dispatched event, as an EventSource would hand it to its listeners. */
export interface SseEvent {
  /** The `event` field, or `'message'` when the event had none. */
  type: string;
  /** Every `data` line of the event, joined with `\n`. */
  data: string;
  /** The last event ID after this event; it persists across events that carry no `id`. */
  lastEventId: string;
  /** The `id` field of this very event, when it carried a valid one (no NUL). */
  id?: string;
}

/** What the parser reports while it reads. */
export interface SseHandlers {
  onEvent(event: SseEvent): void;
  /** The server's `retry:` field: the reconnection delay it asks for, in milliseconds. */
  onRetry?(delayMs: number): void;
  /** A comment line (such as `: keep-alive`), without its leading colon. */
  onComment?(text: string): void;
}

/** A push parser over decoded text. */
export interface SseParser {
  /** Feeds the next piece of text; it may end anywhere, even inside a CRLF pair. */
  push(text: string): void;
}

const BYTE_ORDER_MARK = '\uFEFF';
const DIGITS_ONLY = /^[0-9]+$/;

/**
 * Creates a parser that reports events as complete blocks arrive. Text after the last blank line
 * is held until more arrives; if the stream ends there, that incomplete event is dropped, as the
 * standard requires.
 */
export function createSseParser(handlers: SseHandlers, initialLastEventId = ''): SseParser {
  let partialLine = '';
  // A CR ending one chunk may be the first half of a CRLF split across chunks.
  let skipNextLineFeed = false;
  let atStreamStart = true;

  let lastEventIdBuffer = initialLastEventId;
  let eventType = '';
  let data = '';
  let eventId: string | undefined;

  function dispatch(): void {
    const lastEventId = lastEventIdBuffer;
    if (data === '') {
      eventType = '';
      eventId = undefined;
      return;
    }
    const event: SseEvent = {
      type: eventType === '' ? 'message' : eventType,
      data: data.endsWith('\n') ? data.slice(0, -1) : data,
      lastEventId,
    };
    if (eventId !== undefined) event.id = eventId;
    eventType = '';
    data = '';
    eventId = undefined;
    handlers.onEvent(event);
  }

  function processField(field: string, value: string): void {
    switch (field) {
      case 'event':
        eventType = value;
        break;
      case 'data':
        data += `${value}\n`;
        break;
      case 'id':
        if (!value.includes('\0')) {
          lastEventIdBuffer = value;
          eventId = value;
        }
        break;
      case 'retry':
        if (DIGITS_ONLY.test(value)) handlers.onRetry?.(Number.parseInt(value, 10));
        break;
      default:
        // Unknown fields are ignored, so servers can add some.
        break;
    }
  }

  function processLine(line: string): void {
    if (line === '') {
      dispatch();
      return;
    }
    if (line.startsWith(':')) {
      handlers.onComment?.(line.slice(1));
      return;
    }
    const colon = line.indexOf(':');
    if (colon === -1) {
      processField(line, '');
      return;
    }
    const value = line.slice(colon + 1);
    processField(line.slice(0, colon), value.startsWith(' ') ? value.slice(1) : value);
  }

  function push(text: string): void {
    if (text === '') return;
    let position = 0;
    if (atStreamStart) {
      atStreamStart = false;
      if (text.startsWith(BYTE_ORDER_MARK)) position = 1;
    }
    if (skipNextLineFeed) {
      skipNextLineFeed = false;
      if (text.charCodeAt(position) === 0x0a) position += 1;
    }
    while (position < text.length) {
      const end = findLineEnd(text, position);
      if (end === -1) {
        partialLine += text.slice(position);
        return;
      }
      const line = partialLine + text.slice(position, end);
      partialLine = '';
      position = end + 1;
      if (text.charCodeAt(end) === 0x0d) {
        if (position === text.length) skipNextLineFeed = true;
        else if (text.charCodeAt(position) === 0x0a) position += 1;
      }
      processLine(line);
    }
  }

  return { push };
}

function findLineEnd(text: string, from: number): number {
  for (let index = from; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 0x0a || code === 0x0d) return index;
  }
  return -1;
}

/** Options for {@link readServerSentEvents}. */
export interface ReadServerSentEventsOptions {
  /** Stops reading: the stream is cancelled and the promise resolves. */
  signal?: AbortSignal;
  /** The last event ID carried over from an earlier connection. */
  lastEventId?: string;
}

/**
 * Reads a byte stream (a fetch body, in Node 20 or a browser) to its end, reporting events as they
 * complete. Resolves when the stream ends or `signal` aborts; rejects when the stream errors or a
 * handler throws. The stream is cancelled in every outcome except a normal end, so no socket is
 * left open.
 */
export async function readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  handlers: SseHandlers,
  options: ReadServerSentEventsOptions = {},
): Promise<void> {
  const { signal } = options;
  const reader = body.getReader();
  // ignoreBOM keeps a leading BOM in the text so the parser strips exactly one, as the standard says.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const parser = createSseParser(handlers, options.lastEventId);
  let finished = false;
  // Cancelling makes a pending read() resolve as done, which ends the loop below.
  const cancel = (): void => {
    reader.cancel().catch(() => undefined);
  };
  if (signal?.aborted) {
    cancel();
    reader.releaseLock();
    return;
  }
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (signal?.aborted) return;
      // stream: true holds back a multi-byte character split across chunks until it completes.
      parser.push(decoder.decode(value, { stream: true }));
    }
    if (!signal?.aborted) parser.push(decoder.decode());
    finished = true;
  } finally {
    signal?.removeEventListener('abort', cancel);
    if (!finished) cancel();
    reader.releaseLock();
  }
}
