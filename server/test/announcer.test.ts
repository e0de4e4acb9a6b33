import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announcerOf, payloads, type ChangesNotice } from '../src/store/announcer';
import { runWrite } from '../src/store/write';
import type { ChangeNotice } from '../src/store/write';
import { openTestStore, type TestStore } from './support/test-store';

let testStore: TestStore;
beforeAll(async () => {
  testStore = await openTestStore();
});
afterAll(async () => {
  await testStore.dispose();
});

const change = (stamp: number, job_id: string, user = 'u'): ChangeNotice => ({
  stamp,
  job_id,
  user,
  kind: 'update',
});

describe('ChangeAnnouncer', () => {
  it('tells listeners in this process of a write once it has committed', async () => {
    const { store } = testStore;
    const heard: ChangeNotice[][] = [];
    const stop = announcerOf(store).listen((changes) => heard.push([...changes]));
    try {
      await runWrite(store, undefined, async (tx) => {
        await tx.notify(change(7, 'job-a'));
        expect(heard).toEqual([]);
        return { status: 200, body: {} };
      });
      expect(heard).toEqual([[change(7, 'job-a')]]);
    } finally {
      stop();
    }
  });

  it('announces nothing for a write that rolls back', async () => {
    const { store } = testStore;
    const heard: unknown[] = [];
    const stop = announcerOf(store).listen((changes) => heard.push(changes));
    try {
      const failing = runWrite(store, undefined, async (tx) => {
        await tx.notify(change(8, 'job-b'));
        throw new Error('refused');
      });
      await expect(failing).rejects.toThrow('refused');
      expect(heard).toEqual([]);
    } finally {
      stop();
    }
  });

  it('NOTIFYs other instances with its origin, the highest stamp and who changed', async () => {
    const { store } = testStore;
    const announcer = announcerOf(store);
    const received: ChangesNotice[] = [];
    const unlisten = await store.db.listen(store.channel, (payload) =>
      received.push(JSON.parse(payload) as ChangesNotice),
    );
    try {
      announcer.announce([change(11, 'job-c', 'ann'), change(12, 'job-d', 'bob')]);
      await announcer.flushed();
      await expect.poll(() => received.length).toBeGreaterThan(0);
      expect(received).toEqual([
        {
          origin: announcer.origin,
          stamp: 12,
          changes: [
            { user: 'ann', job_id: 'job-c' },
            { user: 'bob', job_id: 'job-d' },
          ],
        },
      ]);
    } finally {
      await unlisten();
    }
  });

  it("carries each change's job status and service, so that other instances' claims can tell", () => {
    const texts = payloads('o', [
      { ...change(3, 'job-e'), status: 'WAITING', service: 'upload' },
      { ...change(4, 'job-f'), status: 'SUCCEEDED', service: null },
    ]);
    expect(texts.map((text) => (JSON.parse(text) as ChangesNotice).changes)).toEqual([
      [
        { user: 'u', job_id: 'job-e', status: 'WAITING', service: 'upload' },
        { user: 'u', job_id: 'job-f', status: 'SUCCEEDED', service: null },
      ],
    ]);
  });

  it('leaves out a status or service too long for a payload, so that the entry wakes every claim', () => {
    const texts = payloads('o', [
      { ...change(5, 'job-g'), status: 'WAITING', service: 's'.repeat(9000) },
    ]);
    expect(texts.map((text) => (JSON.parse(text) as ChangesNotice).changes)).toEqual([
      [{ user: 'u', job_id: 'job-g' }],
    ]);
  });

  it('counts a payload in UTF-8 bytes, so that many multibyte names still fit a NOTIFY', () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      change(i, `job-${i}`, `${'用'.repeat(250)}${i}`),
    );
    const texts = payloads('o', many);
    expect(Math.max(...texts.map((text) => Buffer.byteLength(text)))).toBeLessThan(8000);
  });

  it('splits many changes into payloads that each fit a NOTIFY', () => {
    const many = Array.from({ length: 1000 }, (_, i) => change(i, `job-${i}`, `user-${i}`));
    const texts = payloads('o', many);
    expect(texts.length).toBeGreaterThan(1);
    expect(Math.max(...texts.map((text) => Buffer.byteLength(text)))).toBeLessThan(8000);
    const all = texts.flatMap((text) => (JSON.parse(text) as ChangesNotice).changes);
    expect(all.map((entry) => entry.job_id)).toEqual(many.map((entry) => entry.job_id));
  });
});
