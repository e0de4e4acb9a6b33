import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { apiClient, authorizationFor, jobOf, uniqueUser, useTestDatabase } from './support/harness';
import { dataOf, openEventStream, type EventStream } from './support/sse-client';

const database = useTestDatabase();
let server: RunningServer;
let second: RunningServer;
beforeAll(async () => {
  server = await database.server({ keepAliveMs: 100 });
  second = await database.server();
});

const streams: EventStream[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((stream) => stream.close()));
});
async function subscribe(url: string, headers?: Record<string, string>) {
  const stream = await openEventStream(url, headers);
  streams.push(stream);
  return stream;
}

describe('subscribe to a user', () => {
  it('answers an event stream that starts with retry and the initial jobs', async () => {
    const api = apiClient(() => server.url, uniqueUser('sse'));
    const a = jobOf(await api.create({}));
    const b = jobOf(await api.create({ job_name: 'second' }));
    const stream = await subscribe(`${server.url}/1.0/job/subscribe/${api.user}`);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get('x-request-id')).toBeTruthy();
    const [initial] = await stream.take(1);
    expect(stream.events[0]).toEqual({ event: 'retry', retry: 1000 });
    expect(initial!.event).toBe('initialJobs');
    expect(dataOf<unknown[]>(initial)).toEqual([a, b]);
    expect(Number(initial!.id)).toBeGreaterThanOrEqual(1);
  });

  it('sends an empty initialJobs for a user without jobs', async () => {
    const stream = await subscribe(`${server.url}/1.0/job/subscribe/${uniqueUser('nobody')}`);
    const [initial] = await stream.take(1);
    expect(dataOf(initial)).toEqual([]);
  });

  it('follows inserts, updates and deletes with increasing ids', async () => {
    const api = apiClient(() => server.url, uniqueUser('sse'));
    const stream = await subscribe(`${server.url}/1.0/job/subscribe/${api.user}`);
    await stream.take(1);
    // One write at a time: changes that land in one read of the hub are sent as the job's
    // newest state (a deletion covers the updates before it).
    const job = jobOf(await api.create({ status: 'WORKING' }));
    await stream.take(2);
    await api.patch(job.job_id, { current_stage: 'copying' });
    await stream.take(3);
    await api.action(job.job_id, 'abort');
    await stream.take(4);
    await api.remove(job.job_id);
    const events = (await stream.take(5)).slice(1);
    expect(events.map((event) => event.event)).toEqual([
      'jobInsert',
      'jobUpdate',
      'jobUpdate',
      'jobDelete',
    ]);
    expect(dataOf(events[0]).job_id).toBe(job.job_id);
    expect(dataOf<{ current_stage: string }>(events[1]).current_stage).toBe('copying');
    expect(dataOf(events[2]).status).toBe('ABORTED');
    expect(dataOf(events[3])).toEqual({ job_id: job.job_id, user: api.user });
    const ids = events.map((event) => Number(event.id));
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });

  it("does not send other users' jobs", async () => {
    const mine = apiClient(() => server.url, uniqueUser('mine'));
    const theirs = apiClient(() => server.url, uniqueUser('theirs'));
    const stream = await subscribe(`${server.url}/1.0/job/subscribe/${mine.user}`);
    await stream.take(1);
    await theirs.create({});
    const own = jobOf(await mine.create({}));
    const events = await stream.take(2);
    expect(events.slice(1).map((event) => dataOf(event).job_id)).toEqual([own.job_id]);
  });

  it('sends the update of a parent that update_parent advanced', async () => {
    const api = apiClient(() => server.url, uniqueUser('family'));
    const parent = `p-${api.user}`;
    await api.create({ job_id: parent, child_ids: [`c-${api.user}`] });
    await api.create({ job_id: `c-${api.user}`, parent_id: parent, update_parent: true });
    const stream = await subscribe(`${server.url}/1.0/job/subscribe/${api.user}`);
    await stream.take(1);
    await api.patch(`c-${api.user}`, { status: 'SUCCEEDED' });
    const events = (await stream.take(3)).slice(1);
    expect(events.map((event) => [dataOf(event).job_id, dataOf(event).status])).toEqual([
      [`c-${api.user}`, 'SUCCEEDED'],
      [parent, 'SUCCEEDED'],
    ]);
  });

  it('sends a keep-alive comment at the configured interval', async () => {
    const stream = await subscribe(`${server.url}/1.0/job/subscribe/${uniqueUser('quiet')}`);
    const events = await stream.waitFor(
      (all) => all.some((event) => event.event === 'comment'),
      2000,
    );
    expect(events.find((event) => event.event === 'comment')?.data).toBe('keep-alive');
  });
});

