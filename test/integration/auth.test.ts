// whoAmI and login against the real server: the identity of each kind of token, and a password
// traded for a token that then works (on a server of this file's own, whose database it can give
// a password to).
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  openStore,
  setPassword,
  startServer,
  type RunningServer,
  type Store,
} from '../../server/src/index';
import { copyPgliteTemplate, dropSchema } from '../../server/test/support/test-store';
import { AuthenticationError, JobStatusClient } from '../../src';
import { clientFor, describeJss, jssBackend, jssBaseUrl, tokenFor, uniqueUser } from './support';

describeJss('whoAmI', () => {
  it("answers a creator token's user and role, with no services", async () => {
    const user = uniqueUser('whoami');

    await expect(clientFor(user).whoAmI()).resolves.toEqual({
      user,
      role: 'creator',
      services: [],
    });
  });

  it("answers a worker token's services", async () => {
    const user = uniqueUser('whoami-worker');
    const client = new JobStatusClient({
      baseURL: jssBaseUrl,
      token: await tokenFor(user, 'worker', ['scanner', 'uploader']),
      maxRetries: 0,
    });

    const identity = await client.whoAmI();

    expect([...identity.services].sort()).toEqual(['scanner', 'uploader']);
  });

  it('throws AuthenticationError for a token the server does not know', async () => {
    const client = new JobStatusClient({
      baseURL: jssBaseUrl,
      token: 'tok-unknown',
      maxRetries: 0,
    });

    await expect(client.whoAmI()).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describeJss('login', () => {
  let store: Store;
  let server: RunningServer;
  let cleanUp: () => Promise<void>;
  const password = `pw-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    const databaseUrl = jssBackend === 'postgres' ? process.env.DATABASE_URL : undefined;
    if (databaseUrl) {
      const schema = `jss_it_login_${randomBytes(4).toString('hex')}`;
      store = await openStore({ databaseUrl, schema });
      cleanUp = () => dropSchema(databaseUrl, schema);
    } else {
      const dataDir = await copyPgliteTemplate();
      store = await openStore({ dataDir });
      cleanUp = async () => rmSync(dataDir, { recursive: true, force: true });
    }
    server = await startServer({ port: 0, logger: false, store });
    await setPassword(store.db, { user: 'carol', role: 'manager' }, password);
  });

  afterAll(async () => {
    await server?.close();
    await store?.db.close();
    await cleanUp?.();
  });

  const anonymous = () => new JobStatusClient({ baseURL: server.url, maxRetries: 0 });

  it('trades the right password for a token of that user and role, with an expiry', async () => {
    const result = await anonymous().login({ user: 'carol', password });

    expect(result).toMatchObject({ user: 'carol', role: 'manager' });
    expect(result.expires).toBeInstanceOf(Date);
  });

  it('gives a token the server then accepts as that user', async () => {
    const { token } = await anonymous().login({ user: 'carol', password });
    const client = new JobStatusClient({ baseURL: server.url, token, maxRetries: 0 });

    await expect(client.whoAmI()).resolves.toMatchObject({ user: 'carol', role: 'manager' });
  });

  it('throws AuthenticationError for a wrong password', async () => {
    await expect(
      anonymous().login({ user: 'carol', password: `${password}-wrong` }),
    ).rejects.toBeInstanceOf(AuthenticationError);
  });
});
