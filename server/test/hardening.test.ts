// Bad input, bounded work, caps and timeouts, through the real server: every refusal is a 4xx
// (or a 503 with Retry-After) naming the field or the limit, and the server keeps serving.
import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index';
import { LIMITS } from '../src/limits';
import { openStore } from '../src/store/store';
import { openEventStream, dataOf } from './support/sse-client';
import {
  apiClient,
  authorizationFor,
  jobOf,
  registerTestServer,
  tokenFor,
  uniqueUser,
  useTestDatabase,
  type ApiClient,
} from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});
const client = (label?: string) => apiClient(() => server.url, uniqueUser(label));

/** Proves the server is still serving after a refusal. */
async function expectAlive(api: ApiClient) {
  expect((await api.create({})).status).toBe(201);
}

/** `{"a":{"a":...}}` nested `depth` deep, as text (building it as an object would be as deep). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Inserts `count` jobs of `user` straight into the table: a large state without many requests. */
async function insertJobs(user: string, count: number, serviceFields: object = {}) {
  await database.store.db.query(
    `INSERT INTO jobs (job_id, user_name, status, service_fields, created, modified, stamp,
       created_stamp, create_hash)
     SELECT $1 || '-' || lpad(i::text, 6, '0'), $1, 'WAITING', $2::jsonb,
       now() + i * interval '1 millisecond', now() + i * interval '1 millisecond', s, s, 'direct'
     FROM (SELECT i, nextval('jss_stamp') AS s FROM generate_series(1, $3::int) AS i) AS numbered`,
    [user, JSON.stringify(serviceFields), count],
  );
}

