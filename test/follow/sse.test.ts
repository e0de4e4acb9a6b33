import { describe, expect, it } from 'vitest';
import type { SseEvent } from '../../src/internal/sse';
import { createSseParser, readServerSentEvents } from '../../src/internal/sse';

const encoder = new TextEncoder();

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

interface Recorded {
  events: SseEvent[];
  retries: number[];
}

async function readChunks(chunks: Uint8Array[]): Promise<Recorded> {
  const recorded: Recorded = { events: [], retries: [] };
  await readServerSentEvents(streamOf(chunks), {
    onEvent: (event) => recorded.events.push(event),
    onRetry: (delayMs) => recorded.retries.push(delayMs),
  });
  return recorded;
}

function parseText(text: string): Recorded {
  const recorded: Recorded = { events: [], retries: [] };
  const push = createSseParser({
    onEvent: (event) => recorded.events.push(event),
    onRetry: (delayMs) => recorded.retries.push(delayMs),
  });
  push(text);
  return recorded;
}

const multiEventStream = [
  'retry: 1500',
  '',
  ': keep-alive',
  'event: initialJobs',
  'id: 41',
  'data: [{"job_id":"a","note":"café ✓ 🚀"}]',
  '',
  'event: jobUpdate',
  'id: 42',
  'data: {"job_id":"a",',
  'data: "status":"WORKING"}',
  '',
  'data: plain message',
  '',
  '',
].join('\r\n');

describe('createSseParser', () => {
  it('joins multi-line data with a line feed and names the event', () => {
    const { events } = parseText('event: jobUpdate\ndata: first\ndata: second\n\n');
    expect(events).toEqual([{ type: 'jobUpdate', data: 'first\nsecond', lastEventId: '' }]);
  });

  it("calls an event without an event field a 'message'", () => {
    const { events } = parseText('data: hello\n\n');
    expect(events.map((event) => event.type)).toEqual(['message']);
  });

  it('accepts CRLF, LF and lone CR line endings in one stream', () => {
    const { events } = parseText('data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\n\n');
    expect(events.map((event) => event.data)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('treats a CRLF split across two pushes as one line ending', () => {
    const events: SseEvent[] = [];
    const push = createSseParser({ onEvent: (event) => events.push(event) });
    push('data: a\r');
    push('\ndata: b\r');
    push('\n\r');
    push('\n');
    expect(events.map((event) => event.data)).toEqual(['a\nb']);
  });

  it('ignores comment lines, inside an event or alone', () => {
    const { events } = parseText(': keep-alive\n:\n\ndata: x\n: note\n\n');
    expect(events).toEqual([{ type: 'message', data: 'x', lastEventId: '' }]);
  });

  it('removes only one space after the colon', () => {
    const { events } = parseText('data:  two spaces\ndata:none\n\n');
    expect(events[0]?.data).toBe(' two spaces\nnone');
  });

  it('treats a field name without a colon as a field with an empty value', () => {
    const { events } = parseText('data\ndata\n\n');
    expect(events[0]?.data).toBe('\n');
  });

  it('keeps the last event id across events that carry none', () => {
    const { events } = parseText('id: 7\ndata: a\n\ndata: b\n\n');
    expect(events.map((event) => [event.id, event.lastEventId])).toEqual([
      ['7', '7'],
      [undefined, '7'],
    ]);
  });

  it('ignores an id that contains NUL', () => {
    const { events } = parseText('id: 5\ndata: a\n\nid: 6\0x\ndata: b\n\n');
    expect(events[1]).toEqual({ type: 'message', data: 'b', lastEventId: '5' });
  });

  it('reports a retry made of digits only and ignores any other', () => {
    const { retries } = parseText('retry: 2500\nretry: 1e3\nretry: -1\nretry: 12 \nretry: 40\n\n');
    expect(retries).toEqual([2500, 40]);
  });

  it('does not dispatch a block without data yet keeps its id', () => {
    const { events } = parseText('event: jobUpdate\nid: 9\n\ndata: x\n\n');
    expect(events).toEqual([{ type: 'message', data: 'x', lastEventId: '9' }]);
  });

  it('ignores unknown fields', () => {
    const { events } = parseText('colour: red\ndata: x\n\n');
    expect(events).toEqual([{ type: 'message', data: 'x', lastEventId: '' }]);
  });

  it('strips one byte order mark at the start of the stream only', () => {
    const { events } = parseText('\uFEFFdata: \uFEFFx\n\n');
    expect(events[0]?.data).toBe('\uFEFFx');
  });

  it('starts from the last event id it is given', () => {
    const events: SseEvent[] = [];
    createSseParser({ onEvent: (event) => events.push(event) }, '40')('data: x\n\n');
    expect(events[0]?.lastEventId).toBe('40');
  });
});

describe('readServerSentEvents', () => {
  it('reads the same events however the bytes are split in two', async () => {
    const bytes = encoder.encode(multiEventStream);
    const whole = await readChunks([bytes]);
    expect(whole.events).toHaveLength(3);
    for (let offset = 0; offset <= bytes.length; offset += 1) {
      const split = await readChunks([bytes.slice(0, offset), bytes.slice(offset)]);
      expect(split, `split at byte ${offset}`).toEqual(whole);
    }
  });

  it('reads the same events when every byte arrives on its own', async () => {
    const bytes = encoder.encode(multiEventStream);
    const whole = await readChunks([bytes]);
    const byteByByte = await readChunks(Array.from(bytes, (byte) => Uint8Array.of(byte)));
    expect(byteByByte).toEqual(whole);
  });

  it('decodes a four-byte character split across chunks', async () => {
    const bytes = encoder.encode('data: 🚀\n\n');
    const rocketStart = 'data: '.length;
    const { events } = await readChunks([
      bytes.slice(0, rocketStart + 1),
      bytes.slice(rocketStart + 1, rocketStart + 3),
      bytes.slice(rocketStart + 3),
    ]);
    expect(events[0]?.data).toBe('🚀');
  });

  it('drops an event the stream ends before completing', async () => {
    const { events } = await readChunks([encoder.encode('data: done\n\ndata: half')]);
    expect(events.map((event) => event.data)).toEqual(['done']);
  });

  it('strips a leading byte order mark sent as bytes', async () => {
    const { events } = await readChunks([
      Uint8Array.of(0xef, 0xbb),
      Uint8Array.of(0xbf, ...encoder.encode('data: x\n\n')),
    ]);
    expect(events).toEqual([{ type: 'message', data: 'x', lastEventId: '' }]);
  });

  it('cancels the stream and resolves when the signal aborts', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: first\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const controller = new AbortController();
    const received: string[] = [];
    await readServerSentEvents(
      body,
      {
        onEvent: (event) => {
          received.push(event.data);
          controller.abort();
        },
      },
      { signal: controller.signal },
    );
    expect(received).toEqual(['first']);
    expect(cancelled).toBe(true);
  });

  it('cancels the stream and rejects when a handler throws', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: bad\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const failure = new Error('cannot decode');
    await expect(
      readServerSentEvents(body, {
        onEvent: () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
    expect(cancelled).toBe(true);
  });
});
