// The kit's handlers at the wire level: raw requests, exact bodies and headers, as
// docs/protocol.md fixes them.
import { describe, expect, it } from 'vitest';
import { tableOf } from '../../src/testing/store/in-memory-job-store';
import { send, store, useJssKit } from './kit-harness';

useJssKit();

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

describe('error bodies', () => {
  it('answers a missing job with 404, the error body and the same id in X-Request-Id', async () => {
    const response = await send('GET', '1.0/job/missing');
    const body = await json(response);

    expect(response.status).toBe(404);
    expect(body).toEqual({
      response_type: 'CLIENT_ERROR',
      error: 'Job not found',
      code: 'not_found',
      request_id: response.headers.get('X-Request-Id'),
    });
  });

  it('echoes a well-formed X-Request-Id', async () => {
    const response = await send('GET', '1.0/job/missing', {
      headers: { 'X-Request-Id': 'trace-42' },
    });

    expect(response.headers.get('X-Request-Id')).toBe('trace-42');
    expect((await json(response)).request_id).toBe('trace-42');
  });

  it('answers an unknown route with 404 not_found', async () => {
    const response = await send('PUT', '1.0/job/job-1');

    expect(response.status).toBe(404);
    expect((await json(response)).code).toBe('not_found');
  });

  it('refuses a PATCH of a field that is not updatable with 400 field_not_updatable', async () => {
    store.insert({ jobId: 'job-1', user: 'demo' });

    const response = await send('PATCH', '1.0/job/job-1', { body: { user: 'mallory' } });

    expect(response.status).toBe(400);
    expect((await json(response)).code).toBe('field_not_updatable');
    expect(store.get('job-1')?.user).toBe('demo');
  });

  it('refuses an operator outside the allow-list with 400 invalid_filter', async () => {
    const response = await send('POST', '1.0/job/query', { body: { user: { $where: '1' } } });

    expect(response.status).toBe(400);
    expect((await json(response)).code).toBe('invalid_filter');
  });

  it('refuses a cursor combined with sort with 400 invalid_paging', async () => {
    const response = await send('POST', '1.0/job/query?cursor=abc&sort=created', { body: {} });

    expect(response.status).toBe(400);
    expect((await json(response)).code).toBe('invalid_paging');
  });

  it('refuses a job id the path cannot carry with 400 invalid_job_id', async () => {
    const response = await send('GET', '1.0/job/a%2Fb');

    expect(response.status).toBe(400);
    expect((await json(response)).code).toBe('invalid_job_id');
  });

  it('refuses a body that is not JSON with 400 invalid_body', async () => {
    const response = await send('POST', '1.0/job/', { body: '{"user":' });

    expect(response.status).toBe(400);
    expect((await json(response)).code).toBe('invalid_body');
  });

  it('refuses a body nested 5,000 deep with 400 naming the limit, as the server does', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const response = await send('POST', '1.0/job/', {
      body: `{"user":"demo","service_fields":${deep}}`,
    });

    expect(response.status).toBe(400);
    expect((await json(response)).error).toContain('nested deeper than 64 levels');
  });

  it('refuses a PATCH that leaves service_fields over 1 MiB with 413, as the server does', async () => {
    const big = 'x'.repeat(600 * 1024);
    store.insert({ jobId: 'big', user: 'demo', serviceFields: { first: big } });
    const response = await send('PATCH', '1.0/job/big', {
      body: { 'service_fields.second': big },
    });

    expect(response.status).toBe(413);
    expect((await json(response)).error).toContain('serviceFieldsBytes');
    expect(Object.keys(store.get('big')?.serviceFields ?? {})).toEqual(['first']);
  });

  it('refuses a NUL character in a string with 400, as the server does', async () => {
    const response = await send('POST', '1.0/job/', {
      body: '{"user":"demo","job_name":"a\\u0000"}',
    });

    expect(response.status).toBe(400);
    expect((await json(response)).error).toBe(
      'The string at job_name contains a NUL character (\\u0000)',
    );
  });
});