describe('deeply nested JSON', () => {
  it('refuses a create nested 5,000 deep with 400 naming the depth limit', async () => {
    const api = client();
    const answer = await api.call(
      'POST',
      '1.0/job/',
      `{"user":"${api.user}","service_fields":${nested(5000)}}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_body');
    expect(answer.body.error).toContain(`deeper than ${LIMITS.jsonNestingDepth} levels`);
    expect(answer.body.error).toContain('service_fields.a');
    await expectAlive(api);
  });

  it('refuses a PATCH value and a filter nested 100,000 deep with 400', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    const patch = await api.call(
      'PATCH',
      `1.0/job/${job.job_id}`,
      `{"service_fields.x":${nested(100_000)}}`,
    );
    const query = await api.call('POST', '1.0/job/query', `{"user":${nested(100_000)}}`);
    expect([patch.status, patch.body.code]).toEqual([400, 'invalid_body']);
    expect([query.status, query.body.code]).toEqual([400, 'invalid_body']);
    await expectAlive(api);
  });

  it('refuses a $set path of more segments than the depth limit', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    const path = `service_fields.${Array.from({ length: 100 }, () => 'a').join('.')}`;
    const answer = await api.patch(job.job_id, { [path]: 1 });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(`at most ${LIMITS.jsonNestingDepth} segments`);
  });
});

describe('strings the database cannot store', () => {
  it('refuses a NUL character in a field with 400 naming the field', async () => {
    const api = client();
    const answer = await api.create({ job_name: 'a\u0000b' });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('The string at job_name contains a NUL character (\\u0000)');
    await expectAlive(api);
  });

  it('refuses a NUL character in a service-field key and in a PATCH value', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    const create = await api.create({ service_fields: { 'a\u0000': 1 } });
    const patch = await api.patch(job.job_id, { 'service_fields.note': 'x\u0000' });
    expect([create.status, create.body.error]).toEqual([
      400,
      'A key inside service_fields contains a NUL character (\\u0000)',
    ]);
    expect([patch.status, patch.body.error]).toEqual([
      400,
      'The string at service_fields.note contains a NUL character (\\u0000)',
    ]);
  });

  it('refuses a lone UTF-16 surrogate with 400', async () => {
    const api = client();
    const answer = await api.call(
      'POST',
      '1.0/job/',
      `{"user":"${api.user}","job_name":"\\ud800"}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain('lone UTF-16 surrogate');
  });

  it('refuses a NUL character in the user a subscription follows', async () => {
    const answer = await client().call('GET', '1.0/job/subscribe/bad%00user');
    expect([answer.status, answer.body.code]).toEqual([400, 'invalid_body']);
  });
});

describe('offset', () => {
  it('refuses an offset of 2^31 with the range the message states', async () => {
    const api = client();
    const answer = await api.query({ user: api.user }, `?offset=${2 ** 31}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe(`"offset" must be an integer in 0..${2 ** 31 - 1}`);
  });

  it('answers an offset at the top of that range', async () => {
    const api = client();
    const answer = await api.query({ user: api.user }, `?offset=${2 ** 31 - 1}`);
    expect([answer.status, answer.body.data]).toEqual([200, []]);
  });
});

describe('prototype keys', () => {
  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses "%s" as a key inside service_fields on create',
    async (key) => {
      const api = client();
      const answer = await api.call(
        'POST',
        '1.0/job/',
        `{"user":"${api.user}","service_fields":{"ok":{"${key}":{"polluted":true}}}}`,
      );
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe(
        `The key "${key}" at service_fields.ok.${key} is not allowed (prototype pollution)`,
      );
    },
  );

  it('refuses "__proto__" inside a PATCH value and leaves the job as it was', async () => {
    const api = client();
    const job = jobOf(await api.create({ service_fields: { a: 1 } }));
    const answer = await api.call(
      'PATCH',
      `1.0/job/${job.job_id}`,
      '{"service_fields.b":{"__proto__":{"admin":true}}}',
    );
    expect(answer.status).toBe(400);
    expect(jobOf(await api.get(job.job_id)).service_fields).toEqual({ a: 1 });
  });
});

describe('bounded writes', () => {
  it(`refuses a PATCH of more than ${LIMITS.patchKeys} keys, naming patchKeys`, async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    const body = Object.fromEntries(
      Array.from({ length: LIMITS.patchKeys + 1 }, (_, i) => [`service_fields.k${i}`, i]),
    );
    const answer = await api.patch(job.job_id, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain('patchKeys');
  });

  it('refuses a PATCH whose result is over serviceFieldsBytes with 413 and keeps the job', async () => {
    const api = client();
    const big = 'x'.repeat(600 * 1024);
    const job = jobOf(await api.create({ service_fields: { first: big } }));
    const answer = await api.patch(job.job_id, { 'service_fields.second': big });
    expect(answer.status).toBe(413);
    expect(answer.body.code).toBe('payload_too_large');
    expect(answer.body.error).toContain('serviceFieldsBytes');
    expect(Object.keys(jobOf(await api.get(job.job_id)).service_fields as object)).toEqual([
      'first',
    ]);
  });

  it('refuses a log entry over logEntryBytes with 413 naming it', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    const answer = await api.call('POST', `1.0/job/${job.job_id}/logs`, {
      level: 'info',
      message: 'big',
      data: 'x'.repeat(LIMITS.logEntryBytes),
    });
    expect([answer.status, answer.body.code]).toEqual([413, 'payload_too_large']);
    expect(answer.body.error).toContain('logEntryBytes');
  });

  it('drops the oldest log entries once the log is over logBytesPerJob', async () => {
    const api = client();
    const job = jobOf(await api.create({}));
    const data = 'x'.repeat(60 * 1024);
    const count = Math.ceil(LIMITS.logBytesPerJob / (60 * 1024)) + 2;
    for (let i = 0; i < count; i++) {
      const answer = await api.call('POST', `1.0/job/${job.job_id}/logs`, {
        level: 'info',
        message: `entry ${i}`,
        data,
      });
      expect(answer.status).toBe(200);
    }
    const logs = jobOf(await api.get(job.job_id)).logs as { message: string }[];
    const kept = logs.map((entry) => entry.message);
    expect(kept.at(-1)).toBe(`entry ${count - 1}`);
    expect(kept).not.toContain('entry 0');
    expect(kept).toEqual(
      Array.from({ length: kept.length }, (_, i) => `entry ${count - kept.length + i}`),
    );
  });
});

describe('bounded reads', () => {
  it(`answers 413 naming unpagedQueryJobs when a query without limit matches more`, async () => {
    const user = uniqueUser('many');
    await insertJobs(user, LIMITS.unpagedQueryJobs + 1);
    const api = apiClient(() => server.url, user);
    const answer = await api.query({ user });
    expect([answer.status, answer.body.code]).toEqual([413, 'response_too_large']);
    expect(answer.body.error).toContain('unpagedQueryJobs');
    const paged = await api.query({ user }, '?limit=5');
    expect([paged.status, paged.body.data.length, paged.body.has_more]).toEqual([200, 5, true]);
  });

  it('answers 413 naming responseBytes when a page would be larger', async () => {
    const user = uniqueUser('heavy');
    const blobBytes = 900 * 1024;
    await insertJobs(user, Math.ceil(LIMITS.responseBytes / blobBytes) + 1, {
      blob: 'x'.repeat(blobBytes),
    });
    const answer = await apiClient(() => server.url, user).query({ user }, '?limit=1000');
    expect([answer.status, answer.body.code]).toEqual([413, 'response_too_large']);
    expect(answer.body.error).toContain('responseBytes');
  });

  it('sends an initial state larger than one database page as one event, in order', async () => {
    const user = uniqueUser('state');
    const count = LIMITS.sseInitialPageSize * 2 + 7;
    await insertJobs(user, count);
    const stream = await openEventStream(`${server.url}/1.0/job/subscribe/${user}`, {
      'X-User-Id': user,
    });
    try {
      const [initial] = await stream.take(1);
      expect(initial?.event).toBe('initialJobs');
      const ids = dataOf<{ job_id: string }[]>(initial).map((job) => job.job_id);
      expect(ids).toEqual(
        Array.from({ length: count }, (_, i) => `${user}-${String(i + 1).padStart(6, '0')}`),
      );
    } finally {
      await stream.close();
    }
  });
});

describe('event stream caps', () => {
  // Each user's own token: the per-client cap counts streams per token.
  const open = async (url: string, user: string) =>
    openEventStream(`${url}/1.0/job/subscribe/${user}`, await authorizationFor(url, user));

  it('answers 429 with Retry-After naming sseStreamsPerClient past the per-client cap', async () => {
    const capped = await database.server({ streamCaps: { perClient: 2, total: 10 } });
    const user = uniqueUser('streams');
    const streams = [await open(capped.url, user), await open(capped.url, user)];
    try {
      const refused = await fetch(`${capped.url}/1.0/job/subscribe/${user}`, {
        headers: await authorizationFor(capped.url, user),
      });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('Retry-After')).toBe(String(LIMITS.sseRetryAfterSeconds));
      const body = (await refused.json()) as { code: string; error: string };
      expect(body.code).toBe('too_many_streams');
      expect(body.error).toContain('sseStreamsPerClient');
    } finally {
      await Promise.all(streams.map((stream) => stream.close()));
    }
  });

  it('answers 503 naming sseStreamsTotal past the total cap', async () => {
    const capped = await database.server({ streamCaps: { perClient: 5, total: 2 } });
    const streams = [
      await open(capped.url, uniqueUser('a')),
      await open(capped.url, uniqueUser('b')),
    ];
    try {
      const user = uniqueUser('c');
      const refused = await fetch(`${capped.url}/1.0/job/subscribe/${user}`, {
        headers: await authorizationFor(capped.url, user),
      });
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: string }).error).toContain('sseStreamsTotal');
    } finally {
      await Promise.all(streams.map((stream) => stream.close()));
    }
  });

  it('frees the slot of a stream the client closed', async () => {
    const capped = await database.server({ streamCaps: { perClient: 1, total: 10 } });
    const user = uniqueUser('reopen');
    const first = await open(capped.url, user);
    await first.take(1);
    await first.close();
    let second: Awaited<ReturnType<typeof open>> | undefined;
    // The server sees the close a moment after the client: wait until it lets the next one in.
    await expect
      .poll(async () => {
        await second?.close();
        second = await open(capped.url, user);
        return second.response.status;
      })
      .toBe(200);
    await second?.close();
  });
});

describe('connection timeouts', () => {
  it('closes a socket that sends its headers too slowly', async () => {
    const slow = await database.server({ headersTimeoutMs: 300 });
    const socket = connect(slow.port, '127.0.0.1');
    socket.on('error', () => {}); // The server may reset it while a header line is on its way.
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write('GET /jss/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
    // Keeps trickling header lines, as a slowloris client does, never ending the headers.
    const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 100);
    try {
      expect(await closed).toBe(true);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
    expect((await fetch(`${slow.url}/health/live`)).status).toBe(200);
  });
});

describe('content types', () => {
  it.each([
    ['text/plain', 'text/plain;charset=UTF-8'],
    ['a form', 'application/x-www-form-urlencoded'],
  ])('refuses a create sent as %s with 415 and creates nothing', async (_name, contentType) => {
    const api = client();
    const answer = await api.call('POST', '1.0/job/', JSON.stringify({ user: api.user }), {
      'Content-Type': contentType,
    });
    expect([answer.status, answer.body.code]).toEqual([415, 'unsupported_media_type']);
    expect((await api.query({ user: api.user })).body.data).toEqual([]);
  });

  it('refuses a PATCH sent as text/plain and leaves the job as it was', async () => {
    const api = client();
    const job = jobOf(await api.create({ status: 'WORKING' }));
    const answer = await api.call('PATCH', `1.0/job/${job.job_id}`, '{"status":"FAILED"}', {
      'Content-Type': 'text/plain',
    });
    expect(answer.status).toBe(415);
    expect(jobOf(await api.get(job.job_id)).status).toBe('WORKING');
  });

  it('accepts a bodiless abort without Content-Type from a client that names itself', async () => {
    const api = client();
    const job = jobOf(await api.create({ status: 'WORKING' }));
    expect((await api.action(job.job_id, 'abort')).status).toBe(200);
  });

  it('refuses a bodiless abort that any web page could send (no header of its own)', async () => {
    const api = client();
    const job = jobOf(await api.create({ status: 'WORKING' }));
    const answer = await fetch(`${server.url}/1.0/job/${job.job_id}/abort`, { method: 'POST' });
    expect(answer.status).toBe(415);
    expect(jobOf(await api.get(job.job_id)).status).toBe('WORKING');
  });
});

describe('health and database outages', () => {
  it('answers live and ready while the database answers', async () => {
    const live = await fetch(`${server.url}/health/live`);
    const ready = await fetch(`${server.url}/health/ready`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok', database: 'ok' }]);
  });

  it('answers 503 unavailable with Retry-After once the database is gone, and stays live', async () => {
    const store = await openStore({ dataDir: 'memory://' });
    const running = registerTestServer(await startServer({ port: 0, logger: false, store }));
    try {
      const api = apiClient(() => running.url, uniqueUser('outage'));
      expect((await api.get('any-job')).status).toBe(404);
      await store.db.close();
      const answer = await api.get('any-job');
      expect([answer.status, answer.body.code]).toEqual([503, 'unavailable']);
      expect(answer.headers.get('Retry-After')).toBe('1');
      const ready = await fetch(`${running.url}/health/ready`);
      const legacy = await fetch(`${running.url}/health`);
      expect([ready.status, await ready.json()]).toEqual([
        503,
        { status: 'unavailable', database: 'unreachable' },
      ]);
      expect(legacy.status).toBe(503);
      expect((await fetch(`${running.url}/health/live`)).status).toBe(200);
    } finally {
      await running.close().catch(() => {});
    }
  });
});

describe('the request log', () => {
  it('logs a client error as one JSON line without a stack trace or the credentials', async () => {
    const lines: string[] = [];
    const logged = await database.server({ logger: (line) => lines.push(line) });
    const user = uniqueUser('logged');
    const token = (await tokenFor(logged.url, user))!;
    await fetch(`${logged.url}/1.0/job/`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-User-Id': user,
        Authorization: `Bearer ${token}`,
        Cookie: 'session=secret-cookie',
      },
      body: '{"user": 7}',
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ user, method: 'POST', status: 400 });
    expect(lines[0]).not.toContain(token);
    expect(lines[0]).not.toMatch(/secret|jss_|\.ts:\d|\n\s+at /);
  });
});
