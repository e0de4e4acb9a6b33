import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { startServer } from '../../../server/src/index';
import { ensureBuilt } from '../../package/support/build';
import { describeWithChromium, launchChromium } from './chromium';
import type { PageBuild } from './pages';
import {
  createAndRead,
  patchServiceField,
  queryWithIn,
  readMissingJob,
  subscribeToUpdate,
  waitForJobToFinish,
  type ScenarioInput,
} from './scenarios';
import { startStaticServer, type StaticServer } from './static-server';

type JssServer = Awaited<ReturnType<typeof startServer>>;

/** What the tests of one build get from the suite. */
export interface BrowserSuite {
  /** This test's page, opened on the build's page. */
  page(): Page;
  /** The static site's origin. */
  origin(): string;
  /** The paths the static site was asked for since this test's page was opened. */
  requests(): string[];
  /** The reference server's URL and a fresh user with an admin's token. */
  input(): ScenarioInput;
  /** A token of the reference server. */
  createToken(grant: Parameters<JssServer['createToken']>[0]): Promise<string>;
}

/**
 * The browser suite for one build of the SDK: a reference server and a static site on two
 * origins (so every call is a CORS request), Chromium, and one fresh page per test.
 *
 * @param extraTests registers tests that only this build needs.
 */
export function describeSdkInBrowser(
  build: PageBuild,
  extraTests?: (suite: BrowserSuite) => void,
): void {
  describeWithChromium(`the SDK's ${build.name} in Chromium`, () => {
    let jss: JssServer | undefined;
    let site: StaticServer | undefined;
    let browser: Browser | undefined;
    let page: Page;
    let pageErrors: string[] = [];
    // An admin's, so that one token serves the unique user of every test.
    let token = '';

    beforeAll(async () => {
      await ensureBuilt();
      const files = await build.files();
      // An explicit in-memory PGlite: CI exports DATABASE_URL, which the server would use
      // otherwise, and these tests need no database shared with other suites.
      [jss, site, browser] = await Promise.all([
        startServer({ port: 0, logger: false, corsOrigins: '*', dataDir: 'memory://' }),
        startStaticServer(files),
        launchChromium(),
      ]);
      token = (await jss.createToken({ user: 'browser-admin', role: 'admin' })).token;
    });

    afterAll(async () => {
      await Promise.all([browser?.close(), site?.close(), jss?.close()]);
    });

    let requestsBefore = 0;

    beforeEach(async () => {
      pageErrors = [];
      requestsBefore = site!.requests.length;
      page = await browser!.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(`${site!.origin}${build.page}`);
      await page.waitForFunction(() => window.sdk !== undefined, undefined, { timeout: 10_000 });
    });

    afterEach(async () => {
      await page.close();
      expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    });

    const input = (): ScenarioInput => ({
      baseURL: jss!.url,
      user: `browser-${randomUUID()}`,
      token,
    });

    it('loads on a page of another origin than the server', async () => {
      const pageOrigin = await page.evaluate(() => location.origin);
      expect(pageOrigin).toBe(site!.origin);
      expect(new URL(jss!.url).origin).not.toBe(pageOrigin);
    });

    it('creates a job and reads it back', async () => {
      const scenario = input();
      const result = await page.evaluate(createAndRead, scenario);
      expect(result).toEqual({
        createdId: expect.stringMatching(/\S/),
        fetchedId: result.createdId,
        user: scenario.user,
        status: 'WAITING',
        jobName: 'made in a browser',
        serviceFields: { pageOrigin: site!.origin },
        createdIsDate: true,
      });
    });

    it('patches one service field and keeps the others', async () => {
      const serviceFields = await page.evaluate(patchServiceField, input());
      expect(serviceFields).toEqual({
        favorites: { color: 'blue', number: 7 },
        files: ['a.txt', 'b.txt'],
      });
    });

    it('queries jobs with $in on status', async () => {
      const { created, foundIds } = await page.evaluate(queryWithIn, input());
      const expected = created
        .filter((job) => job.status === 'WORKING' || job.status === 'FAILED')
        .map((job) => job.jobId);
      expect(created).toHaveLength(3);
      expect([...foundIds].sort()).toEqual([...expected].sort());
    });

    it('receives the initial jobs and then a jobUpdate through a subscription', async () => {
      const { jobId, seen } = await page.evaluate(subscribeToUpdate, input());
      expect(seen[0]).toEqual({ type: 'initialJobs', jobIds: [jobId] });
      expect(seen.at(-1)).toEqual({ type: 'jobUpdate', jobIds: [jobId], stage: 'copying' });
    });

    it('waits for a job until it finishes', async () => {
      const result = await page.evaluate(waitForJobToFinish, input());
      expect(result.finishedId).toBe(result.jobId);
      expect(result.status).toBe('SUCCEEDED');
      expect(result.order).toEqual(['job finished', 'waitForJob resolved']);
    });

    it('surfaces a 404 as NotFoundError', async () => {
      const result = await page.evaluate(readMissingJob, {
        ...input(),
        jobId: `missing-${randomUUID()}`,
      });
      expect(result).toEqual({ threw: true, name: 'NotFoundError', isNotFoundError: true });
    });

    extraTests?.({
      page: () => page,
      origin: () => site!.origin,
      requests: () => site!.requests.slice(requestsBefore),
      input,
      createToken: async (grant) => (await jss!.createToken(grant)).token,
    });
  });
}