describe('create', () => {
  it('answers 201 with the job and its defaults in the envelope', async () => {
    const response = await send('POST', '1.0/job/', { body: { job_id: 'job-1', user: 'demo' } });
    const body = await json(response);
    const created = store.getWire('job-1')?.created;

    expect(response.status).toBe(201);
    expect(body).toEqual({
      response_type: 'SUCCESS',
      data: [
        {
          job_id: 'job-1',
          user: 'demo',
          status: 'WAITING',
          job_name: null,
          service: null,
          current_host: null,
          current_stage: null,
          origination_host: null,
          parent_id: null,
          child_ids: null,
          update_parent: false,
          service_fields: {},
          created,
          modified: created,
          progress: null,
          logs: [],
        },
      ],
      total_count: 1,
      offset: 0,
    });
  });

  it('makes a 32-hex id when the body has none', async () => {
    const body = await json(await send('POST', '1.0/job/', { body: { user: 'demo' } }));

    expect((body.data as { job_id: string }[])[0]?.job_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers 200 with the stored job when the same body is created again in another key order', async () => {
    await send('POST', '1.0/job/', { body: { job_id: 'job-1', user: 'demo', job_name: 'a' } });

    const again = await send('POST', '1.0/job/', {
      body: { job_name: 'a', user: 'demo', job_id: 'job-1' },
    });

    expect(again.status).toBe(200);
    expect(store.size).toBe(1);
  });
});

describe('Idempotency-Key', () => {
  const key = { 'Idempotency-Key': 'key-1' };

  it('replays the stored answer with Idempotent-Replayed for the same request', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'WORKING' });
    const first = await send('POST', '1.0/job/job-1/logs', {
      body: { level: 'info', message: 'hi' },
      headers: key,
    });

    const replay = await send('POST', '1.0/job/job-1/logs', {
      body: { message: 'hi', level: 'info' },
      headers: key,
    });

    expect(replay.status).toBe(200);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await replay.text()).toBe(await first.text());
    expect(store.get('job-1')?.logs).toHaveLength(1);
  });

  it('refuses the same key on a different request with 409 idempotency_key_reused', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'WORKING' });
    await send('POST', '1.0/job/job-1/logs', {
      body: { level: 'info', message: 'hi' },
      headers: key,
    });

    const reused = await send('POST', '1.0/job/job-1/logs', {
      body: { level: 'info', message: 'bye' },
      headers: key,
    });

    expect(reused.status).toBe(409);
    expect((await json(reused)).code).toBe('idempotency_key_reused');
  });

  it('keeps keys apart per X-User-Id', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'WORKING' });
    await send('POST', '1.0/job/job-1/logs', {
      body: { level: 'info', message: 'hi' },
      headers: key,
    });

    const other = await send('POST', '1.0/job/job-1/logs', {
      body: { level: 'info', message: 'bye' },
      headers: { ...key, 'X-User-Id': 'someone-else' },
    });

    expect(other.status).toBe(200);
    expect(other.headers.get('Idempotent-Replayed')).toBeNull();
  });

  it('stores nothing for a refused request, so the corrected one can reuse the key', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'SUCCEEDED' });
    const refused = await send('POST', '1.0/job/job-1/retry', { headers: key });
    store.update('job-1', { status: 'FAILED' });

    const corrected = await send('POST', '1.0/job/job-1/retry', { headers: key });

    expect(refused.status).toBe(409);
    expect(corrected.status).toBe(200);
  });

  it('refuses a key with a space in it with 400 invalid_idempotency_key', async () => {
    const response = await send('POST', '1.0/job/', {
      body: { user: 'demo' },
      headers: { 'Idempotency-Key': 'a b' },
    });

    expect(response.status).toBe(400);
    expect((await json(response)).code).toBe('invalid_idempotency_key');
  });
});

