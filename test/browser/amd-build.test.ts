import { expect, it } from 'vitest';
import { amdBuild } from './support/pages';
import { describeSdkInBrowser } from './support/sdk-suite';

describeSdkInBrowser(amdBuild, (currentPage) => {
  it('gives the AMD loader the module and defines no window.JobStatus', async () => {
    const loaded = await currentPage().evaluate(() => ({
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
});
