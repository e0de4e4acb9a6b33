// The testing kit's whoAmI and login: a password traded for a token the kit then accepts.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, JobStatusClient, NotFoundError } from '../../src/index';
import { createJssHandlers } from '../../src/testing/index';

const BASE_URL = 'http://jss-login.test/jss';
const OPEN_BASE_URL = 'http://jss-open.test/jss';
const server = setupServer(
  ...createJssHandlers({
    baseURL: BASE_URL,
    tokens: { 'wes-token': { user: 'wes', role: 'worker', services: ['upload'] } },
    passwords: { carol: { password: 'correct horse', role: 'manager' } },
  }),
  ...createJssHandlers({ baseURL: OPEN_BASE_URL }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const client = (token?: string, baseURL = BASE_URL) =>
  new JobStatusClient({ baseURL, maxRetries: 0, ...(token ? { token } : {}) });

describe('the testing kit and whoAmI', () => {
  it("answers a token's user, role and services", async () => {
    await expect(client('wes-token').whoAmI()).resolves.toEqual({
      user: 'wes',
      role: 'worker',
      services: ['upload'],
    });
  });

  it('refuses a request without a token with AuthenticationError', async () => {
    await expect(client().whoAmI()).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe('the testing kit and login', () => {
  it('trades the right password for a token of the user and role it was given', async () => {
    const result = await client().login({ user: 'carol', password: 'correct horse' });

    expect(result).toMatchObject({ user: 'carol', role: 'manager' });
    expect(result.expires).toBeInstanceOf(Date);
  });

  it('accepts the token a login gave from then on', async () => {
    const { token } = await client().login({ user: 'carol', password: 'correct horse' });

    await expect(client(token).whoAmI()).resolves.toMatchObject({ user: 'carol' });
  });

  it('refuses a wrong password with AuthenticationError', async () => {
    await expect(client().login({ user: 'carol', password: 'wrong horse' })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });

  it('refuses a user it does not know as it refuses a wrong password', async () => {
    await expect(
      client().login({ user: '__proto__', password: 'correct horse' }),
    ).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('answers 404 to a login on handlers given no passwords', async () => {
    await expect(
      client(undefined, OPEN_BASE_URL).login({ user: 'carol', password: 'correct horse' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
