import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  JobStatusClient,
  NotFoundError,
  RequestValidationError,
  ResponseValidationError,
} from '../../src/index';
import {
  BASE_URL,
  envelope,
  FAST_RETRIES,
  respond,
  sentRequests,
  useMswServer,
} from './msw-harness';

useMswServer();

const TOKEN = 'jss_test_token_0123456789abcdef';
const PASSWORD = 'correct horse battery staple';

function tokenClient() {
  return new JobStatusClient({ baseURL: BASE_URL, token: TOKEN, maxRetries: 0 });
}

function anonymousClient(options: { maxRetries?: number } = {}) {
  return new JobStatusClient({ baseURL: BASE_URL, maxRetries: 0, ...FAST_RETRIES, ...options });
}

describe('whoAmI', () => {
  it('sends GET 1.0/auth/me with the bearer token, Accept, and no body or idempotency key', async () => {
    const calls = respond('get', '1.0/auth/me', {
      body: envelope([{ user: 'demo', role: 'creator', services: [] }]),
    });

    await tokenClient().whoAmI();

    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe('GET');
    expect(calls[0]?.path).toBe('/jss/1.0/auth/me');
    expect(calls[0]?.search).toBe('');
    expect(calls[0]?.body).toBe('');
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(calls[0]?.headers.accept).toContain('application/json');
    expect(calls[0]?.headers['content-type']).toBeUndefined();
    expect(calls[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('answers the user, role and services, and nothing else the server adds', async () => {
    respond('get', '1.0/auth/me', {
      body: envelope([{ user: 'scanner', role: 'worker', services: ['upload'], extra: 1 }]),
    });

    await expect(tokenClient().whoAmI()).resolves.toStrictEqual({
      user: 'scanner',
      role: 'worker',
      services: ['upload'],
    });
  });

  it('refuses an answer with an unknown role, naming its path', async () => {
    respond('get', '1.0/auth/me', {
      body: envelope([{ user: 'demo', role: 'superuser', services: [] }]),
    });

    const error = await tokenClient()
      .whoAmI()
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues.map((issue) => issue.path)).toEqual([
      ['data', 0, 'role'],
    ]);
  });

  it('refuses an answer with empty data', async () => {
    respond('get', '1.0/auth/me', { body: envelope([]) });

    await expect(tokenClient().whoAmI()).rejects.toBeInstanceOf(ResponseValidationError);
  });

  it('throws AuthenticationError for a 401, without the token in the error', async () => {
    respond('get', '1.0/auth/me', {
      status: 401,
      body: {
        response_type: 'ERROR',
        error: 'A valid bearer token is required',
        code: 'unauthorized',
      },
    });

    const error = await tokenClient()
      .whoAmI()
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(`${JSON.stringify(error)} ${inspect(error)}`).not.toContain(TOKEN);
  });

  it('throws NotFoundError from a server that checks no tokens', async () => {
    respond('get', '1.0/auth/me', {
      status: 404,
      body: { response_type: 'ERROR', error: 'Not found', code: 'not_found' },
    });

    await expect(tokenClient().whoAmI()).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('login', () => {
  const loginAnswer = {
    token: TOKEN,
    expires: '2026-12-03T22:00:00.000Z',
    user: 'demo',
    role: 'creator',
  };

  it('sends POST 1.0/login with exactly {user, password} as JSON, and no Authorization', async () => {
    const calls = respond('post', '1.0/login', { body: envelope([loginAnswer]) });

    await anonymousClient().login({ user: 'demo', password: PASSWORD });

    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.path).toBe('/jss/1.0/login');
    expect(calls[0]?.body).toBe(JSON.stringify({ user: 'demo', password: PASSWORD }));
    expect(calls[0]?.headers['content-type']).toBe('application/json');
    expect(calls[0]?.headers.authorization).toBeUndefined();
    expect(calls[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('answers the token, its expiry as a Date, the user and the role', async () => {
    respond('post', '1.0/login', { body: envelope([loginAnswer]) });

    await expect(
      anonymousClient().login({ user: 'demo', password: PASSWORD }),
    ).resolves.toStrictEqual({
      token: TOKEN,
      expires: new Date('2026-12-03T22:00:00.000Z'),
      user: 'demo',
      role: 'creator',
    });
  });

  it('answers a null expiry for a token that never expires', async () => {
    respond('post', '1.0/login', { body: envelope([{ ...loginAnswer, expires: null }]) });

    const result = await anonymousClient().login({ user: 'demo', password: PASSWORD });

    expect(result.expires).toBeNull();
  });

  it('refuses an empty password before sending anything, without echoing it', async () => {
    const error = await anonymousClient()
      .login({ user: 'demo', password: '' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues.map((issue) => issue.path)).toEqual([
      ['credentials', 'password'],
    ]);
    expect(sentRequests()).toHaveLength(0);
  });

  it('throws AuthenticationError for a wrong password, without the password in the error', async () => {
    respond('post', '1.0/login', {
      status: 401,
      body: { response_type: 'ERROR', error: 'Wrong user name or password', code: 'unauthorized' },
    });

    const error = await anonymousClient()
      .login({ user: 'demo', password: PASSWORD })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(`${JSON.stringify(error)} ${inspect(error)}`).not.toContain(PASSWORD);
  });

  it('does not resend the password after a 503, since each attempt would make a token', async () => {
    const calls = respond(
      'post',
      '1.0/login',
      { status: 503, body: { response_type: 'ERROR', error: 'busy', code: 'unavailable' } },
      { body: envelope([loginAnswer]) },
    );

    await expect(
      anonymousClient({ maxRetries: 3 }).login({ user: 'demo', password: PASSWORD }),
    ).rejects.toThrow();
    expect(calls).toHaveLength(1);
  });
});
