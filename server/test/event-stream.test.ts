import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { openEventStream, type ChangeHub, type HubSubscriber } from '../src/events';
import { loadJob } from '../src/store/jobs';
import { apiClient, jobOf, uniqueUser, useTestDatabase } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});

/** A hub whose notices the test hands over itself, whenever it likes. */
function manualHub() {
  const subscribers: HubSubscriber[] = [];
  const hub = {
    subscribe(subscriber: HubSubscriber) {
      subscribers.push(subscriber);
      return Promise.resolve(() => subscribers.splice(subscribers.indexOf(subscriber), 1));
    },
  } as unknown as ChangeHub;
  return { hub, subscribers };
}

/** Reads the stream's text until `until` matches it (or the stream ends). */
async function readUntil(stream: ReadableStream<Uint8Array>, until: RegExp): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!until.test(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

describe('an event stream fed late by PostgreSQL', () => {
  it('drops a notice that arrives after the initial state that already covers it', async () => {
    const api = apiClient(() => server.url, uniqueUser('late'));
    const job = jobOf(await api.create({}));
    const row = await loadJob(database.store.db, job.job_id);
    const { hub, subscribers } = manualHub();
    const stream = openEventStream({
      store: database.store,
      hub,
      scope: { jobIds: [job.job_id] },
      principal: { user: api.user, role: 'creator', services: [] },
      resumeAfter: undefined,
      keepAliveMs: 60_000,
      onError: (error) => {
        throw error;
      },
    });
    const initial = await readUntil(stream, /event: initialJobs\n[^]*\n\n/);
    // The initial state may hold the job at a stamp above its id (a change that settled late).
    const later =
      Math.max(Number(/event: initialJobs\nid: (\d+)/.exec(initial)![1]), Number(row!.stamp)) + 1;

    // The create's own notice, handed over only now: the initial state already holds that job.
    subscribers[0]!.receive({
      notice: { stamp: Number(row!.stamp), job_id: job.job_id, user: api.user, kind: 'insert' },
      row,
    });
    // A later change, so that the test has something to wait for.
    subscribers[0]!.receive({
      notice: { stamp: later, job_id: job.job_id, user: api.user, kind: 'update' },
      row: { ...row!, stamp: String(later) },
    });

    const text = await readUntil(stream, /event: jobUpdate\n[^]*\n\n/);
    expect(text).not.toContain('event: jobInsert');
    expect(text).toContain('event: jobUpdate');
    await stream.cancel();
  });
});