describe('status, changes and parents', () => {
  it('answers the short status form', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'WORKING', currentStage: 'copying' });

    const body = await json(await send('GET', '1.0/job/job-1/status'));

    expect(body.data).toEqual([
      {
        job_id: 'job-1',
        status: 'WORKING',
        current_stage: 'copying',
        progress: null,
        modified: store.getWire('job-1')?.modified,
      },
    ]);
  });

  it('answers the jobs changed after a stamp, in stamp order, and the stamp to poll from next', async () => {
    store.insert({ jobId: 'job-1', user: 'demo' });
    store.insert({ jobId: 'job-2', user: 'demo' });
    const since = store.stamp;
    store.update('job-2', { status: 'WORKING' });
    store.update('job-1', { status: 'WORKING' });

    const body = await json(await send('POST', `1.0/job/changes?since=${since}`, { body: {} }));

    expect((body.data as { job_id: string }[]).map((job) => job.job_id)).toEqual([
      'job-2',
      'job-1',
    ]);
    expect(body.stamp).toBe(store.stamp);
    expect(body.has_more).toBe(false);
  });

  it('answers a full changes page with has_more and the stamp of its last job', async () => {
    store.insert({ jobId: 'job-1', user: 'demo' });
    store.insert({ jobId: 'job-2', user: 'demo' });

    const body = await json(await send('POST', '1.0/job/changes?since=0&limit=1', { body: {} }));

    expect((body.data as { job_id: string }[]).map((job) => job.job_id)).toEqual(['job-1']);
    expect(body.has_more).toBe(true);
    expect(body.stamp).toBe(store.stamp - 1);
  });

  it('moves the parent to SUCCEEDED once its last updateParent child succeeds', async () => {
    store.insert({ jobId: 'parent', user: 'demo', childIds: ['a', 'b'] });
    store.insert({ jobId: 'a', user: 'demo', parentId: 'parent', status: 'SUCCEEDED' });
    store.insert({
      jobId: 'b',
      user: 'demo',
      parentId: 'parent',
      status: 'WORKING',
      updateParent: true,
    });

    await send('PATCH', '1.0/job/b', { body: { status: 'SUCCEEDED' } });

    expect(store.get('parent')?.status).toBe('SUCCEEDED');
  });

  it('answers health outside the envelope', async () => {
    const response = await send('GET', 'health');

    expect(await json(response)).toEqual({ status: 'ok' });
  });
});

/**
 * Opens an event stream and reads it until `until` holds for the text so far, then aborts the
 * request (msw keeps a copy of the body, so only an abort reaches the handler).
 */
async function readStream(
  path: string,
  until: (text: string) => boolean,
  headers: Record<string, string> = {},
  whileOpen: () => void = () => undefined,
): Promise<{ text: string; contentType: string | null }> {
  const controller = new AbortController();
  const response = await send('GET', path, { headers, signal: controller.signal });
  whileOpen();
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!until(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  controller.abort();
  return { text, contentType: response.headers.get('Content-Type') };
}

describe('event streams', () => {
  it('starts with retry and initialJobs whose id is the current stamp', async () => {
    store.insert({ jobId: 'job-1', user: 'demo' });
    store.insert({ jobId: 'job-2', user: 'other' });

    const { text, contentType } = await readStream('1.0/job/subscribe/demo', (so) =>
      so.includes('initialJobs'),
    );

    expect(contentType).toBe('text/event-stream; charset=utf-8');
    expect(text).toBe(
      `retry: 1000\n\nevent: initialJobs\nid: ${store.stamp}\ndata: ${JSON.stringify([store.getWire('job-1')])}\n\n`,
    );
  });

  it('resumes after Last-Event-ID with what was missed and no initialJobs', async () => {
    store.insert({ jobId: 'job-1', user: 'demo', status: 'FAILED' });
    const lastSeen = store.stamp;
    store.insert({ jobId: 'job-2', user: 'demo' });
    await send('DELETE', '1.0/job/job-1');

    const { text } = await readStream('1.0/job/subscribe/demo', (so) => so.includes('jobDelete'), {
      'Last-Event-ID': String(lastSeen),
    });

    expect(text).toBe(
      'retry: 1000\n\n' +
        `event: jobInsert\nid: ${lastSeen + 1}\ndata: ${JSON.stringify(store.getWire('job-2'))}\n\n` +
        `event: jobDelete\nid: ${lastSeen + 2}\ndata: {"job_id":"job-1","user":"demo"}\n\n`,
    );
  });

  it('follows listed jobs by ?job_id= and nothing else', async () => {
    store.insert({ jobId: 'job-1', user: 'demo' });
    store.insert({ jobId: 'job-2', user: 'demo' });

    const { text } = await readStream(
      '1.0/job/subscribe?job_id=job-1',
      (so) => so.includes('jobUpdate'),
      {},
      () => {
        store.update('job-2', { currentStage: 'two' });
        store.update('job-1', { currentStage: 'one' });
      },
    );

    expect(text).not.toContain('"job_id":"job-2"');
    expect(text).toContain(`event: jobUpdate\nid: ${store.stamp}\n`);
  });

  it('stops following the store once the client aborts the request', async () => {
    const listeners = tableOf(store).listenerCount;
    const controller = new AbortController();
    await send('GET', '1.0/job/subscribe/demo', { signal: controller.signal });
    expect(tableOf(store).listenerCount).toBe(listeners + 1);

    controller.abort();

    await expect.poll(() => tableOf(store).listenerCount).toBe(listeners);
  });
});
