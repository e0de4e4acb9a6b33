import { expect, it } from 'vitest';
import { globalBuild } from './support/pages';
import { describeSdkInBrowser } from './support/sdk-suite';

describeSdkInBrowser(globalBuild, (currentPage) => {
  it('defines window.JobStatus with the client and the error classes', async () => {
    const exported = await currentPage().evaluate(() => {
      const global = window.JobStatus!;
      return Object.keys(global).filter((name) => typeof global[name] === 'function');
    });
    expect(exported).toEqual(
      expect.arrayContaining(['JobStatusClient', 'JobStatusError', 'NotFoundError']),
    );
  });
});
