import type { ConnectionError, JobStatusClient, NotFoundError } from '../../../src/index';

/** What each test page exposes as `window.sdk`: the part of the SDK the scenarios use. */
export interface PageSdk {
  JobStatusClient: typeof JobStatusClient;
  NotFoundError: typeof NotFoundError;
  ConnectionError: typeof ConnectionError;
}

declare global {
  interface Window {
    /** Set by every test page once its build of the SDK has loaded. */
    sdk?: PageSdk;
    /** Defined by the UMD build (dist/umd/job-status-client.js) when no AMD loader is there. */
    JobStatus?: PageSdk & Record<string, unknown>;
    /** Set by the AMD page when its loader has handed over the SDK. */
    loadedBy?: { amd: boolean; globalDefined: boolean };
  }
}