describe('subscribe to jobs', () => {
  it('follows the listed jobs whoever owns them, and nothing else', async () => {
    const alice = apiClient(() => server.url, uniqueUser('alice'));
    const bob = apiClient(() => server.url, uniqueUser('bob'));
    const a = jobOf(await alice.create({}));
    const b = jobOf(await bob.create({}));
    const unrelated = jobOf(await alice.create({}));
    const stream = await subscribe(
      `${server.url}/1.0/job/subscribe?job_id=${a.job_id}&job_id=${b.job_id}`,
    );
    const [initial] = await stream.take(1);
    expect(dataOf<{ job_id: string }[]>(initial).map((job) => job.job_id)).toEqual([
      a.job_id,
      b.job_id,
    ]);
    await alice.patch(unrelated.job_id, { job_name: 'not followed' });
    await bob.patch(b.job_id, { job_name: 'followed' });
    const events = await stream.take(2);
    expect(events[1]!.event).toBe('jobUpdate');
    expect(dataOf(events[1]).job_id).toBe(b.job_id);
  });

  it('refuses a subscription without job ids', async () => {
    const response = await fetch(`${server.url}/1.0/job/subscribe`, {
      headers: await authorizationFor(server.url, uniqueUser()),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('invalid_job_id');
  });
});

describe('resume with Last-Event-ID', () => {
  it('sends what changed after the id, in stamp order, and no initialJobs', async () => {
    const api = apiClient(() => server.url, uniqueUser('resume'));
    const kept = jobOf(await api.create({ status: 'WORKING' }));
    const doomed = jobOf(await api.create({ status: 'FAILED' }));
    const first = await subscribe(`${server.url}/1.0/job/subscribe/${api.user}`);
    const [initial] = await first.take(1);
    await first.close();

    // While disconnected: an update, a delete and an insert.
    await api.patch(kept.job_id, { current_stage: 'later' });
    await api.remove(doomed.job_id);
    const added = jobOf(await api.create({}));

    const resumed = await subscribe(`${server.url}/1.0/job/subscribe/${api.user}`, {
      'Last-Event-ID': initial!.id!,
    });
    const events = await resumed.take(3);
    expect(events.map((event) => [event.event, dataOf(event).job_id])).toEqual([
      ['jobUpdate', kept.job_id],
      ['jobDelete', doomed.job_id],
      ['jobInsert', added.job_id],
    ]);
    expect(dataOf<{ current_stage: string }>(events[0]).current_stage).toBe('later');

    // And then live events, after the missed ones.
    await api.patch(added.job_id, { job_name: 'live' });
    const [, , , live] = await resumed.take(4);
    expect(live!.event).toBe('jobUpdate');
    expect(Number(live!.id)).toBeGreaterThan(Number(events[2]!.id));
  });

  it('sends nothing when nothing changed', async () => {
    const api = apiClient(() => server.url, uniqueUser('resume'));
    await api.create({});
    const first = await subscribe(`${server.url}/1.0/job/subscribe/${api.user}`);
    const [initial] = await first.take(1);
    const resumed = await subscribe(`${server.url}/1.0/job/subscribe/${api.user}`, {
      'Last-Event-ID': initial!.id!,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(resumed.named).toEqual([]);
  });
});

describe('several instances on one database', () => {
  it("sees the other instance's writes", async () => {
    const api = apiClient(() => second.url, uniqueUser('cluster'));
    const stream = await subscribe(`${server.url}/1.0/job/subscribe/${api.user}`);
    await stream.take(1);
    const job = jobOf(await api.create({}));
    await api.patch(job.job_id, { job_name: 'from the other instance' });
    const events = await stream.take(3);
    expect(events.slice(1).map((event) => event.event)).toEqual(['jobInsert', 'jobUpdate']);
    expect(dataOf<{ job_name: string }>(events[2]).job_name).toBe('from the other instance');
  });
});

describe('no change falls between the initial state and live events', () => {
  it('delivers each of many concurrent writes exactly once or in the initial state', async () => {
    const api = apiClient(() => server.url, uniqueUser('race'));
    const writes = Array.from({ length: 20 }, (_, i) => api.create({ job_name: `w${i}` }));
    const stream = await subscribe(`${server.url}/1.0/job/subscribe/${api.user}`);
    const created = (await Promise.all(writes)).map((answer) => jobOf(answer).job_id);
    const seen = new Set<string>();
    await stream.waitFor((events) => {
      seen.clear();
      for (const event of events) {
        if (event.event === 'initialJobs')
          for (const job of dataOf<{ job_id: string }[]>(event)) seen.add(job.job_id);
        if (event.event === 'jobInsert') seen.add(dataOf(event).job_id);
      }
      return seen.size === created.length;
    });
    expect([...seen].sort()).toEqual([...created].sort());
    const inserts = stream.named
      .filter((event) => event.event === 'jobInsert')
      .map((event) => dataOf(event).job_id);
    expect(new Set(inserts).size).toBe(inserts.length);
  });
});

describe('closing', () => {
  it('ends open streams when the server stops', async () => {
    const own = await database.server();
    const stream = await subscribe(`${own.url}/1.0/job/subscribe/${uniqueUser('closing')}`);
    await stream.take(1);
    await own.close();
    await stream.ended();
    expect(stream.isEnded).toBe(true);
  });

  it('keeps serving after a client goes away mid-stream', async () => {
    const api = apiClient(() => server.url, uniqueUser('gone'));
    const stream = await subscribe(`${server.url}/1.0/job/subscribe/${api.user}`);
    await stream.take(1);
    await stream.close();
    expect((await api.create({})).status).toBe(201);
    const again = await subscribe(`${server.url}/1.0/job/subscribe/${api.user}`);
    const [initial] = await again.take(1);
    expect(dataOf<unknown[]>(initial)).toHaveLength(1);
  });
});
