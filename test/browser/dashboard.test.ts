import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { JobStatusClient, NotFoundError } from '../../src/index';
import {
  openStore,
  setPassword,
  startServer,
  type RunningServer,
  type Store,
} from '../../server/src/index';
import type { Role } from '#protocol';
import { describeWithChromium, launchChromium } from './support/chromium';

/** The wait of a live update: it must show within a second, without a reload. */
const LIVE_MS = 1_000;
const TOKEN_KEY = 'jss-dashboard-token';

describeWithChromium('the dashboard in Chromium', () => {
  let jss: RunningServer;
  let store: Store;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    // An explicit in-memory PGlite: CI exports DATABASE_URL, and these jobs are this file's own.
    store = await openStore({ dataDir: 'memory://' });
    [jss, browser] = await Promise.all([
      startServer({ port: 0, logger: false, store }),
      launchChromium(),
    ]);
    origin = new URL(jss.url).origin;
  });

  afterAll(async () => {
    await Promise.all([browser?.close(), jss?.close()]);
    await store?.db.close();
  });

  beforeEach(async () => {
    problems = [];
    page = await browser.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) problems.push(message.text());
    });
  });

  afterEach(async () => {
    await page.close();
    expect(problems, 'uncaught errors or CSP violations in the page').toEqual([]);
  });

  const tokenFor = async (user: string, role: Role, services: readonly string[] = []) =>
    (await jss.createToken({ user, role, services })).token;

  /** An SDK client of a user of its own, with a creator token. */
  async function newUser(label: string) {
    const user = `${label}-${randomUUID().slice(0, 8)}`;
    const token = await tokenFor(user, 'creator');
    return { user, sdk: new JobStatusClient({ baseURL: jss.url, user, token }) };
  }

  /** Opens the dashboard, signed in as `as` (an admin by default). */
  async function open(
    hash: string,
    as: { user: string; role: Role; services?: string[] } = {
      user: 'dashboard-admin',
      role: 'admin',
    },
  ) {
    const token = await tokenFor(as.user, as.role, as.services);
    await page.addInitScript(
      ([key, value]) => sessionStorage.setItem(key!, value!),
      [TOKEN_KEY, token],
    );
    await page.goto(`${origin}/${hash}`);
    await page.locator('#page-title').waitFor();
  }

  const row = (jobId: string) => page.locator(`tr[data-job-id="${jobId}"]`);

  it('lists the jobs created through the SDK, with their counts by status', async () => {
    const { user, sdk } = await newUser('list');
    await sdk.createJob({ user, jobName: 'first job', status: 'WORKING' });
    await sdk.createJob({ user, jobName: 'second job', status: 'FAILED' });
    await open(`#/?user=${user}`);
    await page.getByRole('link', { name: 'first job' }).waitFor();
    await page.getByRole('link', { name: 'second job' }).waitFor();
    const counts = page.getByRole('group', { name: /Jobs by status/ });
    await counts.getByRole('button', { name: 'All 2' }).waitFor();
    await counts.getByRole('button', { name: 'FAILED 1' }).waitFor();
  });

  it('shows a status change within a second, without reloading', async () => {
    const { user, sdk } = await newUser('live');
    const job = await sdk.createJob({ user, jobName: 'watched', status: 'WAITING' });
    await open(`#/?user=${user}`);
    await row(job.jobId).getByText('WAITING').waitFor();
    await page.getByText('Live: every job of').waitFor();
    await page.evaluate(() => ((window as { sameLoad?: boolean }).sameLoad = true));
    await sdk.updateJob(job.jobId, { status: 'WORKING' });
    await row(job.jobId).getByText('WORKING').waitFor({ timeout: LIVE_MS });
    expect(await page.evaluate(() => (window as { sameLoad?: boolean }).sameLoad)).toBe(true);
  });

  it('shows a status change of a job on an unfiltered page within a second', async () => {
    const { user, sdk } = await newUser('unfiltered');
    const job = await sdk.createJob({ user, jobName: 'newest', status: 'WAITING' });
    await open('#/');
    await row(job.jobId).getByText('WAITING').waitFor();
    await page.getByText('Live: the jobs on this page').waitFor();
    await sdk.updateJob(job.jobId, { status: 'BLOCKED' });
    await row(job.jobId).getByText('BLOCKED').waitFor({ timeout: LIVE_MS });
  });

  it('aborts a job from its page', async () => {
    const { user, sdk } = await newUser('abort');
    const job = await sdk.createJob({ user, jobName: 'to abort', status: 'WORKING' });
    await open(`#/job/${encodeURIComponent(job.jobId)}`);
    await page.getByRole('button', { name: 'Abort' }).click();
    await page
      .getByRole('heading', { name: /to abort/ })
      .getByText('ABORTED')
      .waitFor();
    expect((await sdk.getJob(job.jobId)).status).toBe('ABORTED');
  });

  it('deletes an ended job only once the deletion is confirmed', async () => {
    const { user, sdk } = await newUser('delete');
    const job = await sdk.createJob({ user, jobName: 'to delete', status: 'SUCCEEDED' });
    await open(`#/job/${encodeURIComponent(job.jobId)}`);
    await page.getByRole('button', { name: 'Delete' }).click();
    expect((await sdk.getJob(job.jobId)).jobId).toBe(job.jobId);
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('This job was deleted').first().waitFor();
    await expect(sdk.getJob(job.jobId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('streams log lines and progress onto the job page', async () => {
    const { user, sdk } = await newUser('logs');
    const job = await sdk.createJob({ user, jobName: 'logging', status: 'WORKING' });
    await open(`#/job/${encodeURIComponent(job.jobId)}`);
    await page.getByText('No log entries yet.').waitFor();
    await sdk.log(job.jobId, 'copied the first file', { level: 'success' });
    await sdk.reportProgress(job.jobId, 1, 4);
    await page.getByRole('log').getByText('copied the first file').waitFor({ timeout: LIVE_MS });
    await page.getByText('1 of 4').waitFor({ timeout: LIVE_MS });
  });

  it('shows the parent and the children of a job, and a child’s status change live', async () => {
    const { user, sdk } = await newUser('tree');
    const parent = await sdk.createJob({ user, jobName: 'the parent', status: 'WORKING' });
    const child = await sdk.createJob({
      user,
      jobName: 'the child',
      status: 'WAITING',
      parentId: parent.jobId,
    });
    await sdk.updateJob(parent.jobId, { childIds: [child.jobId] });
    await open(`#/job/${encodeURIComponent(parent.jobId)}`);
    const relations = page.getByRole('region', { name: 'Parent and children' });
    await relations.getByRole('link', { name: 'the child' }).waitFor();
    await sdk.updateJob(child.jobId, { status: 'SUCCEEDED' });
    await relations.getByText('SUCCEEDED').waitFor({ timeout: LIVE_MS });
    await relations.getByRole('link', { name: 'the child' }).click();
    await page.getByRole('heading', { name: /the child/ }).waitFor();
    await relations.getByRole('link', { name: 'the parent' }).waitFor();
  });

  it('reaches the filters, the status toggles, the sort buttons and the jobs by keyboard', async () => {
    const { user, sdk } = await newUser('keys');
    await sdk.createJob({ user, jobName: 'by keyboard', status: 'FAILED' });
    await open(`#/?user=${user}`);
    await page.getByRole('link', { name: 'by keyboard' }).waitFor();
    const reached: string[] = [];
    for (let step = 0; step < 40; step++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => {
          const element = document.activeElement as HTMLElement | null;
          const label = element?.closest('label')?.querySelector('span')?.textContent;
          return `${element?.tagName.toLowerCase()}:${label ?? element?.textContent?.trim()}`;
        }),
      );
    }
    expect(reached).toEqual(
      expect.arrayContaining([
        'input:User',
        'input:Service',
        'input:Name starts with',
        'button:FAILED 1',
        expect.stringMatching(/^button:Name/),
        'a:by keyboard',
      ]),
    );
  });

  it('filters by status from the keyboard', async () => {
    const { user, sdk } = await newUser('toggle');
    await sdk.createJob({ user, jobName: 'a waiting job', status: 'WAITING' });
    await sdk.createJob({ user, jobName: 'a failed job', status: 'FAILED' });
    await open(`#/?user=${user}`);
    await page.getByRole('link', { name: 'a waiting job' }).waitFor();
    await page.getByRole('button', { name: 'FAILED 1' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'a waiting job' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: 'FAILED 1' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await page.getByRole('link', { name: 'a failed job' }).count()).toBe(1);
  });

  it('moves the focus to the job page’s heading and reaches its buttons by keyboard', async () => {
    const { user, sdk } = await newUser('focus');
    const job = await sdk.createJob({ user, jobName: 'focused', status: 'WORKING' });
    await open(`#/?user=${user}`);
    await page.getByRole('link', { name: 'focused' }).click();
    await page.getByRole('button', { name: 'Abort' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-title');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Abort');
    expect(page.url()).toContain(`#/job/${encodeURIComponent(job.jobId)}`);
  });

  it('signs in with a token kept in this tab only and sends it as a bearer token', async () => {
    const token = await tokenFor('token-user', 'admin');
    await page.goto(`${origin}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Token', { exact: true }).fill(token);
    const query = page.waitForRequest((request) => request.url().includes('/jss/1.0/job/query'));
    await page.getByRole('button', { name: 'Sign in' }).first().click();
    expect((await query).headers()['authorization']).toBe(`Bearer ${token}`);
    const kept = await page.evaluate(() => ({
      session: Object.values(sessionStorage),
      local: Object.keys(localStorage).length,
      cookies: document.cookie,
      url: location.href,
    }));
    expect(kept.session).toEqual([token]);
    expect({ local: kept.local, cookies: kept.cookies }).toEqual({ local: 0, cookies: '' });
    expect(kept.url).not.toContain(token);
  });

  it('logs in with a user name and password and then sends the token it was given', async () => {
    await setPassword(store.db, { user: 'carol', role: 'admin' }, 'correct horse');
    const logins: unknown[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/jss/1.0/login')) logins.push(request.postDataJSON());
    });
    await page.goto(`${origin}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('User', { exact: true }).fill('carol');
    await page.getByLabel('Password', { exact: true }).fill('correct horse');
    const query = page.waitForRequest((request) => request.url().includes('/jss/1.0/job/query'));
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    const sent = (await query).headers()['authorization'];
    expect(sent).toMatch(/^Bearer jss_/);
    expect(Object.values(await page.evaluate(() => ({ ...sessionStorage })))).toEqual([
      sent!.slice('Bearer '.length),
    ]);
    expect(logins).toEqual([{ user: 'carol', password: 'correct horse' }]);
  });

  it('shows a worker no abort, retry or delete button', async () => {
    const { user, sdk } = await newUser('worker');
    const job = await sdk.createJob({
      user,
      jobName: 'worked on',
      service: 'copier',
      status: 'FAILED',
    });
    await open(`#/job/${encodeURIComponent(job.jobId)}`, {
      user: 'wendy',
      role: 'worker',
      services: ['copier'],
    });
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    await page.getByText('wendy · worker').waitFor();
    expect(await page.getByRole('group', { name: 'Actions' }).count()).toBe(0);
  });

  it('does not show a creator the jobs of another user', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    await alice.sdk.createJob({ user: alice.user, jobName: 'alice’s job' });
    await bob.sdk.createJob({ user: bob.user, jobName: 'bob’s job' });
    await open('#/', { user: alice.user, role: 'creator' });
    await page.getByRole('link', { name: 'alice’s job' }).waitFor();
    expect(await page.getByRole('link', { name: 'bob’s job' }).count()).toBe(0);
  });
});
