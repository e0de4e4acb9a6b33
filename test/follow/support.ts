// Shared pieces of the follow tests: a FollowContext built by hand (so these tests do not depend
// on the client), wire jobs, and an event stream the test writes to as the server would.
import type { FollowContext } from '../../src/follow';
import { followStream } from '../../src/follow/stream';
import type { Job } from '../../src/schemas';

export const BASE_URL = 'http://jss.test:8080/jss/';

/** A job as the server writes it: snake_case, legacy timestamps. */
export function wireJob(
  jobId: string,
  status: string,
  modified = '2019-06-18T15:31:45.610+0000',
): Record<string, unknown> {
  return {
    job_id: jobId,
    user: 'demo',
    status,
    current_stage: status.toLowerCase(),
    created: '2019-06-18T15:31:45.610+0000',
    modified,
  };
}

/** `2019-06-18T15:31:45.610+0000` → a Date (`+0000` made ISO first). */
function parseLegacyDate(text: unknown): Date {
  if (typeof text !== 'string') throw new TypeError('not a date string');
  const date = new Date(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(date.getTime())) throw new TypeError(`not a date: ${text}`);
  return date;
}

/** A small stand-in for the SDK's decoder: enough to check that follow code maps every job. */
export function decodeTestJob(wire: unknown): Job {
  const record = wire as Record<string, unknown>;
  if (typeof record.job_id !== 'string') throw new TypeError('job_id must be a string');
  return {
    jobId: record.job_id,
    user: String(record.user),
    status: String(record.status),
    currentStage: record.current_stage as string | undefined,
    created: parseLegacyDate(record.created),
    modified: parseLegacyDate(record.modified),
  };
}

/** A context whose reads fail unless a test provides them. */
export function makeContext(overrides: Partial<FollowContext> = {}): FollowContext {
  return {
    baseURL: BASE_URL,
    headers: () =>
      Promise.resolve({
        'X-User-Id': 'demo',
        Authorization: 'Bearer secret-token',
        Accept: 'application/json',
      }),
    // Looked up per call: msw replaces globalThis.fetch when it starts listening.
    fetch: (input, init) => globalThis.fetch(input, init),
    decodeJob: decodeTestJob,
    getJob: () => Promise.reject(new Error('getJob was not expected')),
    listJobs: () => Promise.reject(new Error('listJobs was not expected')),
    log: () => undefined,
    connect: followStream,
    ...overrides,
  };
}

/** One server-sent event in wire form. */
export function sseEvent(type: string, id: number, data: unknown): string {
  return `event: ${type}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** An event stream the test writes to; `body` goes into the mocked response. */
export interface TestEventStream {
  body: ReadableStream<Uint8Array>;
  send(text: string): void;
  /** The server ends the response (a drop, from the client's point of view). */
  end(): void;
}

export function createTestEventStream(initial = ''): TestEventStream {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
      if (initial !== '') streamController.enqueue(encoder.encode(initial));
    },
    cancel() {
      open = false;
    },
  });
  return {
    body,
    send(text) {
      if (open) controller.enqueue(encoder.encode(text));
    },
    end() {
      if (open) controller.close();
      open = false;
    },
  };
}

/** Headers of an event-stream response. */
export const EVENT_STREAM_HEADERS = { 'Content-Type': 'text/event-stream' };

/** Resolves once `condition` holds, checking every few milliseconds (fails after `timeoutMs`). */
export async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
