import { expect, it } from 'vitest';
import { globalBuild } from './support/pages';
import { describeSdkInBrowser } from './support/sdk-suite';
import { umdChunkTests } from './support/umd-chunk-tests';

describeSdkInBrowser(globalBuild, (suite) => {
  it('defines window.JobStatus with the client and the error classes', async () => {
    const exported = await suite.page().evaluate(() => {
      const global = window.JobStatus!;
      return Object.keys(global).filter((name) => typeof global[name] === 'function');
    });
    expect(exported).toEqual(
      expect.arrayContaining(['JobStatusClient', 'JobStatusError', 'NotFoundError']),
    );
  });

  umdChunkTests(suite, '/global-core-only.html');
});
