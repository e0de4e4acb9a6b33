// Authentication and roles through the real server: who may see and change which job, tokens,
// login, and the 401s.
import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setPassword, type RunningServer } from '../src/index';
import {
  adminTokenFor,
  apiClient,
  jobOf,
  tokenFor,
  uniqueUser,
  useTestDatabase,
  type Answer,
  type ApiClient,
  type Envelope,
} from './support/harness';
import { dataOf, openEventStream, type EventStream } from './support/sse-client';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});

const streams: EventStream[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((stream) => stream.close()));
});

/** A request with exactly these headers (no token added behind the scenes). */
async function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
  base = server.url,
): Promise<Answer> {
  const response = await fetch(`${base}/${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : undefined) as Envelope,
  };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function subscribeAs(url: string, token: string, headers: Record<string, string> = {}) {
  const stream = await openEventStream(url, { ...bearer(token), ...headers });
  streams.push(stream);
  return stream;
}

/** Two creators, each with a job in every state the actions need. */
async function twoUsers() {
  const alice = apiClient(() => server.url, uniqueUser('alice'));
  const bob = apiClient(() => server.url, uniqueUser('bob'));
  const running = jobOf(await alice.create({ status: 'WORKING', service: 'upload' }));
  const failed = jobOf(await alice.create({ status: 'FAILED' }));
  const done = jobOf(await alice.create({ status: 'SUCCEEDED' }));
  return { alice, bob, running, failed, done };
}

describe("a creator and another user's jobs", () => {
  let alice: ApiClient;
  let bob: ApiClient;
  let running: string;
  let failed: string;
  let done: string;
  beforeAll(async () => {
    const users = await twoUsers();
    ({ alice, bob } = users);
    running = users.running.job_id;
    failed = users.failed.job_id;
    done = users.done.job_id;
  });

  const path = (jobId: string, rest = '') => `1.0/job/${encodeURIComponent(jobId)}${rest}`;
  const requests: [string, (id: () => Ids) => [string, string, unknown?]][] = [
    ['get', (ids) => ['GET', path(ids().running)]],
    ['status', (ids) => ['GET', path(ids().running, '/status')]],
    ['patch', (ids) => ['PATCH', path(ids().running), { current_stage: 'taken' }]],
    ['delete', (ids) => ['DELETE', path(ids().done)]],
    ['abort', (ids) => ['POST', path(ids().running, '/abort')]],
    ['retry', (ids) => ['POST', path(ids().failed, '/retry')]],
    ['progress', (ids) => ['POST', path(ids().running, '/progress'), { completed: 1, total: 2 }]],
    ['logs', (ids) => ['POST', path(ids().running, '/logs'), { level: 'info', message: 'hi' }]],
  ];
  interface Ids {
    running: string;
    failed: string;
    done: string;
  }
  const ids = () => ({ running, failed, done });

  it.each(requests)(
    'answers %s of it 404 not_found, as for a job that does not exist',
    async (_name, request) => {
      const [method, target, body] = request(ids);
      const answer = await bob.call(method, target, body);
      expect([answer.status, answer.body.code, answer.body.error]).toEqual([
        404,
        'not_found',
        'Job not found',
      ]);
    },
  );

  it.each(requests)('lets the owner %s it', async (_name, request) => {
    // On jobs of its own, so that earlier requests do not change the states this one needs.
    const own = await twoUsers();
    const [method, target, body] = request(() => ({
      running: own.running.job_id,
      failed: own.failed.job_id,
      done: own.done.job_id,
    }));
    expect((await own.alice.call(method, target, body)).status).toBe(200);
  });

  it('leaves the job unchanged by the refused writes', async () => {
    for (const [, request] of requests) await bob.call(...request(ids));
    const job = jobOf(await alice.get(running));
    expect([job.status, job.current_stage, job.progress, job.logs]).toEqual([
      'WORKING',
      null,
      null,
      [],
    ]);
  });

  it('leaves it out of a query, even one that names its owner', async () => {
    const answer = await bob.query({ user: alice.user });
    expect([answer.status, answer.body.data, answer.body.total_count]).toEqual([200, [], 0]);
  });

  it('leaves it out of changes', async () => {
    const answer = await bob.call('POST', '1.0/job/changes?since=0', { user: alice.user });
    expect([answer.status, answer.body.data]).toEqual([200, []]);
  });

  it('answers its own jobs in a query', async () => {
    const answer = await alice.query({ user: alice.user });
    expect(answer.body.data.map((job) => job.job_id).sort()).toEqual(
      [running, failed, done].sort(),
    );
  });

  it('refuses to create a job owned by someone else, 403 forbidden naming the user', async () => {
    const answer = await bob.call('POST', '1.0/job/', { user: alice.user });
    expect([answer.status, answer.body.code]).toEqual([403, 'forbidden']);
    expect(answer.body.error).toContain(JSON.stringify(bob.user));
  });
});

/** A client whose token may create jobs as anyone (a parent may be any job). */
const adminOf = () => apiClient(() => server.url, uniqueUser('admin'), { role: 'admin' });

describe('children of a creator’s jobs', () => {
  it('lets the creator read and change a child another user made under its job', async () => {
    const { alice, running } = await twoUsers();
    const manager = apiClient(() => server.url, uniqueUser('manager'), { role: 'manager' });
    const child = jobOf(await manager.create({ parent_id: running.job_id }));
    expect((await alice.get(child.job_id)).status).toBe(200);
    expect((await alice.patch(child.job_id, { current_stage: 'checked' })).status).toBe(200);
  });

  it('lists, for a query on its own user, its own jobs and not the child another user made', async () => {
    const { alice, bob, running, failed, done } = await twoUsers();
    jobOf(await adminOf().create({ user: bob.user, parent_id: running.job_id }));
    const answer = await alice.query({ user: { $eq: alice.user } });
    expect(answer.body.data.map((job) => job.job_id).sort()).toEqual(
      [running.job_id, failed.job_id, done.job_id].sort(),
    );
  });

  it('lists, for a query on the other user, only that user’s children of its jobs', async () => {
    const { alice, bob, running } = await twoUsers();
    const child = jobOf(await adminOf().create({ user: bob.user, parent_id: running.job_id }));
    jobOf(await bob.create({}));
    const answer = await alice.query({ user: bob.user }, '?limit=10');
    expect(answer.body.data.map((job) => job.job_id)).toEqual([child.job_id]);
  });

  it('does not let the child’s owner see the parent', async () => {
    const { bob, running } = await twoUsers();
    jobOf(await adminOf().create({ user: bob.user, parent_id: running.job_id }));
    expect((await bob.get(running.job_id)).status).toBe(404);
  });
});

describe("a creator naming another user's job in a create", () => {
  const hidden = (field: string, jobId: string, where = '') =>
    `"${field}" names job ${JSON.stringify(jobId)}, which the caller may not read${where}`;

  it('refuses it as parent_id, 400 naming the field', async () => {
    const { bob, running } = await twoUsers();
    const answer = await bob.create({ parent_id: running.job_id });
    expect([answer.status, answer.body.code, answer.body.error]).toEqual([
      400,
      'invalid_body',
      hidden('parent_id', running.job_id),
    ]);
  });

  it('refuses a job of another user that has no parent itself as parent_id', async () => {
    const { alice, bob } = await twoUsers();
    const orphan = jobOf(await alice.create({ parent_id: null }));
    expect((await bob.create({ parent_id: orphan.job_id })).status).toBe(400);
  });

  it('takes a parent_id that names no job, as the legacy service did', async () => {
    const { bob } = await twoUsers();
    const answer = await bob.create({ parent_id: `absent-${bob.user}` });
    expect([answer.status, jobOf(answer).parent_id]).toEqual([201, `absent-${bob.user}`]);
  });

  it('creates no job when it refuses the parent', async () => {
    const { bob, running } = await twoUsers();
    const jobId = `child-${bob.user}`;
    await bob.create({ job_id: jobId, parent_id: running.job_id, update_parent: true });
    expect((await bob.get(jobId)).status).toBe(404);
  });

  it('refuses it as parent_id in an Idempotency-Key create', async () => {
    const { bob, running } = await twoUsers();
    const answer = await bob.create(
      { parent_id: running.job_id },
      { 'Idempotency-Key': `k-${bob.user}` },
    );
    expect([answer.status, answer.body.error]).toEqual([400, hidden('parent_id', running.job_id)]);
  });

  it('refuses it as parent_id in a batch, naming the item', async () => {
    const { bob, running } = await twoUsers();
    const answer = await bob.call('POST', '1.0/job/batch', [
      { user: bob.user },
      { user: bob.user, parent_id: running.job_id },
    ]);
    expect([answer.status, answer.body.error]).toEqual([
      400,
      hidden('parent_id', running.job_id, ' (jobs[1])'),
    ]);
  });

  it('takes an earlier job of the same batch as parent', async () => {
    const { bob } = await twoUsers();
    const parent = `parent-${bob.user}`;
    const answer = await bob.call('POST', '1.0/job/batch', [
      { user: bob.user, job_id: parent },
      { user: bob.user, parent_id: parent },
    ]);
    expect([answer.status, answer.body.data.map((job) => job.parent_id)]).toEqual([
      201,
      [null, parent],
    ]);
  });

  it('takes its own job as parent', async () => {
    const { alice, running } = await twoUsers();
    const answer = await alice.create({ parent_id: running.job_id });
    expect([answer.status, jobOf(answer).parent_id]).toEqual([201, running.job_id]);
  });

  it('answers its job_id 409 exactly as an id of its own job with a different body', async () => {
    const { alice, bob, running } = await twoUsers();
    const own = jobOf(await bob.create({ job_name: 'first' }));
    const answers = [
      await bob.create({ job_id: running.job_id, job_name: 'mine' }),
      await bob.create({ job_id: own.job_id, job_name: 'second' }),
    ];
    const [hidden, taken] = answers.map(({ status, body }) => {
      const { request_id: _id, ...rest } = body as Envelope & { request_id?: string };
      return { status, body: JSON.stringify(rest).replaceAll(running.job_id, own.job_id) };
    });
    expect(hidden).toEqual(taken);
    expect(hidden!.body).not.toContain(alice.user);
  });

  it('refuses it in depends_on with the answer for a dependency that does not exist', async () => {
    const { bob, running } = await twoUsers();
    const answer = await bob.create({ depends_on: [running.job_id] });
    expect([answer.status, answer.body.code, answer.body.error]).toEqual([
      400,
      'invalid_body',
      `"depends_on" names job ${JSON.stringify(running.job_id)}, which does not exist`,
    ]);
  });
});

describe('subscriptions of a creator', () => {
  it("sends nothing of another user's jobs on /subscribe/{that user}, initial or live", async () => {
    const { alice, bob, running, done } = await twoUsers();
    const stream = await subscribeAs(
      `${server.url}/1.0/job/subscribe/${encodeURIComponent(alice.user)}`,
      await tokenFor(server.url, bob.user)!,
    );
    const [initial] = await stream.take(1);
    expect(dataOf(initial)).toEqual([]);
    await alice.patch(running.job_id, { current_stage: 'private' });
    await alice.remove(done.job_id);
    // A job of alice's that bob may see (a child of his) arrives after those changes: had they
    // been sent, they would come first.
    const bobs = jobOf(await bob.create({}));
    const visible = jobOf(await adminOf().create({ user: alice.user, parent_id: bobs.job_id }));
    const events = await stream.take(2);
    expect(events.slice(1).map((event) => [event.event, dataOf(event).job_id])).toEqual([
      ['jobInsert', visible.job_id],
    ]);
  });

  it('resumes with Last-Event-ID without the changes of jobs it may not see', async () => {
    const { alice, bob, running, done } = await twoUsers();
    await alice.patch(running.job_id, { current_stage: 'private' });
    await alice.remove(done.job_id);
    const bobs = jobOf(await bob.create({}));
    const visible = jobOf(await adminOf().create({ user: alice.user, parent_id: bobs.job_id }));
    const stream = await subscribeAs(
      `${server.url}/1.0/job/subscribe/${encodeURIComponent(alice.user)}`,
      await tokenFor(server.url, bob.user)!,
      { 'Last-Event-ID': '0' },
    );
    const events = await stream.take(1);
    expect(events.map((event) => [event.event, dataOf(event).job_id])).toEqual([
      ['jobInsert', visible.job_id],
    ]);
  });

  it('starts a ?job_id= subscription to a job it may not see empty', async () => {
    const { bob, running } = await twoUsers();
    const stream = await subscribeAs(
      `${server.url}/1.0/job/subscribe?job_id=${encodeURIComponent(running.job_id)}`,
      await tokenFor(server.url, bob.user)!,
    );
    const [initial] = await stream.take(1);
    expect(dataOf(initial)).toEqual([]);
  });
});

describe('a manager', () => {
  const managerOf = () => apiClient(() => server.url, uniqueUser('manager'), { role: 'manager' });

  it("reads any user's job", async () => {
    const { running } = await twoUsers();
    expect(jobOf(await managerOf().get(running.job_id)).job_id).toBe(running.job_id);
  });

  it("aborts, retries and deletes any user's job", async () => {
    const { running, failed, done } = await twoUsers();
    const manager = managerOf();
    const statuses = [
      (await manager.action(running.job_id, 'abort')).status,
      (await manager.action(failed.job_id, 'retry')).status,
      (await manager.remove(done.job_id)).status,
    ];
    expect(statuses).toEqual([200, 200, 200]);
  });

  it("may not patch another user's job: 403, since it can see the job", async () => {
    const { running } = await twoUsers();
    const answer = await managerOf().patch(running.job_id, { current_stage: 'x' });
    expect([answer.status, answer.body.code]).toEqual([403, 'forbidden']);
  });

  it("sees every user's jobs in a query", async () => {
    const { alice, bob } = await twoUsers();
    const bobs = jobOf(await bob.create({}));
    const answer = await managerOf().query({ user: { $in: [alice.user, bob.user] } });
    expect(answer.body.total_count).toBe(4);
    expect(answer.body.data.map((job) => job.job_id)).toContain(bobs.job_id);
  });
});

describe('a worker', () => {
  const workerOf = (services: string[]) =>
    apiClient(() => server.url, uniqueUser('worker'), { role: 'worker', services });

  it('reads and updates the jobs of its services', async () => {
    const { running } = await twoUsers();
    const worker = workerOf(['upload']);
    const statuses = [
      (await worker.get(running.job_id)).status,
      (await worker.patch(running.job_id, { current_stage: 'uploading' })).status,
      (
        await worker.call('POST', `1.0/job/${running.job_id}/progress`, {
          completed: 1,
          total: 2,
        })
      ).status,
    ];
    expect(statuses).toEqual([200, 200, 200]);
  });

  it('does not see the jobs of other services', async () => {
    const { running } = await twoUsers();
    expect((await workerOf(['copy']).get(running.job_id)).status).toBe(404);
  });

  it('may not abort a job of its services: 403', async () => {
    const { running } = await twoUsers();
    const answer = await workerOf(['upload']).action(running.job_id, 'abort');
    expect([answer.status, answer.body.code]).toEqual([403, 'forbidden']);
  });

  it('may not create jobs', async () => {
    const worker = workerOf(['upload']);
    const answer = await worker.create({ service: 'upload' });
    expect([answer.status, answer.body.code]).toEqual([403, 'forbidden']);
  });

  it('queries only the jobs of its services', async () => {
    const { alice, running } = await twoUsers();
    const answer = await workerOf(['upload']).query({ user: alice.user });
    expect(answer.body.data.map((job) => job.job_id)).toEqual([running.job_id]);
  });
});

describe('GET 1.0/auth/me', () => {
  it('answers the caller’s user, role and services', async () => {
    const user = uniqueUser('me');
    const answer = await apiClient(() => server.url, user, {
      role: 'worker',
      services: ['upload'],
    }).call('GET', '1.0/auth/me');
    expect(answer.body).toEqual({
      response_type: 'SUCCESS',
      data: [{ user, role: 'worker', services: ['upload'] }],
      total_count: 1,
      offset: 0,
    });
  });
});

describe('401 answers', () => {
  it('answers a request without a token 401 unauthorized in the error envelope', async () => {
    const answer = await send('GET', '1.0/job/anything');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      response_type: 'CLIENT_ERROR',
      error: 'Send Authorization: Bearer <token>',
      code: 'unauthorized',
      request_id: expect.any(String),
    });
  });

  it('says WWW-Authenticate: Bearer without a token', async () => {
    const answer = await send('POST', '1.0/job/query', {}, {});
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="jss"');
  });

  it('says error="invalid_token" for an unknown token', async () => {
    const answer = await send('GET', '1.0/auth/me', bearer(`jss_${'A'.repeat(43)}`));
    expect([answer.status, answer.headers.get('www-authenticate')]).toEqual([
      401,
      'Bearer realm="jss", error="invalid_token"',
    ]);
  });

  it('answers a subscription without a token 401', async () => {
    expect((await send('GET', '1.0/job/subscribe/anyone')).status).toBe(401);
  });

  it('keeps /jss/health open', async () => {
    expect((await send('GET', 'health')).status).toBe(200);
  });

  it('does not take X-User-Id for a token', async () => {
    expect((await send('GET', '1.0/auth/me', { 'X-User-Id': 'admin' })).status).toBe(401);
  });
});

describe('token management over HTTP', () => {
  const admin = async () => bearer((await adminTokenFor(server.url))!);

  it('answers a new token once, and keeps only its SHA-256', async () => {
    const user = uniqueUser('hashed');
    const answer = await send('POST', '1.0/auth/tokens', await admin(), { user, role: 'creator' });
    const issued = answer.body.data[0] as unknown as { id: string; token: string };
    expect(issued.token).toMatch(/^jss_[A-Za-z0-9_-]{43}$/);
    const { rows } = await database.store.db.query<Record<string, unknown>>(
      'SELECT * FROM tokens WHERE id = $1',
      [issued.id],
    );
    expect(JSON.stringify(rows)).not.toContain(issued.token.slice(4));
    expect(rows[0]!.hash).toBe(createHash('sha256').update(issued.token).digest('hex'));
  });

  it('lists tokens without the tokens or their hashes', async () => {
    const created = await send('POST', '1.0/auth/tokens', await admin(), {
      user: uniqueUser('listed'),
      role: 'creator',
    });
    const issued = created.body.data[0] as unknown as { id: string; token: string };
    const listed = await send('GET', '1.0/auth/tokens', await admin());
    const entry = (listed.body.data as unknown as { id: string }[]).find(
      (token) => token.id === issued.id,
    );
    expect(Object.keys(entry ?? {}).sort()).toEqual(
      ['created', 'expires', 'id', 'revoked', 'role', 'services', 'user'].sort(),
    );
  });

  it('revokes a token: the next request with it is 401 invalid_token', async () => {
    const created = await send('POST', '1.0/auth/tokens', await admin(), {
      user: uniqueUser('revoked'),
      role: 'creator',
    });
    const issued = created.body.data[0] as unknown as { id: string; token: string };
    expect((await send('GET', '1.0/auth/me', bearer(issued.token))).status).toBe(200);
    expect((await send('DELETE', `1.0/auth/tokens/${issued.id}`, await admin())).status).toBe(200);
    const after = await send('GET', '1.0/auth/me', bearer(issued.token));
    expect([after.status, after.headers.get('www-authenticate')]).toEqual([
      401,
      'Bearer realm="jss", error="invalid_token"',
    ]);
  });

  it('refuses an expired token', async () => {
    const created = await send('POST', '1.0/auth/tokens', await admin(), {
      user: uniqueUser('expired'),
      role: 'creator',
      expires_in_ms: 60_000,
    });
    const issued = created.body.data[0] as unknown as { id: string; token: string };
    await database.store.db.query(
      `UPDATE tokens SET expires = now() - interval '1 second' WHERE id = $1`,
      [issued.id],
    );
    expect((await send('GET', '1.0/auth/me', bearer(issued.token))).status).toBe(401);
  });

  it('answers 404 for revoking a token that does not exist', async () => {
    const answer = await send('DELETE', '1.0/auth/tokens/000000000000', await admin());
    expect([answer.status, answer.body.code]).toEqual([404, 'not_found']);
  });

  it('refuses a bad role 400, naming the field', async () => {
    const answer = await send('POST', '1.0/auth/tokens', await admin(), {
      user: 'x',
      role: 'boss',
    });
    expect([answer.status, answer.body.code, answer.body.error]).toEqual([
      400,
      'invalid_body',
      '"role" must be one of admin, manager, creator, worker',
    ]);
  });

  it.each(['GET', 'POST'])('refuses %s 1.0/auth/tokens to a creator: 403', async (method) => {
    const creator = apiClient(() => server.url, uniqueUser('creator'));
    const answer = await creator.call(
      method,
      '1.0/auth/tokens',
      method === 'POST' ? {} : undefined,
    );
    expect([answer.status, answer.body.code]).toEqual([403, 'forbidden']);
  });
});

const password = 'correct horse battery';

/** A new user (role creator) who logs in with `password`. */
async function userWithPassword() {
  const user = uniqueUser('login');
  await setPassword(database.store.db, { user, role: 'creator' }, password);
  return user;
}

describe('failed logins', () => {
  const login = (url: string, user: string, secret: string) =>
    send('POST', '1.0/login', {}, { user, password: secret }, url);
  const limited = (loginLimits: { perUser?: number; perAddress?: number; windowMs?: number }) =>
    database.server({ loginLimits: { perUser: 100, perAddress: 100, ...loginLimits } });

  it('refuses a user name 429 too_many_logins with Retry-After once its failures are spent, the right password too', async () => {
    const { url } = await limited({ perUser: 2, windowMs: 60_000 });
    const user = await userWithPassword();
    await login(url, user, 'wrong password 1');
    await login(url, user, 'wrong password 2');
    const answer = await login(url, user, password);
    expect([answer.status, answer.body.code, answer.headers.get('retry-after')]).toEqual([
      429,
      'too_many_logins',
      '60',
    ]);
  });

  it('counts the failures of one client address across user names', async () => {
    const { url } = await limited({ perAddress: 2 });
    await login(url, uniqueUser('guess'), 'wrong password');
    await login(url, uniqueUser('guess'), 'wrong password');
    const answer = await login(url, await userWithPassword(), password);
    expect([answer.status, answer.body.code]).toEqual([429, 'too_many_logins']);
  });

  it("lets a successful login clear its user name's failures", async () => {
    const { url } = await limited({ perUser: 2 });
    const user = await userWithPassword();
    await login(url, user, 'wrong password');
    expect((await login(url, user, password)).status).toBe(200);
    await login(url, user, 'wrong password');
    expect((await login(url, user, password)).status).toBe(200);
  });

  it('forgets the failures when their window ends', async () => {
    const { url } = await limited({ perUser: 1, windowMs: 1000 });
    const user = await userWithPassword();
    await login(url, user, 'wrong password');
    expect((await login(url, user, password)).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await login(url, user, password)).status).toBe(200);
  });

  it('leaves other user names alone while one is refused', async () => {
    const { url } = await limited({ perUser: 1 });
    await login(url, await userWithPassword(), 'wrong password');
    expect((await login(url, await userWithPassword(), password)).status).toBe(200);
  });
});

describe('POST 1.0/login', () => {
  it('answers a token of the user for the right password', async () => {
    const user = await userWithPassword();
    const answer = await send('POST', '1.0/login', {}, { user, password });
    const { token } = answer.body.data[0] as unknown as { token: string };
    const me = await send('GET', '1.0/auth/me', bearer(token));
    expect(me.body.data).toEqual([{ user, role: 'creator', services: [] }]);
  });

  it('answers a token that expires in 12 hours by default', async () => {
    const user = await userWithPassword();
    const before = Date.now();
    const answer = await send('POST', '1.0/login', {}, { user, password });
    const { expires } = answer.body.data[0] as unknown as { expires: string };
    const lifetime = Date.parse(expires) - before;
    expect(lifetime).toBeGreaterThan(11.9 * 3_600_000);
    expect(lifetime).toBeLessThanOrEqual(12 * 3_600_000 + 60_000);
  });

  it('takes its lifetime from loginTokenTtlMs', async () => {
    const short = await database.server({ loginTokenTtlMs: 60_000 });
    const user = await userWithPassword();
    const before = Date.now();
    const answer = await send('POST', '1.0/login', {}, { user, password }, short.url);
    const { expires } = answer.body.data[0] as unknown as { expires: string };
    expect(Date.parse(expires) - before).toBeLessThanOrEqual(120_000);
  });

  it('answers a wrong password 401', async () => {
    const user = await userWithPassword();
    const answer = await send('POST', '1.0/login', {}, { user, password: 'wrong password' });
    expect([answer.status, answer.body.code, answer.body.error]).toEqual([
      401,
      'unauthorized',
      'Wrong user name or password',
    ]);
  });

  it('answers an unknown user exactly as a wrong password', async () => {
    const answer = await send('POST', '1.0/login', {}, { user: uniqueUser('nobody'), password });
    expect([answer.status, answer.body.error]).toEqual([401, 'Wrong user name or password']);
  });

  it('refuses a body without a password 400, naming the field', async () => {
    const answer = await send('POST', '1.0/login', {}, { user: 'someone' });
    expect([answer.status, answer.body.error]).toEqual([400, '"password" is required: a string']);
  });

  it('stores the password only as a salted scrypt hash', async () => {
    const user = await userWithPassword();
    const { rows } = await database.store.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE user_name = $1',
      [user],
    );
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  });
});

describe('the request log', () => {
  it('holds no token or password, however the request went', async () => {
    const lines: string[] = [];
    const logged = await database.server({ logger: (line) => lines.push(line) });
    const user = uniqueUser('logged');
    const token = (await tokenFor(logged.url, user))!;
    const unknown = `jss_${'B'.repeat(43)}`;
    const password = 'a password never logged';
    await setPassword(database.store.db, { user, role: 'creator' }, password);
    await send('GET', '1.0/auth/me', bearer(token), undefined, logged.url);
    await send('GET', '1.0/job/missing', bearer(unknown), undefined, logged.url);
    await send('POST', '1.0/login', {}, { user, password }, logged.url);
    expect(lines).toHaveLength(3);
    expect(lines.filter((line) => /jss_|password/.test(line))).toEqual([]);
  });
});

describe('--auth header and --auth none', () => {
  it('header: takes X-User-Id as a creator', async () => {
    const headerServer = await database.server({ auth: 'header' });
    const user = uniqueUser('proxied');
    const answer = await send(
      'GET',
      '1.0/auth/me',
      { 'X-User-Id': user },
      undefined,
      headerServer.url,
    );
    expect(answer.body.data).toEqual([{ user, role: 'creator', services: [] }]);
  });

  it('header: answers a request without X-User-Id 401', async () => {
    const headerServer = await database.server({ auth: 'header' });
    expect((await send('GET', '1.0/auth/me', {}, undefined, headerServer.url)).status).toBe(401);
  });

  it("header: keeps other users' jobs apart", async () => {
    const headerServer = await database.server({ auth: 'header' });
    const { running } = await twoUsers();
    const answer = await send(
      'GET',
      `1.0/job/${running.job_id}`,
      { 'X-User-Id': uniqueUser('other') },
      undefined,
      headerServer.url,
    );
    expect(answer.status).toBe(404);
  });

  it('none: gives the X-User-Id user every right', async () => {
    const open = await database.server({ auth: 'none' });
    const { running } = await twoUsers();
    const answer = await send(
      'GET',
      `1.0/job/${running.job_id}`,
      { 'X-User-Id': 'dev' },
      undefined,
      open.url,
    );
    expect(answer.status).toBe(200);
  });

  it.each(['header', 'none'] as const)(
    '%s: refuses to start on a non-loopback host without insecure',
    async (auth) => {
      await expect(database.server({ auth, host: '0.0.0.0' })).rejects.toThrow(/--insecure/);
    },
  );
});
