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
  id?: string | undefined;
}

/** What the parser reports while it reads. Comments (`: keep-alive`) and unknown fields are ignored. */
export interface SseHandlers {
  onEvent(event: SseEvent): void;
  /** The server's `retry:` field: the reconnection delay it asks for, in milliseconds. */
  onRetry?(delayMs: number): void;
}

/**
 * Creates a push parser over decoded text that reports events as complete blocks arrive. A piece
 * of text may end anywhere, even inside a CRLF pair. Text after the last blank line is held until
 * more arrives; if the stream ends there, that incomplete event is dropped, as the standard
 * requires.
 */
export function createSseParser(handlers: SseHandlers, lastEventId = ''): (text: string) => void {
  // The line not yet ended, and whether the last piece ended with a CR whose LF may come next.
  let partialLine = '';
  let afterCarriageReturn = false;
  let atStreamStart = true;
  let eventType = '';
  let data = '';
  let eventId: string | undefined;

  const processLine = (line: string): void => {
    if (line === '') {
      // A blank line dispatches the event; a block without data only keeps its id.
      const event = { type: eventType || 'message', data: data.slice(0, -1), lastEventId };
      const dispatch = data !== '';
      eventType = data = '';
      if (dispatch) handlers.onEvent(eventId === undefined ? event : { ...event, id: eventId });
      eventId = undefined;
      return;
    }
    // `field: value` (one space after the colon is dropped), or a field alone with an empty value.
    const [, field, value = ''] = /^([^:]*):? ?([^]*)$/.exec(line) ?? [];
    if (field === 'event') eventType = value;
    else if (field === 'data') data += `${value}\n`;
    else if (field === 'id' && !value.includes('\0')) eventId = lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) handlers.onRetry?.(Number(value));
    // Anything else (a comment starts with ':' and so has an empty field name) is ignored.
  };

  return (text) => {
    if (text === '') return;
    if (atStreamStart && text.startsWith('\uFEFF')) text = text.slice(1);
    if (afterCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    atStreamStart = false;
    afterCarriageReturn = text.endsWith('\r');
    // Only the new text is split (a long line arriving in many pieces stays linear to read).
    const lines = text.split(/\r\n|\r|\n/);
    lines[0] = partialLine + (lines[0] ?? '');
    partialLine = lines.pop() ?? '';
    lines.forEach(processLine);
  };
}

/**
 * Reads a byte stream (a fetch body, in Node 20 or a browser) to its end, reporting events as they
 * complete. Resolves when the stream ends or `signal` aborts; rejects when the stream errors or a
 * handler throws. The stream is cancelled in every outcome except a normal end, so no socket is
 * left open.
 *
 * @param lastEventId the last event ID carried over from an earlier connection
 */
export async function readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  handlers: SseHandlers,
  { signal, lastEventId }: { signal?: AbortSignal; lastEventId?: string } = {},
): Promise<void> {
  const reader = body.getReader();
  // ignoreBOM keeps a leading BOM in the text so the parser strips exactly one, as the standard says.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const push = createSseParser(handlers, lastEventId);
  let ended = false;
  // Cancelling makes a pending read() resolve as done, which ends the loop below.
  const cancel = (): void => {
    reader.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', cancel);
  if (signal?.aborted) cancel();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (signal?.aborted) return;
      // stream: true holds back a multi-byte character split across chunks until it completes.
      // (What a final flush could add cannot end a line, so it is never needed.)
      push(decoder.decode(value, { stream: true }));
    }
    ended = true;
  } finally {
    signal?.removeEventListener('abort', cancel);
    if (!ended) cancel();
  }
}
