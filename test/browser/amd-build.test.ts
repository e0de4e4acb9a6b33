import { expect, it } from 'vitest';
import { amdBuild } from './support/pages';
import { waitForJobToFinish } from './support/scenarios';
import { describeSdkInBrowser } from './support/sdk-suite';
import { umdChunkTests, umdRequests } from './support/umd-chunk-tests';

describeSdkInBrowser(amdBuild, (suite) => {
  it('gives the AMD loader the module and defines no window.JobStatus', async () => {
    const loaded = await suite.page().evaluate(() => ({
      loadedBy: window.loadedBy,
      exported: Object.keys(window.sdk!).filter(
        (name) => typeof (window.sdk as unknown as Record<string, unknown>)[name] === 'function',
      ),
    }));
    expect(loaded.loadedBy).toEqual({ amd: true, globalDefined: false });
    expect(loaded.exported).toEqual(
      expect.arrayContaining(['JobStatusClient', 'JobStatusError', 'NotFoundError']),
    );
  });

  umdChunkTests(suite, '/amd-core-only.html');

  it("loads a chunk by an id relative to the core's when the loader gives no module.uri", async () => {
    const page = suite.page();
    await page.goto(`${suite.origin()}/amd-without-module-uri.html`);
    await page.waitForFunction(() => window.sdk !== undefined, undefined, { timeout: 10_000 });
    const waited = await page.evaluate(waitForJobToFinish, suite.input());
    expect(waited.status).toBe('SUCCEEDED');
    expect(umdRequests(suite)).toContainEqual(
      expect.stringMatching(/^\/umd\/job-status-client\.follow-\w+\.js$/),
    );
  });
});
