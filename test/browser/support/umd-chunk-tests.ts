import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { BrowserSuite } from './sdk-suite';
import { claimServiceJob, waitForJobRejection, waitForJobToFinish } from './scenarios';

/** The UMD files a page asked for, in order. */
export const umdRequests = (suite: BrowserSuite) =>
  suite.requests().filter((path) => path.startsWith('/umd'));

const FOLLOW_CHUNK = /^\/umd\/job-status-client\.follow-\w+\.js$/;
const WORKERS_CHUNK = /^\/umd\/job-status-client\.workers-\w+\.js$/;
// The writes (createJob, updateJob) the tests' jobs are made with.
const CALLS_CHUNK = /^\/umd\/job-status-client\.calls-\w+\.js$/;

/**
 * The tests of the UMD build's lazily loaded chunks, for one way of loading it.
 *
 * @param coreOnlyPage a page that loads the core file from a folder without its chunk files.
 */
export function umdChunkTests(suite: BrowserSuite, coreOnlyPage: string): void {
  it('loads the core file alone up front', () => {
    expect(umdRequests(suite)).toEqual(['/umd/job-status-client.js']);
  });

  it('fetches the follow chunk beside the core file on the first waitForJob, and only once', async () => {
    const page = suite.page();
    const waited = await page.evaluate(waitForJobToFinish, suite.input());
    expect(waited.status).toBe('SUCCEEDED');
    await page.evaluate(waitForJobToFinish, suite.input());
    expect(umdRequests(suite)).toEqual([
      '/umd/job-status-client.js',
      expect.stringMatching(CALLS_CHUNK),
      expect.stringMatching(FOLLOW_CHUNK),
    ]);
  });

  it('claims a job through the work-queue chunk, fetched on first use', async () => {
    const service = `browser-svc-${randomUUID()}`;
    const input = suite.input();
    const workerToken = await suite.createToken({
      user: `${input.user}-worker`,
      role: 'worker',
      services: [service],
    });
    const result = await suite.page().evaluate(claimServiceJob, { ...input, service, workerToken });
    expect(result.claimedIds).toEqual([result.jobId]);
    expect(umdRequests(suite)).toEqual([
      '/umd/job-status-client.js',
      expect.stringMatching(CALLS_CHUNK),
      expect.stringMatching(WORKERS_CHUNK),
    ]);
  });

  it('rejects waitForJob with a ConnectionError naming the chunk URL when the chunk is missing', async () => {
    const page = suite.page();
    await page.goto(`${suite.origin()}${coreOnlyPage}`);
    await page.waitForFunction(() => window.sdk !== undefined, undefined, { timeout: 10_000 });
    const result = await page.evaluate(waitForJobRejection, suite.input());
    const chunkUrl = `${suite.origin()}/umd-core-only/job-status-client\\.follow-\\w+\\.js`;
    expect(result).toEqual({
      rejected: true,
      name: 'ConnectionError',
      message: expect.stringMatching(
        new RegExp(`^Could not load ${chunkUrl}, a part of the SDK: `),
      ),
      isConnectionError: true,
    });
  });
}
